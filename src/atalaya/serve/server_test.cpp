// The API as a client sees it, on a loopback server over the real Darién
// data: answers, bad requests (each a 4xx JSON error naming the parameter,
// after which the server keeps serving), caching, downloads and alert changes.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "atalaya/reports/zip_testing.h"
#include "atalaya/serve/serve_testing.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

std::string sample_english_explanation() { return atalaya::testing::sample_surge_alert().evidence.explanation; }

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { served = new atalaya::testing::ServedStore("serve-api"); }
  static void TearDownTestSuite() {
    delete served;
    served = nullptr;
  }
  static atalaya::testing::ServedStore* served;

  // GET returning status and parsed JSON body.
  static std::pair<int, json> get(const std::string& path) {
    auto c = served->client();
    auto r = c.Get(path);
    if (!r) throw std::runtime_error("no answer for " + path);
    return {r->status, r->body.empty() ? json() : json::parse(r->body)};
  }
  static std::pair<int, json> post(const std::string& path, const std::string& body) {
    auto c = served->client();
    auto r = c.Post(path, body, "application/json");
    if (!r) throw std::runtime_error("no answer for " + path);
    return {r->status, json::parse(r->body)};
  }
  // A bad request's status and the parameter its error names; then checks
  // the server still answers.
  static void expect_error(std::pair<int, json> answer, int status, const json& parameter) {
    EXPECT_EQ(answer.first, status) << answer.second.dump();
    ASSERT_TRUE(answer.second.contains("error")) << answer.second.dump();
    EXPECT_EQ(answer.second["error"]["status"], status);
    EXPECT_EQ(answer.second["error"]["parameter"], parameter) << answer.second.dump();
    EXPECT_FALSE(answer.second["error"]["message"].get<std::string>().empty());
    EXPECT_EQ(get("/api/v1/health").first, 200) << "the server stopped answering";
  }
};
atalaya::testing::ServedStore* ServeApi::served = nullptr;

TEST_F(ServeApi, DarienHaitiansInAugust2021) {
  auto [status, j] = get("/api/v1/series?source=pa-snm-darien&citizenship=Haiti&from=2021-08&to=2021-08");
  ASSERT_EQ(status, 200) << j.dump();
  ASSERT_EQ(j["rows"].size(), 1u) << j.dump();
  EXPECT_EQ(j["rows"][0]["period"], "2021-08");
  EXPECT_EQ(j["rows"][0]["value"], 17279);
  EXPECT_EQ(j["selection"]["citizenship"], "HTI");
}

TEST_F(ServeApi, GroupsAndRollsUpLikeTheCommandLine) {
  auto [status, j] = get("/api/v1/series?source=pa-snm-darien&citizenship=HTI,VEN&by=citizenship&freq=A&from=2021&to=2021");
  ASSERT_EQ(status, 200) << j.dump();
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0]["citizenship"], "HTI");
  EXPECT_EQ(j["rows"][0]["period"], "2021");
  EXPECT_GT(j["rows"][0]["value"].get<int64_t>(), 17279);
}

TEST_F(ServeApi, BadRequestsNameTheParameter) {
  expect_error(get("/api/v1/series?nationality=HTI"), 400, "nationality");
  expect_error(get("/api/v1/series?source=pa-snm-darien&from=2021-13"), 400, "from");
  expect_error(get("/api/v1/series?citizenship=Narnia"), 400, "citizenship");
  expect_error(get("/api/v1/series?source=no-such-source"), 400, "source");
  expect_error(get("/api/v1/series?by=flavour"), 400, "by");
  expect_error(get("/api/v1/series?freq=weekly"), 400, "freq");
  expect_error(get("/api/v1/series?format=pdf"), 400, "format");
  expect_error(get("/api/v1/forecast?source=pa-snm-darien&citizenship=HTI&horizon=0"), 400, "horizon");
  expect_error(get("/api/v1/forecast?source=pa-snm-darien&citizenship=HTI&horizon=abc"), 400, "horizon");
  expect_error(get("/api/v1/routes/darien-north?citizenship=Atlantis"), 400, "citizenship");
  expect_error(get("/api/v1/routes/darien-north"), 400, "citizenship");
  expect_error(get("/api/v1/routes/no-such-route?citizenship=HTI"), 404, "id");
  expect_error(get("/api/v1/alerts/99999"), 404, "id");
  expect_error(get("/api/v1/alerts/abc"), 400, "id");
  expect_error(get("/api/v1/alerts?status=sleeping"), 400, "status");
  expect_error(get("/api/v1/no-such-thing"), 404, nullptr);
}

