#include "atalaya/warning/evaluate.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

// 3 sources x 400 citizenship codes x 36 months: a flat 100 a month, except
// every 7th series, which jumps to 5,000 in its last month, and every 11th,
// which has no value in its last month (its source covers it: a 0).
Cube hemisphere() {
  std::vector<StoredSeries> all;
  for (const char* source : {"pa", "hn", "mx"})
    for (int c = 0; c < 400; ++c) {
      StoredSeries s;
      s.key.source = source;
      s.key.reporter = "PAN";
      char code[8];
      std::snprintf(code, sizeof code, "C%03d", c);
      s.key.citizenship = code;
      s.key.event = "encounter";
      const int row = static_cast<int>(all.size());
      for (int m = 0; m < 36; ++m) {
        if (m == 35 && row % 11 == 0) continue;
        const int64_t v = m == 35 && row % 7 == 0 ? 5000 : 100 + (m % 12);
        s.points.push_back({Period::month(2022, 1).plus_months(m), v, Status::Final, 1});
      }
      all.push_back(std::move(s));
    }
  return Cube(std::move(all));
}

const char* kTriggers = R"([settings]
evidence_months = 6

[[trigger]]
id = "surge"
name = "Surge"
rule = "growth"
select = { event = ["encounter"] }
group_by = ["source", "citizenship"]
minimum_volume = 1000
compare = "trailing_mean"
window = 3
ratio = 2.0
min_increase = 1000

[[trigger]]
id = "large"
name = "Large"
rule = "threshold"
select = { event = ["encounter"] }
group_by = ["source", "citizenship"]
level = 4000

[[trigger]]
id = "shift"
name = "Shift"
rule = "cusum"
select = { event = ["encounter"] }
group_by = ["source", "citizenship"]
minimum_volume = 1000
)";

std::string text(const Evaluation& e) {
  std::string out = std::to_string(e.series_evaluated) + " evaluated, " + std::to_string(e.below_volume) + " below\n";
  for (const Firing& f : e.firings) {
    out += f.trigger + " " + key_text(f.key) + " " + f.period.to_string() + " " + f.evidence.explanation + " [" +
           f.evidence.recent_start.to_string();
    for (double v : f.evidence.recent) out += " " + std::to_string(v);
    out += "]\n";
  }
  std::set<std::string> keys;
  for (auto& [k, month] : e.evaluated) keys.insert(k + "@" + month.to_string());
  for (auto& k : keys) out += k + "\n";
  return out;
}

// The groups are split over threads in chunks; the answer must not depend
// on how many threads there are.
TEST(Evaluate, TheAnswerIsTheSameOnAnyNumberOfThreads) {
  const Cube cube = hemisphere();
  const TriggerSet set = parse_trigger_file(kTriggers, "t.toml");
  const Evaluation one = evaluate_triggers(cube, set, nullptr, 1);
  for (int threads : {2, 3, 8}) EXPECT_EQ(text(evaluate_triggers(cube, set, nullptr, threads)), text(one)) << threads;

  // What fired: the jumps (every 7th series, not the 77th, whose last month
  // is a 0), for the growth and threshold rules, in group order.
  std::vector<std::string> large;
  for (const Firing& f : one.firings)
    if (f.trigger == "large") large.push_back(key_text(f.key));
  std::vector<std::string> expected;
  for (const char* source : {"hn", "mx", "pa"})  // group order: by source, then citizenship
    for (int c = 0; c < 400; ++c) {
      const int row = (std::string(source) == "pa" ? 0 : std::string(source) == "hn" ? 1 : 2) * 400 + c;
      char key[64];
      std::snprintf(key, sizeof key, "citizenship=C%03d;source=%s", c, source);
      if (row % 7 == 0 && row % 11 != 0) expected.push_back(key);
    }
  EXPECT_EQ(large, expected);
  size_t surges = 0;
  for (const Firing& f : one.firings) surges += f.trigger == "surge";
  EXPECT_EQ(surges, expected.size());
  // Every group is evaluated by each trigger; only the threshold's and the
  // jumps' reach the rule.
  EXPECT_EQ(one.evaluated.size(), 3u * 1200u);
  EXPECT_EQ(one.series_evaluated, 1200u + 2 * expected.size());
  EXPECT_EQ(one.below_volume, 2 * (1200u - expected.size()));

  // With active alerts, only their keys are recorded.
  Alert a;
  a.trigger = "shift";
  a.key = {{"source", "mx"}, {"citizenship", "C005"}};
  const std::vector<Alert> active{a};
  const Evaluation some = evaluate_triggers(cube, set, &active, 2);
  ASSERT_EQ(some.evaluated.size(), 1u);
  EXPECT_EQ(some.evaluated.begin()->first, evaluated_key("shift", "citizenship=C005;source=mx"));
  EXPECT_EQ(some.firings.size(), one.firings.size());
}

