#include "atalaya/serve/multipart.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "atalaya/core/text.h"
#include "atalaya/serve/api_error.h"

namespace atalaya::serve {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parameters after the first ';' of a header value (name=value or
// name="quoted \"value\""), names lower-cased; a malformed one ends the list.
std::vector<std::pair<std::string, std::string>> parameters(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t at = value.find(';');
  while (at != std::string_view::npos && at < value.size()) {
    ++at;
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    const size_t eq = value.find('=', at);
    if (eq == std::string_view::npos) break;
    std::string name = lower(trim(value.substr(at, eq - at)));
    std::string text;
    at = eq + 1;
    if (at < value.size() && value[at] == '"') {
      ++at;
      while (at < value.size() && value[at] != '"') {
        // A backslash escapes only a quote or a backslash: old browsers send
        // a Windows path's backslashes unescaped (C:\data\file.csv).
        if (value[at] == '\\' && at + 1 < value.size() && (value[at + 1] == '"' || value[at + 1] == '\\')) ++at;
        text += value[at++];
      }
      if (at >= value.size()) break;  // no closing quote
      at = value.find(';', at + 1);
    } else {
      const size_t end = value.find(';', at);
      text = std::string(trim(value.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at)));
      at = end;
    }
    out.emplace_back(std::move(name), std::move(text));
  }
  return out;
}

// A file name as the server may repeat it: its directories (either slash)
// dropped, control characters left out, at most 255 bytes.
std::string plain_filename(std::string_view given) {
  const size_t slash = given.find_last_of("/\\");
  if (slash != std::string_view::npos) given.remove_prefix(slash + 1);
  std::string out;
  for (char c : given)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  if (out.size() > 255) out.resize(255);
  if (out == "." || out == "..") out.clear();
  return out;
}

[[noreturn]] void refuse(const std::string& why) {
  throw ApiError(400, "body",
                 "body: not a multipart/form-data upload this server can read: " + why +
                     " (expected one file part, as curl -F file=@data.csv sends)");
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const size_t semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  for (auto& [name, value] : parameters(content_type)) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > 70)
      throw ApiError(400, "Content-Type", "Content-Type: the multipart boundary must be 1 to 70 characters (got " +
                                              std::to_string(value.size()) + ")");
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
        throw ApiError(400, "Content-Type", "Content-Type: the multipart boundary holds a control or non-ASCII byte");
    return value;
  }
  throw ApiError(400, "Content-Type", "Content-Type: multipart/form-data without a boundary parameter");
}

MultipartFile find_file_part(std::string_view body, std::string_view boundary) {
  const std::string dash = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash;
  // The first boundary: at the start, or after a preamble ending in CRLF.
  size_t at;
  if (body.substr(0, dash.size()) == dash) at = dash.size();
  else {
    const size_t found = body.find(delimiter);
    if (found == std::string_view::npos) refuse("the boundary given in Content-Type never appears");
    at = found + delimiter.size();
  }
  std::optional<MultipartFile> file;
  size_t parts = 0;
  for (;;) {
    // After a boundary: "--" closes the body, CRLF starts a part (transport
    // padding of spaces and tabs allowed before it).
    if (body.substr(at, 2) == "--") break;
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != "\r\n") refuse("a boundary line does not end with CRLF");
    at += 2;
    if (++parts > kMaxParts) refuse("more than " + std::to_string(kMaxParts) + " parts");
    const size_t head_end = body.find("\r\n\r\n", at);
    const bool empty_head = body.substr(at, 2) == "\r\n";
    if (!empty_head && (head_end == std::string_view::npos || head_end - at > kMaxPartHead))
      refuse("part " + std::to_string(parts) + "'s header fields do not end within " + std::to_string(kMaxPartHead) +
             " bytes");
    const std::string_view head = empty_head ? std::string_view() : body.substr(at, head_end - at);
    const size_t content = empty_head ? at + 2 : head_end + 4;
    const size_t next = body.find(delimiter, content);
    if (next == std::string_view::npos) refuse("no closing boundary after part " + std::to_string(parts) + " (a cut-off upload?)");
    // The part's header fields: Content-Disposition and Content-Type matter.
    std::string disposition, type;
    size_t line = 0;
    while (line <= head.size()) {
      size_t eol = head.find("\r\n", line);
      if (eol == std::string_view::npos) eol = head.size();
      const std::string_view field = head.substr(line, eol - line);
      const size_t colon = field.find(':');
      if (colon == std::string_view::npos || colon == 0)
        refuse("part " + std::to_string(parts) + " has a header line without a field name: '" +
               echoed_value(std::string(field)) + "'");
      const std::string name = lower(trim(field.substr(0, colon)));
      if (name == "content-disposition") disposition = std::string(trim(field.substr(colon + 1)));
      else if (name == "content-type") type = std::string(trim(field.substr(colon + 1)));
      line = eol + 2;
    }
    if (lower(trim(std::string_view(disposition).substr(0, disposition.find(';')))) != "form-data")
      refuse("part " + std::to_string(parts) + " is not Content-Disposition: form-data");
    std::string field_name;
    std::optional<std::string> filename;
    for (auto& [name, value] : parameters(disposition)) {
      if (name == "name") field_name = value;
      else if (name == "filename" || (name == "filename*" && !filename)) filename = value;
    }
    if (filename) {
      if (file)
        refuse("two file parts ('" + echoed_value(file->field) + "' and '" + echoed_value(field_name) +
               "'); send one file per upload");
      std::string plain = plain_filename(*filename);
      const size_t quote = plain.rfind('\'');  // filename*=UTF-8''name.csv
      if (quote != std::string::npos && disposition.find("filename*") != std::string::npos) plain = plain.substr(quote + 1);
      file = MultipartFile{field_name, plain, type, content, next - content};
    }
    at = next + delimiter.size();
  }
  if (!file) refuse("no part carries a file (a part with Content-Disposition: form-data; name=\"file\"; filename=\"...\")");
  return *file;
}

}  // namespace atalaya::serve
