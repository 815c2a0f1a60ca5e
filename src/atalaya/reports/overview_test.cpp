#include "atalaya/reports/overview.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "atalaya/core/country.h"
#include "atalaya/core/error.h"
#include "atalaya/ingest/real_data_testing.h"
#include "atalaya/warning/alert_json.h"

namespace atalaya {
namespace {

using nlohmann::json;

// One series; the points listed in `provisional` are provisional.
StoredSeries make(std::string source, std::string citizenship, std::string event, std::string location,
                  std::vector<std::pair<std::string, int64_t>> points, std::set<std::string> provisional = {}) {
  StoredSeries s;
  s.key.source = std::move(source);
  s.key.reporter = s.key.source == "pa" ? "PAN" : "USA";
  s.key.citizenship = std::move(citizenship);
  s.key.event = std::move(event);
  s.key.location = std::move(location);
  s.unit = s.key.source == "pa" ? Unit::Persons : Unit::Events;
  for (auto& [p, v] : points)
    s.points.push_back({*Period::parse(p), v, provisional.count(p) ? Status::Provisional : Status::Final, 1});
  return s;
}

// The gap (pa) reports 2023-05 and 2024-03..2024-06; the month a year before
// its latest (2023-06) was not published, so it is missing (not 0). The border (us) reports 2023-03..2024-02,
// its latest month provisional; a year before it (2023-02) is outside its
// span. Trailing months: 2024-03..05 at the gap, 2023-11..2024-01 at the border.
Cube corridor() {
  std::vector<StoredSeries> s;
  const char* t = "irregular_transit";
  s.push_back(make("pa", "HTI", t, "Darién",
                   {{"2023-05", 100}, {"2024-03", 1000}, {"2024-04", 1000}, {"2024-05", 1000}, {"2024-06", 3000}}));
  s.push_back(make("pa", "VEN", t, "Darién", {{"2024-03", 200}, {"2024-04", 400}, {"2024-05", 600}, {"2024-06", 1200}}));
  s.push_back(make("pa", "CHN", t, "Darién", {{"2024-06", 500}}));  // new on the route: a trailing mean of 0
  s.push_back(make("pa", "CUB", t, "Darién", {{"2024-03", 300}, {"2024-04", 300}, {"2024-05", 300}, {"2024-06", 450}}));
  s.push_back(make("pa", "OTH", t, "Darién", {{"2024-03", 10}, {"2024-04", 10}, {"2024-05", 10}, {"2024-06", 1000}}));
  s.push_back(make("pa", "COL", t, "Darién", {{"2024-03", 10}, {"2024-04", 10}, {"2024-05", 10}, {"2024-06", 50}}));
  s.push_back(make("us", "HTI", "apprehension", "Del Rio",
                   {{"2023-03", 50}, {"2023-11", 100}, {"2023-12", 100}, {"2024-01", 100}, {"2024-02", 400}},
                   {"2024-02"}));
  s.push_back(make("us", "MEX", "inadmissible", "",
                   {{"2023-11", 1000}, {"2023-12", 1000}, {"2024-01", 1000}, {"2024-02", 900}}, {"2024-02"}));
  // Outside the border checkpoint's selection (event = encounter family).
  s.push_back(make("us", "HTI", "deportation", "", {{"2024-02", 99999}}));
  return Cube(std::move(s));
}

Route test_route() {
  return parse_route(R"([route]
id = "test-north"
name = "Test route"

[[checkpoint]]
id = "gap"
name = "The gap"
reporter = "PAN"
sources = ["pa"]

[[checkpoint]]
id = "middle"
reporter = "HND"
sources = ["hn-real", "hn-sim"]
expected_lag_months = 0

[[checkpoint]]
id = "border"
name = "The border"
reporter = "USA"
sources = ["us"]
select = { event = ["encounter"] }
expected_lag_months = 1
)",
                     "test.toml");
}

Alert alert(int64_t id, AlertStatus status, std::string updated_at) {
  Alert a;
  a.id = id;
  a.trigger = "t";
  a.rule = "growth";
  a.key = {{"citizenship", "HTI"}, {"source", "pa"}};
  a.first_period = a.last_period = Period::month(2024, 6);
  a.status = status;
  a.created_at = "2024-07-01T00:00:00Z";
  a.updated_at = std::move(updated_at);
  return a;
}

const json& checkpoint(const json& report, const std::string& id) {
  for (auto& c : report.at("checkpoints"))
    if (c.at("id") == id) return c;
  throw std::out_of_range("no checkpoint " + id);
}

TEST(Overview, LatestMonthTrailingMeanAndChange) {
  json r = overview_report(corridor(), test_route(), {});
  EXPECT_EQ(r["route"], (json{{"id", "test-north"}, {"name", "Test route"}, {"name_es", "Test route"}}));
  EXPECT_EQ(r["trailing_months"], 3);
  const json& gap = checkpoint(r, "gap");
  EXPECT_EQ(gap["name"], "The gap");
  EXPECT_EQ(gap["reporter"], "PAN");
  EXPECT_EQ(gap["source"], "pa");
  EXPECT_EQ(gap["unit"], "persons");
  EXPECT_EQ(gap["latest_month"], "2024-06");
  EXPECT_EQ(gap["latest_value"], 6200);  // 3000 + 1200 + 500 + 450 + 1000 + 50
  EXPECT_TRUE(gap["latest_value"].is_number_integer());
  EXPECT_EQ(gap["provisional"], false);
  // 2024-03..05: 1520, 1720, 1920.
  EXPECT_DOUBLE_EQ(gap["trailing_mean"].get<double>(), 1720);
  EXPECT_DOUBLE_EQ(gap["change_vs_trailing"].get<double>(), 2.6047);  // 6200 / 1720 - 1, 4 decimals
}

TEST(Overview, TheSelectionAndTheProvisionalLatestMonth) {
  json r = overview_report(corridor(), test_route(), {});
  const json& border = checkpoint(r, "border");
  EXPECT_EQ(border["unit"], "events");
  EXPECT_EQ(border["latest_month"], "2024-02");
  EXPECT_EQ(border["latest_value"], 1300);  // the deportations are not encounters
  EXPECT_EQ(border["provisional"], true);
  EXPECT_DOUBLE_EQ(border["trailing_mean"].get<double>(), 1100);
  EXPECT_DOUBLE_EQ(border["change_vs_trailing"].get<double>(), 0.1818);
}

TEST(Overview, YearAgoZeroBaseAndMissingBaseAreNull) {
  json r = overview_report(corridor(), test_route(), {});
  const json& gap = checkpoint(r, "gap");
  EXPECT_TRUE(gap["year_ago_value"].is_null());  // inside the span, but no release covers it: missing
  EXPECT_TRUE(gap["change_vs_year_ago"].is_null());
  const json& border = checkpoint(r, "border");
  EXPECT_TRUE(border["year_ago_value"].is_null());  // 2023-02 is before the span
  EXPECT_TRUE(border["change_vs_year_ago"].is_null());

  // A year-ago base that is there: the gap's 2023-05, as the cube stood in 2024-05.
  json earlier = overview_report(corridor().as_of(Period::month(2024, 5)), test_route(), {});
  const json& gap_may = checkpoint(earlier, "gap");
  EXPECT_EQ(gap_may["latest_month"], "2024-05");
  EXPECT_EQ(gap_may["year_ago_value"], 100);
  EXPECT_DOUBLE_EQ(gap_may["change_vs_year_ago"].get<double>(), 18.2);  // 1920 / 100 - 1
}

TEST(Overview, TrailingMonthsBeforeTheSpanGiveNull) {
  OverviewOptions o;
  o.trailing_months = 14;  // the gap's span holds 13 months before its latest
  json r = overview_report(corridor(), test_route(), {}, o);
  EXPECT_EQ(r["trailing_months"], 14);
  EXPECT_TRUE(checkpoint(r, "gap")["trailing_mean"].is_null());
  EXPECT_TRUE(checkpoint(r, "gap")["change_vs_trailing"].is_null());
  EXPECT_EQ(checkpoint(r, "gap")["latest_value"], 6200);
  for (auto& e : r["rising"]) EXPECT_NE(e["checkpoint"], "gap");
}

TEST(Overview, RecentMonthsEndAtTheLatest) {
  json r = overview_report(corridor(), test_route(), {});
  const json& recent = checkpoint(r, "gap")["recent"];
  ASSERT_EQ(recent.size(), 14u);  // the whole span, 2023-05..2024-06, is under 24 months
  EXPECT_EQ(recent.front(), (json{{"month", "2023-05"}, {"value", 100}, {"provisional", false}}));
  EXPECT_TRUE(recent[1]["value"].is_null());  // 2023-06: not published, never 0
  EXPECT_EQ(recent.back()["month"], "2024-06");

  OverviewOptions o;
  o.recent_months = 2;
  json short_r = overview_report(corridor(), test_route(), {}, o);
  EXPECT_EQ(checkpoint(short_r, "border")["recent"],
            (json{{{"month", "2024-01"}, {"value", 1100}, {"provisional", false}},
                  {{"month", "2024-02"}, {"value", 1300}, {"provisional", true}}}));
}

TEST(Overview, ACheckpointWithoutDataHasNulls) {
  json r = overview_report(corridor(), test_route(), {});
  const json& middle = checkpoint(r, "middle");
  EXPECT_EQ(middle["name"], "middle");
  EXPECT_EQ(middle["reporter"], "HND");
  for (auto* key : {"source", "unit", "latest_month", "latest_value", "provisional", "trailing_mean",
                    "change_vs_trailing", "year_ago_value", "change_vs_year_ago"})
    EXPECT_TRUE(middle[key].is_null()) << key;
  EXPECT_EQ(middle["recent"], json::array());
  // Every checkpoint has the same fields, in route order.
  ASSERT_EQ(r["checkpoints"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    std::set<std::string> keys;
    for (auto& [k, v] : r["checkpoints"][i].items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "name_es", "reporter", "source", "unit", "latest_month",
                                           "latest_value", "provisional", "trailing_mean", "change_vs_trailing",
                                           "year_ago_value", "change_vs_year_ago", "recent"}));
  }
  EXPECT_EQ(r["checkpoints"][2]["id"], "border");
}

