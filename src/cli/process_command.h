// `atalaya process ...`: what its reading (cmd_process.cpp) and changing
// (cmd_process_write.cpp) subcommands share.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atalaya/process/process_store.h"
#include "cli/commands.h"

namespace atalaya::cli {

// The declaration a command speaks of unless --declaration names another.
inline constexpr const char* kDefaultDeclaration = "la-2022";

// The process store at --db; reading commands require it to exist.
std::unique_ptr<process::ProcessStore> open_process(const GlobalOptions& global, bool must_exist);

// A table of texts, printed aligned (table) or as CSV.
struct Rows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
void print_rows(const Rows& rows, const std::string& format, const std::string& empty_note);

// The changing subcommands, added under `process`.
void add_process_writes(CLI::App* process, const GlobalOptions& global, int& status);
// seed, matrix, progress (cmd_process_seed.cpp).
void add_process_seed_commands(CLI::App* process, const GlobalOptions& global, int& status);

}  // namespace atalaya::cli
