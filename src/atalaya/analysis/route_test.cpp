#include "atalaya/analysis/stored_series_testing.h"
#include "atalaya/analysis/route.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "atalaya/analysis/synthetic_series_testing.h"
#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

using testing::Normal;

// ------------------------------------------------------------- parsing ---

const char* kRoute = R"(# a test route
[route]
id = "test-north"
name = "Test route"

[asylum]
source = "asylum-src"
receiving_share = 0.1

[[checkpoint]]
id = "gap"
name = "The gap"
reporter = "Panama"
sources = ["real-pa", "sim-pa"]

[[checkpoint]]
id = "middle"
reporter = "HND"
sources = ["real-hn"]
expected_lag_months = 0

[[checkpoint]]
id = "border"
name = "The border"
reporter = "USA"
sources = ["real-us"]
select = { event = ["encounter"] }
expected_lag_months = 2
max_lag_months = 5
)";

TEST(ParseRoute, ReadsCheckpointsInOrder) {
  Route r = parse_route(kRoute, "test.toml");
  EXPECT_EQ(r.id, "test-north");
  EXPECT_EQ(r.asylum_source, "asylum-src");
  EXPECT_DOUBLE_EQ(r.receiving_share, 0.1);
  ASSERT_EQ(r.checkpoints.size(), 3u);
  EXPECT_EQ(r.checkpoints[0].reporter, "PAN");  // a name harmonises to the code
  EXPECT_EQ(r.checkpoints[0].sources, (std::vector<std::string>{"real-pa", "sim-pa"}));
  EXPECT_EQ(r.checkpoints[0].line, 10u);
  EXPECT_EQ(r.checkpoints[1].name, "middle");  // the id when no name is given
  EXPECT_EQ(r.checkpoints[1].max_lag_months, 3);
  EXPECT_EQ(r.checkpoints[2].expected_lag_months, 2);
  EXPECT_EQ(r.checkpoints[2].max_lag_months, 5);
  EXPECT_EQ(r.checkpoints[2].selection.at("event"), (std::vector<std::string>{"encounter"}));
  EXPECT_EQ(r.checkpoints[2].lag_spread_months, 1);  // the default
}

TEST(ParseRoute, ShippedDarienRouteReads) {
  const auto path = std::filesystem::path(ATALAYA_SOURCE_DIR) / "routes/darien-north.toml";
  Route r = load_route_file(path.string());
  ASSERT_EQ(r.checkpoints.size(), 4u);
  std::vector<std::string> reporters;
  for (auto& c : r.checkpoints) reporters.push_back(c.reporter);
  EXPECT_EQ(reporters, (std::vector<std::string>{"PAN", "HND", "MEX", "USA"}));
  EXPECT_EQ(r.asylum_source, "unhcr-asylum-applications");
  // Spanish names where the file gives them, else the English ones.
  EXPECT_EQ(r.checkpoints[2].name_es, "México");
  EXPECT_EQ(r.checkpoints[1].name_es, "Honduras");
  EXPECT_NE(r.name_es, r.name);
}

