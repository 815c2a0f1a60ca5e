// The account store on sql::Connection: one implementation for SQLite and
// PostgreSQL (account_store.h says the rules). One connection, guarded by a
// mutex, serves every thread of a server; Argon2 runs outside it, and
// token() answers from a cache of its own before it needs the connection.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <type_traits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "atalaya/access/account_schema.h"
#include "atalaya/access/account_store.h"
#include "atalaya/access/login_throttle.h"
#include "atalaya/access/secrets.h"
#include "atalaya/access/utc_text.h"
#include "atalaya/core/error.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/schema.h"

namespace atalaya::access {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

constexpr std::string_view kTokenPrefix = "atl_";
constexpr size_t kTokenChars = 43;  // 32 bytes, base64url without padding
constexpr auto kLastUsedResolution = std::chrono::minutes(1);
constexpr size_t kTokenCacheMax = 10000;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string join_rights(const std::vector<Right>& rights) {
  std::string out;
  for (Right r : rights) out += (out.empty() ? "" : ",") + std::string(right_name(r));
  return out;
}

std::vector<Right> split_rights(const std::string& text) {
  std::vector<Right> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (auto r = parse_right(text.substr(start, end - start))) out.push_back(*r);
    start = end + 1;
  }
  return out;
}

json rights_json(const std::vector<Right>& rights) {
  json a = json::array();
  for (Right r : rights) a.push_back(right_name(r));
  return a;
}

json grant_json(const Grant& g) {
  json j{{"role", role_name(g.role)}};
  if (!g.reporters.empty()) j["reporters"] = g.reporters;
  return j;
}

bool has_role(const std::vector<Grant>& grants, Role role) {
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return g.role == role; });
}

// Grants as given, checked: reporters only for a focal point (who needs at
// least one), each a valid reporter, one Grant per role.
std::vector<Grant> checked_grants(const std::vector<Grant>& given) {
  std::map<Role, Grant> by_role;
  for (const Grant& g : given) {
    if (g.role == Role::FocalPoint && g.reporters.empty())
      throw Error(ErrorCode::InvalidArgument, "reporter",
                  "reporter: a focal point needs at least one reporter in scope (a country's ISO alpha-3 code, e.g. PAN)");
    if (g.role != Role::FocalPoint && !g.reporters.empty())
      throw Error(ErrorCode::InvalidArgument, "reporter",
                  "reporter: only a focal point's role is scoped to reporters, not " + std::string(role_name(g.role)));
    Grant& into = by_role.try_emplace(g.role, Grant{g.role, {}}).first->second;
    for (const std::string& r : g.reporters) {
      std::string code = checked_reporter(r);
      if (std::find(into.reporters.begin(), into.reporters.end(), code) == into.reporters.end())
        into.reporters.push_back(code);
    }
  }
  std::vector<Grant> out;
  for (auto& [role, g] : by_role) out.push_back(g);
  return out;
}

struct AccountRow {
  Account account;
  std::string password_hash;
};

// A token as the cache keeps it: what the row said when it was read.
struct TokenRow {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string owner;
  bool usable = false;  // not revoked, owner not disabled
  TimePoint expires{};
  TimePoint last_used{};
  std::vector<Grant> grants;
  std::vector<Right> rights;
};

struct CachedToken {
  TimePoint fetched{};
  std::optional<TokenRow> row;  // nullopt: no such token
};

class SqlAccountStore : public AccountStore {
 public:
  SqlAccountStore(std::unique_ptr<sql::Connection> db, AccountStoreOptions options)
      : db_(std::move(db)), options_(std::move(options)) {
    if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
    audit::migrate_audit(*db_);
    sql::migrate(*db_, "access", account_migrations());
  }

  // ---- Authenticator ----------------------------------------------------------

  bool has_accounts() override {
    if (known_to_have_accounts_) return true;
    std::lock_guard lock(db_mutex_);
    auto q = db_->prepare("SELECT count(*) FROM account");
    q->step();
    known_to_have_accounts_ = q->i64(0) > 0;
    return known_to_have_accounts_;
  }

  LoginResult login(std::string_view login, std::string_view password, const std::string& origin) override {
    Attempt a = authenticate(login, password, origin, true);
    LoginResult r;
    r.outcome = a.outcome;
    r.retry_after = a.retry_after;
    r.session = std::move(a.session);
    return r;
  }

