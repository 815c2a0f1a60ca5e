// Observations: a count for one period under one series key, with the
// attributes that travel with it (unit, status, provenance line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "atalaya/core/period.h"

namespace atalaya {

// The fixed, few dimensions of the model (see docs/formats.md).
// reporter and citizenship hold ISO alpha-3 codes or declared group codes;
// event is one of the controlled vocabulary below; empty means "total".
struct SeriesKey {
  std::string source;       // dataset id, e.g. "us-cbp-swb"
  std::string reporter;     // country that counted, e.g. "USA"
  std::string location;     // checkpoint, sector, province; may be empty
  std::string citizenship;  // "HTI", or a group such as "OTH"
  std::string event;        // "encounter", "irregular_transit", ...
  std::string demographic;  // "single_adult", "family_unit", ... or empty (total)
  std::string authority;    // "Title 8", "Title 42", or empty

  auto tie() const {
    return std::tie(source, reporter, location, citizenship, event, demographic, authority);
  }
  friend bool operator==(const SeriesKey& a, const SeriesKey& b) { return a.tie() == b.tie(); }
  friend bool operator<(const SeriesKey& a, const SeriesKey& b) { return a.tie() < b.tie(); }
};

// The dimension names as the CLI and files spell them.
inline constexpr std::string_view kDimensions[] = {"source",      "reporter",    "location",
                                                   "citizenship", "event",       "demographic",
                                                   "authority"};
// Returns the key's value for a dimension name, or nullopt if the name is not a dimension.
std::optional<std::string_view> dimension_value(const SeriesKey& key, std::string_view dimension);

// Controlled vocabulary for the event dimension.
inline constexpr std::string_view kEvents[] = {
    "encounter",  "apprehension",       "inadmissible", "expulsion", "irregular_transit",
    "irregular_event", "asylum_application", "return",  "deportation", "assisted_return",
    "displacement"};
bool is_known_event(std::string_view event);

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