// The message of the error parsing `text` throws (empty if none).
std::string error_of(const std::string& text) {
  try {
    parse_route(text, "bad.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string with(const std::string& from, const std::string& to) {
  std::string s = kRoute;
  const size_t at = s.find(from);
  if (at == std::string::npos) throw std::logic_error("test text not found: " + from);
  return s.replace(at, from.size(), to);
}

TEST(ParseRoute, ReadsTheDeclaredSpread) {
  Route r = parse_route(with("max_lag_months = 5", "max_lag_months = 5\nlag_spread_months = 2"), "t.toml");
  EXPECT_EQ(r.checkpoints[2].lag_spread_months, 2);
  EXPECT_EQ(r.checkpoints[1].lag_spread_months, 1);
}

TEST(ParseRoute, ErrorsNameFileLineAndField) {
  std::string e = error_of(with("reporter = \"HND\"", "reporter = \"Hondoras\""));
  EXPECT_NE(e.find("bad.toml:18:"), std::string::npos) << e;
  EXPECT_NE(e.find("checkpoint[2].reporter"), std::string::npos) << e;
  EXPECT_NE(e.find("Honduras"), std::string::npos) << e;  // the nearest name is suggested

  e = error_of(with("max_lag_months = 5", "max_lags = 5"));
  EXPECT_NE(e.find("bad.toml:29:"), std::string::npos) << e;
  EXPECT_NE(e.find("checkpoint[3].max_lags"), std::string::npos) << e;

  e = error_of(with("expected_lag_months = 2", "expected_lag_months = \"two\""));
  EXPECT_NE(e.find("bad.toml:28:"), std::string::npos) << e;
  EXPECT_NE(e.find("whole number of months"), std::string::npos) << e;

  e = error_of(with("id = \"middle\"", "id = \"gap\""));
  EXPECT_NE(e.find("checkpoint[2].id"), std::string::npos) << e;
  EXPECT_NE(e.find("not used by an earlier checkpoint"), std::string::npos) << e;

  e = error_of(with("select = { event = [\"encounter\"] }", "select = { citizenship = [\"HTI\"] }"));
  EXPECT_NE(e.find("checkpoint[3].select.citizenship"), std::string::npos) << e;

  e = error_of(with("select = { event = [\"encounter\"] }", "select = { colour = [\"red\"] }"));
  EXPECT_NE(e.find("select.colour"), std::string::npos) << e;

  e = error_of(with("select = { event = [\"encounter\"] }", "select = { event = [\"crossing\"] }"));
  EXPECT_NE(e.find("\"crossing\""), std::string::npos) << e;

  e = error_of(with("receiving_share = 0.1", "receiving_share = 5"));
  EXPECT_NE(e.find("bad.toml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("asylum.receiving_share"), std::string::npos) << e;

  e = error_of(with("sources = [\"real-hn\"]\nexpected_lag_months = 0\n", "sources = [\"real-hn\"]\n"));
  EXPECT_NE(e.find("checkpoint[2].expected_lag_months"), std::string::npos) << e;

  e = error_of(with("reporter = \"Panama\"", "reporter = \"Panama\"\nexpected_lag_months = 1"));
  EXPECT_NE(e.find("first checkpoint has no previous one"), std::string::npos) << e;

  e = error_of(with("expected_lag_months = 2\nmax_lag_months = 5", "expected_lag_months = 6\nmax_lag_months = 5"));
  EXPECT_NE(e.find("at most max_lag_months (5)"), std::string::npos) << e;

  e = error_of(with("reporter = \"Panama\"", "reporter = \"Panama\"\nlag_spread_months = 1"));
  EXPECT_NE(e.find("checkpoint[1].lag_spread_months"), std::string::npos) << e;
  EXPECT_NE(e.find("no lag to spread"), std::string::npos) << e;

  e = error_of(with("max_lag_months = 5", "max_lag_months = 5\nlag_spread_months = -1"));
  EXPECT_NE(e.find("checkpoint[3].lag_spread_months"), std::string::npos) << e;

  e = error_of(with("[route]", "[rout]"));
  EXPECT_NE(e.find("bad.toml:2:"), std::string::npos) << e;

  e = error_of(with("name = \"Test route\"", "name = \"Test route"));
  EXPECT_NE(e.find("valid TOML"), std::string::npos) << e;

  e = error_of(std::string(kRoute).substr(0, std::string(kRoute).find("[[checkpoint]]\nid = \"middle\"")));
  EXPECT_NE(e.find("at least two checkpoints"), std::string::npos) << e;

  e = error_of(with("sources = [\"real-us\"]\n", ""));
  EXPECT_NE(e.find("checkpoint[3].sources"), std::string::npos) << e;
}

TEST(ParseRoute, MissingFileIsAnInputError) {
  EXPECT_THROW(load_route_file("/nonexistent/route.toml"), InputError);
}

// ----------------------------------------------------------- the cube ---

StoredSeries series(const std::string& source, const std::string& reporter, const std::string& citizenship,
                    const std::string& event, Period start, const std::vector<double>& values) {
  return testing::monthly_series(SeriesKey{source, reporter, "", citizenship, event, "", ""}, start.to_string(),
                                 values);
}

StoredSeries annual(const std::string& source, const std::string& reporter, const std::string& citizenship,
                    std::vector<std::pair<int, int64_t>> years) {
  StoredSeries s;
  s.key = SeriesKey{source, reporter, "", citizenship, "asylum_application", "", ""};
  s.unit = Unit::Persons;
  for (auto [y, v] : years) s.points.push_back(StoredPoint{Period::year(y), v, Status::Final, 1});
  return s;
}

// A surging upstream flow and what reaches a downstream checkpoint `lag`
// months later (90% of it, 5% noise), over `months` months.
struct Flow {
  std::vector<double> up, down;
};
Flow flow(int months, int lag, double level, uint64_t seed) {
  Normal z(seed);
  std::vector<double> raw;
  double wobble = 0;
  for (int t = 0; t < months + lag; ++t) {
    wobble = 0.7 * wobble + 0.25 * z();
    double surge = 1;
    for (int start : {12, 30, 47, 63})
      if (t >= start && t < start + 4) surge += 2.5 * std::sin(3.14159 * (t - start + 0.5) / 4);
    raw.push_back(std::round(level * std::exp(wobble) * surge));
  }
  Flow f;
  for (int t = lag; t < months + lag; ++t) {
    f.up.push_back(raw[t]);
    f.down.push_back(std::round(0.9 * raw[t - lag] * std::exp(0.05 * z())));
  }
  return f;
}

Route test_route() { return parse_route(kRoute, "test.toml"); }
const Period kStart = Period::month(2019, 1);

TEST(CheckpointSource, FirstSourceTheCubeHoldsIsUsed) {
  Cube cube({series("sim-pa", "PAN", "HTI", "irregular_transit", kStart, {1, 2})});
  Route r = test_route();
  EXPECT_EQ(checkpoint_source(cube, r.checkpoints[0]), "sim-pa");
  EXPECT_EQ(checkpoint_source(cube, r.checkpoints[1]), "");
  Cube both({series("sim-pa", "PAN", "HTI", "irregular_transit", kStart, {1}),
             series("real-pa", "PAN", "HTI", "irregular_transit", kStart, {5})});
  EXPECT_EQ(checkpoint_source(both, r.checkpoints[0]), "real-pa");
}

TEST(RouteSeries, SelectsTheCitizenshipAndTheCheckpointsEvents) {
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", kStart, {10, 20, 30}),
             series("real-pa", "PAN", "VEN", "irregular_transit", kStart, {1, 1, 1}),
             series("real-us", "USA", "HTI", "apprehension", kStart, {5, 6, 7}),
             series("real-us", "USA", "HTI", "expulsion", kStart, {1, 1, 1}),
             series("real-us", "USA", "HTI", "return", kStart, {100, 100, 100})});
  auto s = route_series(cube, test_route(), "Haiti", Period::month(2019, 2), std::nullopt);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].series.values, (std::vector<double>{20, 30}));
  EXPECT_FALSE(s[1].has_data());
  EXPECT_EQ(s[2].series.values, (std::vector<double>{7, 8}));  // encounter: apprehension + expulsion
  auto pooled = route_series(cube, test_route(), "");
  EXPECT_EQ(pooled[0].series.values, (std::vector<double>{11, 21, 31}));
}

