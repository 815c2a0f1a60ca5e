// The selection options every command that reads series shares (--source,
// --reporter, --location, --citizenship, --counterpart, --event, --demographic, --authority,
// --from, --to, --by), registered once and turned into a SeriesQuery.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "atalaya/analysis/series_query.h"

namespace atalaya::cli {

struct SelectionOptions {
  std::map<std::string, std::vector<std::string>> filters;  // dimension -> values as typed
  std::string from, to;
  std::vector<std::string> by;

  // Registers the options on `cmd`. The object must outlive the parse (keep
  // it in a shared_ptr captured by the command's callback).
  void add_to(CLI::App& cmd);
  // The query the options describe (no frequency, no vintage). Throws
  // std::invalid_argument naming --from or --to for text that is not a period.
  SeriesQuery query() const;
};

}  // namespace atalaya::cli
