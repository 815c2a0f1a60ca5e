// What the CAP and Atom exports of alerts share: an indenting XML writer that
// escapes every text and attribute it is given, and the date-time forms the
// two formats demand from the store's UTC ISO 8601 stamps.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atalaya/core/period.h"

namespace atalaya {

// Escapes & < > " ' and drops the control characters XML 1.0 forbids (all
// below U+0020 but tab, line feed and carriage return). UTF-8 passes through.
std::string xml_escape(std::string_view text);

// Builds a document top-down. The caller opens and closes elements in order;
// names are written as given (they are literals in our code), values escaped.
class XmlWriter {
 public:
  using Attributes = std::vector<std::pair<std::string_view, std::string>>;

  XmlWriter();  // starts with the <?xml version="1.0" encoding="UTF-8"?> declaration
  void open(std::string_view name, const Attributes& attributes = {});
  void close(std::string_view name);
  // <name attrs>text</name>; an empty text still writes the element.
  void leaf(std::string_view name, std::string_view text, const Attributes& attributes = {});
  // <name attrs/>
  void empty(std::string_view name, const Attributes& attributes);
  // The document; throws std::logic_error if an element is still open.
  std::string finish();

 private:
  void start_tag(std::string_view name, const Attributes& attributes);
  std::string out_;
  std::vector<std::string> open_;
};

// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date-time
// "YYYY-MM-DDThh:mm:ss" with optional fractional seconds and a "Z" or ±hh:mm
// offset (fractions dropped). Throws std::invalid_argument naming `field`.
int64_t parse_utc_seconds(std::string_view text, std::string_view field);
// "2021-08-05T06:00:00+00:00": CAP forbids the "Z" designator.
std::string cap_time(int64_t utc_seconds);
// "2021-08-05T06:00:00Z": RFC 3339, as Atom wants.
std::string rfc3339_time(int64_t utc_seconds);
// Midnight UTC on the first day of a monthly period.
int64_t month_start_seconds(const Period& month);

// The shortest text that reads back as the same double ("3862.5", "13141").
std::string number_text(double v);

}  // namespace atalaya