// --------------------------------------------------------------- lags ---

TEST(RouteLags, BridgesACheckpointWithoutData) {
  Flow f = flow(72, 2, 3000, 5);
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", kStart, f.up),
             series("real-us", "USA", "HTI", "encounter", kStart, f.down)});
  RouteLags lags = estimate_route_lags(cube, test_route(), "HTI");
  ASSERT_EQ(lags.hops.size(), 1u);
  const RouteHop& hop = lags.hops[0];
  EXPECT_EQ(hop.from, 0u);
  EXPECT_EQ(hop.to, 2u);
  EXPECT_EQ(hop.prior, 2);     // 0 + 2 declared
  EXPECT_EQ(hop.max_lag, 8);   // 3 + 5
  EXPECT_EQ(hop.basis, "citizenship");
  EXPECT_TRUE(hop.lag.estimated) << hop.lag.note;
  EXPECT_EQ(hop.lag.months, 2);
  ASSERT_EQ(lags.cumulative.size(), 3u);
  EXPECT_EQ(lags.cumulative[0].months, 0);
  // Honduras: the declared 0 months (0 to 1), not measured.
  EXPECT_EQ(lags.cumulative[1].months, 0);
  EXPECT_EQ(lags.cumulative[1].high, 1);
  EXPECT_FALSE(lags.cumulative[1].from_data);
  EXPECT_EQ(lags.cumulative[2].months, 2);
  EXPECT_LE(lags.cumulative[2].low, 2);
  EXPECT_GE(lags.cumulative[2].high, 2);
  EXPECT_TRUE(lags.cumulative[2].from_data);
  ASSERT_EQ(lags.notes.size(), 1u);
  EXPECT_NE(lags.notes[0].find("middle: no data"), std::string::npos) << lags.notes[0];
}

