// The administrators' endpoints for people: accounts (list, add, disable)
// and personal tokens (one's own, or anyone's for administrators). Thin:
// the account store (access/account_store.h) checks the rights again,
// applies its rules and audits every change in its own transaction.
#include <charconv>

#include "atalaya/access/account_store.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"

namespace atalaya::serve {
namespace {

using access::Right;
using nlohmann::json;

access::AccountStore& account_store(const ApiContext& ctx) {
  auto* store = dynamic_cast<access::AccountStore*>(ctx.gate.accounts());
  if (!store) throw ApiError(409, "", "this server's accounts cannot be managed through the API");
  return *store;
}

json body_of(const ApiCall& call, const char* expected) {
  json body;
  try {
    body = json::parse(call.body);
  } catch (const json::parse_error& e) {
    throw ApiError(400, "body", std::string("body: not JSON (") + e.what() + "); expected " + expected);
  }
  if (!body.is_object()) throw ApiError(400, "body", std::string("body: expected a JSON object ") + expected);
  return body;
}

std::string text_field(const json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required) throw ApiError(400, name, std::string(name) + ": required");
    return "";
  }
  if (!body[name].is_string()) throw ApiError(400, name, std::string(name) + ": expected a string");
  return body[name];
}

json grants_json(const std::vector<access::Grant>& grants) {
  json out = json::array();
  for (auto& g : grants) {
    json r = {{"role", access::role_name(g.role)}};
    if (g.role == access::Role::FocalPoint) r["reporters"] = g.reporters;
    out.push_back(r);
  }
  return out;
}

// E-mails are personal data: these answers go to administrators only
// (manage_accounts), which the endpoints' right ensures.
json account_json(const access::Account& a) {
  return {{"id", a.id},           {"name", a.name},         {"email", a.email},
          {"language", language_code(a.language)}, {"organisation", a.organisation},
          {"disabled", a.disabled}, {"created_at", a.created_at}, {"roles", grants_json(a.grants)}};
}

json rights_json(const std::vector<Right>& rights) {
  json out = json::array();
  for (Right r : rights) out.push_back(access::right_name(r));
  return out;
}

json token_json(const access::TokenInfo& t) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"id", t.id},
          {"owner", t.owner},
          {"name", t.name},
          {"rights", rights_json(t.rights)},
          {"created_at", t.created_at},
          {"expires_at", t.expires_at},
          {"revoked_at", or_null(t.revoked_at)},
          {"last_used_at", or_null(t.last_used_at)}};
}

ApiAnswer list_users(const ApiContext& ctx, const ApiCall& call) {
  json out = json::array();
  for (auto& a : account_store(ctx).accounts(call.access->principal)) out.push_back(account_json(a));
  return json_answer({{"users", out}});
}

std::vector<access::Grant> grants_of(const json& body) {
  if (!body.contains("roles") || !body["roles"].is_array() || body["roles"].empty())
    throw ApiError(400, "roles", "roles: expected a non-empty array of {\"role\": ..., \"reporters\": [...]}");
  std::vector<access::Grant> grants;
  for (auto& r : body["roles"]) {
    if (!r.is_object() || !r.contains("role") || !r["role"].is_string())
      throw ApiError(400, "roles", "roles: each is {\"role\": NAME, \"reporters\": [CODE, ...]}");
    auto role = access::parse_role(r["role"].get<std::string>());
    if (!role) throw ApiError(400, "roles", "roles: '" + r["role"].get<std::string>().substr(0, 40) + "' is not a role");
    access::Grant g{*role, {}};
    if (r.contains("reporters")) {
      if (!r["reporters"].is_array()) throw ApiError(400, "reporters", "reporters: expected an array of codes");
      for (auto& code : r["reporters"]) {
        if (!code.is_string()) throw ApiError(400, "reporters", "reporters: expected codes (PAN, UNHCR)");
        g.reporters.push_back(code);
      }
    }
    grants.push_back(std::move(g));
  }
  return grants;
}

ApiAnswer add_user(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, "{\"name\", \"email\", \"password\", \"roles\": [...]}");
  for (auto& [k, v] : body.items())
    if (k != "name" && k != "email" && k != "password" && k != "roles" && k != "language" && k != "organisation")
      throw ApiError(400, k, k + ": not a field here (expected name, email, password, roles, language, organisation)");
  access::NewAccount a;
  a.name = text_field(body, "name", true);
  a.email = text_field(body, "email", true);
  a.password = text_field(body, "password", true);
  a.organisation = text_field(body, "organisation", false);
  const std::string lang = text_field(body, "language", false);
  if (!lang.empty()) {
    auto l = parse_language(lang);
    if (!l) throw ApiError(400, "language", "language: expected en or es");
    a.language = *l;
  }
  a.grants = grants_of(body);
  return json_answer(account_json(account_store(ctx).add_account(call.access->principal, a)));
}

