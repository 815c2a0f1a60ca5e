// Test helpers for adapters: a ParsedFile flattened to one record per
// observation, and its problems as text. Only tests include this header.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "atalaya/ingest/parsed_file.h"

namespace atalaya::testing {

struct Flat {
  SeriesKey key;
  Unit unit;
  Period period;
  int64_t value;
  Status status;
  uint32_t line;
};

inline std::vector<Flat> flatten(const ParsedFile& f) {
  std::vector<Flat> out;
  for (const auto& r : f.rows) {
    const auto& s = f.series.at(r.series);
    out.push_back(Flat{s.key, s.unit, r.period, r.value, r.status, r.line});
  }
  return out;
}

inline std::string problems_text(const ParsedFile& f) {
  std::string s;
  for (const auto& p : f.problems) s += p.to_string() + "\n";
  return s;
}

// A file in the temporary directory holding `bytes`, deleted with the object.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& bytes)
      : path_(std::filesystem::temp_directory_path() /
              ("atalaya-ingest-test-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace atalaya::testing
