// Small text helpers shared across layers.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

// ASCII lower case; other bytes (UTF-8 included) pass through unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Characters on screen, not bytes: UTF-8 code points ("Darién" is 6 wide),
// for aligning columns of text tables and sizing spreadsheet columns.
inline size_t display_width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A value as echoed in a message: at most `max_chars` UTF-8 code points, the
// last of them "…" when the value was longer (a whole cell of a broken file
// may be megabytes). Never cuts a code point; idempotent.
inline constexpr size_t kEchoedValueChars = 80;
inline std::string echoed_value(std::string_view s, size_t max_chars = kEchoedValueChars) {
  if (max_chars == 0) return {};
  size_t chars = 0, cut = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars - 1) cut = i;  // where the ellipsis would go
    if (++chars > max_chars) return std::string(s.substr(0, cut)) + "\u2026";
  }
  return std::string(s);
}

// A count as people read it, in every table and note: 17279 -> "17,279",
// -1234567 -> "-1,234,567".
inline std::string thousands(int64_t n) {
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Levenshtein distance between a and b (single-byte edits); `row` is
// scratch space reused across calls. Cost is |a| x |b|: callers bound the
// lengths they compare (suggestions for a 1 MB cell must stay fast).
inline size_t edit_distance(std::string_view a, std::string_view b, std::vector<size_t>& row) {
  row.resize(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace atalaya