// "checkpoint/citizenship" of each rising entry, in order.
std::vector<std::string> rising_of(const json& report) {
  std::vector<std::string> out;
  for (auto& e : report["rising"]) out.push_back(e["checkpoint"].get<std::string>() + "/" + e["citizenship"].get<std::string>());
  return out;
}

TEST(Overview, RisingOrderedByChangeNewCitizenshipsFirst) {
  json r = overview_report(corridor(), test_route(), {});
  // Left out: OTH (a group code), COL (50 < 100) and border/MEX (falling,
  // -0.1). HTI and VEN at the gap both tripled (2.0): the larger count first.
  EXPECT_EQ(rising_of(r), (std::vector<std::string>{"gap/CHN", "border/HTI", "gap/HTI", "gap/VEN", "gap/CUB"}));
  EXPECT_EQ(r["rising"][0], (json{{"checkpoint", "gap"},
                                  {"citizenship", "CHN"},
                                  {"name", "China"},
                                  {"latest_month", "2024-06"},
                                  {"value", 500},
                                  {"provisional", false},
                                  {"trailing_mean", 0.0},
                                  {"change_vs_trailing", nullptr}}));
  const json& border_hti = r["rising"][1];
  EXPECT_EQ(border_hti["latest_month"], "2024-02");
  EXPECT_EQ(border_hti["value"], 400);
  EXPECT_EQ(border_hti["provisional"], true);
  EXPECT_DOUBLE_EQ(border_hti["trailing_mean"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(border_hti["change_vs_trailing"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(r["rising"][4]["change_vs_trailing"].get<double>(), 0.5);
}

TEST(Overview, RisingMinCountAndLimit) {
  OverviewOptions o;
  o.rising_min_count = 1201;
  EXPECT_EQ(rising_of(overview_report(corridor(), test_route(), {}, o)), (std::vector<std::string>{"gap/HTI"}));
  o.rising_min_count = 1200;  // at least: VEN's 1,200 counts
  EXPECT_EQ(rising_of(overview_report(corridor(), test_route(), {}, o)),
            (std::vector<std::string>{"gap/HTI", "gap/VEN"}));
  o.rising_min_count = 450;  // border/HTI's 400 is under it
  EXPECT_EQ(rising_of(overview_report(corridor(), test_route(), {}, o)),
            (std::vector<std::string>{"gap/CHN", "gap/HTI", "gap/VEN", "gap/CUB"}));
  o = OverviewOptions{};
  o.rising_limit = 3;
  EXPECT_EQ(rising_of(overview_report(corridor(), test_route(), {}, o)),
            (std::vector<std::string>{"gap/CHN", "border/HTI", "gap/HTI"}));
  o.rising_limit = 0;
  EXPECT_EQ(overview_report(corridor(), test_route(), {}, o)["rising"], json::array());
}

TEST(Overview, AlertCountsAndTheLatestFive) {
  std::vector<Alert> active = {
      alert(1, AlertStatus::Open, "2024-07-01T00:00:00Z"),
      alert(2, AlertStatus::Acknowledged, "2024-07-05T00:00:00Z"),
      alert(3, AlertStatus::Open, "2024-07-03T00:00:00Z"),
      alert(4, AlertStatus::Open, "2024-07-02T00:00:00Z"),
      alert(5, AlertStatus::Acknowledged, "2024-07-02T00:00:00Z"),  // same time as 4: the larger id first
      alert(6, AlertStatus::Open, "2024-06-30T00:00:00Z"),
      alert(7, AlertStatus::Resolved, "2024-07-09T00:00:00Z"),  // not active: ignored
  };
  json r = overview_report(corridor(), test_route(), active);
  EXPECT_EQ(r["alerts"]["open"], 4);
  EXPECT_EQ(r["alerts"]["acknowledged"], 2);
  std::vector<int64_t> ids;
  for (auto& a : r["alerts"]["latest"]) ids.push_back(a["id"].get<int64_t>());
  EXPECT_EQ(ids, (std::vector<int64_t>{2, 3, 5, 4, 1}));
  EXPECT_EQ(r["alerts"]["latest"][0], alert_to_json(active[1], Language::En));
  // In Spanish: the alerts' texts and the risers' names.
  json es = overview_report(corridor(), test_route(), active, {}, Language::Es);
  EXPECT_EQ(es["alerts"]["latest"][0], alert_to_json(active[1], Language::Es));
  EXPECT_EQ(es["alerts"]["latest"][0]["lang"], "es");

  json none = overview_report(corridor(), test_route(), {});
  EXPECT_EQ(none["alerts"], (json{{"open", 0}, {"acknowledged", 0}, {"latest", json::array()}}));
}

TEST(Overview, AnEmptyCubeAndBadOptions) {
  json r = overview_report(Cube{}, test_route(), {});
  for (auto& c : r["checkpoints"]) EXPECT_TRUE(c["source"].is_null());
  EXPECT_EQ(r["rising"], json::array());
  OverviewOptions o;
  o.trailing_months = 0;
  EXPECT_THROW(overview_report(corridor(), test_route(), {}, o), Error);
  o = OverviewOptions{};
  o.recent_months = -1;
  EXPECT_THROW(overview_report(corridor(), test_route(), {}, o), Error);
}

TEST(DimensionValues, EveryDimensionSortedWithoutEmpties) {
  json d = dimension_values(corridor());
  // The eight lists, then what each value counts and the notes.
  const json counts = d["counts"];
  const json notes = d["notes"];
  d.erase("counts");
  d.erase("notes");
  EXPECT_EQ(notes, json::array());
  EXPECT_EQ(counts["location"], (json{{{"value", "Darién"}, {"series", 6}, {"observations", 22}},
                                      {{"value", "Del Rio"}, {"series", 1}, {"observations", 5}},
                                      {{"value", "_T"}, {"series", 2}, {"observations", 5}}}));
  EXPECT_EQ(counts.size(), 8u);
  EXPECT_EQ(d, (json{{"source", {"pa", "us"}},
                     {"reporter", {"PAN", "USA"}},
                     {"location", {"Darién", "Del Rio"}},
                     {"citizenship", {"CHN", "COL", "CUB", "HTI", "MEX", "OTH", "VEN"}},
                     {"counterpart", json::array()},
                     {"event", {"apprehension", "deportation", "inadmissible", "irregular_transit"}},
                     {"demographic", json::array()},
                     {"authority", json::array()}}));
}

TEST(DimensionValues, WithinSources) {
  json d = dimension_values(corridor(), {"us"});
  EXPECT_EQ(d["source"], (json{"us"}));
  EXPECT_EQ(d["reporter"], (json{"USA"}));
  EXPECT_EQ(d["location"], (json{"Del Rio"}));
  EXPECT_EQ(d["citizenship"], (json{"HTI", "MEX"}));
  EXPECT_EQ(d["event"], (json{"apprehension", "deportation", "inadmissible"}));
  EXPECT_EQ(dimension_values(corridor(), {"us", "pa"}), dimension_values(corridor()));
}

TEST(DimensionValues, AnUnknownSourceIsAnError) {
  try {
    dimension_values(corridor(), {"pa", "nowhere"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "source: no source 'nowhere' in the store (it holds: pa, us)");
  }
  EXPECT_THROW(dimension_values(Cube{}, {"pa"}), Error);
}

// ------------------------------------------------------------ real data ---

// The real corridor files read through the library (as `atalaya ingest
// --mapping` reads them), or an empty cube when the data is not there.
Cube real_corridor() {
  std::vector<StoredSeries> series;
  for (auto [mapping, file] : {std::pair{"pa-snm-darien.toml", "corridor/pa-darien-transit-by-nationality.csv"},
                               std::pair{"mx-upm-irregular.toml", "corridor/mx-irregular-events-by-nationality.csv"},
                               std::pair{"us-cbp-swb-nat.toml", "corridor/us-sw-border-encounters-by-nationality.csv"}}) {
    if (!testing::real_file_exists(file)) return Cube{};
    ParsedFile parsed = testing::parse_real_file(mapping, file, false);
    std::vector<StoredSeries> part(parsed.series.size());
    for (size_t i = 0; i < part.size(); ++i) {
      part[i].key = parsed.series[i].key;
      part[i].unit = parsed.series[i].unit;
    }
    for (auto& row : parsed.rows) part[row.series].points.push_back({row.period, row.value, row.status, 1});
    for (auto& s : part) {
      std::sort(s.points.begin(), s.points.end(),
                [](const StoredPoint& a, const StoredPoint& b) { return a.period.code() < b.period.code(); });
      series.push_back(std::move(s));
    }
  }
  return Cube(std::move(series));
}

TEST(OverviewRealData, DarienRouteAgreesWithTheSeriesQuery) {
  Cube cube = real_corridor();
  if (cube.series().empty()) GTEST_SKIP() << "real data not found (set ATALAYA_DATA)";
  Route route = load_route_file(std::string(ATALAYA_SOURCE_DIR) + "/routes/darien-north.toml");
  json r = overview_report(cube, route, {});
  const json& darien = checkpoint(r, "darien");
  ASSERT_EQ(darien["source"], "pa-snm-darien");
  const Period latest = *cube.last_month("pa-snm-darien");
  EXPECT_EQ(darien["latest_month"], latest.to_string());
  EXPECT_EQ(darien["unit"], "persons");
  SeriesQuery q;
  q.filters["source"] = {"pa-snm-darien"};
  q.from = q.to = latest;
  SeriesResult month = cube.query(q);
  ASSERT_EQ(month.rows.size(), 1u);
  ASSERT_TRUE(month.rows[0].value);
  EXPECT_EQ(darien["latest_value"], *month.rows[0].value);
  EXPECT_TRUE(checkpoint(r, "honduras")["source"].is_null());
  EXPECT_EQ(checkpoint(r, "mexico")["source"], "mx-upm-irregular");
  EXPECT_EQ(checkpoint(r, "us-southwest-border")["source"], "us-cbp-swb-nat");
  for (auto& c : r["checkpoints"]) {
    if (c["source"].is_null()) continue;
    EXPECT_EQ(c["recent"].size(), 24u) << c["id"];
  }

  double previous = 1e300;
  for (auto& e : r["rising"]) {
    EXPECT_GE(e["value"].get<double>(), 100);
    EXPECT_EQ(find_group(e["citizenship"].get<std::string>()), nullptr) << e["citizenship"];
    if (e["change_vs_trailing"].is_null()) continue;
    EXPECT_GT(e["change_vs_trailing"].get<double>(), 0);
    EXPECT_LE(e["change_vs_trailing"].get<double>(), previous);
    previous = e["change_vs_trailing"].get<double>();
  }
  json d = dimension_values(cube, {"pa-snm-darien"});
  EXPECT_EQ(d["reporter"], (json{"PAN"}));
  EXPECT_TRUE(std::count(d["citizenship"].begin(), d["citizenship"].end(), "HTI"));
}

}  // namespace
}  // namespace atalaya
