// The multipart/form-data reader an upload goes through: the one file part
// found where its bytes are, whatever else the form holds; every malformed or
// hostile body refused with a 400 naming what is wrong.
#include "atalaya/serve/multipart.h"

#include <gtest/gtest.h>

#include "atalaya/serve/api_error.h"

namespace atalaya::serve {
namespace {

const std::string kCsv = "t,q,nat,n\r\n2021-08,M,Haití,17279\r\n";

std::string part(const std::string& head, const std::string& content, const std::string& boundary = "XyZ") {
  return "--" + boundary + "\r\n" + head + "\r\n\r\n" + content + "\r\n";
}
std::string closing(const std::string& boundary = "XyZ") { return "--" + boundary + "--\r\n"; }

std::string file_of(const std::string& body, const MultipartFile& f) { return body.substr(f.offset, f.length); }

// The refusal's message, or "" when not refused.
std::string refusal(const std::string& body, const std::string& boundary = "XyZ") {
  try {
    find_file_part(body, boundary);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.parameter(), "body");
    return e.what();
  }
  return "";
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; boundary=------------------------abc123"),
            "------------------------abc123");
  EXPECT_EQ(multipart_boundary("text/csv"), std::nullopt);
  EXPECT_EQ(multipart_boundary(""), std::nullopt);
  EXPECT_EQ(multipart_boundary("application/octet-stream"), std::nullopt);
  for (const char* bad : {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                          "multipart/form-data; boundary=\"unterminated"}) {
    try {
      multipart_boundary(bad);
      ADD_FAILURE() << bad << ": not refused";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.parameter(), "Content-Type") << bad;
    }
  }
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')), ApiError);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=a\x01z"), ApiError);
}

TEST(Multipart, FindsTheOneFilePartAsCurlSendsIt) {
  const std::string body =
      part("Content-Disposition: form-data; name=\"file\"; filename=\"darien.csv\"\r\nContent-Type: text/csv", kCsv) +
      closing();
  MultipartFile f = find_file_part(body, "XyZ");
  EXPECT_EQ(f.field, "file");
  EXPECT_EQ(f.filename, "darien.csv");
  EXPECT_EQ(f.content_type, "text/csv");
  EXPECT_EQ(file_of(body, f), kCsv);
}

TEST(Multipart, PassesOverPlainFieldsPreambleAndEpilogue) {
  const std::string body = "a preamble no one reads\r\n" +
                           part("Content-Disposition: form-data; name=\"note\"", "corrected August") +
                           part("content-disposition: form-data; filename=\"x.csv\"; name=\"upload\"", kCsv) +
                           part("Content-Disposition: form-data; name=\"dry_run\"", "1") + closing() + "epilogue";
  MultipartFile f = find_file_part(body, "XyZ");
  EXPECT_EQ(f.field, "upload");
  EXPECT_EQ(f.filename, "x.csv");
  EXPECT_EQ(file_of(body, f), kCsv);
}

