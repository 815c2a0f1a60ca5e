#include "atalaya/process/seed.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "atalaya/core/error.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/real_data_testing.h"
#include "atalaya/process/memory_process_store_testing.h"

namespace atalaya::process {
namespace {

const std::string kShipped = std::string(ATALAYA_SOURCE_DIR) + "/data/process/los-angeles-declaration.toml";

// The deliverables file as rows of named fields.
std::vector<std::map<std::string, std::string>> read_commitments_csv() {
  const std::string path = atalaya::testing::real_data_dir() + "/la-declaration/commitments.csv";
  const std::string text = read_input_file(path);
  CsvReader reader(text);
  std::vector<std::string_view> fields;
  reader.next_record(fields);
  const std::vector<std::string> header(fields.begin(), fields.end());
  std::vector<std::map<std::string, std::string>> rows;
  while (reader.next_record(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = std::string(fields[i]);
    rows.push_back(std::move(row));
  }
  return rows;
}

// A target as the CSV writes it: the value, and the unit with a range in brackets.
std::string target_value(const Commitment& c) {
  if (!c.target) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", c.target->value);
  return buf;
}
std::string target_unit(const Commitment& c) {
  if (!c.target) return "";
  return c.target->note.empty() ? c.target->unit : c.target->unit + " (" + c.target->note + ")";
}

const char* kTwentyStates[] = {"ARG", "BRB", "BLZ", "BRA", "CAN", "CHL", "COL", "CRI", "ECU", "SLV",
                               "GTM", "HTI", "HND", "JAM", "MEX", "PAN", "PRY", "PER", "USA", "URY"};

TEST(ProcessSeed, TheShippedFileReads) {
  const ProcessSeed seed = read_seed(kShipped);
  EXPECT_EQ(seed.declaration.code, "la-2022");
  EXPECT_EQ(seed.declaration.adopted_on, "2022-06-10");
  EXPECT_FALSE(seed.declaration.title.es.empty());
  EXPECT_EQ(seed.pillars.size(), 4u);
  for (auto& p : seed.pillars) {
    EXPECT_EQ(p.kind, PillarChangeKind::Added);
    EXPECT_EQ(p.meeting, "la-summit-2022");
    EXPECT_FALSE(p.after.goals.empty()) << p.pillar;
    for (auto& g : p.after.goals) EXPECT_TRUE(!g.en.empty() && !g.es.empty()) << p.pillar;
  }
  std::set<std::string> meetings;
  for (auto& m : seed.meetings) meetings.insert(m.code + "@" + m.held_on);
  EXPECT_EQ(meetings, (std::set<std::string>{"la-summit-2022@2022-06-10", "lima-2022@2022-10-06",
                                             "washington-2023@2023-06-23"}));
  for (auto& m : seed.meetings) {
    if (m.code == "washington-2023") {
      EXPECT_EQ(m.hosts, (std::vector<std::string>{"USA", "BLZ"}));
    }
  }
  // Every fact carries its citation.
  for (auto& e : seed.endorsements) EXPECT_FALSE(e.source.empty());
  for (auto& p : seed.packages) EXPECT_FALSE(p.source.empty()) << p.code;
  for (auto& c : seed.commitments) {
    EXPECT_FALSE(c.source.empty()) << c.code;
    EXPECT_TRUE(!c.text.en.empty() && !c.text.es.empty()) << c.code;
    EXPECT_EQ(c.code.rfind("la-2022-" + c.pillar + "-" + c.parties.front() + "-", 0), 0u) << c.code;
  }
}

TEST(ProcessSeed, TheTwentyStatesOfJune2022EndorseFromTheAdoption) {
  const ProcessSeed seed = read_seed(kShipped);
  std::set<std::string> on_adoption;
  for (auto& e : seed.endorsements)
    if (e.joined_on == "2022-06-10") on_adoption.insert(e.party);
  EXPECT_EQ(on_adoption, std::set<std::string>(std::begin(kTwentyStates), std::end(kTwentyStates)));
}

TEST(ProcessSeed, TheCommitmentsAgreeWithTheSharedDeliverablesFile) {
  if (!atalaya::testing::real_file_exists("la-declaration/commitments.csv"))
    GTEST_SKIP() << "la-declaration/commitments.csv not in " << atalaya::testing::real_data_dir();
  const ProcessSeed seed = read_seed(kShipped);
  const auto rows = read_commitments_csv();
  ASSERT_EQ(rows.size(), 19u);
  ASSERT_EQ(seed.commitments.size(), 19u);
  std::map<std::string, int> by_pillar;
  for (auto& c : seed.commitments) ++by_pillar[c.pillar];
  EXPECT_EQ(by_pillar, (std::map<std::string, int>{{"P1", 6}, {"P2", 11}, {"P3", 2}}));  // none under P4

  // Each row matches one commitment by pillar, state, target and deadline.
  std::vector<bool> used(seed.commitments.size());
  for (auto& row : rows) {
    bool found = false;
    for (size_t i = 0; i < seed.commitments.size() && !found; ++i) {
      const Commitment& c = seed.commitments[i];
      if (used[i] || c.pillar != "P" + row.at("pillar") || c.parties != std::vector<std::string>{row.at("state")})
        continue;
      if (target_value(c) != row.at("target") || target_unit(c) != row.at("unit")) continue;
      if ((c.deadline ? c.deadline->as_stated : "") != row.at("deadline")) continue;
      EXPECT_EQ(c.made_on, "2022-06-10") << c.code;
      EXPECT_EQ(c.made_at, "la-summit-2022") << c.code;
      used[i] = found = true;
    }
    EXPECT_TRUE(found) << row.at("pillar") << " " << row.at("state") << " " << row.at("summary");
  }
}

// The problem a seed text gives: "line field" of its first problem.
std::string problem_of(const std::string& text) {
  try {
    parse_seed(text, "hostile.toml");
  } catch (const InputError& e) {
    const InputProblem& p = e.problems().front();
    EXPECT_EQ(p.file, "hostile.toml");
    return std::to_string(p.line) + " " + p.column;
  }
  return "no error";
}

// A small valid seed; the hostile ones change one line of it.
const std::string kHead = R"([sources]
s = "A citation"

[declaration]
code = "d"
title = { en = "A declaration" }
adopted_on = "2022-06-10"
place = "Somewhere"
text_reference = "https://example.org/d"
source = "s"

[[endorsers]]
parties = ["USA", "MEX"]
kind = "state"
joined_on = "2022-06-10"
source = "s"

[[meeting]]
code = "m1"
kind = "ministerial"
title = { en = "Adoption" }
held_on = "2022-06-10"
place = "Somewhere"
hosts = ["USA"]
source = "s"

[[pillar]]
code = "P1"
number = 1
kind = "permanent"
name = { en = "One", es = "Uno" }
goals = [{ en = "A goal" }]
opened_on = "2022-06-10"
added_at = "m1"
source = "s"
)";

std::string commitment(const std::string& extra_line) {
  return kHead + R"(
[[commitment]]
code = "c1"
pillar = "P1"
parties = ["MEX"]
kind = "policy"
text = { en = "Something" }
made_on = "2022-06-10"
made_at = "m1"
source = "s"
)" + extra_line + "\n";
}

TEST(ProcessSeed, ASmallSeedReads) {
  const ProcessSeed seed = parse_seed(commitment("deadline = \"FY2024\""), "small.toml");
  ASSERT_EQ(seed.commitments.size(), 1u);
  EXPECT_EQ(seed.commitments[0].deadline->by, "2024-09-30");
  EXPECT_EQ(seed.commitments[0].source, "A citation");
  EXPECT_EQ(seed.endorsements.size(), 2u);
}

TEST(ProcessSeed, HostileSeedsNameTheLineAndTheField) {
  // The commitment table starts on line 37; its added line is 46.
  EXPECT_EQ(problem_of(commitment("colour = \"red\"")), "46 commitment[1].colour");
  EXPECT_EQ(problem_of(commitment("deadline = \"soon\"")), "46 commitment[1].deadline");
  EXPECT_EQ(problem_of(commitment("deadline = \"2022-02-30\"")), "46 commitment[1].deadline");
  EXPECT_EQ(problem_of(commitment("target = { value = -3, unit = \"USD\" }")), "46 commitment[1].target.value");
  EXPECT_EQ(problem_of(commitment("indicator = { select = { colour = [\"x\"] }, counting = \"level_by\" }")),
            "46 commitment[1].indicator.select.colour");
  // A bad country code, a bad day, in the head.
  std::string bad_country = kHead;
  bad_country.replace(bad_country.find("[\"USA\", \"MEX\"]"), 14, "[\"USA\", \"XYZ\"]");
  EXPECT_EQ(problem_of(bad_country), "13 endorsers[1].parties");
  std::string name_not_code = kHead;
  name_not_code.replace(name_not_code.find("hosts = [\"USA\"]"), 15, "hosts = [\"Mexico\"]");
  EXPECT_EQ(problem_of(name_not_code), "24 meeting[1].hosts");
  std::string bad_day = kHead;
  bad_day.replace(bad_day.find("held_on = \"2022-06-10\""), 22, "held_on = \"2022-06-31\"");
  EXPECT_EQ(problem_of(bad_day), "22 meeting[1].held_on");
  std::string no_place = kHead;
  no_place.replace(no_place.find("place = \"Somewhere\"\nhosts"), 19, "");
  EXPECT_EQ(problem_of(no_place), "18 meeting[1].place");
  std::string unknown_source = kHead;
  unknown_source.replace(unknown_source.rfind("source = \"s\""), 12, "source = \"t\"");
  EXPECT_EQ(problem_of(unknown_source), "35 pillar[1].source");
  // A commitment by a state that does not endorse the declaration.
  std::string outsider = commitment("");
  outsider.replace(outsider.find("parties = [\"MEX\"]"), 17, "parties = [\"GUY\"]");
  EXPECT_EQ(problem_of(outsider), "40 commitment[1].parties");
  // A meeting the file does not hold.
  std::string elsewhere = commitment("");
  elsewhere.replace(elsewhere.find("made_at = \"m1\""), 14, "made_at = \"m9\"");
  EXPECT_EQ(problem_of(elsewhere), "44 commitment[1].made_at");
  EXPECT_EQ(problem_of(kHead + "[oops\n"), "36 ");
}

TEST(ProcessSeed, LoadingTwiceAddsNothingTheSecondTime) {
  const ProcessSeed seed = read_seed(kShipped);
  testing::MemoryProcessStore store;
  const Actor actor{0, "operator:test", "cli", "local"};
  const SeedLoad first = load_seed(store, seed, actor);
  EXPECT_EQ(first.present(), 0);
  EXPECT_EQ(first.differing(), 0);
  EXPECT_EQ(first.commitments.added, 19);
  EXPECT_EQ(first.endorsements.added, 20);
  EXPECT_EQ(first.pillars.added, 4);
  EXPECT_EQ(first.meetings.added, 3);
  EXPECT_EQ(first.added(), 1 + 20 + 3 + 4 + static_cast<int>(seed.packages.size()) + 19);
  const int writes = store.writes;

  const SeedLoad second = load_seed(store, seed, actor);
  EXPECT_EQ(second.added(), 0);
  EXPECT_EQ(second.present(), first.added());
  EXPECT_EQ(store.writes, writes);
}

TEST(ProcessSeed, AStoreRefusalNamesTheFileAndWhereTheLoadStopped) {
  const ProcessSeed seed = read_seed(kShipped);
  testing::MemoryProcessStore store;
  const Actor actor{0, "operator:test", "cli", "local"};
  // Canada recorded as joining later than the seed says: its commitments of
  // June 2022 are refused by the store.
  store.save_declaration(seed.declaration, actor);
  store.save_endorsement(Endorsement{"la-2022", "CAN", PartyKind::State, "2023-01-15", std::nullopt, "x"}, actor);
  try {
    load_seed(store, seed, actor);
    FAIL() << "loaded";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(kShipped + ": the store refused commitment la-2022-P2-CAN-"), std::string::npos) << what;
    EXPECT_NE(what.find("loading again after a fix"), std::string::npos) << what;
  }
  EXPECT_TRUE(store.commitment("la-2022", "la-2022-P1-BLZ-regularisation"));  // loaded before it, kept
}

TEST(ProcessSeed, WhatWasEditedSinceIsReportedNotOverwritten) {
  const ProcessSeed seed = read_seed(kShipped);
  testing::MemoryProcessStore store;
  const Actor actor{0, "operator:test", "cli", "local"};
  load_seed(store, seed, actor);
  Commitment edited = store.commitment("la-2022", "la-2022-P2-USA-h2b")->commitment;
  edited.text.en = "Edited by the secretariat";
  store.update_commitment(edited, actor);

  const SeedLoad again = load_seed(store, seed, actor);
  EXPECT_EQ(again.added(), 0);
  EXPECT_EQ(again.commitments.differing, std::vector<std::string>{"la-2022-P2-USA-h2b"});
  EXPECT_EQ(store.commitment("la-2022", "la-2022-P2-USA-h2b")->commitment.text.en, "Edited by the secretariat");
}

}  // namespace
}  // namespace atalaya::process
