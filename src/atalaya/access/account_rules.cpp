// The rules an account's fields follow (account_store.h), each refusal
// naming the field and what was expected.
#include <algorithm>
#include <cctype>

#include "atalaya/access/account_store.h"
#include "atalaya/core/country.h"
#include "atalaya/core/error.h"

namespace atalaya::access {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

[[noreturn]] void refuse(const std::string& field, const std::string& message) {
  throw Error(ErrorCode::InvalidArgument, field, field + ": " + message);
}

// Characters, not bytes, of UTF-8 text.
size_t characters(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
}

}  // namespace

void check_account_name(const std::string& name) {
  const bool ok = name.size() >= 2 && name.size() <= 64 && std::islower(static_cast<unsigned char>(name[0])) &&
                  std::all_of(name.begin(), name.end(), [](unsigned char c) {
                    return std::islower(c) || std::isdigit(c) || c == '.' || c == '_' || c == '-';
                  });
  if (!ok)
    refuse("name", "'" + name +
                       "' is not an account name (2 to 64 characters: lower-case letters a-z, digits, '.', '_' "
                       "or '-', starting with a letter; e.g. ana.perez)");
}

void check_email(const std::string& email) {
  const size_t at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at + 2) != std::string::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= ' ' || c == 0x7F; });
  if (!ok) refuse("email", "'" + email + "' is not an e-mail address (expected NAME@DOMAIN, e.g. ana.perez@migracion.gob.pa)");
}

std::string checked_reporter(const std::string& code) {
  std::string up = code;
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  if (up.size() == 3 && std::all_of(up.begin(), up.end(), [](unsigned char c) { return std::isupper(c); })) {
    const Country* c = find_country(up);
    if (c && up == c->alpha3) return up;
    throw Error(ErrorCode::InvalidArgument, "reporter",
                unknown_country_message("reporter", code) + " (a three-letter reporter is an ISO alpha-3 country code)");
  }
  const bool organisation = up.size() >= 4 && up.size() <= 16 &&
                            std::all_of(up.begin(), up.end(), [](unsigned char c) {
                              return std::isupper(c) || std::isdigit(c) || c == '-';
                            });
  if (!organisation)
    refuse("reporter", "'" + code +
                           "' is not a reporter (expected a country's ISO alpha-3 code, e.g. PAN, or an "
                           "organisation's code of 4 to 16 letters, digits or '-', e.g. UNHCR)");
  return up;
}

void check_password_policy(const std::string& password, const std::string& name, const std::string& email) {
  if (characters(password) < 12) refuse("password", "too short: at least 12 characters are needed");
  if (password.size() > 1024) refuse("password", "too long: at most 1024 bytes");
  const std::string p = lower(password);
  if (name.size() >= 3 && p.find(lower(name)) != std::string::npos)
    refuse("password", "it contains the account's name; choose one nobody could guess from the account");
  const std::string local = lower(email.substr(0, email.find('@')));
  if (local.size() >= 3 && p.find(local) != std::string::npos)
    refuse("password", "it contains the account's e-mail address; choose one nobody could guess from the account");
}

}  // namespace atalaya::access