  PasswordCheck check_password(std::string_view login, std::string_view password, const std::string& origin) override {
    Attempt a = authenticate(login, password, origin, false);
    PasswordCheck r;
    r.outcome = a.outcome;
    r.retry_after = a.retry_after;
    r.principal = std::move(a.principal);
    return r;
  }

  std::optional<Principal> session(std::string_view session_id, const std::string& origin, std::string* csrf) override {
    if (session_id.empty()) return std::nullopt;
    const std::string hash = sha256_hex(session_id);
    const TimePoint now = options_.clock();
    std::lock_guard lock(db_mutex_);
    auto q = db_->prepare(
        "SELECT s.account_id, s.csrf, s.created_at, s.last_seen_at, CASE WHEN s.ended_at IS NULL THEN 0 ELSE 1 END, a.disabled "
        "FROM account_session s JOIN account a ON a.id = s.account_id WHERE s.id_hash = ?");
    q->bind(1, hash);
    if (!q->step()) return std::nullopt;
    const int64_t account_id = q->i64(0);
    const std::string session_csrf = q->text(1);
    const TimePoint created = parse_utc_text(q->text(2)), last_seen = parse_utc_text(q->text(3));
    if (q->i64(4) || q->i64(5)) return std::nullopt;
    if (now >= created + options_.session_lifetime || now >= last_seen + options_.session_idle) return std::nullopt;
    q.reset();
    if (now - last_seen >= kLastUsedResolution) {
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      auto u = db_->prepare("UPDATE account_session SET last_seen_at = ? WHERE id_hash = ?");
      u->bind(1, utc_text(now)).bind(2, hash);
      u->step();
      tx.commit();
    }
    auto row = load_account_by_id(account_id);
    if (!row) return std::nullopt;
    if (csrf) *csrf = session_csrf;
    return principal_of(row->account, origin, "session");
  }

  void logout(std::string_view session_id) override {
    if (session_id.empty()) return;
    const std::string hash = sha256_hex(session_id);
    std::lock_guard lock(db_mutex_);
    sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
    auto q = db_->prepare("SELECT s.account_id, s.origin FROM account_session s WHERE s.id_hash = ? AND s.ended_at IS NULL");
    q->bind(1, hash);
    if (!q->step()) return;
    const int64_t account_id = q->i64(0);
    const std::string origin = q->text(1);
    q.reset();
    auto u = db_->prepare("UPDATE account_session SET ended_at = ? WHERE id_hash = ?");
    u->bind(1, utc_text(options_.clock())).bind(2, hash);
    u->step();
    auto row = load_account_by_id(account_id);
    Actor actor{account_id, row ? row->account.name : "", origin, "session"};
    audit::append(*db_, {actor, "session.logout", "account:" + std::to_string(account_id), "ok", ""});
    tx.commit();
  }

  std::optional<Principal> token(std::string_view token, const std::string& origin) override {
    if (token.size() != kTokenPrefix.size() + kTokenChars || token.substr(0, kTokenPrefix.size()) != kTokenPrefix)
      return std::nullopt;
    const std::string hash = sha256_hex(token);
    const TimePoint now = options_.clock();
    std::optional<TokenRow> row;
    bool cached = false;
    {
      std::lock_guard lock(cache_mutex_);
      auto it = cache_.find(hash);
      if (it != cache_.end() && now - it->second.fetched < options_.token_cache_ttl && now >= it->second.fetched) {
        row = it->second.row;
        cached = true;
      }
    }
    if (!cached) {
      {
        std::lock_guard lock(db_mutex_);
        row = load_token(hash);
      }
      std::lock_guard lock(cache_mutex_);
      if (cache_.size() >= kTokenCacheMax) prune_cache(now);
      cache_[hash] = {now, row};
    }
    if (!row || !row->usable || now >= row->expires) return std::nullopt;
    if (now - row->last_used >= kLastUsedResolution) note_use(hash, row->id, now);

    Principal p;
    p.actor = {row->account_id, row->owner, origin, "token:" + std::to_string(row->id)};
    p.grants = row->grants;
    p.token_rights = row->rights;
    return p;
  }

  // ---- Accounts ---------------------------------------------------------------

