// One line of the audit trail, as the code that acts describes it: who,
// from where (the Actor), what (action and object), and the outcome. The
// store that writes it adds the time and an id. Entries hold no secret (no
// password, no token, no file content); personal data (e-mail, address) is
// only ever shown to administrators.
#pragma once

#include <string>

#include "atalaya/core/actor.h"

namespace atalaya {

struct AuditEntry {
  Actor actor;
  // A dotted verb, from a closed list documented in docs/user-guide.md
  // ("Accounts and roles"): "vintage.write", "vintage.preview",
  // "alert.acknowledge", "event.resolve", "account.add", "account.disable",
  // "token.create", "token.revoke", "session.login", "read.drill", ...
  std::string action;
  // What it acted on, as kind:id: "source:pa-darien", "alert:17",
  // "account:4", "token:9", "drill:august-2021". Empty when nothing in particular.
  std::string object;
  // "ok"; "denied" (no right: 401/403); "refused" (bad input, a lifecycle
  // rule, a withdrawal limit: nothing changed); "failed" (the store failed).
  std::string outcome = "ok";
  std::string detail;  // a JSON object's text (counts, the missing right, the reason), or empty
};

}  // namespace atalaya