TEST_F(ServeApi, OversizedAndMalformedBodiesAreRefused) {
  expect_error(post("/api/v1/alerts/1/acknowledge", "{\"by\": \"" + std::string(100 * 1024, 'x') + "\"}"), 413,
               "body");
  expect_error(post("/api/v1/alerts/1/acknowledge", "{not json"), 400, "body");
  expect_error(post("/api/v1/alerts/1/acknowledge", "{}"), 400, "by");
  expect_error(post("/api/v1/alerts/1/acknowledge", "{\"by\": \"ana\", \"colour\": 1}"), 400, "colour");
  expect_error(post("/api/v1/alerts/99999/acknowledge", "{\"by\": \"ana\"}"), 404, "id");
  auto c = served->client();
  auto r = c.Put("/api/v1/series", "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(json::parse(r->body)["error"]["status"], 405);
}

TEST_F(ServeApi, AcknowledgeThenResolveAnAlert) {
  auto [status, list] = get("/api/v1/alerts?status=open");
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(list["alerts"].empty());
  const int64_t id = list["alerts"][0]["id"];
  const std::string path = "/api/v1/alerts/" + std::to_string(id);
  auto [s1, acked] = post(path + "/acknowledge", R"({"by": "maria", "note": "task force informed"})");
  ASSERT_EQ(s1, 200) << acked.dump();
  EXPECT_EQ(acked["status"], "acknowledged");
  EXPECT_EQ(acked["history"].back()["actor"], "maria");
  EXPECT_EQ(get(path).second["status"], "acknowledged");  // stored, not only answered
  auto [s2, resolved] = post(path + "/resolve", R"({"by": "maria"})");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(resolved["status"], "resolved");
  expect_error(post(path + "/acknowledge", R"({"by": "maria"})"), 409, nullptr);  // resolved is final
}

TEST_F(ServeApi, RepeatedReadsAreCachedWithETagsAndGzip) {
  auto c = served->client();
  const std::string path = "/api/v1/series?source=pa-snm-darien&by=citizenship&from=2021-01&to=2021-12";
  auto first = c.Get(path);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(first->get_header_value("Access-Control-Allow-Origin"), "*");  // other sites' pages may read
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = c.Get(path, {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  httplib::Client raw("127.0.0.1", served->port());
  raw.set_decompress(false);
  auto zipped = raw.Get(path, {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(zipped->body.size(), first->body.size());
  EXPECT_EQ(static_cast<unsigned char>(zipped->body[0]), 0x1f);  // gzip magic
  c.set_decompress(true);
  auto unzipped = c.Get(path, {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(unzipped);
  EXPECT_EQ(unzipped->body, first->body);
}

TEST_F(ServeApi, DownloadsInEveryFormat) {
  auto c = served->client();
  const std::string q = "/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-08&to=2021-08&format=";
  auto csv = c.Get(q + "csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(csv->body.find("2021-08,17279"), std::string::npos) << csv->body;
  auto sdmx = c.Get(q + "sdmx-csv");
  ASSERT_TRUE(sdmx);
  EXPECT_NE(sdmx->body.find("17279"), std::string::npos) << sdmx->body;
  EXPECT_NE(sdmx->body.find("STRUCTURE"), std::string::npos);
  auto xlsx = c.Get(q + "xlsx");
  ASSERT_TRUE(xlsx);
  EXPECT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 4), std::string("PK\x03\x04", 4));
}

TEST_F(ServeApi, DownloadsAreNamedAfterTheSelectionAndMadeForExcel) {
  auto c = served->client();
  const std::string q = "/api/v1/series?source=pa-snm-darien&citizenship=Haiti&from=2021-01&to=2021-12&format=";
  const std::string stem = "atalaya_pa-snm-darien_HTI_2021-01_2021-12_M";
  for (auto [format, ext] : {std::pair{"csv", ".csv"}, {"sdmx-csv", ".sdmx.csv"}, {"xlsx", ".xlsx"}}) {
    auto r = c.Get(q + format);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=\"" + stem + ext + "\"");
  }
  // The CSV download begins with a byte-order mark (bom=0 leaves it out)
  // and names countries (lang=es in Spanish); SDMX-CSV has no mark.
  auto csv = c.Get(q + "csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv->body.find("\n2021-08,17279,persons,final\n"), std::string::npos) << csv->body;
  auto plain = c.Get(q + "csv&bom=0");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, csv->body.substr(3));
  auto by = c.Get("/api/v1/series?source=pa-snm-darien&citizenship=HTI,VEN&by=citizenship&from=2021-08&to=2021-08"
                  "&format=csv&lang=es");
  ASSERT_TRUE(by);
  EXPECT_NE(by->body.find("HTI,Haití,2021-08,17279,persons,final"), std::string::npos) << by->body;
  EXPECT_NE(by->body.find("VEN,Venezuela (República Bolivariana de),2021-08,"), std::string::npos) << by->body;
  auto sdmx = c.Get(q + "sdmx-csv");
  ASSERT_TRUE(sdmx);
  EXPECT_EQ(sdmx->body.substr(0, 9), "STRUCTURE");
  expect_error(get("/api/v1/series?source=pa-snm-darien&format=csv&lang=fr"), 400, "lang");
  expect_error(get("/api/v1/series?source=pa-snm-darien&format=csv&bom=yes"), 400, "bom");
  // The workbook's about sheet names the source's publisher and the vintage read.
  auto xlsx = c.Get(q + "xlsx");
  ASSERT_TRUE(xlsx);
  auto files = atalaya::testing::unzip(xlsx->body);
  const std::string strings = atalaya::testing::xml_text(files["xl/sharedStrings.xml"]);
  EXPECT_NE(strings.find(">pa-darien-transit-by-nationality.csv<"), std::string::npos) << strings;
  EXPECT_NE(strings.find(">ingested_at<"), std::string::npos) << strings;
  EXPECT_NE(strings.find("citizenship=HTI (Haiti)"), std::string::npos) << strings;
}

TEST_F(ServeApi, AnIngestElsewhereIsSeenWithoutRestart) {
  const std::string path = "/api/v1/sources";
  auto [s1, before] = get(path);
  ASSERT_EQ(s1, 200);
  const size_t n = before["sources"].size();
  {
    auto store = open_store(served->db_path());  // another writer, as `atalaya ingest` would be
    atalaya::testing::ingest_real(*store, "mx-upm-irregular.toml", "corridor/mx-irregular-events-by-nationality.csv");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  auto [s2, after] = get(path);
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(after["sources"].size(), n + 1) << after.dump();
}

TEST_F(ServeApi, RoutesAndOverviewAnswerOnRealData) {
  auto [s1, routes] = get("/api/v1/routes");
  ASSERT_EQ(s1, 200);
  ASSERT_FALSE(routes["routes"].empty());
  EXPECT_EQ(routes["routes"][0]["id"], "darien-north");
  auto [s2, route] = get("/api/v1/routes/darien-north?citizenship=HTI&from=2021-06&to=2021-09");
  ASSERT_EQ(s2, 200) << route.dump();
  bool august = false;
  for (auto& m : route["months"])
    if (m["month"] == "2021-08") august = m["darien"] == 17279;
  EXPECT_TRUE(august) << route["months"].dump();
  auto [s3, overview] = get("/api/v1/overview");
  ASSERT_EQ(s3, 200) << overview.dump();
  EXPECT_EQ(overview["checkpoints"][0]["source"], "pa-snm-darien");
  EXPECT_GE(overview["alerts"]["open"].get<int>() + overview["alerts"]["acknowledged"].get<int>(), 1);
}

// The language of the library's texts: ?lang, else Accept-Language (q-values
// read), else English; cached per language and answered Vary: Accept-Language.
TEST_F(ServeApi, AlertsAndRoutesAnswerInTheLanguageAsked) {
  auto c = served->client();
  auto explanation_of = [](const std::string& body, const std::string& rule) {
    const json answer = json::parse(body);
    for (auto& a : answer["alerts"])
      if (a["rule"] == rule) return a;
    return json();
  };
  const std::string spanish = "13.141 es 3,4 veces la media de los 3 meses anteriores (3862) (umbral: 2,0)";
  const std::string english = "13,141 is 3.4 times the trailing 3-month mean of 3,862 (threshold 2.0)";

  auto by_param = c.Get("/api/v1/alerts?status=all&lang=es");
  ASSERT_TRUE(by_param && by_param->status == 200);
  json surge = explanation_of(by_param->body, "growth");
  EXPECT_EQ(surge["lang"], "es");
  EXPECT_EQ(surge["explanation"], spanish);
  EXPECT_EQ(surge["trigger_label"], "Cruces del Darién: repunte");
  EXPECT_EQ(surge["evidence"]["explanation"], sample_english_explanation());  // kept for old readers
  // An alert stored before messages: its English text in every language.
  EXPECT_EQ(explanation_of(by_param->body, "upstream")["explanation"], "38,399 crossed the Darién, 4.27 times the trailing mean");
  EXPECT_EQ(by_param->get_header_value("Vary"), "Accept-Language");

  auto by_header = c.Get("/api/v1/alerts?status=all", {{"Accept-Language", "fr-FR, es;q=0.8, en;q=0.5"}});
  ASSERT_TRUE(by_header && by_header->status == 200);
  EXPECT_EQ(explanation_of(by_header->body, "growth")["explanation"], spanish);
  auto preferring_english = c.Get("/api/v1/alerts?status=all", {{"Accept-Language", "es;q=0.5, en"}});
  EXPECT_EQ(explanation_of(preferring_english->body, "growth")["explanation"], english);
  EXPECT_EQ(explanation_of(get("/api/v1/alerts?status=all").second.dump(), "growth")["trigger_label"],
            "Darién crossings <growth> & \"surge\"");
  // ?lang wins over the header.
  auto both = c.Get("/api/v1/alerts?status=all&lang=en", {{"Accept-Language", "es"}});
  EXPECT_EQ(explanation_of(both->body, "growth")["explanation"], english);
  expect_error(get("/api/v1/alerts?lang=fr"), 400, "lang");

  // A cached answer: one per language under the same URL.
  const std::string route = "/api/v1/routes/darien-north?citizenship=HTI&from=2021-06&to=2021-09";
  auto route_en = c.Get(route);
  auto route_es = c.Get(route, {{"Accept-Language", "es-MX"}});
  auto route_es_again = c.Get(route, {{"Accept-Language", "es-MX"}});
  ASSERT_TRUE(route_en && route_es && route_es_again);
  EXPECT_EQ(route_es->get_header_value("Vary"), "Accept-Encoding, Accept-Language");
  EXPECT_NE(route_en->body, route_es->body);
  EXPECT_EQ(route_es->body, route_es_again->body);
  const json roles_es = json::parse(route_es->body)["roles"];
  ASSERT_FALSE(roles_es.empty());
  EXPECT_EQ(roles_es[0]["role"], "sending");  // codes stay codes
  EXPECT_EQ(roles_es[0]["note"], "el país de la propia nacionalidad");
  EXPECT_EQ(json::parse(route_en->body)["roles"][0]["note"], "the citizenship's own country");
}

TEST_F(ServeApi, ForecastHasOrderedIntervals) {
  auto [status, j] = get("/api/v1/forecast?source=pa-snm-darien&citizenship=VEN&horizon=3");
  ASSERT_EQ(status, 200) << j.dump();
  ASSERT_EQ(j["groups"].size(), 1u);
  auto& f = j["groups"][0]["forecast"];
  ASSERT_EQ(f.size(), 3u);
  for (auto& m : f) {
    EXPECT_LE(m["lower_95"].get<double>(), m["lower_80"].get<double>());
    EXPECT_LE(m["lower_80"].get<double>(), m["mean"].get<double>());
    EXPECT_LE(m["mean"].get<double>(), m["upper_80"].get<double>());
    EXPECT_LE(m["upper_80"].get<double>(), m["upper_95"].get<double>());
  }
}

}  // namespace
}  // namespace atalaya::serve

namespace atalaya::serve {
namespace {

// A shared server: changes need an editor's token, and the history records
// the editor's name from the editors file, whatever the body claims.
TEST(ServeEditors, ChangesNeedAnEditorsToken) {
  const std::string file = ::testing::TempDir() + "atalaya-editors-" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream out(file);
    out << "# printf %s password | sha256sum\nana 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n";
  }
  atalaya::testing::ServedStore served("serve-editors", file);
  auto c = served.client();
  auto health = c.Get("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(nlohmann::json::parse(health->body)["changes"], "editors");

  auto anonymous = c.Post("/api/v1/alerts/1/acknowledge", R"({"by": "mallory"})", "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(nlohmann::json::parse(anonymous->body)["error"]["parameter"], "Authorization");
  EXPECT_FALSE(anonymous->get_header_value("WWW-Authenticate").empty());

  auto wrong = c.Post("/api/v1/alerts/1/acknowledge", {{"Authorization", "Bearer hunter2"}}, R"({"by": "ana"})",
                      "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);

  auto ok = c.Post("/api/v1/alerts/1/acknowledge", {{"Authorization", "Bearer password"}},
                   R"({"by": "mallory", "note": "on it"})", "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const auto alert = nlohmann::json::parse(ok->body);
  EXPECT_EQ(alert["status"], "acknowledged");
  EXPECT_EQ(alert["history"].back()["actor"], "ana");  // the token's owner, not the body's claim
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace atalaya::serve

namespace atalaya::serve {
namespace {

// Many clients asking one expensive answer the cache does not hold yet (a
// reload has just emptied it) wait for the first one's computation: none is
// turned away with 503, even with one expensive worker and a queue of one.
TEST(ServeExpensiveMisses, RequestsForAnAnswerBeingComputedWaitForIt) {
  atalaya::testing::ServedStore served("serve-single-flight", "", [](ServerOptions& o) {
    o.expensive_threads = 1;
    o.expensive_queue = 1;
  });
  const std::string url = "/api/v1/backtest?source=pa-snm-darien&citizenship=HTI&horizon=3&origins=6";
  constexpr int kClients = 24;
  std::vector<int> statuses(kClients, 0);
  std::atomic<int> ready{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&, i] {
      auto c = served.client();
      c.set_read_timeout(60, 0);
      ++ready;
      while (ready < kClients) std::this_thread::yield();
      auto r = c.Get(url);
      statuses[i] = r ? r->status : -1;
    });
  for (auto& t : clients) t.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(statuses[i], 200) << "client " << i;
  // A different answer is still computed on its own.
  auto other = served.client().Get("/api/v1/backtest?source=pa-snm-darien&citizenship=VEN&horizon=3&origins=6");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200) << other->body;
}

}  // namespace
}  // namespace atalaya::serve