  Account add_account(const Principal& by, const NewAccount& given) override {
    return audited(by, "account.add", "", [&] {
      require(by, Right::ManageAccounts);
      check_account_name(given.name);
      check_email(given.email);
      if (given.grants.empty())
        throw Error(ErrorCode::InvalidArgument, "role", "role: an account needs at least one role (" + role_list() + ")");
      const std::vector<Grant> grants = checked_grants(given.grants);
      check_password_policy(given.password, given.name, given.email);
      const std::string hash = hash_password(given.password, options_.password_cost);

      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      auto count = db_->prepare("SELECT count(*) FROM account");
      count->step();
      if (count->i64(0) == 0 && !has_role(grants, Role::Administrator))
        throw Error(ErrorCode::Conflict, "role",
                    "role: the first account of a store must be an administrator (atalaya user add NAME --admin ...), "
                    "or nobody could manage the accounts");
      count.reset();
      if (find_account_id("name = ?", given.name))
        throw Error(ErrorCode::Conflict, "name", "name: an account named '" + given.name + "' already exists");
      if (find_account_id("email_key = ?", lower(given.email)))
        throw Error(ErrorCode::Conflict, "email", "email: another account already has the e-mail address " + given.email);
      const std::string now = utc_text(options_.clock());
      auto ins = db_->prepare(
          "INSERT INTO account(name, email, email_key, language, organisation, disabled, password_hash, "
          "password_changed_at, created_at) VALUES(?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id");
      ins->bind(1, given.name).bind(2, given.email).bind(3, lower(given.email));
      ins->bind(4, std::string(language_code(given.language))).bind(5, given.organisation).bind(6, hash);
      ins->bind(7, now).bind(8, now);
      ins->step();
      const int64_t id = ins->i64(0);
      ins.reset();
      for (const Grant& g : grants) insert_grant(id, g);
      json detail{{"name", given.name}, {"grants", json::array()}};
      for (const Grant& g : grants) detail["grants"].push_back(grant_json(g));
      audit::append(*db_, {by.actor, "account.add", "account:" + std::to_string(id), "ok", detail.dump()});
      tx.commit();
      known_to_have_accounts_ = true;
      return load_account_by_id(id)->account;
    });
  }

  std::vector<Account> accounts(const Principal& by) override {
    require_logged(by, Right::ManageAccounts, "account.list", "");
    std::lock_guard lock(db_mutex_);
    std::vector<int64_t> ids;
    auto q = db_->prepare("SELECT id FROM account ORDER BY name");
    while (q->step()) ids.push_back(q->i64(0));
    q.reset();
    std::vector<Account> out;
    for (int64_t id : ids) out.push_back(load_account_by_id(id)->account);
    return out;
  }

  std::optional<Account> account(const Principal& by, std::string_view name_or_email) override {
    std::unique_lock lock(db_mutex_);
    auto row = load_account_by_login(name_or_email);
    lock.unlock();
    if (row && row->account.id == by.actor.person_id && by.actor.person_id != 0) return row->account;
    require_logged(by, Right::ManageAccounts, "account.read", "");
    return row ? std::optional<Account>(row->account) : std::nullopt;
  }

  Account set_disabled(const Principal& by, const std::string& name, bool disabled) override {
    const std::string action = disabled ? "account.disable" : "account.enable";
    return audited(by, action, "", [&] {
      require(by, Right::ManageAccounts);
      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      Account a = existing(name).account;
      if (disabled && has_role(a.grants, Role::Administrator) && !a.disabled && enabled_administrators() == 1)
        throw Error(ErrorCode::Conflict, "name",
                    "name: " + name + " is the last enabled administrator; make another one first");
      auto u = db_->prepare("UPDATE account SET disabled = ? WHERE id = ?");
      u->bind(1, int64_t{disabled}).bind(2, a.id);
      u->step();
      if (disabled) end_sessions(a.id);
      audit::append(*db_, {by.actor, action, "account:" + std::to_string(a.id), "ok", json{{"name", name}}.dump()});
      tx.commit();
      forget_tokens();
      a.disabled = disabled;
      return a;
    });
  }

