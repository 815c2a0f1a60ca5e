// The product of every ingest adapter: one file's harmonised observations for
// one source, ready to be written to the store as one vintage.
//
// Observations are stored compactly (series index + period + value) because a
// file may hold millions of rows; the series keys are interned once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atalaya/core/input_error.h"
#include "atalaya/core/observation.h"
#include "atalaya/core/source_declaration.h"
#include "atalaya/core/text.h"

namespace atalaya {

struct SeriesDef {
  SeriesKey key;
  Unit unit = Unit::Events;
};

struct ObservationRow {
  uint32_t series = 0;  // index into ParsedFile::series
  Period period;
  int64_t value = 0;
  Status status = Status::Final;
  uint32_t line = 0;
};

// Problems kept per file for messages: the first ones found. Any more are
// only counted (ParsedFile::problems_omitted), so a file broken on every one
// of its million rows costs no more memory or time to report than this.
inline constexpr size_t kMaxKeptProblems = 100;
// The largest count accepted by default: no official migration count comes
// near it, so a larger one is a broken cell (a mapping may raise it:
// [source] max_count).
inline constexpr int64_t kDefaultMaxCount = 1'000'000'000;
// The largest share of a source's latest observations a complete release may
// withdraw unless the caller forces a replacement (WriteOptions::replace);
// a mapping may declare another ([source] max_withdrawal).
inline constexpr double kDefaultMaxWithdrawal = 0.05;

struct ParsedFile {
  std::string source;        // dataset id shared by every row
  std::string source_name;   // human-readable dataset name
  std::string format;        // "cbp-swb", "mapped-csv", "hxl", "sdmx-csv", ...
  std::string path;
  std::string digest;        // SHA-256 of the file's bytes, hex
  std::string mapping_digest;  // SHA-256 of the mapping file read it through, or empty
  uint64_t bytes = 0;
  uint32_t rows_read = 0;    // data records seen
  // A complete release replaces everything its source held: values absent
  // from it are withdrawn in the new vintage. An incremental release (one
  // month's bulletin of a long series) only adds and revises.
  bool complete_release = true;
  // What the source counts (measure, overlaps, what an absent key means);
  // stored with the source, replacing its previous declaration when set.
  std::optional<SourceDeclaration> declaration;
  // A complete release that would withdraw more than this share (0 to 1) of
  // the observations its source holds in the latest view is refused by the
  // store unless the write says replace (store.h, WriteOptions).
  double max_withdrawal = kDefaultMaxWithdrawal;
  std::vector<SeriesDef> series;
  std::vector<ObservationRow> rows;
  // Rows that failed validation: the first kMaxKeptProblems found, then
  // only counted in problems_omitted. Add them with add_problem().
  std::vector<InputProblem> problems;
  uint64_t problems_omitted = 0;
  uint32_t rows_rejected = 0;          // rows left out because of a problem

  // Keeps `p` if fewer than kMaxKeptProblems are kept, else counts it.
  // A kept problem's value is stored shortened, as it is echoed
  // (echoed_value: a broken cell may be megabytes long).
  void add_problem(InputProblem p) {
    if (problems.size() >= kMaxKeptProblems) {
      ++problems_omitted;
      return;
    }
    if (p.value.size() > kEchoedValueChars) p.value = echoed_value(p.value);
    problems.push_back(std::move(p));
  }
  // Every problem found, kept or not.
  uint64_t problem_count() const { return problems.size() + problems_omitted; }
};

// An open-addressing hash map from 64-bit keys to 32-bit values: one probe
// into a flat array, where std::unordered_map chases a node per lookup.
class PackedKeyMap {
 public:
  // Returns the value for `key`, or UINT32_MAX if absent.
  uint32_t find(uint64_t key) const {
    if (slots_.empty()) return UINT32_MAX;
    for (size_t i = slot(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key && slots_[i].value != UINT32_MAX) return slots_[i].value;
      if (slots_[i].value == UINT32_MAX) return UINT32_MAX;
    }
  }
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(key, value);
    ++size_;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t value = UINT32_MAX;  // UINT32_MAX marks an empty slot
  };
  size_t slot(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_); }
  void place(uint64_t key, uint32_t value) {
    size_t i = slot(key);
    while (slots_[i].value != UINT32_MAX) i = (i + 1) & mask_;
    slots_[i] = Slot{key, value};
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t cap = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    shift_ = 64 - __builtin_ctzll(cap);
    for (auto& s : old)
      if (s.value != UINT32_MAX) place(s.key, s.value);
  }
  std::vector<Slot> slots_;
  size_t size_ = 0, mask_ = 0;
  int shift_ = 64;
};

