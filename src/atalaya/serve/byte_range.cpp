#include "atalaya/serve/byte_range.h"

#include <charconv>
#include <optional>

namespace atalaya::serve {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<size_t> number(std::string_view s) {
  size_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return n;
}

}  // namespace

RangeChoice choose_range(std::string_view header, size_t size) {
  RangeChoice whole;
  header = trim(header);
  if (header.rfind("bytes=", 0) != 0) return whole;
  header.remove_prefix(6);
  bool any = false;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view spec = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (spec.empty()) continue;
    const size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    any = true;
    RangeChoice r;
    r.kind = RangeChoice::Kind::Partial;
    if (a.empty()) {  // the last b bytes
      auto n = number(b);
      if (!n) return whole;
      if (*n == 0 || size == 0) continue;
      r.first = *n >= size ? 0 : size - *n;
      r.last = size - 1;
      return r;
    }
    auto first = number(a);
    auto last = b.empty() ? std::optional<size_t>(size ? size - 1 : 0) : number(b);
    if (!first || !last || *last < *first) return whole;
    if (*first >= size) continue;  // unsatisfiable; try the next
    r.first = *first;
    r.last = std::min(*last, size - 1);
    return r;
  }
  RangeChoice none;
  none.kind = any ? RangeChoice::Kind::Unsatisfiable : RangeChoice::Kind::Whole;
  return none;
}

}  // namespace atalaya::serve
