#include "atalaya/serve/request_identity.h"

#include <algorithm>

namespace atalaya::serve {
namespace {

std::string trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string_view::npos ? "" : std::string(s.substr(a, b - a + 1));
}

bool trusted(const httplib::Request& req, const std::vector<std::string>& proxies) {
  return !proxies.empty() && std::find(proxies.begin(), proxies.end(), req.remote_addr) != proxies.end();
}

}  // namespace

std::string client_origin(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
  if (!trusted(req, trusted_proxies)) return req.remote_addr;
  const std::string forwarded = req.get_header_value("X-Forwarded-For");
  if (!forwarded.empty()) {
    const size_t comma = forwarded.rfind(',');
    std::string last = trim(comma == std::string::npos ? forwarded : std::string_view(forwarded).substr(comma + 1));
    if (!last.empty() && last.size() <= 64) return last;
  }
  std::string real = trim(req.get_header_value("X-Real-IP"));
  if (!real.empty() && real.size() <= 64) return real;
  return req.remote_addr;
}

bool came_through_tls(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
  return trusted(req, trusted_proxies) && req.get_header_value("X-Forwarded-Proto") == "https";
}

std::string bearer_token(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.size() < 7 || !std::equal(auth.begin(), auth.begin() + 7, "bearer ", [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
      }))
    return "";
  return trim(std::string_view(auth).substr(7));
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const size_t n = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < n; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    std::string_view rest = header;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      const std::string pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const size_t eq = pair.find('=');
      if (eq != std::string::npos && pair.compare(0, eq, name) == 0 && eq == name.size()) return pair.substr(eq + 1);
    }
  }
  return "";
}

std::string session_cookie(const std::string& id, long max_age_seconds, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + id + "; HttpOnly; SameSite=Strict; Path=/";
  c += "; Max-Age=" + std::to_string(id.empty() ? 0 : std::max(0L, max_age_seconds));
  if (secure) c += "; Secure";
  return c;
}

}  // namespace atalaya::serve
