#include "atalaya/serve/write_guard.h"

#include <gtest/gtest.h>

#include "atalaya/serve/api_error.h"

namespace atalaya::serve {
namespace {

httplib::Request post(const std::string& host, const std::string& origin, const std::string& type) {
  httplib::Request r;
  r.method = "POST";
  if (!host.empty()) r.set_header("Host", host);
  if (!origin.empty()) r.set_header("Origin", origin);
  if (!type.empty()) r.set_header("Content-Type", type);
  return r;
}

int refusal(const httplib::Request& r, const WritePolicy& p, bool upload = false) {
  try {
    check_write(r, p, upload);
    return 0;
  } catch (const ApiError& e) {
    return e.status();
  }
}

TEST(WriteGuard, SameOriginJsonFromAKnownHostPasses) {
  const WritePolicy p = write_policy("127.0.0.1", {}, {});
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "application/json"), p), 0);
  EXPECT_EQ(refusal(post("localhost:8080", "http://localhost:8080", "application/json; charset=utf-8"), p), 0);
  EXPECT_EQ(refusal(post("[::1]:8080", "", "Application/JSON"), p), 0);
}

TEST(WriteGuard, OtherSitesAndOtherBodiesAreRefused) {
  const WritePolicy p = write_policy("127.0.0.1", {}, {});
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "text/plain"), p), 415);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", ""), p), 415);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "http://evil.example", "application/json"), p), 403);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "null", "application/json"), p), 403);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "http://127.0.0.1:9999", "application/json"), p), 403);
  EXPECT_EQ(refusal(post("rebound.example:8080", "", "application/json"), p), 403);  // DNS rebinding
  EXPECT_EQ(refusal(post("", "", "application/json"), p), 403);
}

TEST(WriteGuard, UploadsTakeAFileNotJsonAndStillOnlyFromThisSite) {
  const WritePolicy p = write_policy("127.0.0.1", {}, {});
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "text/csv"), p, true), 0);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "application/octet-stream"), p, true), 0);
  EXPECT_EQ(refusal(post("localhost:8080", "http://localhost:8080", "multipart/form-data; boundary=x"), p, true), 0);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "application/json"), p, true), 415);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "application/x-www-form-urlencoded"), p, true), 415);
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", ""), p, true), 415);
  // A form on another site posting a file: refused by its Origin.
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "http://evil.example", "multipart/form-data; boundary=x"), p, true), 403);
  EXPECT_EQ(refusal(post("evil.example", "", "text/csv"), p, true), 403);
  // And a JSON change still takes JSON only.
  EXPECT_EQ(refusal(post("127.0.0.1:8080", "", "text/csv"), p), 415);
}

TEST(WriteGuard, PublicNamesAndOriginsAreAccepted) {
  const WritePolicy p = write_policy("0.0.0.0", {"atalaya.example.org"}, {"https://dash.example.org/"});
  EXPECT_EQ(refusal(post("atalaya.example.org", "https://atalaya.example.org", "application/json"), p), 0);
  EXPECT_EQ(refusal(post("atalaya.example.org", "https://dash.example.org", "application/json"), p), 0);
  EXPECT_EQ(refusal(post("0.0.0.0:8080", "", "application/json"), p), 403);
  EXPECT_EQ(host_name_of("Example.ORG:443"), "example.org");
  EXPECT_EQ(host_name_of("[::1]:80"), "::1");
}

}  // namespace
}  // namespace atalaya::serve
