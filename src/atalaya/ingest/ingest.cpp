// Format recognition and the shared post-processing of every adapter.
#include "atalaya/ingest/ingest.h"

#include <algorithm>

#include "atalaya/core/radix_sort.h"
#include "atalaya/ingest/cbp_encounters.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/mapped_csv.h"
#include "atalaya/ingest/sdmx_csv.h"

namespace atalaya {

void resolve_duplicates(ParsedFile& file, bool sum) {
  auto& rows = file.rows;
  // Files list each period's rows in turn, so each series' periods usually
  // ascend: then no key can repeat and nothing needs sorting.
  {
    std::vector<int64_t> last(file.series.size(), -1);
    bool ascending = true;
    for (const auto& r : rows) {
      const int64_t code = r.period.code();
      if (code <= last[r.series]) {
        ascending = false;
        break;
      }
      last[r.series] = code;
    }
    if (ascending) return;
  }
  // Key: series, then period code (< 2^24); the stable radix sort keeps line
  // order within a key.
  std::vector<std::pair<uint64_t, uint32_t>> order(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    order[i] = {(static_cast<uint64_t>(rows[i].series) << 24) | static_cast<uint64_t>(rows[i].period.code()),
                static_cast<uint32_t>(i)};
  radix_sort(order);
  std::vector<ObservationRow> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const ObservationRow& r = rows[order[i].second];
    if (i > 0 && order[i - 1].first == order[i].first) {
      if (sum) {
        out.back().value += r.value;
      } else {
        ++file.rows_rejected;
        file.problems.push_back(InputProblem{
            file.path, r.line, "", r.period.to_string(),
            "one row per key and period; line " + std::to_string(out.back().line) +
                " has the same key (set duplicates = \"sum\" in a mapping to add them)"});
      }
      continue;
    }
    out.push_back(r);
  }
  rows.swap(out);
}

ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, bool digest,
                                 ParseProgress* progress) {
  MappedFile mapped(path);
  const std::string_view raw = mapped.bytes();
  if (progress) progress->total = raw.size();
  // The digest is of the bytes as published, before any conversion.
  const std::string sha = digest ? sha256_hex(raw) : "";
  // Valid UTF-8 is read in place; anything else is converted once.
  TextEncoding declared = mapping ? mapping->encoding : TextEncoding::Utf8;
  bool detect = mapping ? mapping->detect_encoding : true;
  if (!detect && declared == TextEncoding::Utf8) {
    const size_t bad = utf8_error_offset(raw);
    if (bad != std::string_view::npos) {
      auto line = static_cast<uint32_t>(1 + std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
      throw InputError(InputProblem{path, line, "", "",
                                    "UTF-8 text, as the mapping declares (this looks like Windows-1252: "
                                    "set encoding = \"windows-1252\" or \"auto\")"});
    }
  }
  const std::optional<std::string> converted = convert_to_utf8(raw, declared, detect);
  const std::string_view text = converted ? std::string_view(*converted) : raw;
  ParsedFile file;
  if (mapping) {
    file = read_mapped_csv(path, text, *mapping, progress);
    resolve_duplicates(file, mapping->sum_duplicates);
  } else {
    CsvReader csv(text);
    std::vector<std::string_view> header;
    csv.next_record(header);
    if (detect_cbp_layout(header) != CbpLayout::None) {
      file = read_cbp_encounters(path, text, progress);
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
  file.digest = sha;
  if (mapping) {
    file.mapping_digest = mapping->digest;
    file.complete_release = mapping->complete_release;
    file.declaration = mapping->declaration;
  }
  file.bytes = raw.size();
  return file;
}

}  // namespace atalaya