TEST(RouteLags, CumulativeDistributionsAreConvolved) {
  RouteLags lags;
  lags.sources = {"a", "b", "c", ""};
  lags.declared = {0, 1, 1, 2};
  lags.spread = {1, 1, 1, 1};
  RouteHop h1{0, 1, 1, 4, {}, "citizenship"}, h2{1, 2, 1, 4, {}, "pooled"};
  h1.lag.months = 1, h1.lag.low = 0, h1.lag.high = 2, h1.lag.estimated = true;
  h1.lag.distribution = {0, {0.2, 0.6, 0.2}};
  h2.lag.months = 2, h2.lag.low = 1, h2.lag.high = 3, h2.lag.estimated = true;
  h2.lag.distribution = {0, {0, 0.1, 0.8, 0.1}};
  lags.hops = {h1, h2};
  // The sum: 1 to 5 months with 2%, 22%, 52%, 22%, 2%.
  CumulativeLag c = lag_between(lags, 0, 2);
  EXPECT_EQ(c.months, 3);
  EXPECT_NEAR(c.distribution.at(3), 0.52, 1e-12);
  EXPECT_NEAR(c.distribution.at(1), 0.02, 1e-12);
  EXPECT_EQ(c.low, 2);   // 2% below 2 and above 4: within the 10% tails
  EXPECT_EQ(c.high, 4);
  EXPECT_NEAR(c.mass, 0.96, 1e-12);
  EXPECT_DOUBLE_EQ(c.coverage, 0.8);
  EXPECT_TRUE(c.from_data);
  // At 50% coverage the tails may hold 25% each: only the middle month stays.
  c = lag_between(lags, 0, 2, 0.5);
  EXPECT_EQ(c.low, 3);
  EXPECT_EQ(c.high, 3);
  EXPECT_NEAR(c.mass, 0.52, 1e-12);
  // From the second checkpoint only the second hop counts.
  c = lag_between(lags, 1, 2);
  EXPECT_EQ(c.months, 2);
  EXPECT_EQ(c.low, 2);
  EXPECT_EQ(c.high, 2);
  // The last checkpoint has no data: its declared 2 (1/4, 1/2, 1/4 on 1, 2,
  // 3) is added: 2 to 8 months with 0.5%, 6.5%, 24.5%, 37%, 24.5%, 6.5%, 0.5%.
  c = lag_between(lags, 0, 3);
  EXPECT_EQ(c.months, 5);
  EXPECT_EQ(c.low, 4);
  EXPECT_EQ(c.high, 6);
  EXPECT_NEAR(c.mass, 0.86, 1e-12);
  EXPECT_FALSE(c.from_data);
  // The interval always holds the hops' best lags added up.
  lags.hops[1].lag.months = 3;
  c = lag_between(lags, 1, 2);
  EXPECT_EQ(c.low, 2);
  EXPECT_EQ(c.high, 3);
  EXPECT_NEAR(c.mass, 0.9, 1e-12);
  EXPECT_THROW(lag_between(lags, 2, 1), std::out_of_range);
  EXPECT_THROW(lag_between(lags, 0, 4), std::out_of_range);
  EXPECT_THROW(lag_between(lags, 0, 2, 0), std::invalid_argument);
}

