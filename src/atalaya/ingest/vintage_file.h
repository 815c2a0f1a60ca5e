// Reading one file for a vintage of its source, the one way `atalaya ingest`
// and an upload through the API both do it: parse (a registered or given
// mapping, else a recognised format), validate, and decide what row
// problems mean for the write.
#pragma once

#include <optional>
#include <string>

#include "atalaya/ingest/ingest.h"
#include "atalaya/ingest/mapping.h"

namespace atalaya {

struct VintageFileOptions {
  // Store the valid rows of a file with row problems. The file is then not a
  // complete release: what its invalid rows held before must stay, not be
  // withdrawn. Without it a file with any row problem is refused whole.
  bool skip_invalid = false;
  // The write will replace everything the source holds: a file with a
  // header and no data rows is accepted (withdrawing everything).
  bool replace = false;
  bool digest = true;                // false: no SHA-256 (nothing will be written)
  ParseProgress* progress = nullptr;
};

struct VintageFile {
  ParsedFile file;
  // Row problems and no skip_invalid: nothing of it may be stored. The
  // problems are in file.problems (the first kMaxKeptProblems, the rest counted).
  bool refused = false;
};

// Throws InputError when the file as a whole cannot be read (see
// parse_statistics_file).
VintageFile read_vintage_file(const std::string& path, const Mapping* mapping, const VintageFileOptions& options);

// The mapping registered for `source` in `dir` (shipped: sources/): the
// *.toml file whose [source] id is `source`, preferring <dir>/<source>.toml.
// nullopt when none is. A mapping file that cannot be read is skipped unless
// it is <source>.toml (then its InputError is thrown: the registry is broken).
std::optional<Mapping> registered_mapping(const std::string& dir, const std::string& source);

}  // namespace atalaya
