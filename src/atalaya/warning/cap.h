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

#include <string>

#include "atalaya/warning/alert.h"

namespace atalaya {

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

// Throws std::invalid_argument for bad options or alert timestamps.
std::string cap_alert_xml(const Alert& alert, const CapOptions& options = {});

}  // namespace atalaya
