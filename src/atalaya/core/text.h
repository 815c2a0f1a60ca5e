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

}  // namespace atalaya
