#include "atalaya/serve/write_guard.h"

#include <algorithm>

#include "atalaya/serve/api_error.h"

namespace atalaya::serve {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// "https://example.org:8443/" -> "example.org:8443"; "" when not scheme://authority.
std::string authority_of(const std::string& origin) {
  const size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return "";
  std::string rest = origin.substr(scheme + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  return rest.find('/') == std::string::npos ? rest : "";
}

}  // namespace

std::string host_name_of(const std::string& authority) {
  std::string a = lower(trim(authority));
  if (!a.empty() && a.front() == '[') {
    const size_t close = a.find(']');
    return close == std::string::npos ? a : a.substr(1, close - 1);
  }
  const size_t colon = a.find(':');
  // More than one colon: a bare IPv6 address.
  if (colon != std::string::npos && a.find(':', colon + 1) == std::string::npos) a.resize(colon);
  return a;
}

WritePolicy write_policy(const std::string& bind, const std::vector<std::string>& public_hosts,
                         const std::vector<std::string>& public_origins) {
  WritePolicy p;
  p.hosts = {"localhost", "127.0.0.1", "::1"};
  if (bind != "0.0.0.0" && bind != "::" && !bind.empty()) p.hosts.push_back(host_name_of(bind));
  for (auto& h : public_hosts) p.hosts.push_back(host_name_of(h));
  for (auto o : public_origins) {
    o = lower(trim(o));
    if (!o.empty() && o.back() == '/') o.pop_back();
    p.origins.push_back(o);
    p.hosts.push_back(host_name_of(authority_of(o)));
  }
  return p;
}

void check_write(const httplib::Request& req, const WritePolicy& policy, bool upload) {
  const std::string host = req.get_header_value("Host");
  if (host.empty()) throw ApiError(403, "Host", "Host: a change must say which server it is for (Host header)");
  const std::string name = host_name_of(host);
  if (std::find(policy.hosts.begin(), policy.hosts.end(), name) == policy.hosts.end())
    throw ApiError(403, "Host",
                   "Host: '" + host.substr(0, 100) + "' is not a name this server answers to for changes (see serve --public-host)");
  if (req.has_header("Origin")) {
    std::string origin = lower(trim(req.get_header_value("Origin")));
    if (!origin.empty() && origin.back() == '/') origin.pop_back();
    const bool same = !authority_of(origin).empty() && authority_of(origin) == lower(trim(host));
    const bool listed = std::find(policy.origins.begin(), policy.origins.end(), origin) != policy.origins.end();
    if (!same && !listed)
      throw ApiError(403, "Origin",
                     "Origin: a page at '" + origin.substr(0, 100) +
                         "' may not change this server's data (changes come from the dashboard's own origin, or one "
                         "given with serve --public-origin)");
  }
  // DELETE (sign out) carries no body, and a browser never sends it
  // cross-origin without a preflight: Host and Origin suffice.
  if (req.method == "DELETE") return;
  std::string type = lower(req.get_header_value("Content-Type"));
  type = trim(type.substr(0, type.find(';')));
  if (upload) {
    if (type != "text/csv" && type != "application/octet-stream" && type != "multipart/form-data")
      throw ApiError(415, "Content-Type",
                     "Content-Type: an upload is sent as text/csv or application/octet-stream (the file as the body), "
                     "or multipart/form-data (one file part)" +
                         (type.empty() ? std::string(" (none was given)") : " (not " + type.substr(0, 100) + ")"));
    return;
  }
  if (type != "application/json")
    throw ApiError(415, "Content-Type",
                   "Content-Type: changes take a JSON body sent as application/json" +
                       (type.empty() ? std::string(" (none was given)") : " (not " + type.substr(0, 100) + ")"));
}

}  // namespace atalaya::serve
