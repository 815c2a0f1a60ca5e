#include "cli/principal.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/store/audit/audit_log.h"
#include "cli/commands.h"

namespace atalaya::cli {
namespace {

[[noreturn]] void unauthenticated(const std::string& message) {
  access::Decision d;
  d.code = ErrorCode::Unauthenticated;
  d.missing = "signed_in";
  d.message = message;
  throw access::Refused(d);
}

}  // namespace

void add_credential_options(CLI::App* cmd, Credentials& c, bool password_sign_in) {
  cmd->add_option("--token", c.token,
                  "a personal token (default $ATALAYA_TOKEN): needed once the store has accounts");
  if (password_sign_in) {
    cmd->add_option("--as", c.as, "sign in as this account (name or e-mail) with its password, instead of a token");
    cmd->add_flag("--password-stdin", c.password_stdin, "read --as's password from stdin's first line (for scripts)");
  }
}

access::Principal resolve_principal(access::AccountStore& accounts, const Credentials& c) {
  const Actor here = local_operator_actor();
  if (!accounts.has_accounts()) {
    access::Principal p = access::Principal::local_operator("");
    p.actor = here;
    return p;
  }
  if (!c.as.empty()) {
    const std::string password = read_password(c.password_stdin, c.as + "'s password: ", false);
    access::PasswordCheck r = accounts.check_password(c.as, password, here.origin);
    switch (r.outcome) {
      case access::LoginOutcome::SignedIn:
        return *r.principal;
      case access::LoginOutcome::LockedOut:
        unauthenticated("too many failed sign-ins: try again in " + std::to_string(r.retry_after.count()) + " s");
      case access::LoginOutcome::Disabled:
        unauthenticated("the account " + c.as + " is disabled");
      case access::LoginOutcome::WrongCredentials:
        break;
    }
    unauthenticated("wrong name or password");
  }
  std::string token = c.token;
  if (token.empty())
    if (const char* env = std::getenv("ATALAYA_TOKEN")) token = env;
  if (token.empty())
    unauthenticated("this store has accounts, so this command needs a credential: give --token TOKEN or set "
                    "ATALAYA_TOKEN (make one with: atalaya token create --as NAME --name N --rights R)");
  auto p = accounts.token(token, here.origin);
  if (!p) unauthenticated("the token is unknown, revoked or expired (atalaya token list shows yours)");
  return *p;
}

access::Principal require_right(const std::string& db, const Credentials& c, access::Right right,
                                const std::string& action, std::string_view reporter) {
  auto accounts = access::open_account_store(db);
  access::Principal who = resolve_principal(*accounts, c);
  require_of(db, who, right, action, reporter);
  return who;
}

void require_of(const std::string& db, const access::Principal& who, access::Right right, const std::string& action,
                std::string_view reporter, const std::string& object) {
  access::Decision d = access::decide(who, right, reporter);
  if (d.allowed) return;
  nlohmann::json detail{{"missing_right", d.missing}};
  audit::open_audit_log(db)->record({who.actor, action, object, "denied", detail.dump()});
  throw access::Refused(d);
}

void read_restricted(const std::string& db, const Credentials& c, const std::string& action, const std::string& object) {
  const access::Principal who = require_right(db, c, access::Right::ReadRestricted, action);
  if (who.actor.credential == "local") return;  // no accounts: nothing is kept from anyone
  audit::open_audit_log(db)->record({who.actor, action, object, "ok", ""});
}

std::string read_password(bool from_stdin, const std::string& prompt, bool confirm) {
  auto read_line = [](std::istream& in) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  if (from_stdin) return read_line(std::cin);
  if (!isatty(STDIN_FILENO))
    throw std::invalid_argument("--password-stdin: stdin is not a terminal, so the password cannot be typed at a "
                                "prompt; give --password-stdin and pipe it in");
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  auto ask = [&](const std::string& text) {
    std::cerr << text << std::flush;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::string line = read_line(std::cin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
    return line;
  };
  std::string password = ask(prompt);
  if (confirm && ask("again: ") != password)
    throw std::invalid_argument("password: the two passwords typed differ; nothing was changed");
  return password;
}

}  // namespace atalaya::cli
