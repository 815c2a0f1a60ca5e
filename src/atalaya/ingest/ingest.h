// The ingest front: reads a file, recognises its format (a CBP layout,
// SDMX-CSV, or a mapped CSV/HXL when a mapping is given), harmonises it and
// resolves duplicate keys. Never touches the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

struct ParseOptions {
  // false skips the SHA-256 (a dry run stores nothing and needs none).
  bool digest = true;
  // If given, has its total set and is advanced while parsing.
  ParseProgress* progress = nullptr;
  // A file with a header and no data rows is refused unless this is set
  // (`ingest --replace`: the source's data withdrawn on purpose).
  bool allow_no_data = false;
};

// Reads and parses one file. Throws InputError when the file as a whole
// cannot be read (unreadable, unrecognised header, missing mapped column)
// or is not whole (check_whole_file; a header and no data rows, unless
// options.allow_no_data); row problems are returned in ParsedFile::problems.
ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, const ParseOptions& options);
// The same with default options but `digest` and `progress`.
ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, bool digest = true,
                                 ParseProgress* progress = nullptr);

// Refuses (InputError naming the file) bytes that cannot be a whole
// statistics file, whatever the format: empty (or only a byte-order mark and
// blank space), or ending without a final line break, as a download cut off
// mid-line does (the problem names the last line and shows it). Every file
// the project knows ends with a line break; a complete file without one
// must have it added.
void check_whole_file(const std::string& path, std::string_view bytes);

// Rows with the same series and period: summed when `sum` (a mapping that
// folds away a column, as UNHCR's procedure type), else each repeat is a
// problem naming both lines. Rows keep file order when no key repeats (the
// common case, checked in one pass); otherwise they end sorted by series
// then period.
void resolve_duplicates(ParsedFile& file, bool sum);

}  // namespace atalaya
