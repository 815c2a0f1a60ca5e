#include "atalaya/store/postgres/pg_sql_text.h"

#include <libpq-fe.h>

#include <cctype>
#include <memory>
#include <regex>

#include "atalaya/core/error.h"
#include "atalaya/store/postgres/pg_connection.h"

namespace atalaya::postgres {
namespace {

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// The end (one past) of the quoted text that starts at `i` (the opening
// quote), where a doubled quote stands for itself; with `backslashes`, a
// backslash escapes the next character (E'...').
size_t skip_quoted(const std::string& s, size_t i, char quote, bool backslashes) {
  for (size_t j = i + 1; j < s.size(); ++j) {
    if (backslashes && s[j] == '\\') {
      ++j;
    } else if (s[j] == quote) {
      if (j + 1 < s.size() && s[j + 1] == quote) ++j;
      else return j + 1;
    }
  }
  return s.size();
}

// A dollar quote's tag at `i` ("$$" or "$tag$"), or empty when `i` does not
// start one ($1 is a parameter, not a tag).
std::string dollar_tag(const std::string& s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return {};
  while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
  if (j < s.size() && s[j] == '$') return s.substr(i, j - i + 1);
  return {};
}

}  // namespace

std::string number_placeholders(const std::string& sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t end = i + 1;
    if (c == '\'') {
      bool escape = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !identifier_char(sql[i - 2]));
      end = skip_quoted(sql, i, '\'', escape);
    } else if (c == '"') {
      end = skip_quoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string::npos ? sql.size() : end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      int depth = 1;  // PostgreSQL's block comments nest
      end = i + 2;
      while (end < sql.size() && depth > 0) {
        if (sql.compare(end, 2, "/*") == 0) ++depth, end += 2;
        else if (sql.compare(end, 2, "*/") == 0) --depth, end += 2;
        else ++end;
      }
    } else if (c == '$' && (i == 0 || !identifier_char(sql[i - 1]))) {
      std::string tag = dollar_tag(sql, i);
      if (!tag.empty()) {
        size_t close = sql.find(tag, i + tag.size());
        end = close == std::string::npos ? sql.size() : close + tag.size();
      }
    } else if (c == '?') {
      out += '$' + std::to_string(++count);
      ++i;
      continue;
    }
    out.append(sql, i, end - i);
    i = end;
  }
  return out;
}

std::string libpq_conninfo(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) return location;
  for (const char* prefix : {"postgresql:", "postgres:"}) {
    std::string p = prefix;
    if (location.rfind(p, 0) == 0) return location.substr(p.size());
  }
  return location;
}

std::string mask_password(const std::string& uri) {
  std::string out = uri;
  // postgresql://user:secret@host -> postgresql://user:***@host
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t authority_end = out.find_first_of("/?", start);
    if (authority_end == std::string::npos) authority_end = out.size();
    size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=secret&... and key-value password=secret / password='a b'
  static const std::regex query(R"(([?&]password=)[^&]*)");
  out = std::regex_replace(out, query, "$1***");
  static const std::regex key_value(R"((^|[\s:])(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+))");
  out = std::regex_replace(out, key_value, "$1$2***");
  return out;
}

std::string with_database(const std::string& uri, const std::string& database) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
      PQconninfoParse(libpq_conninfo(uri).c_str(), &error), PQconninfoFree);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw Error(ErrorCode::InvalidArgument, "store", "not a PostgreSQL location: " + mask_password(uri) + ": " + message);
  }
  auto quoted = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  std::string out = "postgresql:dbname=" + quoted(database);
  for (PQconninfoOption* o = options.get(); o->keyword; ++o)
    if (o->val && std::string(o->keyword) != "dbname") out += std::string(" ") + o->keyword + "=" + quoted(o->val);
  return out;
}

}  // namespace atalaya::postgres
