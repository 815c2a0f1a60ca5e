#include "atalaya/warning/xml_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "atalaya/core/day_date.h"

namespace atalaya {
namespace {

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string format_time(int64_t t, const char* zone) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int y, m, d;
  civil_from_days(days, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60), zone);
  return buf;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

void XmlWriter::start_tag(std::string_view name, const Attributes& attributes) {
  out_.append(2 * open_.size(), ' ');
  out_ += '<';
  out_ += name;
  for (auto& [k, v] : attributes) {
    out_ += ' ';
    out_ += k;
    out_ += "=\"";
    out_ += xml_escape(v);
    out_ += '"';
  }
}

void XmlWriter::open(std::string_view name, const Attributes& attributes) {
  start_tag(name, attributes);
  out_ += ">\n";
  open_.emplace_back(name);
}

void XmlWriter::close(std::string_view name) {
  if (open_.empty() || open_.back() != name)
    throw std::logic_error("XmlWriter: closing <" + std::string(name) + "> but <" +
                           (open_.empty() ? std::string("nothing") : open_.back()) + "> is open");
  open_.pop_back();
  out_.append(2 * open_.size(), ' ');
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XmlWriter::leaf(std::string_view name, std::string_view text, const Attributes& attributes) {
  start_tag(name, attributes);
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void XmlWriter::empty(std::string_view name, const Attributes& attributes) {
  start_tag(name, attributes);
  out_ += "/>\n";
}

std::string XmlWriter::finish() {
  if (!open_.empty()) throw std::logic_error("XmlWriter: <" + open_.back() + "> is still open");
  return std::move(out_);
}

int64_t parse_utc_seconds(std::string_view s, std::string_view field) {
  auto bad = [&]() -> std::invalid_argument {
    return std::invalid_argument(std::string(field) + ": expected an ISO 8601 date-time like 2021-08-05T06:00:00Z, got \"" +
                                 std::string(s) + "\"");
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    throw bad();
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) throw bad();
  if (d > days_in_month(y, mo)) throw bad();  // 2021-02-30 would silently become March 2nd
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    const size_t first = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
    if (at == first) throw bad();
  }
  int64_t offset = 0;
  if (at == s.size()) throw bad();  // a local time without a zone is ambiguous
  if (s[at] == 'Z' || s[at] == 'z') {
    ++at;
  } else if (s[at] == '+' || s[at] == '-') {
    int oh, om;
    if (!digits(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' || !digits(s, at + 4, 2, om) ||
        oh > 23 || om > 59)
      throw bad();
    offset = (s[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  }
  if (at != s.size()) throw bad();
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
         std::min(se, 59) - offset;
}

std::string cap_time(int64_t t) { return format_time(t, "+00:00"); }
std::string rfc3339_time(int64_t t) { return format_time(t, "Z"); }

int64_t month_start_seconds(const Period& month) {
  const Period m = month.first_month();
  return days_from_civil(m.year(), m.sub(), 1) * 86400;
}

std::string number_text(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : (v > 0 ? "INF" : "-INF");
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace atalaya
