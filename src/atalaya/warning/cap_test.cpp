// Tests for the CAP 1.2 export (cap.h): the message is well-formed XML in
// CAP's namespace, its elements come in the order the CAP 1.2 schema
// mandates, and each field carries the alert as cap.h's mapping promises.
#include "atalaya/warning/cap.h"
#include "atalaya/warning/atom.h"
#include "atalaya/warning/xml_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "atalaya/warning/sample_alert_testing.h"
#include "atalaya/warning/xml_check_testing.h"

namespace atalaya {
namespace {

using testing::XmlElement;

// CAP 1.2 (OASIS standard, 2010), section 3.2: element order within each block.
const std::vector<std::string> kAlertOrder = {"identifier", "sender",     "sent",       "status", "msgType",
                                              "source",     "scope",      "restriction", "addresses", "code",
                                              "note",       "references", "incidents",  "info"};
const std::vector<std::string> kInfoOrder = {
    "language", "category", "event",      "responseType", "urgency",     "severity", "certainty",
    "audience", "eventCode", "effective", "onset",        "expires",     "senderName", "headline",
    "description", "instruction", "web",  "contact",      "parameter",   "resource", "area"};
const std::vector<std::string> kAreaOrder = {"areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"};

// Every child is a CAP element of this block, in the schema's order.
void expect_schema_order(const XmlElement& block, const std::vector<std::string>& order) {
  size_t last = 0;
  for (const std::string& name : block.child_names()) {
    auto it = std::find(order.begin(), order.end(), name);
    ASSERT_NE(it, order.end()) << "<" << name << "> is not allowed in <" << block.name << ">";
    const size_t at = static_cast<size_t>(it - order.begin());
    EXPECT_GE(at, last) << "<" << name << "> out of order in <" << block.name << ">";
    last = at;
  }
}

void expect_required(const XmlElement& block, const std::vector<std::string>& names) {
  for (auto& n : names) EXPECT_NE(block.child(n), nullptr) << "<" << block.name << "> lacks <" << n << ">";
}

// Parses a message and checks what every CAP 1.2 alert must satisfy.
XmlElement checked_cap(const std::string& xml) {
  XmlElement root = testing::parse_xml(xml);
  EXPECT_EQ(root.name, "alert");
  EXPECT_EQ(root.attribute("xmlns"), "urn:oasis:names:tc:emergency:cap:1.2");
  expect_schema_order(root, kAlertOrder);
  expect_required(root, {"identifier", "sender", "sent", "status", "msgType", "scope", "info"});
  for (const XmlElement* info : root.all("info")) {
    expect_schema_order(*info, kInfoOrder);
    expect_required(*info, {"category", "event", "urgency", "severity", "certainty"});
    for (const XmlElement* area : info->all("area")) {
      expect_schema_order(*area, kAreaOrder);
      expect_required(*area, {"areaDesc"});
    }
    for (const XmlElement* p : info->all("parameter")) expect_required(*p, {"valueName", "value"});
  }
  return root;
}

std::map<std::string, std::string> parameters(const XmlElement& info) {
  std::map<std::string, std::string> out;
  for (const XmlElement* p : info.all("parameter")) out[p->child("valueName")->text] = p->child("value")->text;
  return out;
}

TEST(CapTest, NewSurgeAlertIsAnObservedAlertMessage) {
  const Alert a = testing::sample_surge_alert();
  const XmlElement root = checked_cap(cap_alert_xml(a));
  EXPECT_EQ(root.child("identifier")->text, "atalaya-42-20210805T060000Z");
  EXPECT_EQ(root.child("sender")->text, "atalaya");
  EXPECT_EQ(root.child("sent")->text, "2021-08-05T06:00:00+00:00");
  EXPECT_EQ(root.child("status")->text, "Actual");
  EXPECT_EQ(root.child("msgType")->text, "Alert");
  EXPECT_EQ(root.child("scope")->text, "Public");
  EXPECT_EQ(root.child("references"), nullptr);
  const XmlElement& info = *root.child("info");
  EXPECT_EQ(info.child("category")->text, "Other");
  EXPECT_EQ(info.child("event")->text, a.trigger_name);  // <, & and quotes survive escaping
  EXPECT_EQ(info.child("urgency")->text, "Expected");
  EXPECT_EQ(info.child("severity")->text, "Severe");
  EXPECT_EQ(info.child("certainty")->text, "Observed");
  EXPECT_EQ(info.child("onset"), nullptr);
  EXPECT_EQ(info.child("headline")->text, a.headline());
  EXPECT_EQ(info.child("description")->text, a.evidence.explanation);
  const auto params = parameters(info);
  EXPECT_EQ(params.at("value"), "13141");
  EXPECT_EQ(params.at("baseline"), "3862.5");
  EXPECT_EQ(params.at("threshold"), "2");
  EXPECT_EQ(params.at("score"), "3.4");
  EXPECT_EQ(params.at("rule"), "growth");
  EXPECT_EQ(params.at("key.citizenship"), "HTI");
  EXPECT_EQ(params.count("source_checkpoint"), 0u);
  const XmlElement& area = *info.child("area");
  EXPECT_EQ(area.child("areaDesc")->text, "pa-snm-darien, Panama");
  EXPECT_EQ(area.child("geocode")->child("valueName")->text, "ISO 3166-1 alpha-3");
  EXPECT_EQ(area.child("geocode")->child("value")->text, "PAN");
}

TEST(CapTest, UpdatedUpstreamAlertIsAFutureUpdateOverItsWindow) {
  const Alert a = testing::sample_upstream_alert();
  const XmlElement root = checked_cap(cap_alert_xml(a));
  EXPECT_EQ(root.child("msgType")->text, "Update");
  EXPECT_EQ(root.child("identifier")->text, "atalaya-43-20221004T093000Z");
  EXPECT_EQ(root.child("sent")->text, "2022-10-04T09:30:00+00:00");
  EXPECT_EQ(root.child("references")->text, "atalaya,atalaya-43-20221003T060000Z,2022-10-03T06:00:00+00:00");
  const XmlElement& info = *root.child("info");
  EXPECT_EQ(info.child("urgency")->text, "Future");
  EXPECT_EQ(info.child("severity")->text, "Extreme");
  EXPECT_EQ(info.child("certainty")->text, "Possible");
  EXPECT_EQ(info.child("onset")->text, "2022-10-01T00:00:00+00:00");
  EXPECT_EQ(info.child("expires")->text, "2022-12-01T00:00:00+00:00");  // end of the window's last month
  EXPECT_EQ(parameters(info).at("source_checkpoint"), "pa-snm-darien");
  EXPECT_EQ(info.child("area")->child("areaDesc")->text, "mx-tapachula, Mexico");
  EXPECT_EQ(info.child("area")->child("geocode")->child("value")->text, "MEX");
}

TEST(CapTest, ResolvedAlertIsACancelInThePast) {
  Alert a = testing::sample_surge_alert();
  a.status = AlertStatus::Resolved;
  a.updated_at = "2021-09-01T08:00:00Z";
  const XmlElement root = checked_cap(cap_alert_xml(a));
  EXPECT_EQ(root.child("msgType")->text, "Cancel");
  EXPECT_EQ(root.child("references")->text, "atalaya,atalaya-42-20210805T060000Z,2021-08-05T06:00:00+00:00");
  EXPECT_EQ(root.child("info")->child("urgency")->text, "Past");

  // Cancelled in the second it was raised: still its own identifier.
  a.updated_at = a.created_at;
  const XmlElement same = checked_cap(cap_alert_xml(a));
  EXPECT_NE(same.child("identifier")->text, "atalaya-42-20210805T060000Z");
  EXPECT_NE(same.child("references")->text.find("atalaya-42-20210805T060000Z"), std::string::npos);
}

TEST(CapTest, OptionsSetScopeSenderAndWeb) {
  CapOptions o;
  o.sender = "alerts@taskforce.example.org";
  o.identifier_prefix = "tf";
  o.sender_name = "Darién & Chocó task force";
  o.status = CapStatus::Exercise;
  o.restricted = true;
  o.restriction = "Task force members only";
  o.category = "Safety";
  o.web_prefix = "https://taskforce.example.org/alerts/";
  const XmlElement root = checked_cap(cap_alert_xml(testing::sample_surge_alert(), o));
  EXPECT_EQ(root.child("identifier")->text, "tf-42-20210805T060000Z");
  EXPECT_EQ(root.child("sender")->text, "alerts@taskforce.example.org");
  EXPECT_EQ(root.child("status")->text, "Exercise");
  EXPECT_EQ(root.child("scope")->text, "Restricted");
  EXPECT_EQ(root.child("restriction")->text, "Task force members only");
  EXPECT_EQ(root.child("info")->child("senderName")->text, "Darién & Chocó task force");
  EXPECT_EQ(root.child("info")->child("category")->text, "Safety");
  EXPECT_EQ(root.child("info")->child("web")->text, "https://taskforce.example.org/alerts/42");
}

TEST(CapTest, AreaWithoutAKnownCountryHasNoGeocode) {
  Alert a = testing::sample_surge_alert();
  a.key = {{"citizenship", "HTI"}, {"location", "El Paso sector"}};
  const XmlElement plain = checked_cap(cap_alert_xml(a));
  const XmlElement& area = *plain.child("info")->child("area");
  EXPECT_EQ(area.child("areaDesc")->text, "El Paso sector");
  EXPECT_EQ(area.child("geocode"), nullptr);
  a.key["reporter"] = "USA";
  const XmlElement root = checked_cap(cap_alert_xml(a));
  EXPECT_EQ(root.child("info")->child("area")->child("areaDesc")->text, "El Paso sector, United States of America");
  EXPECT_EQ(root.child("info")->child("area")->child("geocode")->child("value")->text, "USA");
}

TEST(CapTest, BadOptionsAndTimesAreRefused) {
  const Alert a = testing::sample_surge_alert();
  CapOptions restricted;
  restricted.restricted = true;
  EXPECT_THROW(cap_alert_xml(a, restricted), std::invalid_argument);
  CapOptions spaced;
  spaced.sender = "task force";
  EXPECT_THROW(cap_alert_xml(a, spaced), std::invalid_argument);
  CapOptions category;
  category.category = "Migration";
  EXPECT_THROW(cap_alert_xml(a, category), std::invalid_argument);
  Alert unstamped = a;
  unstamped.updated_at.clear();
  try {
    cap_alert_xml(unstamped);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("alert 42 updated_at"), std::string::npos) << e.what();
  }
}

// The message is written from a generic subject, so something other than
// one alert (an event grouping alerts) can be published the same way.
TEST(CapTest, ASubjectThatIsNotAnAlertIsAnUpdateReferencingItsEarlierMessages) {
  CapSubject s;
  s.key = "event-7";
  s.identifier = "atalaya-event-7-v3";
  s.sent = parse_utc_seconds("2021-09-02T12:00:00Z", "test");
  s.first_sent = parse_utc_seconds("2021-07-31T12:00:00Z", "test");
  s.references = {{"atalaya", "atalaya-event-7-v1", s.first_sent},
                  {"atalaya", "atalaya-event-7-v2", parse_utc_seconds("2021-08-31T12:00:00Z", "test")}};
  s.event = "Movement along the Darién route";
  s.headline = "Haitians from the Darién to the U.S. border";
  s.description = "Seen at the Darién, Honduras and Mexico";
  s.severity = Severity::Severe;
  s.urgency = "Future";
  s.certainty = "Likely";
  s.areas = {{"pa-snm-darien, Panama", "PAN"}, {"us-southwest-border, United States", "USA"}};
  s.parameters = {{"checkpoints", "3"}, {"empty", ""}};
  const XmlElement root = checked_cap(cap_message_xml(s));
  EXPECT_EQ(root.child("msgType")->text, "Update");
  EXPECT_EQ(root.child("references")->text,
            "atalaya,atalaya-event-7-v1,2021-07-31T12:00:00+00:00 atalaya,atalaya-event-7-v2,2021-08-31T12:00:00+00:00");
  const XmlElement& info = *root.child("info");
  EXPECT_EQ(info.child("certainty")->text, "Likely");
  ASSERT_EQ(info.all("area").size(), 2u);
  EXPECT_EQ(info.all("area")[1]->child("geocode")->child("value")->text, "USA");
  EXPECT_EQ(parameters(info).count("empty"), 0u);
  s.in_effect = false;
  EXPECT_EQ(checked_cap(cap_message_xml(s)).child("msgType")->text, "Cancel");
  s.references.clear();
  s.in_effect = true;
  EXPECT_EQ(checked_cap(cap_message_xml(s)).child("msgType")->text, "Alert");
  s.identifier = "has a space";
  EXPECT_THROW(cap_message_xml(s), std::invalid_argument);
}

// Several messages are one Atom document: each entry links to its message's
// URL and carries the message itself inline.
TEST(CapFeedTest, SeveralAlertsAreOneWellFormedAtomDocumentCarryingEachMessage) {
  const Alert surge = testing::sample_surge_alert();
  const Alert upstream = testing::sample_upstream_alert();
  std::vector<CapSubject> subjects{cap_subject(surge), cap_subject(upstream)};
  AtomOptions atom;
  const std::string feed = cap_atom_feed(subjects, atom, CapOptions{}, [](const CapSubject& s) {
    return "https://atalaya.example.org/cap/" + s.key;
  });
  const XmlElement root = testing::parse_xml(feed);  // throws unless well-formed
  EXPECT_EQ(root.name, "feed");
  EXPECT_EQ(root.attribute("xmlns"), "http://www.w3.org/2005/Atom");
  const auto entries = root.all("entry");
  ASSERT_EQ(entries.size(), 2u);
  // Newest message first: the upstream alert's update (2022) before the surge (2021).
  EXPECT_EQ(entries[0]->child("id")->text, "tag:atalaya.invalid,2026:alert-43");
  EXPECT_EQ(entries[0]->child("updated")->text, "2022-10-04T09:30:00Z");
  EXPECT_EQ(entries[0]->child("published")->text, "2022-10-03T06:00:00Z");
  const XmlElement* link = entries[0]->child("link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->attribute("type"), "application/cap+xml");
  EXPECT_EQ(link->attribute("href"), "https://atalaya.example.org/cap/alert-43");
  for (const XmlElement* e : entries) {
    const XmlElement* content = e->child("content");
    ASSERT_NE(content, nullptr);
    EXPECT_EQ(content->attribute("type"), "application/cap+xml");
    ASSERT_EQ(content->child_names(), std::vector<std::string>{"alert"});  // RFC 4287 4.1.3: one child element
  }
  // The inline message is the one the message's own URL serves.
  const XmlElement inline_update = *entries[0]->child("content")->child("alert");
  const XmlElement alone = checked_cap(cap_alert_xml(upstream));
  EXPECT_EQ(inline_update.child("identifier")->text, alone.child("identifier")->text);
  EXPECT_EQ(inline_update.child("msgType")->text, "Update");
  EXPECT_EQ(inline_update.child("references")->text, alone.child("references")->text);

  // No messages: still a feed, updated when the caller says.
  atom.updated_when_empty = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(testing::parse_xml(cap_atom_feed({}, atom, CapOptions{})).all("entry").empty());
  subjects.push_back(subjects[0]);
  EXPECT_THROW(cap_atom_feed(subjects, atom, CapOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
