// The people on a store: accounts, their roles (grants), passwords,
// personal tokens, sessions and the login throttle, in the store's own
// database (feature "access", account_schema.cpp), on SQLite or PostgreSQL.
// It is the Authenticator (authenticator.h) the server signs people in with.
//
// Every change takes the Principal making it and asks the permission matrix
// (permissions.h) itself, so the API, the CLI and the dashboard cannot
// forget to: a refusal throws access::Refused and is recorded in the audit
// trail as "denied". Every change is appended to the audit trail
// (store/audit/audit_log.h) in the same transaction; an audit line never
// holds a password, a token, a session id or a CSRF token.
//
// Rules (docs/user-guide.md, "Accounts and roles"):
// - A name is 2 to 64 characters: lower-case ASCII letters, digits, '.',
//   '_' and '-', starting with a letter. An e-mail is unique regardless of
//   case. The first account of a store must be an administrator, and the
//   last enabled administrator cannot be disabled or lose the role.
// - A focal point's reporters are ISO 3166-1 alpha-3 codes of countries
//   (three letters, which must be a country core/country.h knows: "PAN"), or
//   codes of organisations: 4 to 16 upper-case ASCII letters, digits or '-'
//   ("UNHCR", "IDMC"). Lower case is accepted and upper-cased. Other roles
//   take no reporters.
// - A password has at least 12 characters (at most 1024 bytes) and does not
//   contain the account's name or its e-mail's local part. It is hashed
//   with Argon2id (libsodium, the interactive limits) and rehashed at the
//   next sign-in when the limits grow.
// - A personal token is "atl_" + 43 base64url characters (32 random bytes),
//   shown once and stored as its SHA-256. It carries a subset of its
//   owner's rights (no more than its maker holds either) and expires (90
//   days by default, a year at most). token() answers from a per-process
//   cache for at most token_cache_ttl (1 s): a revocation made elsewhere
//   takes effect within that; one made through this store at once.
//   last_used_at is written at most once a minute per token.
// - A session lasts session_idle (1 hour) without use and session_lifetime
//   (12 hours) at most; its id is stored as its SHA-256; logout ends it.
// - Login: failures are counted per account (5 in 15 minutes lock it for 15
//   minutes, doubling at each further lockout up to a day, until a
//   successful sign-in) and per origin (20 in 15 minutes lock the origin
//   the same way). An unknown login is counted and locked like an account
//   (under a hash of the login), and its password is checked against a
//   dummy hash, so neither the answer nor its time says whether the
//   account exists. A disabled account is said so only to someone who gave
//   its right password.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/access/authenticator.h"
#include "atalaya/access/secrets.h"
#include "atalaya/access/permissions.h"
#include "atalaya/core/messages.h"

namespace atalaya::access {

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct Account {
  int64_t id = 0;
  std::string name;
  std::string email;
  Language language = Language::En;
  std::string organisation;
  bool disabled = false;
  std::string created_at;  // UTC, ISO 8601
  std::vector<Grant> grants;
};

struct NewAccount {
  std::string name;
  std::string email;
  Language language = Language::En;
  std::string organisation;
  std::vector<Grant> grants;  // at least one
  std::string password;
};

struct TokenInfo {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string owner;  // the account's name
  std::string name;
  std::vector<Right> rights;
  std::string created_at, expires_at;
  std::string revoked_at;    // empty: not revoked
  std::string last_used_at;  // empty: never used (to the minute)
};

struct NewToken {
  std::string owner;  // the account the token acts for; empty: the maker's own account
  std::string name;   // what it is for: "monthly upload script"
  std::vector<Right> rights;
  std::chrono::seconds lifetime = std::chrono::days(90);
};

inline constexpr std::chrono::seconds kMaxTokenLifetime = std::chrono::days(365);

struct CreatedToken {
  TokenInfo info;
  std::string secret;  // "atl_...": shown once, never stored
};

// A sign-in without a session (the command line's --as NAME): the same
// throttle, lockout and audit as login().
struct PasswordCheck {
  LoginOutcome outcome = LoginOutcome::WrongCredentials;
  std::optional<Principal> principal;  // when SignedIn
  std::chrono::seconds retry_after{0};
};

struct LoginPolicy {
  int account_failures = 5;  // within `window`, then the account is locked
  int origin_failures = 20;  // within `window`, then the origin is locked
  std::chrono::seconds window = std::chrono::minutes(15);
  std::chrono::seconds first_lockout = std::chrono::minutes(15);  // doubled at each further lockout
  std::chrono::seconds max_lockout = std::chrono::hours(24);
};

struct AccountStoreOptions {
  Clock clock;  // default: the system clock (tests inject one)
  LoginPolicy login;
  std::chrono::seconds session_idle = std::chrono::hours(1);
  std::chrono::seconds session_lifetime = std::chrono::hours(12);
  std::chrono::milliseconds token_cache_ttl{1000};
  PasswordCost password_cost = PasswordCost::interactive();  // tests: PasswordCost::lowest()
};

class AccountStore : public Authenticator {
 public:
  // Accounts. Changes need ManageAccounts unless said otherwise.
  virtual Account add_account(const Principal& by, const NewAccount& account) = 0;
  virtual std::vector<Account> accounts(const Principal& by) = 0;
  // By name or e-mail (any case). ManageAccounts, or one's own account.
  virtual std::optional<Account> account(const Principal& by, std::string_view name_or_email) = 0;
  virtual Account set_disabled(const Principal& by, const std::string& name, bool disabled) = 0;
  // ManageAccounts, or one's own password. Ends the account's sessions.
  virtual void set_password(const Principal& by, const std::string& name, const std::string& password) = 0;
  // Adds a role, or for a focal point adds reporters to its scope.
  virtual Account grant(const Principal& by, const std::string& name, const Grant& grant) = 0;
  virtual Account revoke_role(const Principal& by, const std::string& name, Role role) = 0;

  // Tokens: one's own (any signed-in person), or anyone's with ManageAccounts.
  virtual CreatedToken create_token(const Principal& by, const NewToken& token) = 0;
  // `owner` empty: the caller's own; "*": everyone's (ManageAccounts).
  virtual std::vector<TokenInfo> tokens(const Principal& by, const std::string& owner) = 0;
  virtual TokenInfo revoke_token(const Principal& by, int64_t id) = 0;

  virtual PasswordCheck check_password(std::string_view login, std::string_view password, const std::string& origin) = 0;
};

std::unique_ptr<AccountStore> open_account_store(const std::string& location, AccountStoreOptions options = {});

// The checks add_account applies, for front doors that want to say so
// before asking for a password. Each throws Error(InvalidArgument) naming
// the field ("name", "email", "reporter", "password").
void check_account_name(const std::string& name);
void check_email(const std::string& email);
std::string checked_reporter(const std::string& code);  // upper-cased
void check_password_policy(const std::string& password, const std::string& name, const std::string& email);

}  // namespace atalaya::access
