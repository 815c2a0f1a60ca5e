// What a request says about who sent it, read from its head alone: the
// client's address (behind a trusted proxy, as the proxy forwarded it),
// whether it came through TLS, and the credential it carries (a bearer
// token or the session cookie). Nothing here looks anything up.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace atalaya::serve {

inline constexpr const char* kSessionCookie = "atalaya_session";

// The peer's address; when the peer is one of `trusted_proxies`, the client
// it forwarded: the last address of X-Forwarded-For (the one the proxy
// appended: earlier ones are whatever the client claimed), else X-Real-IP,
// else the peer. deploy/nginx/atalaya.conf sets X-Forwarded-For.
std::string client_origin(const httplib::Request& req, const std::vector<std::string>& trusted_proxies);

// Whether the client reached us over TLS: only a trusted proxy's
// X-Forwarded-Proto says so (this server itself speaks plain HTTP).
bool came_through_tls(const httplib::Request& req, const std::vector<std::string>& trusted_proxies);

// The token of "Authorization: Bearer TOKEN", or "" without one (other
// schemes are not ours: a proxy's Basic authentication, say).
std::string bearer_token(const httplib::Request& req);

// The value of the named cookie in the Cookie header(s), or "".
std::string cookie_value(const httplib::Request& req, const std::string& name);

// The Set-Cookie value for a session (HttpOnly, SameSite=Strict, Path=/,
// Secure when `secure`), or one that clears it (empty id).
std::string session_cookie(const std::string& id, long max_age_seconds, bool secure);

}  // namespace atalaya::serve
