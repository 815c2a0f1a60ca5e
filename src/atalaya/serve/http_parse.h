// Reading an HTTP/1.1 request head (request line and header fields) out of
// the bytes a connection has received so far, for the server's own front
// (http_front.h). Only what the API and the dashboard need: origin-form
// targets, Content-Length bodies (no chunked request bodies), keep-alive.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace atalaya::serve {

struct HeadLimits {
  size_t max_request_line = 8192;  // longer: 414
  size_t max_head = 16384;         // request line and header fields; longer: 431
  size_t max_fields = 100;         // more header fields: 431
};

struct ParsedHead {
  enum class State { Incomplete, Complete, Bad } state = State::Incomplete;
  size_t head_bytes = 0;   // Complete: where the body starts in the buffer
  int status = 0;          // Bad: the status to answer (400, 414, 431, 501, 505)
  std::string message;     // Bad: why
  size_t content_length = 0;
  bool keep_alive = true;  // what the client asked for (HTTP/1.1 default, HTTP/1.0 opt-in)
  bool expect_continue = false;
};

// Parses the head at the start of `buffer` into req (method, target, path
// decoded, params, version, headers). Incomplete until the blank line
// arrives; Bad when a limit is passed or the syntax is wrong.
ParsedHead parse_request_head(std::string_view buffer, const HeadLimits& limits, httplib::Request& req);

// "Not Found" for 404, and so on ("" for an unknown status).
const char* reason_phrase(int status);

// The status line and header fields of an answer, ending with the blank
// line. Content-Length is `content_length`; Connection: close when !keep_alive.
std::string response_head(const httplib::Response& res, size_t content_length, bool keep_alive);

}  // namespace atalaya::serve
