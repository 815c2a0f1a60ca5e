// Where the files shipped with Atalaya (triggers/, routes/, sources/, the
// dashboard) are found when no option names them: under $ATALAYA_ROOT, then
// installed beside the program (<prefix>/bin/atalaya and
// <prefix>/share/atalaya), then, for the program in its build tree, the
// source tree it was built from.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "cli/commands.h"

namespace atalaya::cli {
namespace {

namespace fs = std::filesystem;

// This program's own file (/proc/self/exe), empty when it cannot be read.
fs::path own_executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

// Whether `exe` sits in the build directory it was compiled in.
bool in_build_tree(const fs::path& exe) {
  std::error_code ec;
  return !exe.empty() && fs::equivalent(exe.parent_path(), ATALAYA_BUILD_DIR, ec);
}

// How a shipped thing is laid out under each kind of root: a checkout holds
// the dashboard in web/dist, an installed share/atalaya in web.
std::vector<std::string> layouts(const std::string& relative, ShippedRoot::Kind kind) {
  if (relative != "web/dist") return {relative};
  if (kind == ShippedRoot::Installed) return {"web"};
  return {"web/dist", "web"};  // $ATALAYA_ROOT may name a checkout or an installed share/atalaya
}

bool usable(const fs::path& p, bool directory) {
  std::error_code ec;
  if (!directory) return fs::is_regular_file(p, ec);
  if (!fs::is_directory(p, ec)) return false;
  // A dashboard is a built one: index.html, and not the sources' web/ (package.json).
  if (p.filename() == "web" || p.filename() == "dist")
    return fs::exists(p / "index.html", ec) && !fs::exists(p / "package.json", ec);
  return true;
}

}  // namespace

std::vector<ShippedRoot> shipped_roots() {
  std::vector<ShippedRoot> roots;
  if (const char* root = std::getenv("ATALAYA_ROOT"); root && *root)
    roots.push_back({root, "$ATALAYA_ROOT", ShippedRoot::Environment});
  const fs::path exe = own_executable();
  if (!exe.empty()) {
    const fs::path share = exe.parent_path().parent_path() / "share" / "atalaya";
    roots.push_back({share.lexically_normal().string(), "installed beside " + exe.string(), ShippedRoot::Installed});
  }
  if (in_build_tree(exe)) roots.push_back({ATALAYA_SOURCE_DIR, "the source tree", ShippedRoot::SourceTree});
  return roots;
}

std::optional<std::string> find_shipped(const std::string& relative, bool directory) {
  for (const ShippedRoot& r : shipped_roots())
    for (const std::string& layout : layouts(relative, r.kind)) {
      fs::path p = fs::path(r.dir) / layout;
      if (usable(p, directory)) return p.string();
    }
  return std::nullopt;
}

std::string shipped_or_given(const std::string& given, bool directory) {
  std::error_code ec;
  if (given.empty() || fs::path(given).is_absolute() || fs::exists(given, ec)) return given;
  if (auto found = find_shipped(given, directory)) return *found;
  return given;
}

std::string require_shipped(const std::string& relative, bool directory, const std::string& flag,
                            const std::string& what) {
  if (auto found = find_shipped(relative, directory)) return *found;
  std::string tried;
  for (const ShippedRoot& r : shipped_roots())
    tried += (tried.empty() ? "" : ", ") + r.dir + " (" + r.why + ")";
  throw std::runtime_error("no " + what + " found: give " + flag + ", or set ATALAYA_ROOT to an Atalaya checkout " +
                           "or its installed share/atalaya directory (looked for " + relative + " under " +
                           (tried.empty() ? "nothing: ATALAYA_ROOT is not set" : tried) + ")");
}

}  // namespace atalaya::cli