  void set_password(const Principal& by, const std::string& name, const std::string& password) override {
    audited(by, "account.password", "", [&] {
      std::unique_lock lock(db_mutex_);
      Account a = existing(name).account;
      lock.unlock();
      // One's own password, but not through a token: a script's token must
      // not be able to take its owner's account.
      const bool own = a.id == by.actor.person_id && by.actor.person_id != 0 && !by.token_rights;
      if (!own) require(by, Right::ManageAccounts);
      check_password_policy(password, a.name, a.email);
      const std::string hash = hash_password(password, options_.password_cost);
      lock.lock();
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      auto u = db_->prepare("UPDATE account SET password_hash = ?, password_changed_at = ? WHERE id = ?");
      u->bind(1, hash).bind(2, utc_text(options_.clock())).bind(3, a.id);
      u->step();
      end_sessions(a.id);
      audit::append(*db_, {by.actor, "account.password", "account:" + std::to_string(a.id), "ok",
                           json{{"name", name}}.dump()});
      tx.commit();
      return 0;
    });
  }

  Account grant(const Principal& by, const std::string& name, const Grant& given) override {
    return audited(by, "account.grant", "", [&] {
      require(by, Right::ManageAccounts);
      const Grant g = checked_grants({given}).front();
      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      Account a = existing(name).account;
      Grant added{g.role, {}};
      for (const Grant& held : a.grants)
        if (held.role == g.role && g.reporters.empty())
          throw Error(ErrorCode::Conflict, "role", "role: " + name + " already holds the role " + std::string(role_name(g.role)));
      Grant fresh = g;
      for (const Grant& held : a.grants)
        if (held.role == g.role)
          std::erase_if(fresh.reporters, [&](const std::string& r) {
            return std::find(held.reporters.begin(), held.reporters.end(), r) != held.reporters.end();
          });
      if (g.role == Role::FocalPoint && fresh.reporters.empty())
        throw Error(ErrorCode::Conflict, "reporter", "reporter: " + name + " is already a focal point for these reporters");
      insert_grant(a.id, fresh);
      audit::append(*db_, {by.actor, "account.grant", "account:" + std::to_string(a.id), "ok",
                           json{{"name", name}, {"grant", grant_json(fresh)}}.dump()});
      tx.commit();
      forget_tokens();
      return load_account_by_id(a.id)->account;
    });
  }

  Account revoke_role(const Principal& by, const std::string& name, Role role) override {
    return audited(by, "account.revoke_role", "", [&] {
      require(by, Right::ManageAccounts);
      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      Account a = existing(name).account;
      if (!has_role(a.grants, role))
        throw Error(ErrorCode::NotFound, "role", "role: " + name + " does not hold the role " + std::string(role_name(role)));
      if (role == Role::Administrator && !a.disabled && enabled_administrators() == 1)
        throw Error(ErrorCode::Conflict, "role", "role: " + name + " is the last enabled administrator; make another one first");
      auto d = db_->prepare("DELETE FROM account_grant WHERE account_id = ? AND role = ?");
      d->bind(1, a.id).bind(2, std::string(role_name(role)));
      d->step();
      audit::append(*db_, {by.actor, "account.revoke_role", "account:" + std::to_string(a.id), "ok",
                           json{{"name", name}, {"role", role_name(role)}}.dump()});
      tx.commit();
      forget_tokens();
      return load_account_by_id(a.id)->account;
    });
  }

  // ---- Tokens -----------------------------------------------------------------

