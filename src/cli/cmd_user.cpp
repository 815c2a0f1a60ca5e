// atalaya user add|list|disable|enable|reset|grant|revoke-role: the accounts
// of a store (access/account_store.h). The first administrator is made by
// `atalaya user add NAME --admin ...` at the command line of a store with
// no accounts; after that every change needs an administrator's credential.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/access/account_store.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

std::string grants_text(const std::vector<access::Grant>& grants) {
  std::string out;
  for (const access::Grant& g : grants) {
    out += (out.empty() ? "" : "; ") + std::string(access::role_name(g.role));
    if (!g.reporters.empty()) {
      out += ":";
      for (size_t i = 0; i < g.reporters.size(); ++i) out += (i ? "," : "") + g.reporters[i];
    }
  }
  return out;
}

nlohmann::json account_json(const access::Account& a) {
  nlohmann::json grants = nlohmann::json::array();
  for (const access::Grant& g : a.grants) {
    nlohmann::json j{{"role", access::role_name(g.role)}};
    if (!g.reporters.empty()) j["reporters"] = g.reporters;
    grants.push_back(j);
  }
  return {{"id", a.id},
          {"name", a.name},
          {"email", a.email},
          {"language", language_code(a.language)},
          {"organisation", a.organisation},
          {"disabled", a.disabled},
          {"created_at", a.created_at},
          {"grants", grants}};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

access::Role checked_role(const std::string& name) {
  auto r = access::parse_role(name);
  if (!r) {
    std::string roles;
    for (access::Role x : access::kRoles) roles += (roles.empty() ? "" : ", ") + std::string(access::role_name(x));
    throw std::invalid_argument("--role: '" + name + "' is not a role (expected one of " + roles + ")");
  }
  return *r;
}

// Roles from --role (and --admin), the reporters going to the focal point's.
std::vector<access::Grant> grants_from(const std::vector<std::string>& roles, bool admin,
                                       const std::vector<std::string>& reporters) {
  std::vector<access::Grant> grants;
  if (admin) grants.push_back({access::Role::Administrator, {}});
  bool focal = false;
  for (const std::string& name : roles) {
    access::Grant g{checked_role(name), {}};
    if (g.role == access::Role::FocalPoint) {
      g.reporters = reporters;
      focal = true;
    }
    grants.push_back(g);
  }
  if (!reporters.empty() && !focal)
    throw std::invalid_argument("--reporter: only a focal point's role is scoped to reporters; add --role focal_point");
  return grants;
}

struct UserOptions {
  Credentials credentials;
  std::string name, email, organisation, language = "en", format = "table";
  std::vector<std::string> roles, reporters;
  bool admin = false, password_stdin = false;
};

}  // namespace

