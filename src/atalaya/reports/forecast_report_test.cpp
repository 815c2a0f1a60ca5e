#include "atalaya/analysis/stored_series_testing.h"
#include "atalaya/reports/forecast_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

// Monthly counts from `first` for one citizenship of one source.
StoredSeries monthly(const std::string& source, const std::string& citizenship, const std::vector<double>& values,
                     const char* first = "2019-01") {
  return testing::monthly_series(SeriesKey{source, "USA", "", citizenship, "encounter", "", ""}, first, values);
}

// us, 2019-01..2024-12: Haitians (72 seasonal months), Venezuelans (the last
// 60, half as many), Cubans (the last month only). pa: Haitians.
Cube border() {
  std::vector<StoredSeries> s;
  std::vector<double> hti = testing::seasonal_multiplicative(72, 7);
  std::vector<double> ven = testing::seasonal_multiplicative(60, 8);
  for (double& v : ven) v /= 2;
  s.push_back(monthly("us", "HTI", hti));
  s.push_back(monthly("us", "VEN", ven, "2020-01"));
  s.push_back(monthly("us", "CUB", {40}, "2024-12"));
  s.push_back(monthly("pa", "HTI", testing::seasonal_multiplicative(72, 9)));
  return Cube(std::move(s));
}

ForecastRequest by_citizenship() {
  ForecastRequest r;
  r.query.filters["source"] = {"us"};
  r.query.by = {"citizenship"};
  r.horizon = 4;
  return r;
}

std::string last_parameter;  // Error::parameter() of the last error error_of caught ("" for a plain one)

template <typename Run>
std::string error_of(Run run) {
  last_parameter.clear();
  try {
    run();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument) << e.what();
    last_parameter = e.parameter();
    return e.what();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ForecastReport, OneForecastPerGroupWithOrderedIntervals) {
  const nlohmann::json j = forecast_report(border(), by_citizenship());
  EXPECT_EQ(j["horizon"], 4);
  EXPECT_EQ(j["levels"], nlohmann::json({80.0, 95.0}));
  EXPECT_EQ(j["by"], nlohmann::json({"citizenship"}));
  ASSERT_EQ(j["groups"].size(), 2u);
  EXPECT_EQ(j["groups"][0]["group"]["citizenship"], "HTI");
  EXPECT_EQ(j["groups"][0]["title"], "source=us citizenship=HTI");
  EXPECT_EQ(j["groups"][1]["group"]["citizenship"], "VEN");
  ASSERT_EQ(j["skipped"].size(), 1u);  // one month of Cubans
  EXPECT_NE(j["skipped"][0].get<std::string>().find("citizenship=CUB: only 1 month"), std::string::npos);
  EXPECT_TRUE(j["notes"].empty());
  for (auto& g : j["groups"]) {
    EXPECT_EQ(g["history"].size(), 12u);
    EXPECT_EQ(g["last_month"], g["history"].back()["month"]);
    ASSERT_EQ(g["forecast"].size(), 4u);
    EXPECT_EQ(g["forecast"][0]["month"], Period::parse(g["last_month"].get<std::string>())->plus_months(1).to_string());
    for (auto& f : g["forecast"]) {
      const double lo95 = f["lower_95"], lo80 = f["lower_80"], mean = f["mean"], hi80 = f["upper_80"],
                   hi95 = f["upper_95"];
      EXPECT_LE(0, lo95);
      EXPECT_LE(lo95, lo80);
      EXPECT_LE(lo80, mean);
      EXPECT_LE(mean, hi80);
      EXPECT_LE(hi80, hi95);
    }
  }
}

TEST(ForecastReport, TopKeepsTheLargestGroupsAndSaysSo) {
  ForecastRequest r = by_citizenship();
  r.top = 1;
  const nlohmann::json j = forecast_report(border(), r);
  ASSERT_EQ(j["groups"].size(), 1u);
  EXPECT_EQ(j["groups"][0]["group"]["citizenship"], "HTI");
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_EQ(j["notes"][0], "3 groups; keeping the 1 largest by their last 12 months (top=N to change, top=0 for all)");
}

TEST(ForecastReport, LeadingModelUsesTheUpstreamAtTheGivenLag) {
  ForecastRequest r;
  r.query.filters["source"] = {"us"};
  r.query.filters["citizenship"] = {"Haiti"};
  r.leading = {"pa:1"};
  r.horizon = 2;
  const ForecastResult result = run_forecasts(border(), r);
  ASSERT_EQ(result.groups.size(), 1u);
  const auto& notes = result.groups[0].notes;
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0], "lag pa -> downstream: 1 month (given)");
}