  CreatedToken create_token(const Principal& by, const NewToken& t) override {
    return audited(by, "token.create", "", [&] {
      require_signed_in(by);
      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      AccountRow owner;
      if (t.owner.empty()) {
        if (by.actor.person_id == 0)
          throw Error(ErrorCode::InvalidArgument, "owner",
                      "owner: " + by.actor.name + " has no account to make a token for; name the account the token acts for");
        owner = *load_account_by_id(by.actor.person_id);
      } else {
        owner = existing(t.owner);
      }
      if (owner.account.id != by.actor.person_id) require(by, Right::ManageAccounts);
      if (owner.account.disabled)
        throw Error(ErrorCode::Conflict, "owner", "owner: " + owner.account.name + "'s account is disabled");
      if (t.name.empty() || t.name.size() > 100)
        throw Error(ErrorCode::InvalidArgument, "name", "name: a token needs a name of 1 to 100 characters (what it is for)");
      if (t.rights.empty())
        throw Error(ErrorCode::InvalidArgument, "rights", "rights: a token needs at least one right (" + right_list() + ")");
      if (t.lifetime <= seconds(0) || t.lifetime > kMaxTokenLifetime)
        throw Error(ErrorCode::InvalidArgument, "expires", "expires: a token lives from 1 day to 365 days");
      // No more than its owner holds, nor than its maker holds (a token
      // cannot make a wider one).
      Principal owner_principal = principal_of(owner.account, "", "");
      const auto owner_holds = held_rights(owner_principal), maker_holds = held_rights(by);
      std::vector<Right> rights;
      for (Right r : t.rights) {
        if (std::find(owner_holds.begin(), owner_holds.end(), r) == owner_holds.end())
          throw Error(ErrorCode::Forbidden, "rights",
                      "rights: " + owner.account.name + " does not hold the right " + std::string(right_name(r)) +
                          ", so a token of theirs cannot carry it (they hold: " + join_rights(owner_holds) + ")");
        if (std::find(maker_holds.begin(), maker_holds.end(), r) == maker_holds.end())
          throw Error(ErrorCode::Forbidden, "rights",
                      "rights: " + by.actor.name + "'s credential does not carry the right " + std::string(right_name(r)) +
                          ", so it cannot give it to a token");
        if (std::find(rights.begin(), rights.end(), r) == rights.end()) rights.push_back(r);
      }
      std::sort(rights.begin(), rights.end());

      const TimePoint now = options_.clock();
      CreatedToken out;
      out.secret = std::string(kTokenPrefix) + random_token(32);
      auto ins = db_->prepare(
          "INSERT INTO personal_token(account_id, name, secret_hash, rights, created_at, expires_at) "
          "VALUES(?, ?, ?, ?, ?, ?) RETURNING id");
      ins->bind(1, owner.account.id).bind(2, t.name).bind(3, sha256_hex(out.secret)).bind(4, join_rights(rights));
      ins->bind(5, utc_text(now)).bind(6, utc_text(now + t.lifetime));
      ins->step();
      const int64_t id = ins->i64(0);
      ins.reset();
      audit::append(*db_, {by.actor, "token.create", "token:" + std::to_string(id), "ok",
                           json{{"owner", owner.account.name},
                                {"name", t.name},
                                {"rights", rights_json(rights)},
                                {"expires_at", utc_text(now + t.lifetime)}}
                               .dump()});
      tx.commit();
      out.info = load_token_info(id).value();
      return out;
    });
  }

  std::vector<TokenInfo> tokens(const Principal& by, const std::string& owner) override {
    require_signed_in(by);
    std::string where;
    int64_t account_id = 0;
    {
      std::lock_guard lock(db_mutex_);
      if (owner == "*" || (owner.empty() && by.actor.person_id == 0)) {
        where = "1 = 1";
      } else if (owner.empty()) {
        account_id = by.actor.person_id;
      } else {
        account_id = existing(owner).account.id;
      }
    }
    if (account_id != by.actor.person_id || where == "1 = 1")
      require_logged(by, Right::ManageAccounts, "token.list", owner.empty() || owner == "*" ? "" : "account:" + std::to_string(account_id));
    std::lock_guard lock(db_mutex_);
    return token_infos(where.empty() ? "t.account_id = ?" : where, account_id);
  }

  TokenInfo revoke_token(const Principal& by, int64_t id) override {
    return audited(by, "token.revoke", "token:" + std::to_string(id), [&] {
      require_signed_in(by);
      std::lock_guard lock(db_mutex_);
      sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
      auto info = load_token_info(id);
      if (!info) throw Error(ErrorCode::NotFound, "id", "id: there is no token " + std::to_string(id));
      if (info->account_id != by.actor.person_id) require(by, Right::ManageAccounts);
      if (!info->revoked_at.empty())
        throw Error(ErrorCode::Conflict, "id", "id: token " + std::to_string(id) + " was already revoked at " + info->revoked_at);
      auto u = db_->prepare("UPDATE personal_token SET revoked_at = ? WHERE id = ?");
      u->bind(1, utc_text(options_.clock())).bind(2, id);
      u->step();
      audit::append(*db_, {by.actor, "token.revoke", "token:" + std::to_string(id), "ok",
                           json{{"owner", info->owner}, {"name", info->name}}.dump()});
      tx.commit();
      forget_tokens();
      return load_token_info(id).value();
    });
  }

 private:
  struct Attempt {
    LoginOutcome outcome = LoginOutcome::WrongCredentials;
    seconds retry_after{0};
    std::optional<Principal> principal;
    std::optional<Session> session;
  };