void add_user_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto* cmd = app.add_subcommand("user", "Accounts: add, list, disable, enable, reset a password, grant and revoke roles");
  cmd->require_subcommand(1);
  cmd->footer(
      "A store without accounts is run by whoever holds its file. Make the first administrator with\n"
      "`user add NAME --admin` (the password is asked twice, or read with --password-stdin); from then\n"
      "on the commands that change something need a credential: --token TOKEN or $ATALAYA_TOKEN\n"
      "(atalaya token create --as NAME ...). Roles: administrator, data_team, focal_point (with\n"
      "--reporter CODE for each country or organisation in scope), task_force, analyst.\n\n"
      "Examples:\n"
      "  atalaya user add ada --admin --email ada@example.org\n"
      "  atalaya user add ana.perez --role focal_point --reporter PAN --email ana@migracion.gob.pa --token $T\n"
      "  atalaya user list --format csv --token $T\n"
      "  atalaya user disable ana.perez --token $T");
  auto o = std::make_shared<UserOptions>();

  auto* add = cmd->add_subcommand("add", "Add an account (the password is asked for, or read with --password-stdin)");
  add->add_option("name", o->name, "the account's name: lower-case letters, digits, '.', '_', '-' (e.g. ana.perez)")->required();
  add->add_option("--email", o->email, "the person's e-mail address (unique)")->required();
  add->add_option("--role", o->roles, "a role (repeatable): administrator, data_team, focal_point, task_force, analyst");
  add->add_option("--reporter", o->reporters,
                  "a focal point's reporter in scope (repeatable): a country's ISO alpha-3 code (PAN) or an "
                  "organisation's code (UNHCR)");
  add->add_flag("--admin", o->admin, "the administrator role (the store's first account must have it)");
  add->add_option("--language", o->language, "the person's language: en or es")->check(CLI::IsMember({"en", "es"}));
  add->add_option("--organisation", o->organisation, "the person's organisation (e.g. SNM Panamá)");
  add->add_flag("--password-stdin", o->password_stdin, "read the new password from stdin's first line (for scripts)");
  add_credential_options(add, o->credentials);
  add->footer("Examples:\n"
              "  atalaya user add ada --admin --email ada@example.org\n"
              "  atalaya user add ana.perez --role focal_point --reporter PAN --email ana@migracion.gob.pa --language es");
  add->callback([&global, &status, o] {
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    access::NewAccount n;
    n.name = o->name;
    n.email = o->email;
    n.language = parse_language(o->language).value_or(Language::En);
    n.organisation = o->organisation;
    n.grants = grants_from(o->roles, o->admin, o->reporters);
    if (n.grants.empty()) throw std::invalid_argument("--role: give the account a role (--role ROLE, or --admin)");
    access::check_account_name(n.name);
    access::check_email(n.email);
    n.password = read_password(o->password_stdin, "password for " + n.name + ": ", true);
    access::Account a = store->add_account(by, n);
    std::cout << "added account " << a.name << " (" << grants_text(a.grants) << ")\n";
    status = 0;
  });

  auto* list = cmd->add_subcommand("list", "List the accounts (administrators: e-mails are personal data)");
  list->add_option("--format", o->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  add_credential_options(list, o->credentials);
  list->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const auto accounts = store->accounts(resolve_principal(*store, o->credentials));
    if (o->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (auto& a : accounts) out.push_back(account_json(a));
      std::cout << out.dump(2) << "\n";
    } else if (o->format == "csv") {
      std::cout << "name,email,language,organisation,roles,disabled,created_at\n";
      for (auto& a : accounts)
        std::cout << csv_field(a.name) << "," << csv_field(a.email) << "," << language_code(a.language) << ","
                  << csv_field(a.organisation) << "," << csv_field(grants_text(a.grants)) << ","
                  << (a.disabled ? "yes" : "no") << "," << a.created_at << "\n";
    } else {
      std::cout << std::left << std::setw(20) << "NAME" << std::setw(32) << "E-MAIL" << std::setw(28) << "ROLES"
                << "STATE\n";
      for (auto& a : accounts)
        std::cout << std::setw(20) << a.name << std::setw(32) << a.email << std::setw(28) << grants_text(a.grants)
                  << (a.disabled ? "disabled" : "enabled") << "\n";
      if (accounts.empty()) std::cout << "(no accounts: atalaya user add NAME --admin --email E makes the first)\n";
    }
    status = 0;
  });

  for (bool disable : {true, false}) {
    auto* sub = cmd->add_subcommand(disable ? "disable" : "enable",
                                    disable ? "Disable an account: its sessions end and its tokens stop working"
                                            : "Enable a disabled account again");
    sub->add_option("name", o->name, "the account")->required();
    add_credential_options(sub, o->credentials);
    sub->callback([&global, &status, o, disable] {
      require_existing_store(global.db);
      auto store = access::open_account_store(global.db);
      store->set_disabled(resolve_principal(*store, o->credentials), o->name, disable);
      std::cout << (disable ? "disabled " : "enabled ") << o->name << "\n";
      status = 0;
    });
  }

  auto* reset = cmd->add_subcommand("reset", "Set a new password for an account (its sessions end)");
  reset->add_option("name", o->name, "the account")->required();
  reset->add_flag("--password-stdin", o->password_stdin, "read the new password from stdin's first line");
  add_credential_options(reset, o->credentials);
  reset->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    store->set_password(by, o->name, read_password(o->password_stdin, "new password for " + o->name + ": ", true));
    std::cout << "new password set for " << o->name << "\n";
    status = 0;
  });

  auto* grant = cmd->add_subcommand("grant", "Give an account a role, or widen a focal point's reporters");
  grant->add_option("name", o->name, "the account")->required();
  grant->add_option("--role", o->roles, "the role")->required()->expected(1);
  grant->add_option("--reporter", o->reporters, "a focal point's reporter (repeatable)");
  add_credential_options(grant, o->credentials);
  grant->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    auto grants = grants_from(o->roles, false, o->reporters);
    access::Account a = store->grant(by, o->name, grants.front());
    std::cout << a.name << ": " << grants_text(a.grants) << "\n";
    status = 0;
  });

  auto* revoke = cmd->add_subcommand("revoke-role", "Take a role away from an account");
  revoke->add_option("name", o->name, "the account")->required();
  revoke->add_option("--role", o->roles, "the role")->required()->expected(1);
  add_credential_options(revoke, o->credentials);
  revoke->callback([&global, &status, o] {
    require_existing_store(global.db);
    auto store = access::open_account_store(global.db);
    const access::Principal by = resolve_principal(*store, o->credentials);
    access::Account a = store->revoke_role(by, o->name, checked_role(o->roles.front()));
    std::cout << a.name << ": " << (a.grants.empty() ? "(no roles)" : grants_text(a.grants)) << "\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
