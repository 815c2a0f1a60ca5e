// Trigger files: a trigger never adds the series of several sources.
#include "atalaya/warning/trigger.h"

#include <gtest/gtest.h>

#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

std::string trigger_file(const std::string& selection) {
  return R"([[trigger]]
id = "surge"
name = "Surge"
rule = "growth"
severity = "severe"
)" + selection + R"(
compare = "trailing_mean"
window = 3
ratio = 2.0
)";
}

std::string refusal(const std::string& text) {
  try {
    parse_trigger_file(text, "t.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(TriggerFile, SeveralSourcesMustBeJudgedApart) {
  const std::string why = refusal(trigger_file(R"(select = { event = ["encounter"] }
group_by = ["citizenship"])"));
  EXPECT_NE(why.find("group_by"), std::string::npos) << why;
  EXPECT_NE(why.find("never added"), std::string::npos) << why;
  EXPECT_EQ(refusal(trigger_file(R"(select = { event = ["encounter"] }
group_by = ["source", "citizenship"])")), "(accepted)");
  EXPECT_EQ(refusal(trigger_file(R"(select = { source = "pa-snm-darien" }
group_by = ["citizenship"])")), "(accepted)");
}

}  // namespace
}  // namespace atalaya
