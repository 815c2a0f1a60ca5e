// U.S. Customs and Border Protection encounter files, in CBP's own published
// layouts, recognised by their header:
//  - southwest land border: Fiscal Year, Month Grouping, Month (abbv),
//    Component, Demographic, Citizenship Grouping, Title of Authority,
//    Encounter Type, Encounter Count (source us-cbp-swb);
//  - nationwide: Fiscal Year, Month (abbv), Land Border Region, Area of
//    Responsibility, AOR (Abbv), Demographic, Citizenship, Title of
//    Authority, Encounter Type, Encounter Count (source us-cbp-nationwide);
//  - the nationwide layout's snake_case variant (fiscal_year, month_abbv, ...).
// Fiscal months are converted to calendar months (OCT of FY2023 = 2022-10).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

enum class CbpLayout { None, SouthwestBorder, Nationwide };

// Header names normalised for matching: lower case, runs of anything but
// letters and digits become one '_' ("AOR (Abbv)" -> "aor_abbv").
std::string normalise_header(std::string_view name);

CbpLayout detect_cbp_layout(const std::vector<std::string_view>& header);

// Parses a whole CBP file (already UTF-8). Row problems are collected in the
// result; a header that is not a CBP layout throws InputError.
ParsedFile read_cbp_encounters(const std::string& path, std::string_view text,
                               ParseProgress* progress = nullptr);

}  // namespace atalaya