// Gives each distinct raw value of one column a small number. Consecutive
// rows usually repeat values, so the previous answer is checked first.
class FieldInterner {
 public:
  uint32_t id(std::string_view raw) {
    if (last_ != UINT32_MAX && values_[last_] == raw) return last_;
    auto it = index_.find(raw);
    if (it == index_.end()) {
      it = index_.emplace(std::string(raw), static_cast<uint32_t>(values_.size())).first;
      values_.emplace_back(raw);
    }
    return last_ = it->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
  uint32_t last_ = UINT32_MAX;
};

// Builds a ParsedFile: interns series keys, validates counts, and collects
// problems. Unknown country names are gathered so that all of them are
// reported together, each with its nearest known names.
class ParsedFileBuilder {
 public:
  ParsedFileBuilder(std::string source, std::string path, std::string format);
  ParsedFileBuilder(const ParsedFileBuilder&) = delete;
  ParsedFileBuilder& operator=(const ParsedFileBuilder&) = delete;

  // Interns a series. `cache_key` is any string that identifies the raw field
  // values that produced `key` (lets adapters skip building keys for repeated rows).
  uint32_t series_for(std::string_view cache_key, const std::function<SeriesDef()>& make);
  // The same, keyed by a number the adapter packs from FieldInterner ids
  // (the fast path for files of millions of rows).
  template <typename Make>
  uint32_t series_for(uint64_t packed_key, Make&& make) {
    last_new_ = false;
    const uint32_t prev = last_packed_series_;
    // Statistics files repeat their keys in the same order period after
    // period, so the series that followed the previous one last time is
    // the likely answer: checking it first skips most hash probes.
    if (prev != UINT32_MAX) {
      if (packed_key == last_packed_) return prev;
      const uint32_t guess = follower_[prev];
      if (guess != UINT32_MAX && packed_of_[guess] == packed_key) {
        last_packed_ = packed_key;
        return last_packed_series_ = guess;
      }
    }
    uint32_t idx = packed_index_.find(packed_key);
    if (idx == UINT32_MAX) {
      last_new_ = true;
      idx = intern_series(make());
      packed_index_.insert(packed_key, idx);
      if (idx >= follower_.size()) {
        follower_.resize(idx + 1, UINT32_MAX);
        packed_of_.resize(idx + 1, packed_key);
      }
    }
    if (prev != UINT32_MAX) follower_[prev] = idx;
    last_packed_ = packed_key;
    return last_packed_series_ = idx;
  }
  // True if the last series_for() call created the series (its maker ran).
  bool last_series_was_new() const { return last_new_; }
  void add(uint32_t series, Period period, int64_t value, Status status, uint32_t line);
  void problem(uint32_t line, std::string column, std::string value, std::string expected);

  // Harmonises a country name or code to an alpha-3 or group code, caching
  // answers. An unknown name is recorded once per distinct value (with every
  // line it appears on counted) and "" is returned.
  std::string country(std::string_view raw, uint32_t line, std::string_view column);

  // Parses a non-negative integer count ("1,234", "1234", "1234.0" are
  // accepted; "", "..", "-" are missing). Returns false and records a
  // problem on a bad value, one that does not fit in 64 bits, or one above
  // the source's max_count. `missing` is set for an empty/missing value.
  bool count(std::string_view raw, uint32_t line, std::string_view column, int64_t& out,
             bool& missing);
  // The largest plausible count of this source (kDefaultMaxCount unless set).
  void set_max_count(int64_t max) { max_count_ = max; }

  void set_rows_read(uint32_t n) { file_.rows_read = n; }
  void set_source_name(std::string name) { file_.source_name = std::move(name); }
  ParsedFile& file() { return file_; }
  // Takes in everything `other` gathered from a later part of the same file
  // (parsed in parallel): its series are re-interned here, its rows follow.
  void absorb(ParsedFileBuilder&& other);
  // Finishes: adds one problem per unknown country name, then returns the file.
  ParsedFile finish();

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct UnknownName {
    uint32_t first_line = 0;
    std::string column;
    uint32_t occurrences = 0;
  };
  // The bound checks of count(), kept apart from its parsing.
  bool within_max_count(std::string_view raw, uint32_t line, std::string_view column, int64_t value);
  bool overflow_problem(std::string_view raw, uint32_t line, std::string_view column);
  ParsedFile file_;
  int64_t max_count_ = kDefaultMaxCount;
  std::vector<uint32_t> problem_lines_;  // the line of every problem, kept or not
  bool last_new_ = false;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> series_index_;
  uint32_t intern_series(SeriesDef def);
  std::unordered_map<std::string, uint32_t> key_index_;
  PackedKeyMap packed_index_;
  uint64_t last_packed_ = 0;
  uint32_t last_packed_series_ = UINT32_MAX;
  std::vector<uint32_t> follower_;  // per series: the series seen after it last time
  std::vector<uint64_t> packed_of_;  // per series: the packed key first seen for it
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> country_cache_;
  std::unordered_map<std::string, UnknownName, StringHash, std::equal_to<>> unknown_;
};

// SHA-256 of bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace atalaya
