// How a request's credentials become a Principal (permissions.h): what the
// HTTP server asks of the accounts, and all it asks. The account store
// (account_store.h) implements it; serve/ tests use a fake.
//
// Secrets never leave this interface in clear except once, at their birth:
// a session's id and CSRF token go back to the browser at login, a personal
// token to its owner at creation. Only their hashes are stored.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "atalaya/access/permissions.h"

namespace atalaya::access {

struct Session {
  std::string id;    // the cookie's value (shown once; stored hashed)
  std::string csrf;  // the token the dashboard sends back in X-CSRF-Token on every change
  std::chrono::system_clock::time_point expires;
  Principal principal;
};

enum class LoginOutcome {
  SignedIn,
  WrongCredentials,  // unknown name or e-mail, or a wrong password: the same answer for both
  LockedOut,         // too many failures: refused, even with the right password, until `retry_after`
  Disabled,          // the account is disabled
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::WrongCredentials;
  std::optional<Session> session;      // when SignedIn
  std::chrono::seconds retry_after{0};  // when LockedOut
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Whether any account exists. Without accounts a server keeps its older,
  // single-user behaviour (an editors file, or anyone on loopback).
  virtual bool has_accounts() = 0;
  // `login` is an account's name or e-mail. Failures are counted per account
  // and per origin (the client's address); past the limits the account (or
  // the origin) is locked out for a while, and the attempt is recorded in
  // the audit trail either way.
  virtual LoginResult login(std::string_view login, std::string_view password, const std::string& origin) = 0;
  // The session's principal, or nullopt for an unknown, expired or
  // signed-out session or a disabled account. `csrf` receives the session's
  // CSRF token, for the caller to compare (in constant time) with the
  // request's.
  virtual std::optional<Principal> session(std::string_view session_id, const std::string& origin,
                                           std::string* csrf) = 0;
  virtual void logout(std::string_view session_id) = 0;
  // A personal token's principal (its owner's grants, narrowed to the
  // token's rights), or nullopt for an unknown, revoked or expired token or
  // a disabled owner. Cheap enough for every request (a cache in front of
  // the store; a revocation reaches it within a second).
  virtual std::optional<Principal> token(std::string_view token, const std::string& origin) = 0;
};

}  // namespace atalaya::access