// Two sources that declare they count some of the same people, each with a
// surge of Haitians and of "other" citizenships in the last month.
Cube overlapping_borders() {
  std::vector<StoredSeries> all;
  for (const char* source : {"us-a", "us-b"})
    for (const char* who : {"HTI", "OTH", "XXA"}) {
      StoredSeries s;
      s.key.source = source;
      s.key.reporter = "USA";
      s.key.citizenship = who;
      s.key.event = "encounter";
      for (int m = 0; m < 24; ++m)
        s.points.push_back({Period::month(2021, 1).plus_months(m), m == 23 ? 9000 : 1000, Status::Final, 1});
      all.push_back(std::move(s));
    }
  std::map<std::string, SourceDeclaration> declarations;
  declarations["us-b"].overlaps = {"us-a"};
  return Cube(std::move(all), declarations);
}

std::string surge_file(const std::string& extra) {
  return std::string(R"([[trigger]]
id = "surge"
rule = "growth"
group_by = ["source", "citizenship"]
compare = "trailing_mean"
window = 3
ratio = 2.0
)") + extra;
}

std::set<std::string> fired(const Evaluation& e) {
  std::set<std::string> out;
  for (auto& f : e.firings) out.insert(key_text(f.key));
  return out;
}

TEST(Evaluate, ResidualGroupsAndOverlappingSourcesRaiseNoAlert) {
  const Cube cube = overlapping_borders();
  const Evaluation e = evaluate_triggers(cube, parse_trigger_file(surge_file(""), "t.toml"));
  // One border, one alert per people: us-b yields to us-a (same data, first
  // by id); "other" is left out; stateless people are a people.
  EXPECT_EQ(fired(e), (std::set<std::string>{"citizenship=HTI;source=us-a", "citizenship=XXA;source=us-a"}));
  ASSERT_FALSE(e.notes.empty());
  EXPECT_NE(e.notes[0].find("us-b counts some of the same people as us-a"), std::string::npos) << e.notes[0];
  // Asked for: the residual group, or the other source by name.
  const Evaluation asked = evaluate_triggers(cube, parse_trigger_file(surge_file("include_groups = [\"OTH\"]\n"), "t.toml"));
  EXPECT_TRUE(fired(asked).count("citizenship=OTH;source=us-a"));
  const Evaluation named =
      evaluate_triggers(cube, parse_trigger_file(surge_file("select = { source = [\"us-b\"] }\n"), "t.toml"));
  EXPECT_EQ(fired(named), (std::set<std::string>{"citizenship=HTI;source=us-b", "citizenship=XXA;source=us-b"}));
  // A nationality is no residual group.
  try {
    parse_trigger_file(surge_file("include_groups = [\"HTI\"]\n"), "t.toml");
    ADD_FAILURE() << "include_groups = [\"HTI\"] accepted";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("OTH, OOO or UNK"), std::string::npos) << err.what();
  }
}

}  // namespace
}  // namespace atalaya
