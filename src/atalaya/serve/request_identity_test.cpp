#include "atalaya/serve/request_identity.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

httplib::Request from(const std::string& peer, httplib::Headers headers = {}) {
  httplib::Request r;
  r.remote_addr = peer;
  r.headers = std::move(headers);
  return r;
}

TEST(RequestIdentity, ForwardedAddressesAreBelievedOnlyFromATrustedProxy) {
  const std::vector<std::string> proxy = {"127.0.0.1"};
  // nginx appends the client it saw; what the client sent before it is its own claim.
  auto forwarded = from("127.0.0.1", {{"X-Forwarded-For", "10.9.9.9, 203.0.113.7"}});
  EXPECT_EQ(client_origin(forwarded, proxy), "203.0.113.7");
  EXPECT_EQ(client_origin(forwarded, {}), "127.0.0.1");  // no trusted proxy: the peer
  auto direct = from("198.51.100.4", {{"X-Forwarded-For", "203.0.113.7"}, {"X-Real-IP", "203.0.113.8"}});
  EXPECT_EQ(client_origin(direct, proxy), "198.51.100.4");  // anyone may send the header
  EXPECT_EQ(client_origin(from("127.0.0.1", {{"X-Real-IP", " 203.0.113.8 "}}), proxy), "203.0.113.8");
  EXPECT_EQ(client_origin(from("127.0.0.1"), proxy), "127.0.0.1");
}

TEST(RequestIdentity, TlsIsKnownFromATrustedProxysForwardedProto) {
  const std::vector<std::string> proxy = {"127.0.0.1"};
  EXPECT_TRUE(came_through_tls(from("127.0.0.1", {{"X-Forwarded-Proto", "https"}}), proxy));
  EXPECT_FALSE(came_through_tls(from("127.0.0.1", {{"X-Forwarded-Proto", "http"}}), proxy));
  EXPECT_FALSE(came_through_tls(from("198.51.100.4", {{"X-Forwarded-Proto", "https"}}), proxy));
}

TEST(RequestIdentity, CredentialsAreReadFromTheirHeaders) {
  EXPECT_EQ(bearer_token(from("::1", {{"Authorization", "Bearer atl_abc"}})), "atl_abc");
  EXPECT_EQ(bearer_token(from("::1", {{"Authorization", "bearer  atl_abc "}})), "atl_abc");
  EXPECT_EQ(bearer_token(from("::1", {{"Authorization", "Basic YWxhZGRpbjpvcGVu"}})), "");
  EXPECT_EQ(bearer_token(from("::1")), "");
  auto cookies = from("::1", {{"Cookie", "theme=dark; atalaya_session=s3cr3t; x_atalaya_session=no"}});
  EXPECT_EQ(cookie_value(cookies, kSessionCookie), "s3cr3t");
  EXPECT_EQ(cookie_value(from("::1", {{"Cookie", "x_atalaya_session=no"}}), kSessionCookie), "");
}

TEST(RequestIdentity, TheSessionCookieIsHttpOnlyStrictAndSecureUnderTls) {
  EXPECT_EQ(session_cookie("abc", 3600, true), "atalaya_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600; Secure");
  EXPECT_EQ(session_cookie("abc", 3600, false), "atalaya_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600");
  EXPECT_EQ(session_cookie("", 3600, false), "atalaya_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

}  // namespace
}  // namespace atalaya::serve
