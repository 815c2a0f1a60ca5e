// RFC 4180 CSV reading and text-encoding normalisation.
#include "atalaya/ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"

namespace atalaya {

CsvReader::CsvReader(std::string_view text, char delimiter, uint32_t first_line)
    : text_(text), delim_(delimiter), next_line_(first_line) {
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::next_record(std::vector<std::string_view>& fields) {
  fields.clear();
  scratch_.clear();
  unterminated_ = false;
  if (pos_ >= text_.size()) return false;
  record_line_ = next_line_;
  const char* data = text_.data();
  const size_t n = text_.size();
  size_t i = pos_;
  for (;;) {
    if (i < n && data[i] == '"') {
      // Quoted field: copy until the closing quote, undoubling "".
      std::string value;
      ++i;
      for (;;) {
        const char* q = static_cast<const char*>(std::memchr(data + i, '"', n - i));
        if (!q) {  // unterminated: take the rest
          value.append(data + i, n - i);
          for (size_t k = i; k < n; ++k) next_line_ += data[k] == '\n';
          i = n;
          unterminated_ = true;
          break;
        }
        size_t qi = static_cast<size_t>(q - data);
        for (size_t k = i; k < qi; ++k) next_line_ += data[k] == '\n';
        value.append(data + i, qi - i);
        i = qi + 1;
        if (i < n && data[i] == '"') {
          value.push_back('"');
          ++i;
          continue;
        }
        break;
      }
      // Anything between the closing quote and the delimiter is kept (lenient).
      while (i < n && data[i] != delim_ && data[i] != '\n' && data[i] != '\r') value.push_back(data[i++]);
      scratch_.push_back(std::move(value));
      // A null view marks a quoted field; it is pointed at scratch_ below,
      // once scratch_ stops growing.
      fields.emplace_back(nullptr, 0);
    } else {
      size_t start = i;
      while (i < n && data[i] != delim_ && data[i] != '\n' && data[i] != '\r') ++i;
      fields.emplace_back(data + start, i - start);
    }
    if (i >= n) break;
    if (data[i] == delim_) {
      ++i;
      if (i >= n) {
        fields.emplace_back(data + n, 0);
        break;
      }
      continue;
    }
    // End of line.
    if (data[i] == '\r') ++i;
    if (i < n && data[i] == '\n') ++i;
    ++next_line_;
    break;
  }
  pos_ = i;
  // Point quoted fields at their unescaped copies (scratch_ no longer grows).
  if (!scratch_.empty()) {
    size_t s = 0;
    for (auto& f : fields)
      if (f.data() == nullptr && s < scratch_.size()) f = scratch_[s++];
  }
  return true;
}

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    throw InputError(InputProblem{path, 0, "", "", std::string("a readable file (") + std::strerror(errno) + ")"});
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data_ == MAP_FAILED) {
      data_ = nullptr;
      ::close(fd);
      throw InputError(InputProblem{path, 0, "", "", std::string("a readable file (") + std::strerror(errno) + ")"});
    }
    ::madvise(data_, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(data_, size_);
}

std::string read_file(const std::string& path) { return read_input_file(path); }
bool is_valid_utf8(std::string_view s) { return utf8_error_offset(s) == std::string_view::npos; }

size_t utf8_error_offset(std::string_view s) {
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    // Fast path over ASCII, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) return i;
    if (len == 2 && c < 0xC2) return i;
    for (int k = 1; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string windows1252_to_utf8(std::string_view bytes) {
  // 0x80..0x9F differ from Latin-1 in Windows-1252; 0 marks undefined bytes.
  static const char16_t kHigh[32] = {
      0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    char32_t cp = c;
    if (c >= 0x80 && c < 0xA0) cp = kHigh[c - 0x80] ? kHigh[c - 0x80] : 0xFFFD;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::optional<std::string> convert_to_utf8(std::string_view raw, TextEncoding declared, bool detect) {
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  if (declared == TextEncoding::Windows1252 || (detect && !is_valid_utf8(raw))) return windows1252_to_utf8(raw);
  return std::nullopt;
}

std::string to_utf8(std::string text, TextEncoding declared, bool detect) {
  if (auto converted = convert_to_utf8(text, declared, detect)) return std::move(*converted);
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

void append_csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace atalaya
