#include "atalaya/warning/event_cap.h"

#include <gtest/gtest.h>

#include "atalaya/warning/atom.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya {
namespace {

WarningEvent haitian_event() {
  WarningEvent e;
  e.id = 7;
  e.movement = {{"route", "darien-north"}, {"citizenship", "HTI"}};
  e.route = "darien-north";
  e.route_name = "Darién → U.S.";
  e.citizenship = "HTI";
  e.first_period = *Period::parse("2021-03");
  e.last_period = *Period::parse("2021-07");
  e.severity = Severity::Severe;
  e.created_at = "2021-03-31T10:00:00Z";
  e.updated_at = e.created_at;
  EventCheckpoint darien;
  darien.id = "darien";
  darien.name = "Darién";
  darien.reporter = "PAN";
  darien.alerts = {"surge|citizenship=HTI;source=pa-snm-darien"};
  EventCheckpoint us;
  us.id = "us";
  us.name = "U.S. southwest border";
  us.reporter = "USA";
  us.window_from = Period::parse("2021-08");
  us.window_to = Period::parse("2021-11");
  us.projected_from = "darien";
  e.checkpoints = {darien, us};
  return e;
}

TEST(EventCap, AnEventIsOneMessageWhoseAreasAreItsCheckpointsAndWhoseOnsetIsTheWindow) {
  WarningEvent e = haitian_event();
  const CapSubject first = cap_subject(e);
  EXPECT_EQ(first.key, "event-7");
  EXPECT_TRUE(first.references.empty());
  ASSERT_EQ(first.areas.size(), 2u);
  EXPECT_EQ(first.areas[0].alpha3, "PAN");
  EXPECT_EQ(first.areas[1].alpha3, "USA");
  EXPECT_EQ(first.urgency, "Future");
  EXPECT_EQ(first.certainty, "Observed");
  ASSERT_TRUE(first.onset && first.expires);
  EXPECT_EQ(*first.onset, month_start_seconds(*Period::parse("2021-08")));
  EXPECT_EQ(*first.expires, month_start_seconds(*Period::parse("2021-12")));
  const std::string xml = cap_message_xml(first);
  EXPECT_NE(xml.find("<msgType>Alert</msgType>"), std::string::npos) << xml;

  // A later version updates the first message; a closed event cancels it.
  e.updated_at = "2021-08-31T10:00:00Z";
  const CapSubject update = cap_subject(e);
  ASSERT_EQ(update.references.size(), 1u);
  EXPECT_EQ(update.references[0].identifier, first.identifier);
  EXPECT_NE(cap_message_xml(update).find("<msgType>Update</msgType>"), std::string::npos);
  e.status = AlertStatus::Resolved;
  EXPECT_NE(cap_message_xml(cap_subject(e)).find("<msgType>Cancel</msgType>"), std::string::npos);

  // Several events: one well-formed feed, one entry each.
  WarningEvent other = haitian_event();
  other.id = 8;
  AtomOptions atom;
  atom.updated_when_empty = "2021-09-01T00:00:00Z";
  const std::string feed = cap_atom_feed({cap_subject(haitian_event()), cap_subject(other)}, atom, CapOptions{});
  EXPECT_EQ(feed.find("<?xml"), 0u);
  size_t entries = 0;
  for (size_t at = feed.find("<entry>"); at != std::string::npos; at = feed.find("<entry>", at + 1)) ++entries;
  EXPECT_EQ(entries, 2u);
}

}  // namespace
}  // namespace atalaya