  // One sign-in attempt (account_store.h: the throttle's rules). The
  // connection is held to read and to record, not while Argon2 runs.
  Attempt authenticate(std::string_view login, std::string_view password, const std::string& origin, bool with_session) {
    const TimePoint now = options_.clock();
    const std::string action = with_session ? "session.login" : "account.sign_in";
    std::optional<AccountRow> row;
    std::string subject;
    const std::string origin_subject = "origin:" + origin;
    Attempt out;
    {
      std::lock_guard lock(db_mutex_);
      row = load_account_by_login(login);
      subject = row ? "account:" + std::to_string(row->account.id) : "login:" + sha256_hex(lower(std::string(login)));
      out.retry_after = std::max(throttle::locked_for(*db_, subject, now), throttle::locked_for(*db_, origin_subject, now));
    }
    Actor actor{row ? row->account.id : 0, row ? row->account.name : "anonymous", origin, "password"};
    const std::string object = row ? "account:" + std::to_string(row->account.id) : "";
    if (out.retry_after > seconds(0)) {
      out.outcome = LoginOutcome::LockedOut;
      std::lock_guard lock(db_mutex_);
      record({actor, action, object, "denied", json{{"reason", "locked_out"}}.dump()});
      return out;
    }
    // Argon2 runs for an unknown login too, against a hash of nothing anyone knows.
    const bool right = verify_password(row ? row->password_hash : dummy_hash(), password) && row;

    std::lock_guard lock(db_mutex_);
    sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
    if (!right) {
      const seconds a = throttle::count_failure(*db_, options_.login, subject, options_.login.account_failures, now);
      const seconds o = throttle::count_failure(*db_, options_.login, origin_subject, options_.login.origin_failures, now);
      audit::append(*db_, {actor, action, object, "denied", json{{"reason", "wrong_credentials"}}.dump()});
      if (a > seconds(0))
        audit::append(*db_, {actor, "account.lockout", object, "ok",
                             json{{"locked", row ? "account" : "unknown login"}, {"seconds", a.count()}}.dump()});
      if (o > seconds(0))
        audit::append(*db_, {actor, "account.lockout", "", "ok", json{{"locked", "origin"}, {"seconds", o.count()}}.dump()});
      tx.commit();
      if (a > seconds(0) || o > seconds(0)) {
        out.outcome = LoginOutcome::LockedOut;
        out.retry_after = std::max(a, o);
      }
      return out;
    }
    if (row->account.disabled) {
      audit::append(*db_, {actor, action, object, "denied", json{{"reason", "disabled"}}.dump()});
      tx.commit();
      out.outcome = LoginOutcome::Disabled;
      return out;
    }
    if (password_needs_rehash(row->password_hash, options_.password_cost)) {
      auto u = db_->prepare("UPDATE account SET password_hash = ? WHERE id = ?");
      u->bind(1, hash_password(password, options_.password_cost)).bind(2, row->account.id);
      u->step();
    }
    throttle::clear(*db_, subject);
    out.outcome = LoginOutcome::SignedIn;
    out.principal = principal_of(row->account, origin, with_session ? "session" : "password");
    if (with_session) {
      Session s;
      s.id = random_token(32);
      s.csrf = random_token(32);
      s.expires = std::min(now + options_.session_idle, now + options_.session_lifetime);
      s.principal = *out.principal;
      auto ins = db_->prepare(
          "INSERT INTO account_session(id_hash, account_id, csrf, origin, created_at, last_seen_at) VALUES(?, ?, ?, ?, ?, ?)");
      ins->bind(1, sha256_hex(s.id)).bind(2, row->account.id).bind(3, s.csrf).bind(4, origin);
      ins->bind(5, utc_text(now)).bind(6, utc_text(now));
      ins->step();
      out.session = std::move(s);
    }
    audit::append(*db_, {actor, action, object, "ok", ""});
    tx.commit();
    return out;
  }

