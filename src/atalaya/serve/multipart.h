// Finding the one file in a multipart/form-data body (RFC 7578), as a browser
// form or `curl -F file=@data.csv` sends it, without copying it: where the
// file's bytes are within the body. Only what an upload needs: one part with
// a filename (other, plain fields are passed over), part heads of bounded
// size and number, every fault named.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace atalaya::serve {

struct MultipartFile {
  std::string field;         // the part's form field name
  std::string filename;      // as the client gave it, its directories dropped; may be empty
  std::string content_type;  // the part's, if given
  size_t offset = 0;         // the file's bytes: body.substr(offset, length)
  size_t length = 0;
};

inline constexpr size_t kMaxPartHead = 8192;  // a part's header fields; longer: refused
inline constexpr size_t kMaxParts = 32;

// The boundary of a multipart/form-data Content-Type; nullopt for any other
// type. Throws ApiError(400, "Content-Type") when the type is multipart
// without a usable boundary (1 to 70 characters, RFC 2046).
std::optional<std::string> multipart_boundary(std::string_view content_type);

// The one part of `body` that carries a file (its Content-Disposition has a
// filename). Throws ApiError(400, "body") saying what is wrong: no opening
// or closing boundary, a part head that does not end or is too long, a part
// that is not form-data, no file part, or more than one.
MultipartFile find_file_part(std::string_view body, std::string_view boundary);

}  // namespace atalaya::serve
