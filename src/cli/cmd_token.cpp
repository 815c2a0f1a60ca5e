// atalaya token create|list|revoke: personal tokens for scripts
// (access/account_store.h). A person makes and revokes their own, signing
// in with --as NAME (password) or an existing token; an administrator
// anyone's (--for NAME).
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/access/account_store.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

std::string rights_text(const std::vector<access::Right>& rights) {
  std::string out;
  for (access::Right r : rights) out += (out.empty() ? "" : ",") + std::string(access::right_name(r));
  return out;
}

std::vector<access::Right> parse_rights(const std::string& text) {
  std::vector<access::Right> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string name = text.substr(start, end - start);
    auto r = access::parse_right(name);
    if (!r) {
      std::string all;
      for (access::Right x : access::kRights) all += (all.empty() ? "" : ", ") + std::string(access::right_name(x));
      throw std::invalid_argument("--rights: '" + name + "' is not a right (expected a comma-separated list of " + all + ")");
    }
    out.push_back(*r);
    start = end + 1;
  }
  return out;
}

// "30d" -> 30 days.
std::chrono::seconds parse_expiry(const std::string& text) {
  size_t used = 0;
  long days = 0;
  try {
    days = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || text.substr(used) != "d" || days < 1 || days > 365)
    throw std::invalid_argument("--expires: '" + text + "' is not a lifetime (expected 1d to 365d, e.g. 90d)");
  return std::chrono::days(days);
}

struct TokenOptions {
  Credentials credentials;
  std::string name, rights, expires = "90d", owner, format = "table";
  bool all = false;
  int64_t id = 0;
};

}  // namespace

void add_token_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto* cmd = app.add_subcommand("token", "Personal tokens for scripts: create (shown once), list, revoke");
  cmd->require_subcommand(1);
  cmd->footer("Examples:\n"
              "  atalaya token create --as ana.perez --name 'monthly upload' --rights upload_data --expires 30d\n"
              "  atalaya token list --as ana.perez\n"
              "  atalaya token revoke 7 --token $ATALAYA_TOKEN");
  auto o = std::make_shared<TokenOptions>();

  auto* create = cmd->add_subcommand("create", "Make a personal token and print it once");
  create->add_option("--name", o->name, "what the token is for (e.g. \"monthly Darién upload\")")->required();
  create->add_option("--rights", o->rights,
                     "the rights it carries, comma-separated: a subset of the owner's (e.g. upload_data)")
      ->required();
  create->add_option("--expires", o->expires, "its lifetime: 1d to 365d (default 90d)");
  create->add_option("--for", o->owner, "the account it acts for (administrators; default: your own)");
  add_credential_options(create, o->credentials, true);
  create->footer("Examples:\n"
                 "  atalaya token create --as ana.perez --name 'monthly upload' --rights upload_data --expires 30d\n"
                 "  ATALAYA_TOKEN=atl_... atalaya token create --name reader --rights read_restricted\n\n"
                 "The token is printed once; only its hash is kept. Send it as Authorization: Bearer TOKEN,\n"
                 "or give it to commands with --token or $ATALAYA_TOKEN.");
  create->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    access::NewToken t;
    t.owner = o->owner;
    t.name = o->name;
    t.rights = parse_rights(o->rights);
    t.lifetime = parse_expiry(o->expires);
    access::CreatedToken made = store->create_token(by, t);
    std::cerr << "token " << made.info.id << " for " << made.info.owner << " (" << rights_text(made.info.rights)
              << "), expires " << made.info.expires_at << "; it is shown this once:\n";
    std::cout << made.secret << std::endl;
    status = 0;
  });

  auto* list = cmd->add_subcommand("list", "List tokens (never their secrets): your own, --for NAME, or --all");
  list->add_option("--for", o->owner, "this account's tokens (administrators)");
  list->add_flag("--all", o->all, "everyone's tokens (administrators)");
  list->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  add_credential_options(list, o->credentials, true);
  list->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    const auto tokens = store->tokens(by, o->all ? "*" : o->owner);
    if (o->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (auto& t : tokens) {
        nlohmann::json rights = nlohmann::json::array();
        for (access::Right r : t.rights) rights.push_back(access::right_name(r));
        out.push_back({{"id", t.id}, {"owner", t.owner}, {"name", t.name}, {"rights", rights},
                       {"created_at", t.created_at}, {"expires_at", t.expires_at},
                       {"revoked_at", t.revoked_at.empty() ? nlohmann::json() : nlohmann::json(t.revoked_at)},
                       {"last_used_at", t.last_used_at.empty() ? nlohmann::json() : nlohmann::json(t.last_used_at)}});
      }
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << std::left << std::setw(6) << "ID" << std::setw(16) << "OWNER" << std::setw(24) << "NAME"
                << std::setw(30) << "RIGHTS" << std::setw(22) << "EXPIRES" << "STATE\n";
      for (auto& t : tokens)
        std::cout << std::setw(6) << t.id << std::setw(16) << t.owner << std::setw(24) << t.name << std::setw(30)
                  << rights_text(t.rights) << std::setw(22) << t.expires_at
                  << (t.revoked_at.empty() ? "active" : "revoked " + t.revoked_at) << "\n";
    }
    status = 0;
  });

  auto* revoke = cmd->add_subcommand("revoke", "Revoke a token at once (servers stop taking it within a second)");
  revoke->add_option("id", o->id, "the token's id (atalaya token list)")->required();
  add_credential_options(revoke, o->credentials, true);
  revoke->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::TokenInfo t = store->revoke_token(resolve_principal(*store, o->credentials), o->id);
    std::cout << "revoked token " << t.id << " (" << t.owner << ": " << t.name << ")\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
