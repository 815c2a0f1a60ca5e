// Tests for the XML and date-time helpers of the alert exports
// (xml_writer.h), and for the test-only XML reader they are checked with,
// which must itself reject what is not well-formed.
#include "atalaya/warning/xml_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "atalaya/warning/xml_check_testing.h"

namespace atalaya {
namespace {

using testing::parse_xml;

TEST(XmlWriterTest, EscapesMarkupAndDropsForbiddenControls) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(xml_escape("tab\tline\nbell\x07" "end"), "tab\tline\nbellend");
  EXPECT_EQ(xml_escape("Darién"), "Darién");
}

TEST(XmlWriterTest, WritesNestedEscapedElements) {
  XmlWriter w;
  w.open("root", {{"xmlns", "urn:x"}, {"note", "a\"b<c"}});
  w.leaf("name", "Haitians & <others>");
  w.empty("link", {{"href", "http://h/?a=1&b=2"}});
  w.close("root");
  const std::string doc = w.finish();
  EXPECT_EQ(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  const auto root = parse_xml(doc);
  EXPECT_EQ(root.attribute("note"), "a\"b<c");
  EXPECT_EQ(root.child("name")->text, "Haitians & <others>");
  EXPECT_EQ(root.child("link")->attribute("href"), "http://h/?a=1&b=2");
}

TEST(XmlWriterTest, RefusesToCloseOutOfOrderOrFinishOpen) {
  XmlWriter w;
  w.open("a");
  w.open("b");
  EXPECT_THROW(w.close("a"), std::logic_error);
  w.close("b");
  XmlWriter unfinished;
  unfinished.open("a");
  EXPECT_THROW(unfinished.finish(), std::logic_error);
}

TEST(XmlWriterTest, ParsesIsoTimesToUtcSeconds) {
  EXPECT_EQ(parse_utc_seconds("1970-01-01T00:00:00Z", "t"), 0);
  EXPECT_EQ(parse_utc_seconds("2021-08-05T06:00:00Z", "t"), 1628143200);
  EXPECT_EQ(parse_utc_seconds("2021-08-05T01:00:00-05:00", "t"), 1628143200);
  EXPECT_EQ(parse_utc_seconds("2021-08-05T07:30:00+01:30", "t"), 1628143200);
  EXPECT_EQ(parse_utc_seconds("2021-08-05T06:00:00.250Z", "t"), 1628143200);
  EXPECT_EQ(parse_utc_seconds("1969-12-31T23:59:59Z", "t"), -1);
  EXPECT_EQ(parse_utc_seconds("2000-02-29T12:00:00Z", "t"), 951825600);
  for (const char* bad : {"2021-02-30T00:00:00Z", "2021-08-05T06:00:00", "2021-08-05", "2021-13-01T00:00:00Z",
                          "2021-08-05T06:00:00+5", "2021-08-05T06:00:00Zjunk", "yesterday"})
    EXPECT_THROW(parse_utc_seconds(bad, "t"), std::invalid_argument) << bad;
  try {
    parse_utc_seconds("soon", "alert 7 created_at");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("alert 7 created_at"), std::string::npos) << e.what();
  }
}

TEST(XmlWriterTest, FormatsTimesForCapAndAtom) {
  EXPECT_EQ(cap_time(1628143200), "2021-08-05T06:00:00+00:00");
  EXPECT_EQ(rfc3339_time(1628143200), "2021-08-05T06:00:00Z");
  EXPECT_EQ(rfc3339_time(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(month_start_seconds(Period::month(2022, 10)), 1664582400);
  EXPECT_EQ(cap_time(month_start_seconds(Period::month(2022, 12).plus_months(1))), "2023-01-01T00:00:00+00:00");
}

TEST(XmlWriterTest, NumbersAreShortestRoundTrip) {
  EXPECT_EQ(number_text(13141), "13141");
  EXPECT_EQ(number_text(3862.5), "3862.5");
  EXPECT_EQ(number_text(0.1), "0.1");
  EXPECT_EQ(number_text(-2), "-2");
  EXPECT_EQ(number_text(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(XmlCheckTest, ReaderRejectsWhatIsNotWellFormed) {
  EXPECT_NO_THROW(parse_xml("<?xml version=\"1.0\"?>\n<a x='1'><b/>t &amp; &#233;<!-- c --></a>\n"));
  for (const char* bad : {"<a><b></a></b>", "<a>&</a>", "<a>x</a><b/>", "<a>&nbsp;</a>", "<a x='1' x='2'/>",
                          "<a>\x01</a>", "<a>", "<a x=1/>", "text", "<a><![CDATA[x]]></a>", "<a>\xC3</a>",
                          "<a></b>", "<a x='<'/>"})
    EXPECT_THROW(parse_xml(bad), std::runtime_error) << bad;
}

}  // namespace
}  // namespace atalaya