TEST(ForecastReport, ErrorsNameTheParameter) {
  const Cube cube = border();
  auto forecast_with = [&](auto change) {
    ForecastRequest r = by_citizenship();
    change(r);
    return error_of([&] { forecast_report(cube, r); });
  };
  const std::string horizon = forecast_with([](ForecastRequest& r) { r.horizon = 0; });
  EXPECT_EQ(horizon.rfind("horizon: must be at least 1 month", 0), 0u) << horizon;
  EXPECT_EQ(last_parameter, "horizon");
  const std::string country =
      forecast_with([](ForecastRequest& r) { r.query.filters["citizenship"] = {"Narnia"}; });
  EXPECT_EQ(country.rfind("citizenship: unknown country 'Narnia'", 0), 0u) << country;
  EXPECT_EQ(last_parameter, "citizenship");
  const std::string leading = forecast_with([](ForecastRequest& r) { r.leading = {"nope"}; });
  EXPECT_EQ(leading.rfind("leading: no source 'nope'", 0), 0u) << leading;
  EXPECT_EQ(forecast_with([](ForecastRequest& r) { r.levels = {80, 100}; }).rfind("level: ", 0), 0u);
  EXPECT_EQ(forecast_with([](ForecastRequest& r) { r.model = "arima"; }).rfind("model: ", 0), 0u);
  EXPECT_EQ(forecast_with([](ForecastRequest& r) { r.max_lag = -1; }).rfind("max_lag: ", 0), 0u);
  EXPECT_EQ(last_parameter, "max_lag");
  // A selection without data is a plain message, naming no parameter.
  const std::string empty = forecast_with([](ForecastRequest& r) { r.query.from = Period::parse("2030-01"); });
  EXPECT_EQ(empty.rfind("no monthly data for the selection", 0), 0u) << empty;
  EXPECT_EQ(last_parameter, "");
}

TEST(BacktestReport, ScoresEveryModelAndSummarises) {
  ForecastRequest r = by_citizenship();
  r.horizon = 3;
  r.origins = 6;
  const nlohmann::json j = backtest_report(border(), r);
  EXPECT_EQ(j["origins"], 6);
  ASSERT_EQ(j["groups"].size(), 2u);
  EXPECT_EQ(j["skipped"].size(), 1u);
  for (auto& g : j["groups"]) {
    ASSERT_EQ(g["models"].size(), 3u);
    EXPECT_EQ(g["models"][0]["model"], "snaive");
    EXPECT_DOUBLE_EQ(g["models"][0]["relative_mase"].get<double>(), 1.0);
    EXPECT_EQ(g["models"][2]["origins_scored"], 6);
    EXPECT_TRUE(g["models"][2].contains("coverage_80"));
  }
  const auto& summary = j["summary"];
  EXPECT_EQ(summary["groups"], 2);
  ASSERT_EQ(summary["models"].size(), 3u);
  EXPECT_EQ(summary["models"][0]["model"], "snaive");
  EXPECT_DOUBLE_EQ(summary["models"][0]["relative_mase"].get<double>(), 1.0);
  EXPECT_EQ(summary["models"][0]["scored"], 2);
  EXPECT_FALSE(summary.contains("upstream_helps"));
}

TEST(BacktestReport, ErrorsNameTheParameter) {
  ForecastRequest r = by_citizenship();
  r.origins = 0;
  EXPECT_EQ(error_of([&] { backtest_report(border(), r); }).rfind("origins: must be at least 1", 0), 0u);
  r.origins = 6;
  r.models = {"leading"};
  EXPECT_EQ(error_of([&] { backtest_report(border(), r); }).rfind("models: 'leading' needs leading", 0), 0u);
  // Too short everywhere, one group: the group's own reason.
  ForecastRequest venezuelans = by_citizenship();
  venezuelans.query.filters["citizenship"] = {"VEN"};
  venezuelans.origins = 60;
  const std::string short_one = error_of([&] { backtest_report(border(), venezuelans); });
  EXPECT_NE(short_one.find("need at least"), std::string::npos) << short_one;
  EXPECT_EQ(last_parameter, "");
}

}  // namespace
}  // namespace atalaya
