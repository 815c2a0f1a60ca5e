// Tests for the Atom feed of alerts (atom.h): well-formed Atom 1.0 with the
// elements RFC 4287 requires, one entry per alert newest first, stable tag
// URI ids, and refusal of input that would make a broken feed.
#include "atalaya/warning/atom.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "atalaya/warning/sample_alert_testing.h"
#include "atalaya/warning/xml_check_testing.h"

namespace atalaya {
namespace {

using testing::XmlElement;

XmlElement checked_feed(const std::string& xml) {
  XmlElement feed = testing::parse_xml(xml);
  EXPECT_EQ(feed.name, "feed");
  EXPECT_EQ(feed.attribute("xmlns"), "http://www.w3.org/2005/Atom");
  // RFC 4287, 4.1.1: exactly one id, title and updated; an author (here on the feed).
  for (const char* one : {"id", "title", "updated"}) EXPECT_EQ(feed.all(one).size(), 1u) << one;
  EXPECT_NE(feed.child("author"), nullptr);
  EXPECT_FALSE(feed.child("author")->child("name")->text.empty());
  for (const XmlElement* e : feed.all("entry"))
    for (const char* one : {"id", "title", "updated"}) EXPECT_EQ(e->all(one).size(), 1u) << one;
  return feed;
}

AtomOptions options() {
  AtomOptions o;
  o.tag_authority = "taskforce.example.org";
  o.tag_date = "2026-11";
  o.self_url = "https://taskforce.example.org/alerts.atom?status=open&x=1";
  o.cap_url_prefix = "https://taskforce.example.org/alerts/cap/";
  return o;
}

TEST(AtomTest, OneEntryPerAlertNewestFirst) {
  const Alert surge = testing::sample_surge_alert();
  const Alert upstream = testing::sample_upstream_alert();
  const XmlElement feed = checked_feed(atom_feed({surge, upstream}, options()));
  EXPECT_EQ(feed.child("id")->text, "tag:taskforce.example.org,2026-11:alerts");
  EXPECT_EQ(feed.child("updated")->text, "2022-10-04T09:30:00Z");  // the newest entry's
  const XmlElement* self = feed.child("link");
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->attribute("rel"), "self");
  EXPECT_EQ(self->attribute("href"), "https://taskforce.example.org/alerts.atom?status=open&x=1");

  const auto entries = feed.all("entry");
  ASSERT_EQ(entries.size(), 2u);
  const XmlElement& first = *entries[0];
  EXPECT_EQ(first.child("id")->text, "tag:taskforce.example.org,2026-11:alert-43");
  EXPECT_EQ(first.child("title")->text, upstream.headline());
  EXPECT_EQ(first.child("updated")->text, "2022-10-04T09:30:00Z");
  EXPECT_EQ(first.child("published")->text, "2022-10-03T06:00:00Z");
  EXPECT_EQ(first.child("category")->attribute("term"), "extreme");
  EXPECT_EQ(first.child("summary")->text, upstream.evidence.explanation);
  EXPECT_EQ(first.child("content")->attribute("type"), "text");
  const std::string content = first.child("content")->text;
  EXPECT_NE(content.find("Projected arrival: 2022-10..2022-11 (surge seen at pa-snm-darien)"), std::string::npos)
      << content;
  EXPECT_NE(content.find("Evidence: value 38399, baseline 9000, threshold 3, score 4.27"), std::string::npos)
      << content;
  EXPECT_EQ(first.child("link")->attribute("type"), "application/cap+xml");
  EXPECT_EQ(first.child("link")->attribute("href"), "https://taskforce.example.org/alerts/cap/43");

  const XmlElement& second = *entries[1];
  EXPECT_EQ(second.child("id")->text, "tag:taskforce.example.org,2026-11:alert-42");
  EXPECT_EQ(second.child("category")->attribute("term"), "severe");
  EXPECT_EQ(second.child("summary")->text, surge.evidence.explanation);  // escaped <, &, ' come back
}

TEST(AtomTest, EntryIdStaysWhenTheAlertIsUpdated) {
  Alert a = testing::sample_surge_alert();
  const std::string before = checked_feed(atom_feed({a}, options())).child("entry")->child("id")->text;
  a.updated_at = "2021-09-05T06:00:00Z";
  a.severity = Severity::Extreme;
  const XmlElement feed = checked_feed(atom_feed({a}, options()));
  EXPECT_EQ(feed.child("entry")->child("id")->text, before);
  EXPECT_EQ(feed.child("entry")->child("updated")->text, "2021-09-05T06:00:00Z");
}

TEST(AtomTest, EqualTimesAreOrderedByNewestAlert) {
  Alert a = testing::sample_surge_alert(), b = testing::sample_surge_alert();
  b.id = 50;
  const XmlElement feed = checked_feed(atom_feed({a, b}, options()));
  const auto entries = feed.all("entry");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]->child("id")->text, "tag:taskforce.example.org,2026-11:alert-50");
}

TEST(AtomTest, EmptyFeedNeedsItsUpdatedTime) {
  EXPECT_THROW(atom_feed({}, options()), std::invalid_argument);
  AtomOptions o = options();
  o.updated_when_empty = "2026-11-23T10:15:00Z";
  const XmlElement feed = checked_feed(atom_feed({}, o));
  EXPECT_EQ(feed.child("updated")->text, "2026-11-23T10:15:00Z");
  EXPECT_TRUE(feed.all("entry").empty());
}

TEST(AtomTest, BrokenInputIsRefused) {
  const Alert a = testing::sample_surge_alert();
  EXPECT_THROW(atom_feed({a, a}, options()), std::invalid_argument);  // duplicate id
  Alert unstamped = a;
  unstamped.created_at = "last week";
  EXPECT_THROW(atom_feed({unstamped}, options()), std::invalid_argument);
  AtomOptions bad = options();
  bad.tag_authority = "task force";
  EXPECT_THROW(atom_feed({a}, bad), std::invalid_argument);
  bad = options();
  bad.tag_date = "Nov 2026";
  EXPECT_THROW(atom_feed({a}, bad), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
