// Alerts as an Atom 1.0 feed (RFC 4287), for feed readers and for the CAP
// aggregators that poll an Atom index of CAP messages.
//
// One entry per alert, newest update first. An entry's id is a tag URI
// (RFC 4151) built from the alert's store id, so it stays the same while the
// alert is updated and a reader shows the new version in place; its updated
// time is the alert's updated_at. Severity is an Atom category.
// The caller must give alerts with created_at and updated_at set (the store
// sets them), and distinct ids; otherwise atom_feed throws std::invalid_argument.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "atalaya/warning/alert.h"
#include "atalaya/warning/cap.h"

namespace atalaya {

struct AtomOptions {
  // The tag URI authority and date (RFC 4151): a domain or e-mail address the
  // publisher controlled on that date. Ids become tag:<authority>,<date>:alerts
  // for the feed and tag:<authority>,<date>:alert-<id> for entries.
  std::string tag_authority = "atalaya.invalid";
  std::string tag_date = "2026";
  std::string title = "Atalaya early-warning alerts";
  std::string author = "Atalaya";
  std::string self_url;         // the feed's own URL (link rel="self"); omitted when empty
  std::string alert_url_prefix; // optional: link rel="alternate" to alert_url_prefix + id
  std::string cap_url_prefix;   // optional: link to the CAP message at cap_url_prefix + id
  // The feed's updated time when there are no alerts (RFC 3339); with alerts,
  // the newest updated_at is used.
  std::string updated_when_empty;
};

std::string atom_feed(const std::vector<Alert>& alerts, const AtomOptions& options = {});

// CAP messages as an Atom feed, the index that alerting hubs poll (the
// "CAP feed" of OASIS's CAP Feeds practice note, as NWS, the WMO Alert Hub
// and Google Public Alerts take in): one entry per subject (entry id
// tag:<authority>,<date>:<subject key>, so a new version replaces the old),
// updated at the message's sent time, linking to the message's own URL
// (rel="alternate", type="application/cap+xml") when cap_url gives one, and
// carrying the whole CAP <alert> inline as the entry's content
// (type="application/cap+xml", RFC 4287 4.1.3: an XML media type's content is
// its single child element). So the feed is one well-formed document however
// many messages it holds. Throws std::invalid_argument as atom_feed does, or
// for a subject key that appears twice.
using CapUrl = std::function<std::string(const CapSubject&)>;
std::string cap_atom_feed(const std::vector<CapSubject>& subjects, const AtomOptions& options,
                          const CapOptions& cap_options, const CapUrl& cap_url = {});

}  // namespace atalaya
