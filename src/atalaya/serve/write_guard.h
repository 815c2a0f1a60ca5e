// Who may send a change (POST) to the server: a defence against pages on
// other sites, which a browser lets send "simple" cross-origin POSTs
// (text/plain, no preflight) with the user's access, and against DNS
// rebinding (another site's name pointed at this server's address).
//   - Content-Type must be application/json (else 415): a browser sends that
//     cross-origin only after a preflight, which the server does not answer.
//   - Host must name this server: its bind address, a localhost form, or a
//     --public-host (else 403).
//   - Origin, when sent, must be the same origin as Host, or one of the
//     --public-origin list (else 403).
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace atalaya::serve {

struct WritePolicy {
  std::vector<std::string> hosts;    // names (no port), lower case
  std::vector<std::string> origins;  // "https://atalaya.example.org", lower case, no trailing slash
};

// The names a server bound to `bind` answers to by default (the address
// unless a wildcard, localhost, 127.0.0.1, ::1), plus `public_hosts` and
// the hosts of `public_origins`.
WritePolicy write_policy(const std::string& bind, const std::vector<std::string>& public_hosts,
                         const std::vector<std::string>& public_origins);

// Throws ApiError 415 or 403 naming the header at fault. An upload (a file
// as the body) takes text/csv, application/octet-stream or
// multipart/form-data instead of JSON: the last is one a browser sends
// cross-origin without a preflight, so for uploads the Origin check (every
// browser sends Origin with a cross-origin POST) is what keeps other sites out.
void check_write(const httplib::Request& req, const WritePolicy& policy, bool upload = false);

// "example.org:8080" -> "example.org"; "[::1]:80" -> "::1"; lower case.
std::string host_name_of(const std::string& authority);

}  // namespace atalaya::serve
