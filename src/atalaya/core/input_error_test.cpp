#include "atalaya/core/input_error.h"

#include <gtest/gtest.h>

#include "atalaya/core/text.h"

namespace atalaya {
namespace {

TEST(EchoedValue, ShortValuesUnchanged) {
  EXPECT_EQ(echoed_value(""), "");
  EXPECT_EQ(echoed_value("Darién"), "Darién");
  EXPECT_EQ(echoed_value(std::string(80, 'a')), std::string(80, 'a'));
}

TEST(EchoedValue, LongValuesEndInAnEllipsisWithinTheLimit) {
  const std::string v = echoed_value(std::string(81, 'a'));
  EXPECT_EQ(v, std::string(79, 'a') + "\u2026");
  EXPECT_EQ(display_width(v), 80u);
  EXPECT_EQ(echoed_value(v), v) << "idempotent";
  EXPECT_EQ(echoed_value("abcdef", 4), "abc\u2026");
}

TEST(EchoedValue, NeverCutsACodePoint) {
  std::string s;
  for (int i = 0; i < 100; ++i) s += "é";
  const std::string v = echoed_value(s, 10);
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += "é";
  EXPECT_EQ(v, nine + "\u2026");
}

TEST(InputProblem, EchoesAHugeValueShortened) {
  InputProblem p{"f.csv", 7, "n", std::string(1 << 20, '9'), "a whole number"};
  const std::string s = p.to_string();
  EXPECT_EQ(s, "f.csv:7: column 'n': value \"" + std::string(79, '9') + "\u2026\": expected a whole number");
}

}  // namespace
}  // namespace atalaya
