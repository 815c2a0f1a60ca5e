#include "atalaya/serve/request_access.h"

#include <openssl/crypto.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/serve/api_error.h"
#include "atalaya/serve/request_identity.h"

namespace atalaya::serve {
namespace {

using access::Right;
using access::Role;

// A credential that names nobody: 401 naming Authorization.
[[noreturn]] void unknown_credential(const std::string& message) {
  access::Decision d;
  d.code = ErrorCode::Unauthenticated;
  d.message = "Authorization: " + message;
  throw access::Refused(d);
}

// The single-user server's principals (see the header): whoever may change
// alerts there (anyone, or an editor) may also upload data.
access::Principal single_user(std::string origin, bool may_change) {
  access::Principal p = access::Principal::anonymous(std::move(origin));
  p.grants.push_back({Role::Analyst, {}});
  if (may_change) {
    p.grants.push_back({Role::TaskForce, {}});
    p.grants.push_back({Role::DataTeam, {}});
  }
  return p;
}

}  // namespace

access::Decision RequestAccess::decide(Right right, std::string_view reporter) const {
  access::Decision d = access::decide(principal, right, reporter);
  if (d.allowed || accounts) return d;
  d.code = ErrorCode::Unauthenticated;
  if (right == Right::ChangeAlerts && editors)
    d.message = "changes need an editor's access token (Authorization: Bearer TOKEN; see serve --editors)";
  else
    d.message = "this needs the right " + d.missing +
                ", which needs an account, and this server has none yet (an administrator adds the first with "
                "`atalaya user add --admin`)";
  return d;
}

void RequestAccess::require(Right right, std::string_view reporter) const {
  access::Decision d = decide(right, reporter);
  if (!d.allowed) throw access::Refused(d);
}

void RequestAccess::read_restricted(const std::string& action, const std::string& object) const {
  require(Right::ReadRestricted);
  record(action, object, "ok");
}

void RequestAccess::record(std::string action, std::string object, std::string outcome, std::string detail) const {
  if (!audit || !audit->enabled()) return;
  AuditEntry e;
  e.actor = principal.actor;
  e.action = std::move(action);
  e.object = std::move(object);
  e.outcome = std::move(outcome);
  e.detail = std::move(detail);
  audit->add(std::move(e));
}

void RequestAccess::check_csrf(const httplib::Request& req) const {
  if (credential != Credential::Session) return;
  const std::string given = req.get_header_value("X-CSRF-Token");
  const bool same = !csrf.empty() && given.size() == csrf.size() &&
                    CRYPTO_memcmp(given.data(), csrf.data(), csrf.size()) == 0;
  if (!same)
    throw ApiError(403, "X-CSRF-Token",
                   given.empty() ? "X-CSRF-Token: a change made with a session needs the session's CSRF token (from "
                                   "the sign-in answer or GET /api/v1/me)"
                                 : "X-CSRF-Token: not this session's CSRF token");
}

Gatekeeper::Gatekeeper(GateOptions options, AuditWriter& audit) : options_(std::move(options)), audit_(audit) {
  if (options_.editors.empty()) return;
  if (options_.accounts && options_.accounts->has_accounts()) {
    accounts_seen_ = true;
    std::cerr << "atalaya serve: warning: --editors is ignored: this store has accounts, which decide who may "
                 "change alerts (docs/user-guide.md, \"Accounts and roles\")"
              << std::endl;
    warned_editors_ = true;
  } else {
    std::cerr << "atalaya serve: note: --editors is deprecated and will be removed in a later release; give people "
                 "accounts instead (atalaya user add; docs/user-guide.md, \"Accounts and roles\")"
              << std::endl;
  }
}

bool Gatekeeper::has_accounts() {
  if (accounts_seen_.load(std::memory_order_relaxed)) return true;
  if (!options_.accounts) return false;
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t next = next_check_ns_.load(std::memory_order_relaxed);
  if (now < next || !next_check_ns_.compare_exchange_strong(next, now + 1'000'000'000)) return false;
  if (!options_.accounts->has_accounts()) return false;
  accounts_seen_ = true;
  if (!options_.editors.empty() && !warned_editors_.exchange(true))
    std::cerr << "atalaya serve: warning: accounts now exist; --editors is ignored from here on" << std::endl;
  return true;
}

std::string Gatekeeper::changes_by() {
  if (has_accounts()) return "accounts";
  return options_.editors.empty() ? "anyone" : "editors";
}

RequestAccess Gatekeeper::identify(const httplib::Request& req, bool ignore_session) {
  RequestAccess a;
  a.audit = &audit_;
  a.accounts = has_accounts();
  a.editors = !a.accounts && !options_.editors.empty();
  a.secure = options_.secure_cookies || came_through_tls(req, options_.trusted_proxies);
  std::string origin = client_origin(req, options_.trusted_proxies);
  const std::string token = bearer_token(req);
  access::Authenticator* accounts = options_.accounts.get();

  if (token.rfind("atl_", 0) == 0) {
    auto p = accounts ? accounts->token(token, origin) : std::nullopt;
    if (!p) unknown_credential("the personal token is unknown, revoked or expired");
    a.principal = std::move(*p);
    a.credential = Credential::Token;
    return a;
  }
  if (!token.empty()) {
    if (a.accounts) unknown_credential("not a personal token (they begin with atl_; see atalaya token create)");
    if (a.editors) {
      const Editor* editor = options_.editors.find(token);
      if (!editor) unknown_credential("the access token is not an editor's");
      a.principal = single_user(std::move(origin), true);
      a.principal.actor.name = editor->name;
      a.principal.actor.credential = "editors-file";
      a.credential = Credential::EditorsFile;
      return a;
    }
    // A single-user server without editors takes no token, as before: ignored.
  }
  if (accounts && !ignore_session) {
    const std::string id = cookie_value(req, kSessionCookie);
    if (!id.empty()) {
      std::string csrf;
      if (auto p = accounts->session(id, origin, &csrf)) {
        a.principal = std::move(*p);
        a.credential = Credential::Session;
        a.session_id = id;
        a.csrf = std::move(csrf);
        return a;
      }
    }
  }
  a.principal = a.accounts ? access::Principal::anonymous(std::move(origin)) : single_user(std::move(origin), !a.editors);
  return a;
}

}  // namespace atalaya::serve
