// gzip (RFC 1952) of a whole body in memory, for answers the server caches
// compressed once and sends many times.
#pragma once

#include <string>
#include <string_view>

namespace atalaya::serve {

// Throws std::runtime_error if zlib fails (out of memory).
std::string gzip(std::string_view body, int level = 6);

// True when an Accept-Encoding header value admits gzip ("gzip", "gzip;q=1",
// "*"), and not when it says gzip;q=0.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace atalaya::serve
