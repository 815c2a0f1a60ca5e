// Format recognition and the shared post-processing of every adapter.
#include "atalaya/ingest/ingest.h"

#include <algorithm>
#include <thread>

#include "atalaya/core/checked.h"
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
  // A key whose sum overflowed: its rows are all left out.
  bool overflowed = false;
  for (size_t i = 0; i < order.size(); ++i) {
    const ObservationRow& r = rows[order[i].second];
    if (i > 0 && order[i - 1].first == order[i].first) {
      if (overflowed) {
        ++file.rows_rejected;
      } else if (sum) {
        try {
          out.back().value = checked_add(out.back().value, r.value);
        } catch (const std::overflow_error& e) {
          ++file.rows_rejected;
          file.add_problem(InputProblem{
              file.path, r.line, "", r.period.to_string(),
              "rows of one key and period whose sum fits in a 64-bit integer (adding this row to the rows "
              "from line " + std::to_string(out.back().line) + " on: " + e.what() + ")"});
          out.pop_back();
          overflowed = true;
        }
      } else {
        ++file.rows_rejected;
        file.add_problem(InputProblem{
            file.path, r.line, "", r.period.to_string(),
            "one row per key and period; line " + std::to_string(out.back().line) +
                " has the same key (set duplicates = \"sum\" in a mapping to add them)"});
      }
      continue;
    }
    overflowed = false;
    out.push_back(r);
  }
  rows.swap(out);
}

void check_whole_file(const std::string& path, std::string_view raw) {
  std::string_view text = raw;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(InputProblem{
        path, 0, "", "",
        raw.empty() ? "a header and data rows; the file is empty (0 bytes): a failed download or export?"
                    : "a header and data rows; the file holds only blank space"});
  const char last = text.back();
  if (last == '\n' || last == '\r') return;
  // Lines as CsvReader counts them: LF, CRLF and a lone CR each end one.
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = i + 1;
    }
  }
  throw InputError(InputProblem{
      path, line, "", std::string(text.substr(line_start)),
      "a line break at the end of the file: line " + std::to_string(line) +
          " stops without one, so the file may have been cut off (an interrupted download); if the file is "
          "complete, add the final line break"});
}

ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, bool digest,
                                 ParseProgress* progress) {
  ParseOptions options;
  options.digest = digest;
  options.progress = progress;
  return parse_statistics_file(path, mapping, options);
}

ParsedFile parse_statistics_file(const std::string& path, const Mapping* mapping, const ParseOptions& options) {
  const bool digest = options.digest;
  ParseProgress* const progress = options.progress;
  MappedFile mapped(path);
  const std::string_view raw = mapped.bytes();
  check_whole_file(path, raw);
  if (progress) progress->total = raw.size();
  // The digest is of the bytes as published, before any conversion. It is
  // worked out on its own thread while the file is checked and parsed
  // (joined on every way out, a refused file included).
  std::string sha;
  std::thread hashing;
  if (digest) hashing = std::thread([&sha, raw] { sha = sha256_hex(raw); });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join_hashing{hashing};
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
  // A header and nothing else: refused, unless the caller replaces the
  // source's data on purpose (and the file says which source that is).
  if (file.rows_read == 0 && (!options.allow_no_data || file.source.empty())) {
    std::string expected = "data rows under the header; the file holds a header only (a failed export or download?)";
    if (!file.source.empty())
      expected += ". To withdraw everything " + file.source + " holds on purpose, ingest it with --replace";
    throw InputError(InputProblem{path, 0, "", "", expected});
  }
  if (hashing.joinable()) hashing.join();
  file.digest = std::move(sha);
  if (mapping) {
    file.mapping_digest = mapping->digest;
    file.complete_release = mapping->complete_release;
    file.declaration = mapping->declaration;
    file.max_withdrawal = mapping->max_withdrawal;
  }
  file.bytes = raw.size();
  return file;
}

}  // namespace atalaya
