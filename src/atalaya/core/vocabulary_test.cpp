// Tests for the event vocabulary, vocabulary files and the demographic code list.
#include "atalaya/core/vocabulary.h"

#include <gtest/gtest.h>

#include <set>

#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

struct VocabularyTest : ::testing::Test {
  void TearDown() override { reset_vocabulary(); }
};

std::string error_of(const std::string& text) {
  try {
    load_vocabulary_text(text, "v.toml");
  } catch (const InputError& e) {
    return e.problems().at(0).to_string();
  }
  return "";
}

TEST_F(VocabularyTest, ShippedEventsHaveLabelsAndAMeasure) {
  std::set<std::string> codes;
  for (const EventTerm& e : event_vocabulary()) {
    SCOPED_TRACE(e.code);
    EXPECT_TRUE(codes.insert(e.code).second) << "duplicate";
    EXPECT_FALSE(e.label_en.empty());
    EXPECT_FALSE(e.label_es.empty());
    EXPECT_TRUE(e.measure == "flow" || e.measure == "stock");
    EXPECT_TRUE(e.file.empty());
  }
  // Every event the shipped adapters and mappings write, and the field's new ones.
  for (auto c : {"encounter", "apprehension", "inadmissible", "expulsion", "irregular_transit", "irregular_event",
                 "asylum_application", "return", "deportation", "assisted_return", "displacement", "death",
                 "missing_person", "refugee", "asylum_seeker", "stateless", "idp", "other_in_need_of_protection",
                 "returned_refugee", "returned_idp", "regularisation", "resettlement"})
    EXPECT_TRUE(is_known_event(c)) << c;
  EXPECT_FALSE(is_known_event("transit"));
  EXPECT_FALSE(is_known_event(""));
  EXPECT_EQ(event_measure("refugee"), "stock");
  EXPECT_EQ(event_measure("other_in_need_of_protection"), "stock");
  EXPECT_EQ(event_measure("irregular_transit"), "flow");
  EXPECT_EQ(event_measure("returned_refugee"), "flow");
  EXPECT_EQ(event_measure("nope"), std::nullopt);
  EXPECT_NE(event_vocabulary_hint().find("--vocabulary"), std::string::npos);
}

TEST_F(VocabularyTest, AFileAddsEvents) {
  load_vocabulary_text(R"(
[event.rescue_at_sea]
label = "Rescued at sea"
label_es = "Rescatado en el mar"
measure = "flow"

[event.detained]
label = "In detention"
label_es = "En detención"
measure = "stock"
note = "people held at the end of the month"
)",
                       "extra.toml");
  EXPECT_TRUE(is_known_event("rescue_at_sea"));
  EXPECT_EQ(event_measure("detained"), "stock");
  EXPECT_EQ(find_event("rescue_at_sea")->file, "extra.toml");
  EXPECT_EQ(find_event("rescue_at_sea")->label_es, "Rescatado en el mar");
  EXPECT_NE(event_codes().find("rescue_at_sea"), std::string::npos);
  // An unknown event's message now names the file.
  EXPECT_NE(event_vocabulary_hint().find("extra.toml"), std::string::npos);
  reset_vocabulary();
  EXPECT_FALSE(is_known_event("rescue_at_sea"));
}

TEST_F(VocabularyTest, BadFilesAreRefusedWithLineAndKey) {
  EXPECT_EQ(error_of("[event.x]\nlabel = \"X\"\nlabel_es = \"X\"\nmeasure = \"count\"\n"),
            "v.toml:4: column 'event.x.measure': value \"count\": expected flow (counted over a period) or stock "
            "(counted at a date)");
  EXPECT_EQ(error_of("[event.refugee]\nlabel = \"R\"\nlabel_es = \"R\"\nmeasure = \"stock\"\n"),
            "v.toml:1: column 'event.refugee': value \"refugee\": expected a new event (refugee is already "
            "declared in the shipped vocabulary)");
  EXPECT_EQ(error_of("[event.Bad-Code]\nlabel = \"R\"\nlabel_es = \"R\"\nmeasure = \"stock\"\n"),
            "v.toml:1: column 'event.Bad-Code': value \"Bad-Code\": expected an event code of lower-case letters, "
            "digits and _");
  EXPECT_EQ(error_of("[event.y]\nlabel = \"Y\"\nmeasure = \"flow\"\n"),
            "v.toml:1: column 'event.y.label_es': value \"\": expected a Spanish label");
  EXPECT_EQ(error_of("[events.y]\n"), "v.toml:1: column 'events': value \"\": expected one of: event");
  EXPECT_EQ(error_of("[event.y]\nlabel = \"Y\"\nlabel_es = \"Y\"\nmeasure = \"flow\"\ncolour = 1\n"),
            "v.toml:5: column 'event.y.colour': value \"\": expected one of: label, label_es, measure, note");
  // Nothing of a refused file is kept.
  EXPECT_FALSE(is_known_event("y"));
}

TEST(Demographics, CodeListAndCombinations) {
  std::set<std::string_view> codes;
  for (const DemographicTerm& d : demographic_codes()) {
    EXPECT_TRUE(codes.insert(d.code).second) << d.code;
    EXPECT_FALSE(d.label_en.empty());
    EXPECT_FALSE(d.label_es.empty());
  }
  for (auto c : {"", "F", "M", "0-4", "5-11", "12-17", "18-59", "60+", "child", "adult", "single_adult",
                 "family_unit", "unaccompanied_child", "accompanied_minor", "F_0-4", "M_60+", "F_child"})
    EXPECT_TRUE(is_known_demographic(c)) << c;
  for (auto c : {"Otros", "female", "0-4_F", "F_M", "single_adult_F", "18-64"})
    EXPECT_FALSE(is_known_demographic(c)) << c;
  EXPECT_NE(demographic_code_list().find("unaccompanied_child"), std::string::npos);
}

}  // namespace
}  // namespace atalaya
