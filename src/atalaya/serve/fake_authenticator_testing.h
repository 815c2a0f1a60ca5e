// For the server's tests: an Authenticator that answers from tables the
// test fills (tokens, sessions, accounts with passwords, lockouts), and an
// audit trail that keeps its lines in memory. The real ones are the
// account store (access/account_store.h) and store/audit/audit_log.h.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "atalaya/access/authenticator.h"
#include "atalaya/store/audit/audit_log.h"

namespace atalaya::testing {

// A signed-in person with these grants (and, for a token, these rights).
inline access::Principal person(int64_t id, const std::string& name, std::vector<access::Grant> grants,
                                std::optional<std::vector<access::Right>> token_rights = std::nullopt) {
  access::Principal p;
  p.actor.person_id = id;
  p.actor.name = name;
  p.grants = std::move(grants);
  p.token_rights = std::move(token_rights);
  return p;
}

class FakeAuthenticator : public access::Authenticator {
 public:
  struct Account {
    std::string password;
    access::Principal principal;
    bool disabled = false;
    std::chrono::seconds locked{0};  // > 0: LockedOut for that long
  };

  bool has_accounts() override {
    std::lock_guard lock(mu_);
    return accounts_exist;
  }
  access::LoginResult login(std::string_view login, std::string_view password, const std::string&) override {
    std::lock_guard lock(mu_);
    ++login_calls;
    access::LoginResult r;
    auto it = accounts.find(std::string(login));
    if (it == accounts.end()) return r;
    if (it->second.locked.count() > 0) {
      r.outcome = access::LoginOutcome::LockedOut;
      r.retry_after = it->second.locked;
      return r;
    }
    if (it->second.password != password) return r;
    if (it->second.disabled) {
      r.outcome = access::LoginOutcome::Disabled;
      return r;
    }
    const std::string n = std::to_string(++made_);
    access::Session s{"session-" + n, "csrf-" + n, std::chrono::system_clock::now() + std::chrono::hours(1),
                      it->second.principal};
    sessions[s.id] = {s.principal, s.csrf};
    r.outcome = access::LoginOutcome::SignedIn;
    r.session = s;
    return r;
  }
  std::optional<access::Principal> session(std::string_view id, const std::string& origin,
                                           std::string* csrf) override {
    std::lock_guard lock(mu_);
    auto it = sessions.find(std::string(id));
    if (it == sessions.end()) return std::nullopt;
    if (csrf) *csrf = it->second.second;
    access::Principal p = it->second.first;
    p.actor.origin = origin;
    p.actor.credential = "session";
    return p;
  }
  void logout(std::string_view id) override {
    std::lock_guard lock(mu_);
    sessions.erase(std::string(id));
    logged_out.emplace_back(id);
  }
  std::optional<access::Principal> token(std::string_view token, const std::string& origin) override {
    std::lock_guard lock(mu_);
    auto it = tokens.find(std::string(token));
    if (it == tokens.end()) return std::nullopt;
    access::Principal p = it->second;
    p.actor.origin = origin;
    p.actor.credential = "token:" + std::to_string(p.actor.person_id);
    return p;
  }

  // Filled by the test (under lock() when the server is running).
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mu_); }
  bool accounts_exist = true;
  std::map<std::string, access::Principal> tokens;  // "atl_..." -> its principal
  std::map<std::string, Account> accounts;          // login -> account
  std::map<std::string, std::pair<access::Principal, std::string>> sessions;  // id -> principal, CSRF token
  std::vector<std::string> logged_out;
  int login_calls = 0;

 private:
  std::mutex mu_;
  int made_ = 0;
};

class MemoryAuditLog : public audit::AuditLog {
 public:
  void record(const AuditEntry& entry) override {
    std::lock_guard lock(mu_);
    audit::AuditRecord r;
    r.id = static_cast<int64_t>(records_.size()) + 1;
    r.at = "2026-12-05T12:00:00.000Z";
    r.entry = entry;
    records_.push_back(r);
  }
  // Newest first; filtered by action and person only (enough for the server's tests).
  std::vector<audit::AuditRecord> lines(const audit::AuditFilter& f) override {
    std::lock_guard lock(mu_);
    std::vector<audit::AuditRecord> out;
    for (auto it = records_.rbegin(); it != records_.rend() && out.size() < f.limit; ++it)
      if ((f.action.empty() || it->entry.action == f.action) && (f.person.empty() || it->entry.actor.name == f.person))
        out.push_back(*it);
    return out;
  }
  std::vector<AuditEntry> entries() {
    std::lock_guard lock(mu_);
    std::vector<AuditEntry> out;
    for (auto& r : records_) out.push_back(r.entry);
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<audit::AuditRecord> records_;
};

}  // namespace atalaya::testing
