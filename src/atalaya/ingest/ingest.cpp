// Format recognition and the shared post-processing of every adapter.
#include "atalaya/ingest/ingest.h"

#include <algorithm>

#include "atalaya/ingest/cbp_encounters.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/mapped_csv.h"
#include "atalaya/ingest/sdmx_csv.h"

namespace atalaya {

void resolve_duplicates(ParsedFile& file, bool sum) {
  auto& rows = file.rows;
  std::sort(rows.begin(), rows.end(), [](const ObservationRow& a, const ObservationRow& b) {
    if (a.series != b.series) return a.series < b.series;
    int64_t pa = a.period.code(), pb = b.period.code();
    if (pa != pb) return pa < pb;
    return a.line < b.line;
  });
  size_t out = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (out > 0 && rows[out - 1].series == rows[i].series && rows[out - 1].period == rows[i].period) {
      if (sum) {
        rows[out - 1].value += rows[i].value;
      } else {
        file.problems.push_back(InputProblem{
            file.path, rows[i].line, "", rows[i].period.to_string(),
            "one row per key and period; line " + std::to_string(rows[out - 1].line) +
                " has the same key (set duplicates = \"sum\" in a mapping to add them)"});
      }
      continue;
    }
    rows[out++] = rows[i];
  }
  rows.resize(out);
}

ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping) {
  std::string raw = read_file(path);
  ParsedFile file;
  if (mapping) {
    std::string text = to_utf8(raw, mapping->encoding, mapping->detect_encoding);
    file = read_mapped_csv(path, text, *mapping);
    resolve_duplicates(file, mapping->sum_duplicates);
  } else {
    std::string text = to_utf8(raw, TextEncoding::Utf8, true);
    CsvReader csv(text);
    std::vector<std::string_view> header;
    csv.next_record(header);
    if (detect_cbp_layout(header) != CbpLayout::None) {
      file = read_cbp_encounters(path, text);
    } else if (detect_sdmx_csv(header)) {
      file = read_sdmx_csv(path, text);
    } else {
      std::string first;
      for (size_t i = 0; i < header.size() && i < 6; ++i) first += (i ? "," : "") + std::string(header[i]);
      throw InputError(InputProblem{
          path, 1, "", first,
          "a recognised header (a CBP encounters layout or SDMX-CSV); for any other CSV give --mapping FILE"});
    }
    resolve_duplicates(file, false);
  }
  std::stable_sort(file.problems.begin(), file.problems.end(),
                   [](const InputProblem& a, const InputProblem& b) { return a.line < b.line; });
  file.digest = sha256_hex(raw);
  file.bytes = raw.size();
  return file;
}

}  // namespace atalaya
