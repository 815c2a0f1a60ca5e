// Helpers shared by the commands.
#include "cli/commands.h"

namespace atalaya::cli {

std::unique_ptr<Store> GlobalOptions::open_store() const { return open_sqlite_store(db); }

std::string thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace atalaya::cli
