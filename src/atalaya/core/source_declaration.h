// What a source declares about what it counts, so that no answer adds what
// is not comparable and no gap reads as zero.
//
// A mapping's [source] table (or a built-in adapter) declares it; the store
// keeps the latest declaration per source; queries read it to decide whether
// series of several sources may be added, how a longer period is rolled up
// (flows add, stocks take their last value) and what a key that a release
// does not list means.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

// Flow: counted over a period (crossings in a month). Stock: counted at a
// date (refugees at the end of a year).
enum class Measure : uint8_t { Flow = 1, Stock = 2 };
std::optional<Measure> parse_measure(std::string_view text);  // flow|stock
std::string_view measure_name(Measure m);

// What a key that a release does not list, in a period the release covers,
// means. Zero: the publisher lists every key with crossings (the Darién's
// Cubans absent from a month crossed 0). Suppressed: small values are
// withheld (UNHCR). Missing: nothing can be said.
enum class AbsentKey : uint8_t { Zero = 1, Suppressed = 2, Missing = 3 };
std::optional<AbsentKey> parse_absent_key(std::string_view text);  // zero|suppressed|missing
std::string_view absent_key_name(AbsentKey a);

struct SourceDeclaration {
  Measure measure = Measure::Flow;
  AbsentKey absent = AbsentKey::Zero;
  std::string coverage;               // in words: "U.S. southwest land border"
  std::vector<std::string> overlaps;  // sources that count some of the same people or events
  std::string publisher;              // "U.S. Customs and Border Protection"
  std::string licence;                // "Public domain (U.S. government work)"
  std::string schedule;               // release frequency: M, Q, A (empty: not declared)
  int publication_lag_months = -1;    // usual months from a period's end to its release; -1: not declared
  bool simulated = false;             // made by `atalaya simulate`, not published by anyone

  // A compact JSON object (what the store keeps), and back. from_json
  // accepts "" and "{}" as the defaults and ignores keys it does not know.
  std::string to_json() const;
  static SourceDeclaration from_json(std::string_view text);
  friend bool operator==(const SourceDeclaration&, const SourceDeclaration&) = default;
};

// Whether a declares an overlap with b or b with a.
bool sources_overlap(std::string_view a, const SourceDeclaration& da, std::string_view b,
                     const SourceDeclaration& db);

}  // namespace atalaya
