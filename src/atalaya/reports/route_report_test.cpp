#include "atalaya/analysis/stored_series_testing.h"
#include "atalaya/reports/route_report.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace atalaya {
namespace {

const char* kRoute = R"([route]
id = "test-north"
name = "Test route"
description = "Gap to border"

[asylum]
source = "asylum-src"

[[checkpoint]]
id = "gap"
name = "The gap"
reporter = "PAN"
sources = ["pa"]

[[checkpoint]]
id = "middle"
reporter = "HND"
sources = ["hn"]
expected_lag_months = 1

[[checkpoint]]
id = "border"
name = "The border"
reporter = "USA"
sources = ["us"]
expected_lag_months = 1
)";

StoredSeries monthly(const std::string& source, const std::string& reporter, const std::string& citizenship,
                     const char* first, const std::vector<double>& values) {
  return testing::monthly_series(SeriesKey{source, reporter, "", citizenship, "irregular_transit", "", ""}, first,
                                 values);
}

// Haitians through the gap (2021-01..2021-06) and at the border a month later;
// the middle checkpoint has no source in the cube.
Cube corridor() {
  std::vector<StoredSeries> s;
  s.push_back(monthly("pa", "PAN", "HTI", "2021-01", {100, 120, 900, 1000, 150, 110}));
  s.push_back(monthly("us", "USA", "HTI", "2021-02", {90, 115, 850, 980, 140, 100}));
  return Cube(std::move(s));
}

RouteRequest haitians() {
  RouteRequest r;
  r.citizenship = "Haiti";
  r.from = Period::parse("2021-01");
  r.to = Period::parse("2021-07");
  r.window = std::make_pair(*Period::parse("2021-03"), *Period::parse("2021-04"));
  return r;
}

template <typename Run>
std::string error_of(Run run) {
  return testing::invalid_argument_of(run);
}

TEST(RouteReport, CheckpointsSideBySideWithRolesInTheWindow) {
  const Route route = parse_route(kRoute, "test.toml");
  const nlohmann::json j = route_report(corridor(), route, haitians());
  EXPECT_EQ(j["route"]["id"], "test-north");
  EXPECT_EQ(j["citizenship"], "HTI");
  ASSERT_EQ(j["checkpoints"].size(), 3u);
  EXPECT_EQ(j["checkpoints"][0]["source"], "pa");
  EXPECT_TRUE(j["checkpoints"][1]["source"].is_null());  // no data for the middle
  EXPECT_FALSE(j["checkpoints"][1].contains("unit"));
  ASSERT_EQ(j["months"].size(), 7u);  // 2021-01..2021-07
  EXPECT_EQ(j["months"][0], nlohmann::json({{"month", "2021-01"}, {"gap", 100}, {"middle", nullptr},
                                            {"border", nullptr}}));
  EXPECT_EQ(j["months"][3]["border"], 850);
  EXPECT_TRUE(j["months"][6]["gap"].is_null());
  EXPECT_EQ(j["window"]["from"], "2021-03");
  EXPECT_EQ(j["window"]["to"], "2021-04");
  ASSERT_FALSE(j["roles"].empty());
  EXPECT_EQ(j["roles"][0]["country"], "HTI");
  EXPECT_EQ(j["roles"][0]["role"], "sending");
  ASSERT_EQ(j["cumulative"].size(), 3u);
  EXPECT_EQ(j["cumulative"].back()["checkpoint"], "border");
  // Each lag carries its distribution (probabilities adding up to 1) and the
  // coverage of its interval; the cumulative ones too, with the mass held.
  ASSERT_FALSE(j["lags"].empty());
  for (const auto* list : {&j["lags"], &j["cumulative"]})
    for (const auto& lag : *list) {
      EXPECT_DOUBLE_EQ(lag["coverage"].get<double>(), 0.8);
      double total = 0;
      for (const auto& p : lag["distribution"]) {
        EXPECT_GE(p["months"].get<int>(), 0);
        total += p["probability"].get<double>();
      }
      EXPECT_NEAR(total, 1.0, 1e-5) << lag.dump();
    }
  EXPECT_GE(j["cumulative"].back()["mass"].get<double>(), 0.8);
  EXPECT_TRUE(j["notes"].is_array());
  EXPECT_FALSE(j.contains("through"));
}

TEST(RouteReport, ErrorsNameTheParameter) {
  const Route route = parse_route(kRoute, "test.toml");
  const Cube cube = corridor();
  RouteRequest r = haitians();
  r.citizenship = "Narnia";
  const std::string country = error_of([&] { route_report(cube, route, r); });
  EXPECT_EQ(country.rfind("citizenship: unknown country 'Narnia'; nearest known: ", 0), 0u) << country;
  r = haitians();
  r.to = Period::parse("2020-12");
  EXPECT_EQ(error_of([&] { route_report(cube, route, r); }), "to: 2020-12 is before from 2021-01");
  r = haitians();
  r.window = std::make_pair(*Period::parse("2021-04"), *Period::parse("2021-03"));
  EXPECT_EQ(error_of([&] { route_report(cube, route, r); }).rfind("window: ", 0), 0u);
  r = haitians();
  r.through = Period::parse("2021");
  EXPECT_EQ(error_of([&] { route_report(cube, route, r); }).rfind("through: '2021' is not a month", 0), 0u);
}

TEST(RouteReport, ParsesMonthsAndWindowsAsTyped) {
  EXPECT_FALSE(parse_route_month("", "from"));
  EXPECT_EQ(parse_route_month("2021-08", "from")->to_string(), "2021-08");
  EXPECT_EQ(error_of([] { parse_route_month("2021-Q3", "to"); }), "to: '2021-Q3' is not a month (expected 2021-08)");
  EXPECT_FALSE(parse_route_window(""));
  const auto w = parse_route_window("2021-06..2021-10");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first.to_string() + " " + w->second.to_string(), "2021-06 2021-10");
  EXPECT_EQ(error_of([] { parse_route_window("2021-09"); }),
            "window: '2021-09' is not FROM..TO (e.g. 2021-06..2021-10)");
  EXPECT_EQ(error_of([] { parse_route_window("2021-10..2021-06"); }),
            "window: '2021-10..2021-06' is not FROM..TO with FROM <= TO");
}

TEST(RouteReport, SummaryListsCheckpointsAndTheirSources) {
  const nlohmann::json j = route_summary_json(parse_route(kRoute, "test.toml"));
  EXPECT_EQ(j["id"], "test-north");
  EXPECT_EQ(j["name"], "Test route");
  EXPECT_EQ(j["description"], "Gap to border");
  EXPECT_EQ(j["asylum_source"], "asylum-src");
  ASSERT_EQ(j["checkpoints"].size(), 3u);
  EXPECT_EQ(j["name_es"], "Test route");  // the name, when the file gives no Spanish one
  EXPECT_EQ(j["checkpoints"][2], nlohmann::json({{"id", "border"},
                                                 {"name", "The border"},
                                                 {"name_es", "The border"},
                                                 {"reporter", "USA"},
                                                 {"sources", {"us"}},
                                                 {"expected_lag_months", 1},
                                                 {"lag_spread_months", 1}}));
}

}  // namespace
}  // namespace atalaya