TEST(RouteLags, ThinCitizenshipFallsBackToPooled) {
  Flow ven = flow(72, 1, 4000, 7);
  // Haitians appear only in the last 12 months: too few to say.
  Flow hti = flow(12, 1, 200, 8);
  const Period late = kStart.plus_months(60);
  Cube cube({series("real-pa", "PAN", "VEN", "irregular_transit", kStart, ven.up),
             series("real-us", "USA", "VEN", "encounter", kStart, ven.down),
             series("real-pa", "PAN", "HTI", "irregular_transit", late, hti.up),
             series("real-us", "USA", "HTI", "encounter", late, hti.down)});
  RouteLags lags = estimate_route_lags(cube, test_route(), "HTI");
  ASSERT_EQ(lags.hops.size(), 1u);
  EXPECT_EQ(lags.hops[0].basis, "pooled");
  EXPECT_TRUE(lags.hops[0].lag.estimated);
  EXPECT_EQ(lags.hops[0].lag.months, 1);
  EXPECT_NE(lags.hops[0].lag.note.find("HTI series: only"), std::string::npos) << lags.hops[0].lag.note;
  EXPECT_NE(lags.hops[0].lag.note.find("pooled instead"), std::string::npos) << lags.hops[0].lag.note;
}

TEST(RouteLags, TooLittleDataFallsBackToTheDeclaredLag) {
  Flow f = flow(15, 1, 1000, 9);
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", kStart, f.up),
             series("real-us", "USA", "HTI", "encounter", kStart, f.down)});
  RouteLags lags = estimate_route_lags(cube, test_route(), "HTI");
  ASSERT_EQ(lags.hops.size(), 1u);
  EXPECT_EQ(lags.hops[0].basis, "prior");
  EXPECT_FALSE(lags.hops[0].lag.estimated);
  EXPECT_EQ(lags.hops[0].lag.months, 2);
  EXPECT_NE(lags.hops[0].lag.note.find("declared lag used"), std::string::npos) << lags.hops[0].lag.note;
  EXPECT_FALSE(lags.cumulative[2].from_data);
  // Bridging the middle checkpoint, the prior is its declared 0 (3/4 on 0,
  // 1/4 on 1) plus the border's declared 2 (1/4, 1/2, 1/4 on 1, 2, 3).
  const MonthDistribution& d = lags.hops[0].lag.distribution;
  EXPECT_DOUBLE_EQ(d.at(1), 0.1875);
  EXPECT_DOUBLE_EQ(d.at(2), 0.4375);
  EXPECT_DOUBLE_EQ(d.at(3), 0.3125);
  EXPECT_DOUBLE_EQ(d.at(4), 0.0625);
  EXPECT_EQ(lags.hops[0].lag.low, 1);
  EXPECT_EQ(lags.hops[0].lag.high, 3);
}

TEST(RouteLags, DeclaredSpreadWidensTheBridgedPrior) {
  Flow f = flow(15, 1, 1000, 9);
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", kStart, f.up),
             series("real-us", "USA", "HTI", "encounter", kStart, f.down)});
  Route r = test_route();
  r.checkpoints[1].lag_spread_months = 0;  // the middle: exactly 0 months
  r.checkpoints[2].lag_spread_months = 2;  // the border: 2 give or take 2
  RouteLags lags = estimate_route_lags(cube, r, "HTI");
  const MonthDistribution& d = lags.hops.at(0).lag.distribution;
  EXPECT_EQ(d.first, 0);
  EXPECT_EQ(d.last(), 4);
  EXPECT_DOUBLE_EQ(d.at(2), 3.0 / 9);
  EXPECT_EQ(lags.spread, (std::vector<int>{1, 0, 2}));
}

