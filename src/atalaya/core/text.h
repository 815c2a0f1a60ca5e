// Small text helpers shared across layers.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

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

}  // namespace atalaya
