// Uploading a source's file through the API (POST
// /api/v1/sources/{id}/vintages), on a loopback server over the real Darién
// crossings: raw and multipart, the dry run naming the one revised value, the
// write the series then shows, and every refusal (problems with line and
// column, an unreadable file, an unknown source, a file too large, no
// editor's token) storing nothing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atalaya/serve/serve_testing.h"
#include "atalaya/store/audit/audit_log.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

const char* kUpload = "/api/v1/sources/pa-snm-darien/vintages";

std::string darien_file() {
  std::ifstream in(atalaya::testing::real_data_dir() + "/corridor/pa-darien-transit-by-nationality.csv",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The real file with one line's text replaced.
std::string with_line(const std::string& file, const std::string& from, const std::string& to) {
  const size_t at = file.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the file: " + from);
  return file.substr(0, at) + to + file.substr(at + from.size());
}

// The line number (1-based) of `text` in `file`.
int line_of(const std::string& file, const std::string& text) {
  const size_t at = file.find(text);
  return 1 + static_cast<int>(std::count(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

const std::string kHaitiAugust = "\"2021-08\",\"2021-Q3\",\"HTI\",17279";

int64_t haitians_in_august(httplib::Client& c) {
  auto r = c.Get("/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-08&to=2021-08");
  if (!r || r->status != 200) throw std::runtime_error("series query failed");
  return json::parse(r->body)["rows"].at(0)["value"].get<int64_t>();
}

int vintages_of_darien(httplib::Client& c) {
  auto r = c.Get("/api/v1/sources");
  const json all = json::parse(r->body);
  for (auto& s : all["sources"])
    if (s["source"] == "pa-snm-darien") return s["vintages"].get<int>();
  return 0;
}

// The audit trail's newest line about uploads: "action outcome actor".
std::string last_audit_line(const std::string& db) {
  audit::AuditFilter f;
  f.action = "vintage.";
  f.limit = 1;
  const auto lines = audit::open_audit_log(db)->lines(f);
  if (lines.empty()) return "";
  const AuditEntry& e = lines[0].entry;
  return e.action + " " + e.outcome + " " + e.actor.name + " " + e.object;
}

class Uploads : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!atalaya::testing::real_file_exists("corridor/pa-darien-transit-by-nationality.csv"))
      GTEST_SKIP() << "the real Darién data is not here (set ATALAYA_DATA)";
  }
};

TEST_F(Uploads, DryRunNamesTheOneRevisedValueAndStoresNothing) {
  atalaya::testing::ServedStore served("upload-dry-run");
  auto c = served.client();
  const std::string corrected = with_line(darien_file(), kHaitiAugust, "\"2021-08\",\"2021-Q3\",\"HTI\",17300");
  auto r = c.Post(std::string(kUpload) + "?dry_run=1&filename=darien-corrected.csv", corrected, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["dry_run"], true);
  EXPECT_EQ(j["outcome"], "new_vintage");
  EXPECT_EQ(j["file"], "darien-corrected.csv");
  EXPECT_EQ(j["vintage"], 2);
  EXPECT_EQ(j["rows_revised"], 1);
  EXPECT_EQ(j["rows_new"], 0);
  EXPECT_EQ(j["rows_withdrawn"], 0);
  EXPECT_EQ(j["series_added"], 0);
  ASSERT_EQ(j["largest_revisions"].size(), 1u) << j.dump();
  const json& v = j["largest_revisions"][0];
  EXPECT_EQ(v["series"]["citizenship"], "HTI");
  EXPECT_EQ(v["series"]["reporter"], "PAN");
  EXPECT_EQ(v["period"], "2021-08");
  EXPECT_EQ(v["old_value"], 17279);
  EXPECT_EQ(v["new_value"], 17300);
  EXPECT_EQ(v["change"], 21);
  EXPECT_EQ(v["revises_vintage"], 1);
  EXPECT_EQ(haitians_in_august(c), 17279);
  EXPECT_EQ(vintages_of_darien(c), 1);
  EXPECT_EQ(last_audit_line(served.db_path()), "vintage.preview ok anonymous source:pa-snm-darien");
}

TEST_F(Uploads, MultipartUploadIsStoredAndTheSeriesShowsIt) {
  atalaya::testing::ServedStore served("upload-multipart");
  auto c = served.client();
  const std::string corrected = with_line(darien_file(), kHaitiAugust, "\"2021-08\",\"2021-Q3\",\"HTI\",17300");
  httplib::MultipartFormDataItems form{{"note", "corrected August", "", ""},
                                       {"file", corrected, "C:\\data\\darien-corrected.csv", "text/csv"}};
  auto r = c.Post(kUpload, form);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["dry_run"], false);
  EXPECT_EQ(j["outcome"], "new_vintage");
  EXPECT_EQ(j["file"], "darien-corrected.csv");
  EXPECT_EQ(j["vintage"], 2);
  EXPECT_EQ(j["rows_revised"], 1);
  EXPECT_EQ(haitians_in_august(c), 17300);
  EXPECT_EQ(vintages_of_darien(c), 2);
  // The same file again changes nothing.
  r = c.Post(std::string(kUpload) + "?filename=again.csv", corrected, "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["outcome"], "same_file");
  EXPECT_EQ(vintages_of_darien(c), 2);
}

TEST_F(Uploads, ProblemsAnswer422WithLineAndColumnAndNothingIsStored) {
  atalaya::testing::ServedStore served("upload-problems");
  auto c = served.client();
  const std::string real = darien_file();
  const std::string broken = with_line(real, kHaitiAugust, "\"2021-08\",\"2021-Q3\",\"HTI\",17x79");
  auto r = c.Post(std::string(kUpload) + "?filename=broken.csv", broken, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 422) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["error"]["status"], 422);
  EXPECT_EQ(j["error"]["parameter"], "file");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("nothing was stored"), std::string::npos);
  ASSERT_EQ(j["problems"].size(), 1u) << j.dump();
  const json& p = j["problems"][0];
  EXPECT_EQ(p["file"], "broken.csv");
  EXPECT_EQ(p["line"], line_of(real, kHaitiAugust));
  EXPECT_EQ(p["column"], "n");
  EXPECT_EQ(p["value"], "17x79");
  EXPECT_FALSE(p["expected"].get<std::string>().empty());
  EXPECT_EQ(p["message"].get<std::string>().rfind("broken.csv:" + std::to_string(line_of(real, kHaitiAugust)), 0), 0u)
      << p["message"];
  EXPECT_EQ(haitians_in_august(c), 17279);
  EXPECT_EQ(vintages_of_darien(c), 1);
  EXPECT_EQ(last_audit_line(served.db_path()), "vintage.write refused anonymous source:pa-snm-darien");
  // A dry run of it is refused the same way.
  r = c.Post(std::string(kUpload) + "?dry_run=1", broken, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
}

TEST_F(Uploads, AFileTheMappingCannotReadIsRefusedNamingIt) {
  atalaya::testing::ServedStore served("upload-unreadable");
  auto c = served.client();
  auto r = c.Post(std::string(kUpload) + "?filename=encounters.csv", "Fiscal Year,Month,Count\n2024,OCT,5\n", "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 422) << r->body;
  json j = json::parse(r->body);
  const std::string message = j["error"]["message"];
  EXPECT_NE(message.find("encounters.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("pa-snm-darien.toml"), std::string::npos) << message;
  ASSERT_FALSE(j["problems"].empty());
  EXPECT_EQ(j["problems"][0]["file"], "encounters.csv");
  // A file cut off mid-line, and an empty one, are refused too.
  r = c.Post(kUpload, "\"t\",\"q\",\"nat\",\"n\"\n\"2021-08\",\"2021-Q3\",\"HTI\",172", "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  r = c.Post(kUpload, "", "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  EXPECT_EQ(vintages_of_darien(c), 1);
}

TEST_F(Uploads, UnknownSourceIs404NamingIt) {
  atalaya::testing::ServedStore served("upload-unknown");
  auto c = served.client();
  auto r = c.Post("/api/v1/sources/no-such-source/vintages", "a,b\n1,2\n", "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 404) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["error"]["parameter"], "id");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("no-such-source"), std::string::npos);
}

TEST_F(Uploads, LargerThanTheBoundIs413) {
  atalaya::testing::ServedStore served("upload-413", "",
                                       [](ServerOptions& o) { o.front.max_upload_bytes = 10'000; });
  auto c = served.client();
  auto r = c.Post(kUpload, darien_file(), "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 413) << r->body;
  EXPECT_NE(json::parse(r->body)["error"]["message"].get<std::string>().find("--max-upload-mb"), std::string::npos);
  auto again = served.client();
  EXPECT_EQ(vintages_of_darien(again), 1);
}

TEST_F(Uploads, BadMultipartAndParametersNameWhatIsWrong) {
  atalaya::testing::ServedStore served("upload-bad-form");
  auto c = served.client();
  auto r = c.Post(kUpload, "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--B--\r\n",
                  "multipart/form-data; boundary=B");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["parameter"], "body");
  r = c.Post(std::string(kUpload) + "?dry_run=perhaps", "x\n", "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["parameter"], "dry_run");
}

TEST_F(Uploads, WithAnEditorsFileAnUploadNeedsAnEditorsToken) {
  const std::string file = ::testing::TempDir() + "atalaya-upload-editors-" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream out(file);
    out << "ana 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n";  // "password"
  }
  atalaya::testing::ServedStore served("upload-editors", file);
  auto c = served.client();
  const std::string corrected = with_line(darien_file(), kHaitiAugust, "\"2021-08\",\"2021-Q3\",\"HTI\",17300");
  auto r = c.Post(kUpload, corrected, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["parameter"], "Authorization");
  r = c.Post(kUpload, {{"Authorization", "Bearer wrong"}}, corrected, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(haitians_in_august(c), 17279);
  r = c.Post(kUpload, {{"Authorization", "Bearer password"}}, corrected, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(haitians_in_august(c), 17300);
  EXPECT_EQ(last_audit_line(served.db_path()), "vintage.write ok ana source:pa-snm-darien");
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace atalaya::serve
