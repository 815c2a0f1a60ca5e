// A fast RFC 4180 CSV reader over text held in memory.
//
// Handles quoted fields with doubled quotes and embedded delimiters or line
// breaks, CRLF and LF line endings, and a UTF-8 byte-order mark. Fields are
// returned as string_views into the text or into the reader's own scratch
// buffer; they stay valid only until the next call to next_record().
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

class CsvReader {
 public:
  // `text` must stay alive while the reader is in use.
  // `first_line` numbers the text's first line (for a chunk of a larger file).
  explicit CsvReader(std::string_view text, char delimiter = ',', uint32_t first_line = 1);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `fields`. Returns false at end of text.
  // A line holding nothing (not even a delimiter) yields a record of one empty field.
  bool next_record(std::vector<std::string_view>& fields);
  // 1-based line number where the last record returned started.
  uint32_t line() const { return record_line_; }
  // Byte offset reached, for progress reporting.
  size_t offset() const { return pos_; }
  size_t size() const { return text_.size(); }
  // True if the last record had a quoted field left open at end of text.
  bool unterminated_quote() const { return unterminated_; }

 private:
  std::string_view text_;
  char delim_;
  size_t pos_ = 0;
  uint32_t next_line_ = 1;
  uint32_t record_line_ = 0;
  bool unterminated_ = false;
  std::vector<std::string> scratch_;  // unescaped quoted fields of the current record
};

// How far a parse has come, in bytes of the text; read from another thread
// to draw a progress bar. Adapters add to `done` every few thousand rows.
struct ParseProgress {
  std::atomic<uint64_t> done{0};
  uint64_t total = 0;
};

// Text encodings seen in official statistics files.
enum class TextEncoding { Utf8, Windows1252 };

// A file mapped read-only into memory: the cheapest way to read a large
// statistics file once. Throws InputError naming the file on failure.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Reads a whole file. Throws InputError naming the file if it cannot be read.
std::string read_file(const std::string& path);
// True if `bytes` is valid UTF-8.
bool is_valid_utf8(std::string_view bytes);
// Offset of the first byte that breaks UTF-8, or npos if none does.
size_t utf8_error_offset(std::string_view bytes);
// Converts Windows-1252 (a superset of Latin-1's printable range) to UTF-8.
std::string windows1252_to_utf8(std::string_view bytes);
// The one decision on how text is read: nullopt when `raw` can be read in
// place as UTF-8 (a BOM, if any, is left for CsvReader to skip); otherwise
// the text converted from Windows-1252, declared or (under `detect`) because
// it is not valid UTF-8. `detect` false never validates: the caller refuses
// invalid UTF-8 itself where it must.
std::optional<std::string> convert_to_utf8(std::string_view raw, TextEncoding declared, bool detect);
// Strips a UTF-8 BOM, and converts Windows-1252 to UTF-8 when declared or,
// under `detect`, when the text is not valid UTF-8.
std::string to_utf8(std::string text, TextEncoding declared, bool detect);

// Appends `value` to `out` as one RFC 4180 field: quoted, with quotes
// doubled, when it holds a comma, a quote or a line break.
void append_csv_field(std::string& out, std::string_view value);

// Trims ASCII spaces and tabs.
std::string_view trim(std::string_view s);

}  // namespace atalaya
