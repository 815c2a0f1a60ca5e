// Signing in and out, for the dashboard: a session cookie (HttpOnly,
// SameSite=Strict, Secure under TLS) and the CSRF token every change made
// with it must send back in X-CSRF-Token; and "who am I" for any caller.
// Scripts use personal tokens instead (Authorization: Bearer atl_...).
#include <chrono>

#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"
#include "atalaya/serve/request_identity.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

const char* credential_name(Credential c) {
  switch (c) {
    case Credential::None: return "none";
    case Credential::Token: return "token";
    case Credential::Session: return "session";
    case Credential::EditorsFile: return "editors-file";
  }
  return "none";
}

// Who the caller is and what they may do (the dashboard shows and hides
// its controls by `rights`; the server checks every call all the same).
json who_json(const access::Principal& p, Credential credential, const std::string& csrf, Language lang) {
  json roles = json::array();
  for (auto& g : p.grants) {
    json r = {{"role", access::role_name(g.role)}};
    if (g.role == access::Role::FocalPoint) r["reporters"] = g.reporters;
    roles.push_back(r);
  }
  json rights = json::array();
  for (access::Right r : access::held_rights(p)) rights.push_back(access::right_name(r));
  return {{"name", p.actor.name},
          {"public", p.is_public()},
          {"credential", credential_name(credential)},
          {"roles", roles},
          {"rights", rights},
          {"csrf_token", csrf.empty() ? json(nullptr) : json(csrf)},
          // The account's language is not yet part of the principal: the request's.
          {"language", language_code(lang)}};
}

std::string field(const json& body, const char* name) {
  if (!body.contains(name)) throw ApiError(400, name, std::string(name) + ": required");
  if (!body[name].is_string()) throw ApiError(400, name, std::string(name) + ": expected a string");
  std::string v = body[name];
  if (v.empty() || v.size() > 1024) throw ApiError(400, name, std::string(name) + ": expected 1 to 1024 characters");
  return v;
}

ApiAnswer sign_in(const ApiContext& ctx, const ApiCall& call) {
  access::Authenticator* accounts = ctx.gate.accounts();
  if (!accounts || !ctx.gate.has_accounts())
    throw ApiError(409, "", "this server has no accounts yet, so no one can sign in (an administrator adds the first "
                            "with `atalaya user add --admin`)");
  json body;
  try {
    body = json::parse(call.body);
  } catch (const json::parse_error& e) {
    throw ApiError(400, "body", std::string("body: not JSON (") + e.what() + "); expected {\"login\": ..., \"password\": ...}");
  }
  if (!body.is_object()) throw ApiError(400, "body", "body: expected a JSON object {\"login\": ..., \"password\": ...}");
  for (auto& [k, v] : body.items())
    if (k != "login" && k != "password") throw ApiError(400, k, k + ": not a field here (expected login, password)");
  const std::string login = field(body, "login"), password = field(body, "password");
  const std::string& origin = call.access->principal.actor.origin;
  // The server's own brake, before any password is hashed.
  if (long wait = ctx.gate.limiter().take(origin))
    throw ApiError(429, "login", "login: too many sign-in attempts from this address; try again in " +
                                     std::to_string(wait) + " s")
        .retry_after(wait);
  const access::LoginResult r = accounts->login(login, password, origin);
  switch (r.outcome) {
    case access::LoginOutcome::SignedIn: break;
    case access::LoginOutcome::LockedOut: {
      const long wait = std::max<long>(1, r.retry_after.count());
      throw ApiError(429, "login", "login: too many failed sign-ins; this account or address is locked for " +
                                       std::to_string(wait) + " s")
          .retry_after(wait);
    }
    case access::LoginOutcome::Disabled:
      throw ApiError(403, "login", "login: this account is disabled; ask an administrator");
    case access::LoginOutcome::WrongCredentials:
      throw ApiError(401, "login", "login: the name (or e-mail) or the password is wrong");
  }
  if (!r.session) throw std::runtime_error("the account store signed in without a session");
  const access::Session& s = *r.session;
  const long max_age = std::chrono::duration_cast<std::chrono::seconds>(s.expires - std::chrono::system_clock::now()).count();
  ApiAnswer a = json_answer(who_json(s.principal, Credential::Session, s.csrf, call.lang));
  a.headers.emplace_back("Set-Cookie", session_cookie(s.id, max_age, call.access->secure));
  return a;
}

ApiAnswer sign_out(const ApiContext& ctx, const ApiCall& call) {
  const RequestAccess& who = *call.access;
  if (who.credential == Credential::Session && ctx.gate.accounts()) ctx.gate.accounts()->logout(who.session_id);
  ApiAnswer a = json_answer({{"signed_out", who.credential == Credential::Session}});
  a.headers.emplace_back("Set-Cookie", session_cookie("", 0, who.secure));
  return a;
}

ApiAnswer me(const ApiContext&, const ApiCall& call) {
  const RequestAccess& who = *call.access;
  return json_answer(who_json(who.principal, who.credential, who.csrf, call.lang));
}

}  // namespace

std::vector<Endpoint> session_endpoints() {
  Endpoint in{"POST", "/api/v1/session", {"lang"}, false, sign_in, true};
  in.signs_in = true;
  return {
      in,
      {"DELETE", "/api/v1/session", {}, false, sign_out},
      {"GET", "/api/v1/me", {"lang"}, false, me, true},
  };
}

}  // namespace atalaya::serve
