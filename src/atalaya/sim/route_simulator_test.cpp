// Tests for the route simulator: the files it writes are deterministic,
// well-formed, and carry the injected events where the ground truth says.
#include "atalaya/sim/route_simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace atalaya::sim {
namespace {

namespace fs = std::filesystem;

const char* const kCsvFiles[] = {"pa-darien.csv", "hn-irregular-entries.csv", "mx-irregular-events.csv",
                                 "us-sw-encounters.csv"};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << p;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Minimal CSV reader: the simulator never quotes fields.
std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(slurp(p));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ls(line);
    while (std::getline(ls, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

// Darién counts by citizenship, in month order.
std::map<std::string, std::vector<long long>> series(const fs::path& csv) {
  std::map<std::string, std::vector<long long>> out;
  const auto rows = read_csv(csv);
  for (size_t i = 1; i < rows.size(); ++i) out[rows[i][1]].push_back(std::stoll(rows[i][2]));
  return out;
}

// Value for (citizenship, month) in one checkpoint file.
long long value_at(const fs::path& csv, const std::string& code, const std::string& month) {
  for (const auto& r : read_csv(csv))
    if (r.size() == 3 && r[0] == month && r[1] == code) return std::stoll(r[2]);
  ADD_FAILURE() << "no row for " << code << " " << month << " in " << csv;
  return -1;
}

double median(std::vector<long long> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? static_cast<double>(v[n / 2]) : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

class RouteSimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("atalaya-sim-test-" + std::string(info->name()) + "-" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
             std::to_string(counter++));
    fs::remove_all(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path dir(const std::string& name) const { return root_ / name; }

  fs::path root_;
};

TEST_F(RouteSimulatorTest, WritesEveryFileWithHeadersAndMappings) {
  const SimulationResult r = simulate_route(SimulationConfig{}, dir("a").string());
  ASSERT_EQ(r.files.size(), 9u);
  for (const auto& f : r.files) EXPECT_TRUE(fs::is_regular_file(f)) << f;

  EXPECT_EQ(read_csv(dir("a") / "pa-darien.csv")[0], (std::vector<std::string>{"month", "nationality", "persons"}));
  EXPECT_EQ(read_csv(dir("a") / "hn-irregular-entries.csv")[0],
            (std::vector<std::string>{"periodo", "nacionalidad", "personas"}));
  EXPECT_EQ(read_csv(dir("a") / "mx-irregular-events.csv")[0], (std::vector<std::string>{"t", "nat", "n"}));
  EXPECT_EQ(read_csv(dir("a") / "us-sw-encounters.csv")[0],
            (std::vector<std::string>{"month", "citizenship", "encounters"}));
  EXPECT_EQ(read_csv(dir("a") / "ground-truth.csv")[0],
            (std::vector<std::string>{"event_id", "citizenship", "checkpoint_source", "start", "peak", "end",
                                      "magnitude"}));

  EXPECT_EQ(slurp(dir("a") / "pa-darien.toml"),
            "[source]\n"
            "id = \"sim-pa-darien\"\n"
            "name = \"Simulated: irregular transit through the Darién\"\n"
            "reporter = \"PAN\"\n"
            "event = \"irregular_transit\"\n"
            "location = \"Darién\"\n"
            "unit = \"persons\"\n"
            "status = \"final\"\n"
            "simulated = true\n"
            "coverage = \"simulated\"\n"
            "\n"
            "[columns]\n"
            "period = \"month\"\n"
            "citizenship = \"nationality\"\n"
            "count = \"persons\"\n"
            "\n"
            "[period]\n"
            "format = \"YYYY-MM\"\n");
  const std::string us = slurp(dir("a") / "us-sw-encounters.toml");
  EXPECT_NE(us.find("id = \"sim-us-cbp\"\n"), std::string::npos);
  EXPECT_NE(us.find("location = \"Southwest Land Border\"\n"), std::string::npos);
  EXPECT_NE(us.find("unit = \"events\"\n"), std::string::npos);
  const std::string mx = slurp(dir("a") / "mx-irregular-events.toml");
  EXPECT_NE(mx.find("reporter = \"MEX\"\n"), std::string::npos);
  EXPECT_NE(mx.find("event = \"irregular_event\"\n"), std::string::npos);
  const std::string hn = slurp(dir("a") / "hn-irregular-entries.toml");
  EXPECT_NE(hn.find("id = \"sim-hn-inm\"\n"), std::string::npos);
  EXPECT_NE(hn.find("count = \"personas\"\n"), std::string::npos);
}

TEST_F(RouteSimulatorTest, SameSeedGivesByteIdenticalFiles) {
  const SimulationResult a = simulate_route(SimulationConfig{}, dir("a").string());
  const SimulationResult b = simulate_route(SimulationConfig{}, dir("b").string());
  ASSERT_EQ(a.files.size(), b.files.size());
  for (const auto& f : a.files) {
    const fs::path name = fs::path(f).filename();
    EXPECT_EQ(slurp(dir("a") / name), slurp(dir("b") / name)) << name;
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].citizenship, b.events[i].citizenship);
    EXPECT_EQ(a.events[i].peak, b.events[i].peak);
    EXPECT_EQ(a.events[i].magnitude, b.events[i].magnitude);
  }
}

TEST_F(RouteSimulatorTest, DifferentSeedsGiveDifferentData) {
  SimulationConfig other;
  other.seed = 7;
  simulate_route(SimulationConfig{}, dir("a").string());
  simulate_route(other, dir("b").string());
  for (const char* f : kCsvFiles) EXPECT_NE(slurp(dir("a") / f), slurp(dir("b") / f)) << f;
  EXPECT_NE(slurp(dir("a") / "ground-truth.csv"), slurp(dir("b") / "ground-truth.csv"));
}

TEST_F(RouteSimulatorTest, CountsAreNonNegativeIntegersForEveryMonthAndCitizenship) {
  const SimulationConfig cfg;
  simulate_route(cfg, dir("a").string());
  for (const char* f : kCsvFiles) {
    const auto rows = read_csv(dir("a") / f);
    ASSERT_EQ(rows.size(), 1 + static_cast<size_t>(cfg.months) * cfg.citizenships.size()) << f;
    for (size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 3u) << f << " row " << i;
      const std::string& n = rows[i][2];
      ASSERT_FALSE(n.empty()) << f << " row " << i;
      EXPECT_TRUE(std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
          << f << " row " << i << ": " << n;
      EXPECT_EQ(rows[i][1], cfg.citizenships[(i - 1) % cfg.citizenships.size()]);
    }
    EXPECT_EQ(rows[1][0], "2016-01");
    EXPECT_EQ(rows.back()[0], "2024-12");  // 108 months from 2016-01
  }
  const std::string text = slurp(dir("a") / "pa-darien.csv");
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(RouteSimulatorTest, GroundTruthHasEveryCheckpointForEachEvent) {
  const SimulationConfig cfg;
  const SimulationResult r = simulate_route(cfg, dir("a").string());
  ASSERT_EQ(r.events.size(), static_cast<size_t>(cfg.events));
  const auto rows = read_csv(dir("a") / "ground-truth.csv");
  ASSERT_EQ(rows.size(), 1 + 4 * r.events.size());

  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_event;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 7u);
    by_event[rows[i][0]][rows[i][2]] = rows[i];
  }
  ASSERT_EQ(by_event.size(), r.events.size());
  for (size_t e = 0; e < r.events.size(); ++e) {
    const auto& cps = by_event["E" + std::to_string(e + 1)];
    ASSERT_EQ(cps.size(), 4u);
    for (const char* src : {"sim-pa-darien", "sim-hn-inm", "sim-mx-upm", "sim-us-cbp"}) {
      ASSERT_TRUE(cps.count(src)) << src;
      const auto& row = cps.at(src);
      EXPECT_EQ(row[1], r.events[e].citizenship);
      EXPECT_LE(row[3], row[4]);  // "YYYY-MM" orders as text
      EXPECT_LE(row[4], row[5]);
      EXPECT_GE(row[3], r.events[e].start) << "a checkpoint cannot see an event before the Darién";
      EXPECT_GT(std::stod(row[6]), 1.0);
    }
    const auto& darien = cps.at("sim-pa-darien");
    EXPECT_EQ(darien[3], r.events[e].start);
    EXPECT_EQ(darien[4], r.events[e].peak);
    EXPECT_EQ(darien[5], r.events[e].end);
    EXPECT_GE(r.events[e].magnitude, 3.0);
    EXPECT_LE(r.events[e].magnitude, 8.0);
  }
}

TEST_F(RouteSimulatorTest, DarienPeakPrecedesOrEqualsBorderPeak) {
  for (uint64_t seed : {20211ull, 1ull, 42ull, 999ull}) {
    SimulationConfig cfg;
    cfg.seed = seed;
    const fs::path out = dir("s" + std::to_string(seed));
    simulate_route(cfg, out.string());
    std::map<std::string, std::map<std::string, std::string>> peak;  // event -> source -> peak
    const auto rows = read_csv(out / "ground-truth.csv");
    for (size_t i = 1; i < rows.size(); ++i) peak[rows[i][0]][rows[i][2]] = rows[i][4];
    ASSERT_EQ(peak.size(), 4u);
    for (auto& [id, p] : peak) {
      EXPECT_LE(p["sim-pa-darien"], p["sim-hn-inm"]) << "seed " << seed << " " << id;
      EXPECT_LE(p["sim-hn-inm"], p["sim-mx-upm"]) << "seed " << seed << " " << id;
      EXPECT_LE(p["sim-mx-upm"], p["sim-us-cbp"]) << "seed " << seed << " " << id;
      EXPECT_LE(p["sim-pa-darien"], p["sim-us-cbp"]) << "seed " << seed << " " << id;
    }
  }
}

TEST_F(RouteSimulatorTest, EventSurgeIsVisibleAtTheDarien) {
  for (uint64_t seed : {20211ull, 1ull, 42ull, 999ull}) {
    SimulationConfig cfg;
    cfg.seed = seed;
    const fs::path out = dir("s" + std::to_string(seed));
    const SimulationResult r = simulate_route(cfg, out.string());
    const auto darien = series(out / "pa-darien.csv");
    for (const SimulatedEvent& e : r.events) {
      const long long at_peak = value_at(out / "pa-darien.csv", e.citizenship, e.peak);
      const double med = median(darien.at(e.citizenship));
      EXPECT_GE(static_cast<double>(at_peak), 2.0 * med)
          << "seed " << seed << ": " << e.citizenship << " peak " << e.peak << " value " << at_peak
          << " vs median " << med;
    }
  }
}

TEST_F(RouteSimulatorTest, EventsOfOneCitizenshipDoNotOverlap) {
  SimulationConfig cfg;
  cfg.citizenships = {"VEN", "HTI"};
  cfg.events = 6;  // forces several events per citizenship
  const SimulationResult r = simulate_route(cfg, dir("a").string());
  ASSERT_EQ(r.events.size(), 6u);
  for (size_t i = 0; i < r.events.size(); ++i)
    for (size_t j = i + 1; j < r.events.size(); ++j) {
      const SimulatedEvent& a = r.events[i];
      const SimulatedEvent& b = r.events[j];
      if (a.citizenship != b.citizenship) continue;
      EXPECT_TRUE(a.end < b.start || b.end < a.start)
          << a.citizenship << " " << a.start << ".." << a.end << " vs " << b.start << ".." << b.end;
    }
}

TEST_F(RouteSimulatorTest, NoEventsMeansEmptyGroundTruth) {
  SimulationConfig cfg;
  cfg.events = 0;
  const SimulationResult r = simulate_route(cfg, dir("a").string());
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(read_csv(dir("a") / "ground-truth.csv").size(), 1u);
}

TEST_F(RouteSimulatorTest, IoFailureNamesThePath) {
  fs::create_directories(root_);
  const fs::path blocker = root_ / "not-a-dir";
  std::ofstream(blocker) << "x";
  const fs::path out = blocker / "out";
  try {
    simulate_route(SimulationConfig{}, out.string());
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
  }
}

TEST_F(RouteSimulatorTest, RejectsUnusableConfig) {
  SimulationConfig bad_month;
  bad_month.first_month = 13;
  EXPECT_THROW(simulate_route(bad_month, dir("a").string()), std::invalid_argument);
  SimulationConfig no_codes;
  no_codes.citizenships.clear();
  EXPECT_THROW(simulate_route(no_codes, dir("a").string()), std::invalid_argument);
  SimulationConfig too_short;
  too_short.months = 10;  // an event and its downstream footprint need more room
  EXPECT_THROW(simulate_route(too_short, dir("a").string()), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya::sim
