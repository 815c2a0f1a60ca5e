// Tests for the RFC 4180 reader and text-encoding helpers (csv_reader.h):
// quoting, line endings, line numbers across embedded newlines, the BOM,
// and the Windows-1252 fallback for files that are not UTF-8.
#include "atalaya/ingest/csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

struct Record {
  uint32_t line;
  std::vector<std::string> fields;
  bool unterminated;
  friend bool operator==(const Record&, const Record&) = default;
};

void PrintTo(const Record& r, std::ostream* os) {
  *os << "line " << r.line << (r.unterminated ? " (unterminated)" : "") << ":";
  for (auto& f : r.fields) *os << " [" << f << "]";
}

// Reads every record, copying fields (views die at the next call).
std::vector<Record> read_all(std::string_view text, char delimiter = ',') {
  CsvReader csv(text, delimiter);
  std::vector<std::string_view> f;
  std::vector<Record> out;
  while (csv.next_record(f)) out.push_back(Record{csv.line(), {f.begin(), f.end()}, csv.unterminated_quote()});
  EXPECT_EQ(csv.offset(), csv.size());
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReader, PlainRecordsAndLineNumbers) {
  auto r = read_all("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (Record{1, Fields{"a", "b", "c"}, false}));
  EXPECT_EQ(r[1], (Record{2, Fields{"1", "2", "3"}, false}));
  EXPECT_EQ(r[2], (Record{3, Fields{"4", "5", "6"}, false}));
}

TEST(CsvReader, LastLineWithoutNewline) {
  auto r = read_all("a,b\n1,2");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1], (Record{2, Fields{"1", "2"}, false}));
}

TEST(CsvReader, QuotedFieldsWithDelimitersAndDoubledQuotes) {
  auto r = read_all("\"San Diego, CA\",\"say \"\"hi\"\"\",\"\",plain\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (Fields{"San Diego, CA", "say \"hi\"", "", "plain"}));
}

