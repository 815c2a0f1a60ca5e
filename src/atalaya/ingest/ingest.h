// The ingest front: reads a file, recognises its format (a CBP layout,
// SDMX-CSV, or a mapped CSV/HXL when a mapping is given), harmonises it and
// resolves duplicate keys. Never touches the store.
#pragma once

#include <optional>
#include <string>

#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

// Reads and parses one file. Throws InputError when the file as a whole
// cannot be read (unreadable, unrecognised header, missing mapped column);
// row problems are returned in ParsedFile::problems.
// `digest` false skips the SHA-256 (a dry run stores nothing and needs none).
// `progress`, if given, has its total set and is advanced while parsing.
ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, bool digest = true,
                                 ParseProgress* progress = nullptr);

// Rows with the same series and period: summed when `sum` (a mapping that
// folds away a column, as UNHCR's procedure type), else each repeat is a
// problem naming both lines. Rows keep file order when no key repeats (the
// common case, checked in one pass); otherwise they end sorted by series
// then period.
void resolve_duplicates(ParsedFile& file, bool sum);

}  // namespace atalaya