  // Runs a change; a refusal (no right, bad input, a rule) is recorded in
  // the audit trail, in a transaction of its own, and thrown on.
  template <class F>
  std::invoke_result_t<F> audited(const Principal& by, const std::string& action, const std::string& object, F&& change) {
    try {
      return change();
    } catch (const Refused& r) {
      std::lock_guard lock(db_mutex_);
      record({by.actor, action, object, "denied", json{{"missing_right", r.missing}}.dump()});
      throw;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::InvalidArgument || e.code() == ErrorCode::Conflict ||
          e.code() == ErrorCode::NotFound || e.code() == ErrorCode::Forbidden) {
        std::lock_guard lock(db_mutex_);
        record({by.actor, action, object, e.code() == ErrorCode::Forbidden ? "denied" : "refused",
                json{{"reason", e.what()}}.dump()});
      }
      throw;
    }
  }

  void require_logged(const Principal& by, Right right, const std::string& action, const std::string& object) {
    Decision d = decide(by, right);
    if (d.allowed) return;
    std::lock_guard lock(db_mutex_);
    record({by.actor, action, object, "denied", json{{"missing_right", d.missing}}.dump()});
    throw Refused(d);
  }

  static void require_signed_in(const Principal& by) {
    if (!by.is_public()) return;
    Decision d;
    d.code = ErrorCode::Unauthenticated;
    d.missing = "signed_in";
    d.message = "personal tokens belong to accounts: sign in first";
    throw Refused(d);
  }

  // An audit line in a transaction of its own (the caller holds db_mutex_).
  void record(const AuditEntry& entry) { audit::record(*db_, entry); }

  const std::string& dummy_hash() {
    std::call_once(dummy_once_, [this] { dummy_hash_ = hash_password(random_token(32), options_.password_cost); });
    return dummy_hash_;
  }

  static std::string role_list() {
    std::string s;
    for (Role r : kRoles) s += (s.empty() ? "" : ", ") + std::string(role_name(r));
    return s;
  }
  static std::string right_list() {
    std::string s;
    for (Right r : kRights) s += (s.empty() ? "" : ", ") + std::string(right_name(r));
    return s;
  }

  // ---- Rows (the caller holds db_mutex_) -----------------------------------

  std::optional<int64_t> find_account_id(const std::string& where, const std::string& value) {
    auto q = db_->prepare("SELECT id FROM account WHERE " + where);
    q->bind(1, value);
    if (!q->step()) return std::nullopt;
    return q->i64(0);
  }

  std::optional<AccountRow> load_account_by_login(std::string_view login) {
    auto id = find_account_id("name = ?", std::string(login));
    if (!id) id = find_account_id("email_key = ?", lower(std::string(login)));
    if (!id) return std::nullopt;
    return load_account_by_id(*id);
  }

  AccountRow existing(const std::string& name) {
    auto row = load_account_by_login(name);
    if (!row) throw Error(ErrorCode::NotFound, "name", "name: there is no account named " + name);
    return *row;
  }

  std::optional<AccountRow> load_account_by_id(int64_t id) {
    auto q = db_->prepare(
        "SELECT id, name, email, language, organisation, disabled, created_at, password_hash FROM account WHERE id = ?");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    AccountRow row;
    Account& a = row.account;
    a.id = q->i64(0);
    a.name = q->text(1);
    a.email = q->text(2);
    a.language = parse_language(q->text(3)).value_or(Language::En);
    a.organisation = q->text(4);
    a.disabled = q->i64(5) != 0;
    a.created_at = q->text(6);
    row.password_hash = q->text(7);
    q.reset();
    a.grants = grants_of(a.id);
    return row;
  }

  std::vector<Grant> grants_of(int64_t account_id) {
    auto q = db_->prepare("SELECT role, reporter FROM account_grant WHERE account_id = ? ORDER BY role, reporter");
    q->bind(1, account_id);
    std::vector<Grant> out;
    while (q->step()) {
      auto role = parse_role(q->text(0));
      if (!role) continue;
      if (out.empty() || out.back().role != *role) out.push_back({*role, {}});
      if (!q->text(1).empty()) out.back().reporters.push_back(q->text(1));
    }
    std::sort(out.begin(), out.end(), [](const Grant& a, const Grant& b) { return a.role < b.role; });
    return out;
  }

  void insert_grant(int64_t account_id, const Grant& g) {
    auto ins = db_->prepare("INSERT INTO account_grant(account_id, role, reporter) VALUES(?, ?, ?)");
    const std::vector<std::string> reporters = g.reporters.empty() ? std::vector<std::string>{""} : g.reporters;
    for (const std::string& r : reporters) {
      ins->reset();
      ins->bind(1, account_id).bind(2, std::string(role_name(g.role))).bind(3, r);
      ins->step();
    }
  }

  int64_t enabled_administrators() {
    auto q = db_->prepare(
        "SELECT count(DISTINCT a.id) FROM account a JOIN account_grant g ON g.account_id = a.id "
        "WHERE a.disabled = 0 AND g.role = ?");
    q->bind(1, std::string(role_name(Role::Administrator)));
    q->step();
    return q->i64(0);
  }

  void end_sessions(int64_t account_id) {
    auto u = db_->prepare("UPDATE account_session SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL");
    u->bind(1, utc_text(options_.clock())).bind(2, account_id);
    u->step();
  }

  Principal principal_of(const Account& a, const std::string& origin, const std::string& credential) {
    Principal p;
    p.actor = {a.id, a.name, origin, credential};
    p.grants = a.grants;
    return p;
  }

  static constexpr const char* kTokenColumns =
      "SELECT t.id, t.account_id, a.name, t.name, t.rights, t.created_at, t.expires_at, t.revoked_at, t.last_used_at "
      "FROM personal_token t JOIN account a ON a.id = t.account_id ";

  std::vector<TokenInfo> token_infos(const std::string& where, int64_t bound) {
    auto q = db_->prepare(std::string(kTokenColumns) + "WHERE " + where + " ORDER BY t.id");
    if (where.find('?') != std::string::npos) q->bind(1, bound);
    std::vector<TokenInfo> out;
    while (q->step()) {
      TokenInfo t;
      t.id = q->i64(0);
      t.account_id = q->i64(1);
      t.owner = q->text(2);
      t.name = q->text(3);
      t.rights = split_rights(q->text(4));
      t.created_at = q->text(5);
      t.expires_at = q->text(6);
      t.revoked_at = q->text(7);
      t.last_used_at = q->text(8);
      out.push_back(std::move(t));
    }
    return out;
  }

  std::optional<TokenInfo> load_token_info(int64_t id) {
    auto v = token_infos("t.id = ?", id);
    if (v.empty()) return std::nullopt;
    return v.front();
  }

  std::optional<TokenRow> load_token(const std::string& hash) {
    auto q = db_->prepare(
        "SELECT t.id, t.account_id, a.name, t.rights, t.expires_at, CASE WHEN t.revoked_at IS NULL AND a.disabled = 0 THEN 1 ELSE 0 END, "
        "t.last_used_at FROM personal_token t JOIN account a ON a.id = t.account_id WHERE t.secret_hash = ?");
    q->bind(1, hash);
    if (!q->step()) return std::nullopt;
    TokenRow row;
    row.id = q->i64(0);
    row.account_id = q->i64(1);
    row.owner = q->text(2);
    row.rights = split_rights(q->text(3));
    row.expires = parse_utc_text(q->text(4));
    row.usable = q->i64(5) != 0;
    row.last_used = parse_utc_text(q->text(6));
    q.reset();
    row.grants = grants_of(row.account_id);
    return row;
  }

  void note_use(const std::string& hash, int64_t id, TimePoint now) {
    {
      std::lock_guard lock(cache_mutex_);
      auto it = cache_.find(hash);
      if (it != cache_.end() && it->second.row) it->second.row->last_used = now;
    }
    std::lock_guard lock(db_mutex_);
    sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
    auto u = db_->prepare("UPDATE personal_token SET last_used_at = ? WHERE id = ?");
    u->bind(1, utc_text(now)).bind(2, id);
    u->step();
    tx.commit();
  }

  // After a change that may narrow what a token allows (revocation, a role
  // taken away, an owner disabled): this process forgets every cached token.
  void forget_tokens() {
    std::lock_guard lock(cache_mutex_);
    cache_.clear();
  }

  void prune_cache(TimePoint now) {  // cache_mutex_ held
    std::erase_if(cache_, [&](const auto& e) { return now - e.second.fetched >= options_.token_cache_ttl; });
    if (cache_.size() >= kTokenCacheMax) cache_.clear();
  }

  std::unique_ptr<sql::Connection> db_;
  AccountStoreOptions options_;
  std::mutex db_mutex_;
  std::atomic<bool> known_to_have_accounts_{false};
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedToken> cache_;
};

}  // namespace

std::unique_ptr<AccountStore> open_account_store(const std::string& location, AccountStoreOptions options) {
  return std::make_unique<SqlAccountStore>(sql::connect(location), std::move(options));
}

}  // namespace atalaya::access
