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

#include <string>
#include <vector>

#include "atalaya/warning/alert.h"

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

}  // namespace atalaya
