// gzip bodies inflate back to what was compressed, and Accept-Encoding is
// read as RFC 9110 says (q=0 refuses).
#include "atalaya/serve/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace atalaya::serve {
namespace {

std::string gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(Gzip, InflatesBackToTheBody) {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "{\"period\":\"2021-08\",\"value\":17279},";
  const std::string z = gzip(body);
  EXPECT_LT(z.size(), body.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  EXPECT_EQ(gunzip(z), body);
  EXPECT_EQ(gunzip(gzip("")), "");
}

TEST(Gzip, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("xgzip"));
}

}  // namespace
}  // namespace atalaya::serve