TEST(RouteLags, UsesNoMonthAfterThrough) {
  // Lag 1 for five years, then lag 3: an estimate through the fifth year must
  // not see the change, and must equal the one on the cube as it stood then.
  Flow early = flow(60, 1, 3000, 11), later = flow(60, 3, 3000, 12);
  std::vector<double> up = early.up, down = early.down;
  up.insert(up.end(), later.up.begin(), later.up.end());
  down.insert(down.end(), later.down.begin(), later.down.end());
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", kStart, up),
             series("real-us", "USA", "HTI", "encounter", kStart, down)});
  const Period through = kStart.plus_months(59);
  RouteLags then = estimate_route_lags(cube, test_route(), "HTI", through);
  EXPECT_EQ(then.hops.at(0).lag.months, 1);
  RouteLags replay = estimate_route_lags(cube.as_of(through), test_route(), "HTI");
  EXPECT_EQ(replay.hops.at(0).lag.months, then.hops.at(0).lag.months);
  EXPECT_EQ(replay.hops.at(0).lag.low, then.hops.at(0).lag.low);
  EXPECT_EQ(replay.hops.at(0).lag.high, then.hops.at(0).lag.high);
  EXPECT_EQ(replay.hops.at(0).lag.correlation, then.hops.at(0).lag.correlation);
}

// -------------------------------------------------------------- roles ---

// Haitians through all three checkpoints in 2021 (100 a month at the gap, 80
// in Honduras, 50 at the border) and asylum applications in each country.
Cube roles_cube(int64_t asylum_hnd, int64_t asylum_pan) {
  std::vector<double> gap(12, 100), middle(12, 80), border(12, 50);
  const Period jan = Period::month(2021, 1);
  return Cube({series("real-pa", "PAN", "HTI", "irregular_transit", jan, gap),
               series("real-hn", "HND", "HTI", "irregular_transit", jan, middle),
               series("real-us", "USA", "HTI", "encounter", jan, border),
               annual("asylum-src", "HND", "HTI", {{2020, 9999}, {2021, asylum_hnd}}),
               annual("asylum-src", "PAN", "HTI", {{2021, asylum_pan}}),
               annual("asylum-src", "USA", "HTI", {{2021, 5000}})});
}

std::map<std::string, std::string> roles_by_country(const RouteRoles& r) {
  std::map<std::string, std::string> out;
  for (auto& e : r.countries) out[e.country] = std::string(country_role_name(e.role));
  return out;
}

TEST(RouteRoles, AsylumTellsReceivingFromTransit) {
  // Honduras: 960 counted in 2021; 96 applications is the 10% share.
  RouteRoles r = route_roles(roles_cube(96, 10), test_route(), "Haiti", Period::month(2021, 6),
                             Period::month(2021, 8));
  auto roles = roles_by_country(r);
  EXPECT_EQ(roles["HTI"], "sending");
  EXPECT_EQ(roles["PAN"], "transit");
  EXPECT_EQ(roles["HND"], "transit-and-receiving");
  EXPECT_EQ(roles["USA"], "receiving");
  ASSERT_EQ(r.countries.size(), 4u);
  EXPECT_EQ(r.countries[0].country, "HTI");  // sending first, then the route's order
  EXPECT_EQ(r.countries[2].flow, 240);       // June to August
  EXPECT_EQ(r.countries[2].flow_in_years, 960);
  EXPECT_EQ(r.countries[2].asylum, 96);      // 2021 only: the window's year
  // One application fewer is below the share.
  roles = roles_by_country(route_roles(roles_cube(95, 10), test_route(), "HTI", Period::month(2021, 6),
                                       Period::month(2021, 8)));
  EXPECT_EQ(roles["HND"], "transit");
}

TEST(RouteRoles, WindowOverTwoYearsComparesBothYears) {
  RouteRoles r = route_roles(roles_cube(0, 10), test_route(), "HTI", Period::month(2020, 11),
                             Period::month(2021, 2));
  EXPECT_EQ(r.countries[2].asylum, 9999);  // 2020's applications count, 2021's are 0
  EXPECT_EQ(r.countries[2].role, CountryRole::TransitAndReceiving);
}