TEST(CsvReader, ManyQuotedFieldsInOneRecordKeepTheirValues) {
  // Quoted fields are unescaped into scratch storage; enough of them to make
  // that storage reallocate must still come back right.
  std::string line, want_last;
  Fields want;
  for (int i = 0; i < 40; ++i) {
    std::string v = "value number " + std::to_string(i) + ", long enough to leave small-string storage";
    line += (i ? "," : "") + std::string("\"") + v + "\"";
    want.push_back(v);
  }
  auto r = read_all(line + "\nnext,row\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, want);
  EXPECT_EQ(r[1].fields, (Fields{"next", "row"}));
}

TEST(CsvReader, EmbeddedNewlineKeepsFollowingLineNumbersRight) {
  auto r = read_all("h1,h2\n\"two\nlines\",x\n\"three\r\nline\nfield\",y\nlast,z\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1], (Record{2, Fields{"two\nlines", "x"}, false}));
  EXPECT_EQ(r[2], (Record{4, Fields{"three\r\nline\nfield", "y"}, false}));
  EXPECT_EQ(r[3], (Record{7, Fields{"last", "z"}, false}));
}

TEST(CsvReader, CrlfLineEndings) {
  auto r = read_all("a,b\r\n1,\"2\"\r\n\r\n3,4\r\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0], (Record{1, Fields{"a", "b"}, false}));
  EXPECT_EQ(r[1], (Record{2, Fields{"1", "2"}, false}));
  EXPECT_EQ(r[2], (Record{3, Fields{""}, false}));  // a blank line: one empty field
  EXPECT_EQ(r[3], (Record{4, Fields{"3", "4"}, false}));
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
  auto r = read_all("\xEF\xBB\xBF" "Fiscal Year,Month\n2023,OCT\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (Fields{"Fiscal Year", "Month"}));
  EXPECT_EQ(r[0].line, 1u);
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvReader, TrailingEmptyFieldIsKept) {
  auto r = read_all("a,b,\n1,,\n2,3,");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b", ""}));
  EXPECT_EQ(r[1].fields, (Fields{"1", "", ""}));
  EXPECT_EQ(r[2].fields, (Fields{"2", "3", ""}));
  EXPECT_EQ(read_all(",")[0].fields, (Fields{"", ""}));
}

TEST(CsvReader, UnterminatedQuoteIsFlagged) {
  auto r = read_all("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].unterminated);
  EXPECT_TRUE(r[1].unterminated);
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[1].fields, (Fields{"1", "open\n2,3\n"}));
}

TEST(CsvReader, OtherDelimiters) {
  auto r = read_all("a;\"b;c\";d\n", ';');
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (Fields{"a", "b;c", "d"}));
  r = read_all("a\tb, c\n", '\t');
  EXPECT_EQ(r[0].fields, (Fields{"a", "b, c"}));
}

TEST(CsvReader, EmptyText) {
  EXPECT_TRUE(read_all("").empty());
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII text, long enough for the fast path"));
  EXPECT_TRUE(is_valid_utf8("Per\xC3\xBA"));                  // Perú
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC and \xF0\x9F\x98\x80"));  // euro sign, emoji
  EXPECT_FALSE(is_valid_utf8("\xE9"));                        // Latin-1 é alone
  EXPECT_FALSE(is_valid_utf8("Per\xFA"));                     // Latin-1 ú
  EXPECT_FALSE(is_valid_utf8("caf\xE9 au lait"));             // é followed by ASCII
  EXPECT_FALSE(is_valid_utf8("\x80"));                        // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));                    // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xC3"));                        // truncated sequence
  EXPECT_FALSE(is_valid_utf8("abcdefgh\xE2\x82"));            // truncated after the fast path
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Windows1252, ConvertsToUtf8) {
  EXPECT_EQ(windows1252_to_utf8("\xE9"), "\xC3\xA9");          // é
  EXPECT_EQ(windows1252_to_utf8("\x80"), "\xE2\x82\xAC");      // euro sign
  EXPECT_EQ(windows1252_to_utf8("Per\xFA"), "Per\xC3\xBA");    // Perú
  EXPECT_EQ(windows1252_to_utf8("\x92"), "\xE2\x80\x99");      // right single quote
  EXPECT_EQ(windows1252_to_utf8("\x81"), "\xEF\xBF\xBD");      // undefined: replacement
  EXPECT_EQ(windows1252_to_utf8("ASCII, unchanged"), "ASCII, unchanged");
  EXPECT_EQ(windows1252_to_utf8(""), "");
}

TEST(ToUtf8, DetectsAndConverts) {
  // Valid UTF-8 is left alone under detection.
  EXPECT_EQ(to_utf8("Per\xC3\xBA", TextEncoding::Utf8, true), "Per\xC3\xBA");
  // Not UTF-8: taken as Windows-1252.
  EXPECT_EQ(to_utf8("Per\xFA", TextEncoding::Utf8, true), "Per\xC3\xBA");
  // Declared Windows-1252 is converted even when the bytes happen to be valid UTF-8.
  EXPECT_EQ(to_utf8("\xC3\xA9", TextEncoding::Windows1252, false), "\xC3\x83\xC2\xA9");
  // Declared UTF-8 without detection is trusted as is.
  EXPECT_EQ(to_utf8("Per\xFA", TextEncoding::Utf8, false), "Per\xFA");
  // The BOM goes in every case.
  EXPECT_EQ(to_utf8("\xEF\xBB\xBF" "a,b", TextEncoding::Utf8, true), "a,b");
  EXPECT_EQ(to_utf8("\xEF\xBB\xBF" "a,b", TextEncoding::Utf8, false), "a,b");
}

TEST(Trim, SpacesAndTabs) {
  EXPECT_EQ(trim("  a b\t "), "a b");
  EXPECT_EQ(trim("\t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(ReadFile, ReadsBytesAndNamesAMissingFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("atalaya-csv-reader-test-" + std::to_string(::getpid()) + ".csv");
  const std::string bytes("a,b\r\n\xE9,\0,z\n", 11);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_EQ(read_file(path.string()), bytes);
  std::filesystem::remove(path);
  try {
    read_file(path.string());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].file, path.string());
  }
}

}  // namespace
}  // namespace atalaya
