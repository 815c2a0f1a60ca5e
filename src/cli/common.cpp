// Helpers shared by the commands.
#include <filesystem>
#include <stdexcept>

#include "cli/commands.h"

namespace atalaya::cli {

std::unique_ptr<Store> GlobalOptions::open_store(bool must_exist) const {
  if (must_exist && !std::filesystem::exists(db))
    throw std::runtime_error("no store at " + db + " (ingest a file first, or give --db PATH or $ATALAYA_DB)");
  return open_sqlite_store(db);
}

std::string thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace atalaya::cli
