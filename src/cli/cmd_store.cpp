// atalaya store copy FROM TO
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "atalaya/store/sql/connection.h"
#include "atalaya/process/store_copy.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {

void add_store_command(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("store", "Administer a store: copy it whole between SQLite and PostgreSQL");
  cmd->require_subcommand(1);
  struct Options {
    std::string from, to;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* copy = cmd->add_subcommand("copy", "Copy a whole store (every vintage, alert and event, with ids) into an empty one");
  copy->add_option("from", o->from, "the store to copy: an SQLite file or a postgresql:// URI")->required();
  copy->add_option("to", o->to, "the empty store to copy into (created when missing)")->required();
  add_credential_options(copy, o->credentials);
  copy->footer(
      "The copy is one transaction on the destination: all of it or nothing. The destination must hold\n"
      "no data. Both stores are brought to this program's schema first.\n\n"
      "Examples:\n"
      "  atalaya store copy atalaya.db 'postgresql://atalaya@db.example.org/atalaya'\n"
      "  atalaya store copy 'postgresql:///atalaya?host=/run/postgresql' backup.db");
  copy->callback([&status, o] {
    if (!sql::is_postgres_uri(o->from) && !std::filesystem::exists(o->from))
      throw std::runtime_error("store copy: no store at " + o->from);  // rather than create an empty one
    // Everything is copied, accounts and the audit trail included: only an
    // administrator of the source may (the destination must be empty).
    require_right(o->from, o->credentials, access::Right::ManageStore, "store.copy");
    const auto copied = copy_store(o->from, o->to);
    uint64_t total = 0;
    for (auto& t : copied) {
      std::cout << std::left << std::setw(22) << t.table << std::right << std::setw(12)
                << thousands(static_cast<int64_t>(t.rows)) << " rows\n";
      total += t.rows;
    }
    std::cout << "copied " << thousands(static_cast<int64_t>(total)) << " rows in " << copied.size() << " tables\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
