#include "atalaya/serve/http_parse.h"

#include <algorithm>
#include <charconv>

namespace atalaya::serve {
namespace {

bool is_token_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

// Does a comma-separated header value list `token` (case-insensitively)?
bool lists(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

ParsedHead bad(int status, std::string message) {
  ParsedHead h;
  h.state = ParsedHead::State::Bad;
  h.status = status;
  h.message = std::move(message);
  return h;
}

}  // namespace

ParsedHead parse_request_head(std::string_view buffer, const HeadLimits& limits, httplib::Request& req) {
  // Tolerate blank lines before a request (RFC 9112 2.2).
  size_t start = 0;
  while (start + 1 < buffer.size() && buffer[start] == '\r' && buffer[start + 1] == '\n') start += 2;
  const size_t line_end = buffer.find("\r\n", start);
  if (line_end == std::string_view::npos) {
    if (buffer.size() - start > limits.max_request_line) return bad(414, "request line longer than " + std::to_string(limits.max_request_line) + " bytes");
    return {};
  }
  if (line_end - start > limits.max_request_line)
    return bad(414, "request line longer than " + std::to_string(limits.max_request_line) + " bytes");
  const size_t end = buffer.find("\r\n\r\n", line_end);
  if (end == std::string_view::npos) {
    if (buffer.size() > limits.max_head) return bad(431, "request head larger than " + std::to_string(limits.max_head) + " bytes");
    return {};
  }
  if (end + 4 > limits.max_head) return bad(431, "request head larger than " + std::to_string(limits.max_head) + " bytes");

  // METHOD SP request-target SP HTTP-version
  const std::string_view line = buffer.substr(start, line_end - start);
  const size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return bad(400, "malformed request line");
  const std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                         version = line.substr(sp2 + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), [](unsigned char c) { return is_token_char(c); }))
    return bad(400, "malformed method");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    if (version.rfind("HTTP/", 0) == 0) return bad(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
    return bad(400, "malformed request line");
  }
  if (target.empty() || target.front() != '/' || target.find(' ') != std::string_view::npos)
    return bad(400, "the request target must be a path (origin form)");

  req.method = std::string(method);
  req.version = std::string(version);
  req.target = std::string(target);
  const size_t q = target.find('?');
  req.path = httplib::detail::decode_url(std::string(target.substr(0, q)), false);
  if (q != std::string_view::npos) httplib::detail::parse_query_text(std::string(target.substr(q + 1)), req.params);

  ParsedHead h;
  h.keep_alive = version == "HTTP/1.1";
  size_t pos = line_end + 2, fields = 0;
  bool has_length = false;
  while (pos < end + 2) {
    const size_t eol = buffer.find("\r\n", pos);
    const std::string_view field = buffer.substr(pos, eol - pos);
    pos = eol + 2;
    if (++fields > limits.max_fields) return bad(431, "more than " + std::to_string(limits.max_fields) + " header fields");
    const size_t colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos) return bad(400, "malformed header field");
    const std::string_view name = field.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), [](unsigned char c) { return is_token_char(c); }))
      return bad(400, "malformed header field name");
    const std::string_view value = trim(field.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || (has_length && n != h.content_length))
        return bad(400, "malformed Content-Length");
      h.content_length = n;
      has_length = true;
    } else if (iequals(name, "Transfer-Encoding")) {
      return bad(501, "request bodies must come with a Content-Length (Transfer-Encoding is not accepted)");
    } else if (iequals(name, "Connection")) {
      if (lists(value, "close")) h.keep_alive = false;
      else if (lists(value, "keep-alive")) h.keep_alive = true;
    } else if (iequals(name, "Expect")) {
      h.expect_continue = iequals(value, "100-continue");
    }
    req.headers.emplace(std::string(name), std::string(value));
  }
  h.state = ParsedHead::State::Complete;
  h.head_bytes = end + 4;
  return h;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "";
  }
}

std::string response_head(const httplib::Response& res, size_t content_length, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
  for (auto& [name, value] : res.headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Connection")) continue;
    out += name + ": " + value + "\r\n";
  }
  if (res.status != 304 && res.status >= 200) out += "Content-Length: " + std::to_string(content_length) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

}  // namespace atalaya::serve
