// For tests that read the real public data (../shared/data beside the source
// tree, or $ATALAYA_DATA): where it is, and one file parsed through its
// shipped mapping as `atalaya ingest --mapping sources/NAME.toml` parses it.
// Only tests include this header.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "atalaya/ingest/ingest.h"

namespace atalaya::testing {

inline std::string real_data_dir() {
  const char* env = std::getenv("ATALAYA_DATA");
  return env && *env ? env : std::string(ATALAYA_SOURCE_DIR) + "/../shared/data";
}

// True when `file` (relative to the data directory) is there.
inline bool real_file_exists(const std::string& file) {
  return std::filesystem::exists(real_data_dir() + "/" + file);
}

// `file` (relative to the data directory) parsed with sources/`mapping`,
// repeated keys resolved as the mapping says. Throws std::runtime_error
// naming the path when the data is not there.
inline ParsedFile parse_real_file(const std::string& mapping, const std::string& file, bool digest = true) {
  const std::string path = real_data_dir() + "/" + file;
  if (!std::filesystem::exists(path)) throw std::runtime_error("real data not found: " + path + " (set ATALAYA_DATA)");
  Mapping m = load_mapping(std::string(ATALAYA_SOURCE_DIR) + "/sources/" + mapping);
  ParsedFile f = parse_statistics_file(path, &m, digest);
  resolve_duplicates(f, m.sum_duplicates);
  return f;
}

}  // namespace atalaya::testing
