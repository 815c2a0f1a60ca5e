#include "atalaya/serve/http_parse.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

ParsedHead parse(const std::string& text, httplib::Request& req, HeadLimits limits = {}) {
  return parse_request_head(text, limits, req);
}

TEST(HttpParse, ReadsTheRequestLineHeadersAndQuery) {
  httplib::Request req;
  const std::string text =
      "GET /api/v1/series?source=pa-snm-darien&citizenship=HTI&lang=es%20x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
      "accept-encoding:  gzip \r\nContent-Length: 3\r\n\r\nabcNEXT";
  const ParsedHead h = parse(text, req);
  ASSERT_EQ(h.state, ParsedHead::State::Complete);
  EXPECT_EQ(text.substr(h.head_bytes), "abcNEXT");
  EXPECT_EQ(h.content_length, 3u);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/api/v1/series");
  EXPECT_EQ(req.get_param_value("citizenship"), "HTI");
  EXPECT_EQ(req.get_param_value("lang"), "es x");
  EXPECT_EQ(req.get_header_value("Accept-Encoding"), "gzip");
  EXPECT_EQ(req.get_header_value("host"), "127.0.0.1:8080");
}

TEST(HttpParse, WaitsForTheBlankLine) {
  httplib::Request req;
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n", req).state, ParsedHead::State::Incomplete);
  EXPECT_EQ(parse("GET / HT", req).state, ParsedHead::State::Incomplete);
}

TEST(HttpParse, ConnectionCloseAndHttp10) {
  httplib::Request a, b, c;
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", a).keep_alive);
  EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n", b).keep_alive);
  EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", c).keep_alive);
}

TEST(HttpParse, RefusesWhatItCannotServe) {
  auto status = [](const std::string& text, HeadLimits limits = {}) {
    httplib::Request req;
    const ParsedHead h = parse_request_head(text, limits, req);
    return h.state == ParsedHead::State::Bad ? h.status : 0;
  };
  EXPECT_EQ(status("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n"), 414);
  EXPECT_EQ(status("GET /" + std::string(9000, 'a')), 414);  // too long before its end arrives
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n"), 431);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX: " + std::string(20000, 'a')), 431);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"), 400);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  EXPECT_EQ(status("GET http://evil/ HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(status("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nno colon\r\n\r\n"), 400);
  EXPECT_EQ(status("G(T / HTTP/1.1\r\n\r\n"), 400);
}

TEST(HttpParse, AnswerHeadCarriesLengthAndClose) {
  httplib::Response res;
  res.status = 503;
  res.set_header("Retry-After", "2");
  res.set_header("Content-Length", "999");  // ours wins
  const std::string head = response_head(res, 42, false);
  EXPECT_EQ(head.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u);
  EXPECT_NE(head.find("Retry-After: 2\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 42\r\n"), std::string::npos);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
}

}  // namespace
}  // namespace atalaya::serve
