// Which part of a file a Range header asks for. The server sends at most one
// range: no multipart/byteranges answers, whose size a client could multiply
// with overlapping ranges (20 of them once made a 7.8 KB request a 346 MB
// answer). API answers ignore Range altogether (200 and the whole body).
#pragma once

#include <cstddef>
#include <string_view>

namespace atalaya::serve {

struct RangeChoice {
  enum class Kind { Whole, Partial, Unsatisfiable } kind = Kind::Whole;
  size_t first = 0, last = 0;  // Partial: bytes first..last, inclusive
};

// For a body of `size` bytes: the first satisfiable range of a "bytes=..."
// header (Partial, 206), Unsatisfiable (416) when none is, Whole (200) when
// the header is absent, not in bytes, or malformed (RFC 9110 14.2: ignore).
RangeChoice choose_range(std::string_view header, size_t size);

}  // namespace atalaya::serve
