// Who is asking, for one API request, and what the server lets them do.
//
// Every request gets a Principal (access/permissions.h): from a personal
// token (Authorization: Bearer atl_...), else from the session cookie, else
// the public at the client's address. A token that names nobody (unknown,
// revoked, expired) is refused with 401, never taken as the public; a
// session cookie that names nobody (expired, signed out) is the public.
//
// A server whose store has no accounts yet keeps its older single-user
// rules: whoever reaches it reads everything and may change alerts, or,
// with an editors file (deprecated), changes need an editor's token. Its
// principals are made to match (an analyst and task force; an analyst until
// an editor's token is shown), so handlers ask the same questions in both
// modes; whoever may change alerts there may upload data too (data team).
// Other rights (accounts, the audit trail) need accounts.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/access/authenticator.h"
#include "atalaya/access/permissions.h"
#include "atalaya/serve/audit_writer.h"
#include "atalaya/serve/editors.h"
#include "atalaya/serve/sign_in_limiter.h"

namespace atalaya::serve {

enum class Credential : uint8_t { None, Token, Session, EditorsFile };

struct RequestAccess {
  access::Principal principal;
  Credential credential = Credential::None;
  bool accounts = false;  // the matrix decides; false: the single-user rules above
  bool editors = false;   // single-user, with an editors file
  bool secure = false;    // the client reached us through TLS (a trusted proxy says so)
  std::string session_id;  // the cookie's value, when credential == Session
  std::string csrf;        // that session's CSRF token
  AuditWriter* audit = nullptr;

  access::Decision decide(access::Right right, std::string_view reporter = {}) const;
  // Throws access::Refused (401 or 403, naming the missing right).
  void require(access::Right right, std::string_view reporter = {}) const;
  bool may(access::Right right, std::string_view reporter = {}) const { return decide(right, reporter).allowed; }
  // A read of data that is not public (a drill, ...): requires
  // ReadRestricted, then records it in the audit trail ("read.drill",
  // "drill:august-2021").
  void read_restricted(const std::string& action, const std::string& object) const;
  // An audit line by this principal (queued: see audit_writer.h).
  void record(std::string action, std::string object, std::string outcome, std::string detail = {}) const;
  // A change made with a session cookie must send the session's CSRF token
  // in X-CSRF-Token (compared in constant time); else ApiError 403 naming
  // the header. Token and single-user requests carry no ambient
  // credential and need none.
  void check_csrf(const httplib::Request& req) const;
};

struct GateOptions {
  std::shared_ptr<access::Authenticator> accounts;  // null: no accounts (single-user)
  Editors editors;
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For/-Proto are believed
  bool secure_cookies = false;               // Secure on the session cookie even without a proxy's word
};

class Gatekeeper {
 public:
  Gatekeeper(GateOptions options, AuditWriter& audit);

  // The request's principal. Throws access::Refused (401, "Authorization")
  // for a bearer token that names nobody. `ignore_session`: the cookie is
  // not read (sign-in, which carries its credentials in the body).
  RequestAccess identify(const httplib::Request& req, bool ignore_session = false);

  // Whether the store has accounts: asked of the account store at most once
  // a second until the answer is yes, which it then stays.
  bool has_accounts();
  access::Authenticator* accounts() const { return options_.accounts.get(); }
  SignInLimiter& limiter() { return limiter_; }
  AuditWriter& audit() { return audit_; }
  const std::vector<std::string>& trusted_proxies() const { return options_.trusted_proxies; }
  bool secure_cookies() const { return options_.secure_cookies; }
  // Who may change alerts, for /health: "accounts", "editors" or "anyone".
  std::string changes_by();

 private:
  GateOptions options_;
  AuditWriter& audit_;
  SignInLimiter limiter_;
  std::atomic<bool> accounts_seen_{false};
  std::atomic<int64_t> next_check_ns_{0};
  std::atomic<bool> warned_editors_{false};
};

}  // namespace atalaya::serve
