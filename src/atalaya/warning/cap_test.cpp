// Tests for the CAP 1.2 export (cap.h): the message is well-formed XML in
// CAP's namespace, its elements come in the order the CAP 1.2 schema
// mandates, and each field carries the alert as cap.h's mapping promises.
#include "atalaya/warning/cap.h"

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

}  // namespace
}  // namespace atalaya
