#include "atalaya/ingest/vintage_file.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace atalaya {

VintageFile read_vintage_file(const std::string& path, const Mapping* mapping, const VintageFileOptions& options) {
  ParseOptions parse;
  parse.digest = options.digest;
  parse.progress = options.progress;
  parse.allow_no_data = options.replace;
  VintageFile out{parse_statistics_file(path, mapping, parse)};
  if (out.file.problem_count() > 0) {
    if (options.skip_invalid) out.file.complete_release = false;
    else out.refused = true;
  }
  return out;
}

std::optional<Mapping> registered_mapping(const std::string& dir, const std::string& source) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty() || source.empty() || !fs::is_directory(dir, ec)) return std::nullopt;
  const fs::path named = fs::path(dir) / (source + ".toml");
  if (fs::is_regular_file(named, ec)) {
    Mapping m = load_mapping(named.string());
    if (m.source == source) return m;
  }
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml" && e.path() != named) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    try {
      Mapping m = load_mapping(f.string());
      if (m.source == source) return m;
    } catch (const InputError&) {
      // Another source's broken mapping does not stop this one being found.
    }
  }
  return std::nullopt;
}

}  // namespace atalaya
