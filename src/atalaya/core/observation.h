// Observations: a count for one period under one series key, with the
// attributes that travel with it (unit, status, provenance line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "atalaya/core/period.h"
#include "atalaya/core/vocabulary.h"

namespace atalaya {

// The fixed, few dimensions of the model (see docs/formats.md).
// reporter, citizenship and counterpart hold ISO alpha-3 codes or declared
// group codes; event is one of the controlled vocabulary (vocabulary.h);
// empty means "total".
//
// counterpart is the other country of a movement: the destination, the
// country of asylum, or the country returned from, where the reporter is not
// it. It is the LAST member so that positional initialisers written before it
// existed keep their meaning; everywhere else (kDimensions, tie(), files) it
// comes right after citizenship.
struct SeriesKey {
  std::string source;       // dataset id, e.g. "us-cbp-swb"
  std::string reporter;     // country that counted, e.g. "USA"
  std::string location;     // checkpoint, sector, province; may be empty
  std::string citizenship;  // "HTI", or a group such as "OTH"
  std::string event;        // "encounter", "irregular_transit", ...
  std::string demographic;  // "single_adult", "family_unit", ... or empty (total)
  std::string authority;    // "Title 8", "Title 42", or empty
  std::string counterpart = {};  // destination, country of asylum or of return; empty if none

  auto tie() const {
    return std::tie(source, reporter, location, citizenship, counterpart, event, demographic, authority);
  }
  friend bool operator==(const SeriesKey& a, const SeriesKey& b) { return a.tie() == b.tie(); }
  friend bool operator<(const SeriesKey& a, const SeriesKey& b) { return a.tie() < b.tie(); }
};

// The dimension names as the CLI and files spell them.
inline constexpr std::string_view kDimensions[] = {"source",      "reporter", "location",
                                                   "citizenship", "counterpart", "event",
                                                   "demographic", "authority"};
// True for the dimensions that hold country (or group) codes.
inline bool is_country_dimension(std::string_view d) {
  return d == "reporter" || d == "citizenship" || d == "counterpart";
}
// Returns the key's value for a dimension name, or nullopt if the name is not a dimension.
std::optional<std::string_view> dimension_value(const SeriesKey& key, std::string_view dimension);

// The event dimension's controlled vocabulary (is_known_event, event_measure)
// is in vocabulary.h.

// What is counted: the same person crossing twice is two events.
enum class Unit : uint8_t { Events = 1, Persons = 2, Cases = 3 };
enum class Status : uint8_t { Provisional = 1, Final = 2, Estimated = 3 };

std::optional<Unit> parse_unit(std::string_view text);      // events|persons|cases
std::optional<Status> parse_status(std::string_view text);  // provisional|final|estimated
std::string_view unit_name(Unit u);
std::string_view status_name(Status s);

// One harmonised observation, as an ingest adapter produces it.
struct Observation {
  SeriesKey key;
  Period period;
  int64_t value = 0;               // a count; never negative
  Unit unit = Unit::Events;
  Status status = Status::Final;
  uint32_t line = 0;               // provenance: 1-based line in the source file
};

}  // namespace atalaya
