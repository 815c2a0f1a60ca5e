// An alert as an OASIS Common Alerting Protocol 1.2 message, the XML that
// public alerting systems and humanitarian hubs take in.
//
// One call gives one message for the alert as it stands now:
//   msgType  Alert   while it has not changed since it was raised,
//            Update  once it has (extended, re-graded, acknowledged),
//            Cancel  once it is resolved or expired (no longer in effect).
// Each message has its own identifier (<prefix>-<alert id>-<UTC stamp of the
// version>); Update and Cancel reference the first message of the alert, so a
// CAP consumer replaces what it showed rather than adding a second alert.
//
// Mapping choices:
//   category   Other by default (a movement of people is none of CAP's hazard
//              kinds); settable.
//   urgency    Future for an upstream alert with a projected arrival window,
//              Expected for a surge already seen at the checkpoint, Past once
//              the alert is no longer in effect.
//   certainty  Observed when the counts themselves show it; Possible for an
//              upstream projection (people may take another route).
//   onset/expires  the projected arrival window, when there is one.
//   area       the checkpoint (or location, or source) and its country; the
//              country is the key's reporter or else the ISO alpha-2 prefix of
//              the place id ("pa-snm-darien" -> Panama), as ISO 3166-1 alpha-3.
// The caller must give an alert with created_at and updated_at set (the store
// sets them); otherwise cap_alert_xml throws std::invalid_argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atalaya/warning/alert.h"

namespace atalaya {

class XmlWriter;

enum class CapStatus : uint8_t { Actual, Exercise, Test };

struct CapOptions {
  // CAP sender: who issues the messages, e.g. "atalaya@taskforce.example.org".
  // No spaces, commas, '<' or '&' (CAP 1.2, 3.2.1), same for the prefix.
  std::string sender = "atalaya";
  std::string identifier_prefix = "atalaya";
  std::string sender_name;         // optional human name of the issuer
  CapStatus status = CapStatus::Actual;
  bool restricted = false;         // scope Restricted instead of Public
  std::string restriction;         // required when restricted: who may see it
  std::string language = "en-US";
  std::string category = "Other";  // one of CAP's: Geo Met Safety Security Rescue Fire Health Env Transport Infra CBRNE Other
  std::string web_prefix;          // optional: <web> is web_prefix + alert id
};

// An earlier message, as CAP's <references> names it: sender,identifier,sent.
struct CapMessageRef {
  std::string sender;
  std::string identifier;
  int64_t sent = 0;  // UTC seconds
};

struct CapArea {
  std::string description;  // <areaDesc>
  std::string alpha3;       // ISO 3166-1 alpha-3 geocode; empty when unknown
};

// What one CAP message says, whatever it is about: one alert today (see
// cap_subject), or an event grouping several alerts. The message's type
// follows from it: Alert when it references no earlier message, Update when
// it does, Cancel once it is no longer in effect.
struct CapSubject {
  std::string key;         // the same for every version (the feed entry's id, its URL)
  std::string identifier;  // this version's, unique (CAP 1.2, 3.2.1 characters)
  int64_t sent = 0;        // UTC seconds
  std::vector<CapMessageRef> references;  // the earlier messages this one updates
  bool in_effect = true;
  std::string event, headline, description;
  Severity severity = Severity::Moderate;
  std::string urgency = "Expected";    // Immediate Expected Future Past Unknown
  std::string certainty = "Observed";  // Observed Likely Possible Unlikely Unknown
  std::optional<int64_t> onset, expires;
  std::vector<CapArea> areas;          // at least one is written ("Unspecified" when empty)
  std::vector<std::pair<std::string, std::string>> parameters;  // valueName, value; empty values are left out
  std::string web;                     // <web>; empty: none
  int64_t first_sent = 0;              // when the first version was sent (the feed's <published>)
};

// A UTC time as it goes into a message identifier: 20210807T101500Z.
std::string cap_stamp(int64_t utc_seconds);

// The subject of an alert's message as the alert stands now. Throws
// std::invalid_argument for bad options or alert timestamps.
CapSubject cap_subject(const Alert& alert, const CapOptions& options = {});

// One CAP 1.2 <alert> element into `w` (for a feed that carries messages
// inline), or as a document of its own.
void write_cap_message(XmlWriter& w, const CapSubject& subject, const CapOptions& options = {});
std::string cap_message_xml(const CapSubject& subject, const CapOptions& options = {});

// Throws std::invalid_argument for bad options or alert timestamps.
std::string cap_alert_xml(const Alert& alert, const CapOptions& options = {});

}  // namespace atalaya