TEST(RouteRoles, NoFlowIsNotSeenAndNoDataIsDeclaredTransit) {
  const Period jan = Period::month(2021, 1);
  Cube cube({series("real-pa", "PAN", "HTI", "irregular_transit", jan, std::vector<double>(12, 100)),
             series("real-us", "USA", "HTI", "encounter", jan, std::vector<double>(12, 0)),
             series("real-us", "USA", "VEN", "encounter", jan, std::vector<double>(12, 9))});
  RouteRoles r = route_roles(cube, test_route(), "HTI", jan, jan.plus_months(2));
  auto roles = roles_by_country(r);
  EXPECT_EQ(roles["HND"], "transit");
  EXPECT_NE(render(r.countries[2].note, Language::En).find("no data"), std::string::npos);
  EXPECT_EQ(roles["USA"], "not seen");
  EXPECT_EQ(roles["PAN"], "transit");
  // The asylum source is not in this cube: said once.
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(render(r.notes[0], Language::En).find("asylum-src is not in the store"), std::string::npos);
}

TEST(RouteRoles, SourceWithoutTheCitizenshipKeepsTheDeclaredRole) {
  // Venezuelans are counted at the gap only; the border source folds them
  // away, which is not the same as counting none.
  const Period jan = Period::month(2021, 1);
  Cube cube({series("real-pa", "PAN", "VEN", "irregular_transit", jan, std::vector<double>(12, 100)),
             series("real-us", "USA", "OTH", "encounter", jan, std::vector<double>(12, 9))});
  RouteRoles r = route_roles(cube, test_route(), "VEN", jan, jan.plus_months(2));
  ASSERT_EQ(r.countries.size(), 4u);
  EXPECT_EQ(r.countries[3].role, CountryRole::Receiving);
  EXPECT_NE(render(r.countries[3].note, Language::En).find("real-us has no VEN series"), std::string::npos);
}

TEST(RouteRoles, GroupCitizenshipHasNoSendingCountry) {
  RouteRoles r = route_roles(roles_cube(0, 0), test_route(), "OOO", Period::month(2021, 1),
                             Period::month(2021, 2));
  for (auto& e : r.countries) EXPECT_NE(e.role, CountryRole::Sending);
  EXPECT_THROW(route_roles(roles_cube(0, 0), test_route(), "Atlantis", Period::month(2021, 1),
                           Period::month(2021, 2)),
               std::invalid_argument);
  EXPECT_THROW(route_roles(roles_cube(0, 0), test_route(), "HTI", Period::month(2021, 3),
                           Period::month(2021, 2)),
               std::invalid_argument);
}

TEST(RouteRoles, CheckpointInTheOwnCountryIsLeftOut) {
  auto roles = roles_by_country(route_roles(roles_cube(0, 0), test_route(), "Honduras",
                                            Period::month(2021, 1), Period::month(2021, 2)));
  EXPECT_EQ(roles["HND"], "sending");
}

// ------------------------------------------------------------- surges ---

TEST(SurgeWindow, FindsTheLargestRunAboveTwiceTheTrailingMedian) {
  MonthlySeries s;
  s.start = Period::month(2020, 1);
  //            2020: Jan ........................ Dec  2021: Jan ..................
  s.values = {100, 110, 90, 100, 105, 95, 100, 300, 100, 100, 100, 100, 100, 500, 900, 150, 800, 100, 100};
  auto w = surge_window(s);
  ASSERT_TRUE(w);
  // Aug 2020 (300) is a run of its own; Feb-May 2021 (one quiet month
  // inside) is larger.
  EXPECT_EQ(w->first, Period::month(2021, 2));
  EXPECT_EQ(w->second, Period::month(2021, 5));
  // Only within the months asked about.
  w = surge_window(s, Period::month(2020, 1), Period::month(2020, 12));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->first, Period::month(2020, 8));
  EXPECT_EQ(w->second, Period::month(2020, 8));
  MonthlySeries flat;
  flat.start = s.start;
  flat.values.assign(24, 50);
  EXPECT_FALSE(surge_window(flat));
}

}  // namespace
}  // namespace atalaya