TEST(Multipart, AFileMayHoldWhatLooksLikeABoundaryButIsNot) {
  // "--XyZ" not preceded by CRLF, and CRLF "--XyZa" of a longer boundary
  // line, are content; only CRLF "--XyZ" ends the part.
  const std::string content = "a,b\r\n--XyZ is text\r\nx--XyZ\r\n";
  const std::string body =
      part("Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"", content, "QQ") + closing("QQ");
  EXPECT_EQ(file_of(body, find_file_part(body, "QQ")), content);
  // An empty file is found (and left to the ingest to refuse).
  const std::string empty = part("Content-Disposition: form-data; name=\"file\"; filename=\"e.csv\"", "") + closing();
  EXPECT_EQ(find_file_part(empty, "XyZ").length, 0u);
}

TEST(Multipart, FileNamesLoseTheirDirectoriesAndControlCharacters) {
  auto name_of = [](const std::string& disposition) {
    const std::string body = part("Content-Disposition: form-data; name=\"file\"; " + disposition, kCsv) + closing();
    return find_file_part(body, "XyZ").filename;
  };
  EXPECT_EQ(name_of("filename=\"../../etc/passwd\""), "passwd");
  EXPECT_EQ(name_of("filename=\"C:\\\\Users\\\\ana\\\\darien.csv\""), "darien.csv");
  EXPECT_EQ(name_of("filename=\"C:\\data\\darien.csv\""), "darien.csv");  // unescaped, as old browsers send it
  EXPECT_EQ(name_of("filename=\"a\x01\x1b[31mb.csv\""), "a[31mb.csv");
  EXPECT_EQ(name_of("filename=\"..\""), "");
  EXPECT_EQ(name_of("filename=plain.csv"), "plain.csv");
  EXPECT_EQ(name_of("filename*=UTF-8''dari%C3%A9n.csv"), "dari%C3%A9n.csv");
  EXPECT_EQ(name_of("filename=\"" + std::string(1000, 'n') + "\"").size(), 255u);
}

TEST(Multipart, RefusesBodiesWithoutOneFilePart) {
  EXPECT_NE(refusal(part("Content-Disposition: form-data; name=\"note\"", "hello") + closing()).find("no part carries a file"),
            std::string::npos);
  const std::string two = part("Content-Disposition: form-data; name=\"a\"; filename=\"a.csv\"", kCsv) +
                          part("Content-Disposition: form-data; name=\"b\"; filename=\"b.csv\"", kCsv) + closing();
  EXPECT_NE(refusal(two).find("two file parts ('a' and 'b')"), std::string::npos) << refusal(two);
  EXPECT_NE(refusal("just,a,csv\r\n1,2,3\r\n").find("never appears"), std::string::npos);
  EXPECT_NE(refusal("").find("never appears"), std::string::npos);
}

TEST(Multipart, RefusesCutOffAndMalformedBodies) {
  const std::string head = "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"";
  // Cut off: no closing boundary after the file.
  EXPECT_NE(refusal("--XyZ\r\n" + head + "\r\n\r\n" + kCsv).find("no closing boundary"), std::string::npos);
  // A part head that never ends.
  EXPECT_NE(refusal("--XyZ\r\n" + head + "\r\n" + kCsv).find("do not end"), std::string::npos);
  // Not form-data, or a header line without a name.
  EXPECT_NE(refusal(part("Content-Disposition: attachment; filename=\"a.csv\"", kCsv) + closing()).find("not Content-Disposition: form-data"),
            std::string::npos);
  EXPECT_NE(refusal(part(head + "\r\nno colon here", kCsv) + closing()).find("without a field name"), std::string::npos);
  EXPECT_NE(refusal(part(head + "\r\n: value", kCsv) + closing()).find("without a field name"), std::string::npos);
  // A boundary line followed by anything but CRLF or "--".
  EXPECT_NE(refusal("--XyZjunk\r\n" + head + "\r\n\r\n" + kCsv + "\r\n--XyZ--").find("CRLF"), std::string::npos);
}

TEST(Multipart, RefusesHostileHeadsAndPartCounts) {
  // A part head longer than the bound, even when it ends eventually.
  const std::string huge = "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nX-Pad: " +
                           std::string(kMaxPartHead, 'p');
  EXPECT_NE(refusal(part(huge, kCsv) + closing()).find("do not end within"), std::string::npos);
  // Thousands of empty parts.
  std::string many;
  for (size_t i = 0; i < kMaxParts + 1; ++i) many += part("Content-Disposition: form-data; name=\"f\"", "");
  EXPECT_NE(refusal(many + closing()).find("more than"), std::string::npos);
  // An unterminated quoted parameter does not read past its header line.
  const std::string unterminated =
      part("Content-Disposition: form-data; name=\"file\"; filename=\"a.csv", kCsv) + closing();
  EXPECT_NE(refusal(unterminated).find("no part carries a file"), std::string::npos) << refusal(unterminated);
}

}  // namespace
}  // namespace atalaya::serve