// {id}: the account's id or name.
std::string account_name(const ApiContext& ctx, const ApiCall& call) {
  const std::string& given = call.path_args.at(0);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(given.data(), given.data() + given.size(), id);
  if (ec != std::errc() || end != given.data() + given.size()) return given;
  for (auto& a : account_store(ctx).accounts(call.access->principal))
    if (a.id == id) return a.name;
  throw ApiError(404, "id", "id: no account " + given);
}

ApiAnswer disable_user(const ApiContext& ctx, const ApiCall& call) {
  const std::string name = account_name(ctx, call);
  return json_answer(account_json(account_store(ctx).set_disabled(call.access->principal, name, true)));
}

// Tokens are an account's: a server without accounts has none to give,
// and the public has none to ask about.
void need_accounts(const ApiCall& call) {
  if (!call.access->accounts)
    throw ApiError(409, "", "this server has no accounts yet, so no personal tokens (an administrator adds the first "
                            "account with `atalaya user add --admin`)");
  if (call.access->principal.is_public()) {
    access::Decision d;
    d.code = ErrorCode::Unauthenticated;
    d.message = "personal tokens belong to accounts: sign in, or send a personal token (Authorization: Bearer TOKEN)";
    throw access::Refused(d);
  }
}

ApiAnswer list_tokens(const ApiContext& ctx, const ApiCall& call) {
  need_accounts(call);
  const std::string owner = call.params.has("owner") ? call.params.text("owner") : "";
  json out = json::array();
  for (auto& t : account_store(ctx).tokens(call.access->principal, owner)) out.push_back(token_json(t));
  return json_answer({{"tokens", out}});
}

ApiAnswer create_token(const ApiContext& ctx, const ApiCall& call) {
  need_accounts(call);
  const json body = body_of(call, "{\"name\", \"rights\": [...], \"expires_days\": 90}");
  for (auto& [k, v] : body.items())
    if (k != "name" && k != "rights" && k != "expires_days" && k != "owner")
      throw ApiError(400, k, k + ": not a field here (expected name, rights, expires_days, owner)");
  access::NewToken t;
  t.name = text_field(body, "name", true);
  t.owner = text_field(body, "owner", false);
  if (!body.contains("rights") || !body["rights"].is_array() || body["rights"].empty())
    throw ApiError(400, "rights", "rights: expected a non-empty array of rights (read_restricted, upload_data, ...)");
  for (auto& r : body["rights"]) {
    auto right = r.is_string() ? access::parse_right(r.get<std::string>()) : std::nullopt;
    if (!right) throw ApiError(400, "rights", "rights: '" + r.dump().substr(0, 40) + "' is not a right");
    t.rights.push_back(*right);
  }
  if (body.contains("expires_days")) {
    if (!body["expires_days"].is_number_integer() || body["expires_days"].get<int64_t>() < 1 ||
        body["expires_days"].get<int64_t>() > 365)
      throw ApiError(400, "expires_days", "expires_days: expected a whole number of days from 1 to 365");
    t.lifetime = std::chrono::days(body["expires_days"].get<int64_t>());
  }
  const access::CreatedToken made = account_store(ctx).create_token(call.access->principal, t);
  json out = token_json(made.info);
  out["token"] = made.secret;  // shown this once
  return json_answer(out);
}

ApiAnswer revoke_token(const ApiContext& ctx, const ApiCall& call) {
  need_accounts(call);
  const std::string& given = call.path_args.at(0);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(given.data(), given.data() + given.size(), id);
  if (ec != std::errc() || end != given.data() + given.size() || id < 1)
    throw ApiError(400, "id", "id: '" + given.substr(0, 40) + "' is not a token id (a whole number from 1)");
  return json_answer(token_json(account_store(ctx).revoke_token(call.access->principal, id)));
}

}  // namespace

std::vector<Endpoint> user_endpoints() {
  return {
      needs({"GET", "/api/v1/users", {}, false, list_users}, Right::ManageAccounts, "read.accounts"),
      needs({"POST", "/api/v1/users", {}, false, add_user}, Right::ManageAccounts, "account.add"),
      needs({"POST", "/api/v1/users/{id}/disable", {}, false, disable_user}, Right::ManageAccounts, "account.disable"),
      // Tokens: one's own for anyone signed in (the store refuses the public), anyone's for administrators.
      {"GET", "/api/v1/tokens", {"owner"}, false, list_tokens},
      {"POST", "/api/v1/tokens", {}, false, create_token},
      {"DELETE", "/api/v1/tokens/{id}", {}, false, revoke_token},
  };
}

}  // namespace atalaya::serve
