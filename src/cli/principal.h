// Who runs a command, for the commands that change something: the one
// place the command line turns credentials into an access::Principal.
//
// A store without accounts: the person at the keyboard is the local
// operator (Principal::local_operator($USER)), who may do everything (they
// can write the database file anyway). Once accounts exist, a changing
// command needs a credential: --token TOKEN or $ATALAYA_TOKEN (a personal
// token), or, where a command offers it, --as NAME with the password typed
// at a prompt (or read from stdin with --password-stdin).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "atalaya/access/account_store.h"
#include "atalaya/access/permissions.h"

namespace atalaya::cli {

struct Credentials {
  std::string token;             // --token, else $ATALAYA_TOKEN
  std::string as;                // --as NAME (password sign-in), where offered
  bool password_stdin = false;   // --password-stdin: the password is stdin's first line
};

// Adds --token (and with `password_sign_in`, --as and --password-stdin).
void add_credential_options(CLI::App* cmd, Credentials& c, bool password_sign_in = false);

// The principal behind the credentials, from the store's accounts; its
// actor's origin is local_operator_actor()'s ("cli:<unix user>@<host>"). Throws access::Refused (Unauthenticated) when the
// store has accounts and no valid credential was given, saying what to give.
access::Principal resolve_principal(access::AccountStore& accounts, const Credentials& c);

// resolve_principal on the store at `db`, then access::require(right,
// reporter); a refusal is recorded in the audit trail as "denied" (with
// `action`) before it is thrown.
access::Principal require_right(const std::string& db, const Credentials& c, access::Right right,
                                const std::string& action, std::string_view reporter = {});

// access::decide for a principal already resolved; a refusal is recorded
// in the audit trail of the store at `db` as "denied" and thrown.
void require_of(const std::string& db, const access::Principal& who, access::Right right, const std::string& action,
                std::string_view reporter = {}, const std::string& object = {});

// A read of data that is not public (a drill space): once the store has
// accounts it needs read_restricted, and the read is recorded in the audit
// trail (`action`, `object`: "read.drill", "drill:as-of-2021-08").
void read_restricted(const std::string& db, const Credentials& c, const std::string& action, const std::string& object);

// A password: stdin's first line with `from_stdin`, else typed at the
// terminal with echo off (`prompt` is shown; with `confirm`, asked twice).
std::string read_password(bool from_stdin, const std::string& prompt, bool confirm);

}  // namespace atalaya::cli
