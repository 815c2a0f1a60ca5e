// Any tidy CSV, or HXL-tagged CSV, read through a declarative Mapping.
#pragma once

#include <string>
#include <string_view>

#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

// Parses `utf8_text` (already converted to UTF-8) from the file at `path`.
// Row problems are collected in the result; a missing column throws
// InputError naming both the data file and the mapping file.
ParsedFile read_mapped_csv(const std::string& path, std::string_view utf8_text, const Mapping& mapping,
                           ParseProgress* progress = nullptr);

// True if an HXL tag such as "#affected+idps+ind+stock+conflict" matches a
// pattern such as "#affected+stock+conflict": same hashtag, and every
// attribute of the pattern present (order and case do not matter).
bool hxl_tag_matches(std::string_view tag, std::string_view pattern);

}  // namespace atalaya
