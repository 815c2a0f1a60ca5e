#include "atalaya/core/messages.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "atalaya/core/message_json.h"

namespace atalaya {
namespace {

std::map<std::string, std::string> by_id(Language lang) {
  std::map<std::string, std::string> out;
  for (auto& e : message_catalogue(lang)) {
    EXPECT_TRUE(out.emplace(e.id, e.text).second) << language_code(lang) << ": id " << e.id << " given twice";
  }
  return out;
}

TEST(MessageCatalogue, EveryIdIsInBothLanguagesWithTheSameArguments) {
  const auto en = by_id(Language::En), es = by_id(Language::Es);
  ASSERT_FALSE(en.empty());
  for (auto& [id, text] : en) {
    auto it = es.find(id);
    if (it == es.end()) {
      ADD_FAILURE() << "message " << id << " has no Spanish text";
      continue;
    }
    // The same set of name:format pairs (order may differ between languages).
    const auto a = message_placeholders(text), b = message_placeholders(it->second);
    EXPECT_EQ(std::multiset<std::string>(a.begin(), a.end()), std::multiset<std::string>(b.begin(), b.end()))
        << "message " << id << ": \"" << text << "\" vs \"" << it->second << "\"";
  }
  for (auto& [id, text] : es) EXPECT_TRUE(en.count(id)) << "message " << id << " has no English text";
}

TEST(MessageCatalogue, PlaceholdersAreReadWithTheirFormats) {
  EXPECT_EQ(message_placeholders("{a:amount} x {b} {run:plural:# mes|# meses}"),
            (std::vector<std::string>{"a:amount", "b", "run:plural"}));
  EXPECT_THROW(message_placeholders("{a:money}"), MessageError);
  EXPECT_THROW(message_placeholders("{a"), MessageError);
  EXPECT_THROW(message_placeholders("{run:plural:one}"), MessageError);
}

TEST(FormatNumber, EnglishGroupsEveryThousand) {
  EXPECT_EQ(format_number(1234, 0, Language::En), "1,234");
  EXPECT_EQ(format_number(12345.67, 1, Language::En), "12,345.7");
  EXPECT_EQ(format_number(-1234567, 0, Language::En), "-1,234,567");
  EXPECT_EQ(format_number(0.24, 2, Language::En), "0.24");
  EXPECT_EQ(format_number(-0.01, 1, Language::En), "0.0");
}

// As Intl.NumberFormat('es') prints them (CLDR es: decimal comma, period
// grouping, minimum grouping digits 2), so the CLI, the API and the
// dashboard agree.
TEST(FormatNumber, SpanishFollowsCldr) {
  EXPECT_EQ(format_number(1234, 0, Language::Es), "1234");
  EXPECT_EQ(format_number(12345, 0, Language::Es), "12.345");
  EXPECT_EQ(format_number(1234567.5, 1, Language::Es), "1.234.567,5");
  EXPECT_EQ(format_number(-12345, 0, Language::Es), "-12.345");
  EXPECT_EQ(format_number(3.4, 1, Language::Es), "3,4");
  EXPECT_EQ(format_number(0.24, 2, Language::Es), "0,24");
  EXPECT_EQ(format_count(17279, Language::Es), "17.279");
  EXPECT_EQ(format_count(9999, Language::Es), "9999");
}

Message growth_sample() {
  return Message("detector.growth.rise")
      .num("value", 13141)
      .num("score", 3.4027)
      .num("ratio", 2)
      .nested("compared", Message("detector.growth.trailing_mean").num("window", 3).num("baseline", 3862));
}

TEST(RenderMessage, EnglishAndSpanishWithTheirNumbers) {
  EXPECT_EQ(render(growth_sample(), Language::En), "13,141 is 3.4 times the trailing 3-month mean of 3,862 (threshold 2.0)");
  EXPECT_EQ(render(growth_sample(), Language::Es),
            "13.141 es 3,4 veces la media de los 3 meses anteriores (3862) (umbral: 2,0)");
}

TEST(RenderMessage, PluralsLocalTextAndNonNumbers) {
  auto cusum = [](double run) {
    return Message("detector.cusum.up").num("value", 250.7).num("baseline", 12.3).num("score", 0.5).num("run", run).num("h", 4);
  };
  EXPECT_NE(render(cusum(1), Language::En).find("over 1 month (threshold 4.0)"), std::string::npos);
  EXPECT_NE(render(cusum(3), Language::Es).find("en 3 meses (umbral: 4,0)"), std::string::npos);
  EXPECT_EQ(render(cusum(3), Language::Es).substr(0, 28), "251 frente a 12,3 esperados:");

  Message m("role.note.home_checkpoint");
  m.local("checkpoint", "Darien (Panama)", "Darién (Panamá)");
  EXPECT_EQ(render(m, Language::En), "Darien (Panama) is in the citizenship's own country: left out");
  EXPECT_EQ(render(m, Language::Es), "Darién (Panamá) está en el país de la propia nacionalidad: se omite");

  Message missing("detector.threshold.up");
  missing.num("value", std::numeric_limits<double>::quiet_NaN()).num("level", std::numeric_limits<double>::infinity());
  EXPECT_EQ(render(missing, Language::Es), "sin datos alcanza o supera el umbral de ilimitado");
}

TEST(RenderMessage, ProgrammingErrorsThrowAndFallBack) {
  EXPECT_THROW(render(Message("no.such.id"), Language::En), MessageError);
  EXPECT_THROW(render(Message("detector.threshold.up").num("value", 1), Language::En), MessageError);  // no level
  EXPECT_THROW(render(Message("detector.threshold.up").text("value", "x").num("level", 1), Language::En), MessageError);
  EXPECT_EQ(render_or(Message("no.such.id"), Language::Es, "stored text"), "stored text");
  EXPECT_EQ(render_or(Message(), Language::Es, "stored text"), "stored text");
}

TEST(MessageJson, RoundTripsEveryKindOfArgument) {
  Message m = growth_sample();
  m.local("where", "Darien", "Darién").text("model", "ETS(M,A,N)");
  m.num("nan", std::numeric_limits<double>::quiet_NaN()).num("inf", -std::numeric_limits<double>::infinity());
  const Message back = message_from_json(nlohmann::json::parse(message_to_json(m).dump()));
  EXPECT_EQ(back, m);
  EXPECT_EQ(render(back, Language::Es), render(m, Language::Es));
  EXPECT_THROW(message_from_json(nlohmann::json{{"args", {}}}), std::invalid_argument);
  EXPECT_THROW(message_from_json(nlohmann::json{{"id", "x"}, {"args", {{"a", {1, 2}}}}}), std::invalid_argument);
}

TEST(Language, ParsedFromTagsAndAcceptLanguage) {
  EXPECT_EQ(parse_language("es-MX"), Language::Es);
  EXPECT_EQ(parse_language("EN_us.UTF-8"), Language::En);
  EXPECT_EQ(parse_language("fr"), std::nullopt);
  EXPECT_EQ(parse_language("esperanto"), std::nullopt);
  EXPECT_EQ(negotiate_language(""), Language::En);
  EXPECT_EQ(negotiate_language("es"), Language::Es);
  EXPECT_EQ(negotiate_language("es-419,es;q=0.9"), Language::Es);
  EXPECT_EQ(negotiate_language("fr, es;q=0.8, en;q=0.5"), Language::Es);
  EXPECT_EQ(negotiate_language("en;q=0.4, es;q=0.6"), Language::Es);
  EXPECT_EQ(negotiate_language("es;q=0.6, en"), Language::En);   // en has q=1
  EXPECT_EQ(negotiate_language("es;q=0, fr"), Language::En);     // q=0 refuses Spanish
  EXPECT_EQ(negotiate_language("es;q=abc, en;q=0.1"), Language::En);  // an unreadable q drops the item
  EXPECT_EQ(negotiate_language("*"), Language::En);
  EXPECT_EQ(negotiate_language("de, es;q=0.5, *;q=0.1"), Language::Es);
}

}  // namespace
}  // namespace atalaya
