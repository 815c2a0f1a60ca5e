// For tests of the Excel export: an .xlsx is a zip of XML files; these read
// it back without any tool outside the test (zlib inflates).
#pragma once

#include <zlib.h>

#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

namespace atalaya::testing {

// The members of a zip (an .xlsx) by name, inflated: read from the central
// directory, as any unzip does.
inline std::map<std::string, std::string> unzip(const std::string& zip) {
  auto u16 = [&](size_t at) { return static_cast<uint32_t>(static_cast<unsigned char>(zip.at(at)) |
                                                           static_cast<unsigned char>(zip.at(at + 1)) << 8); };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) throw std::runtime_error("not a zip");
  const uint32_t count = u16(eocd + 10);
  size_t at = u32(eocd + 16);
  std::map<std::string, std::string> out;
  for (uint32_t i = 0; i < count; ++i) {
    if (u32(at) != 0x02014b50) throw std::runtime_error("bad central directory");
    const uint32_t method = u16(at + 10), csize = u32(at + 20), usize = u32(at + 24);
    const uint32_t nlen = u16(at + 28), xlen = u16(at + 30), clen = u16(at + 32), local = u32(at + 42);
    const std::string name = zip.substr(at + 46, nlen);
    at += 46 + nlen + xlen + clen;
    const size_t data = local + 30 + u16(local + 26) + u16(local + 28);
    std::string body(usize, '\0');
    if (method == 0) {
      body = zip.substr(data, csize);
    } else {
      z_stream z{};
      if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::runtime_error("inflateInit2");
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = csize;
      z.next_out = reinterpret_cast<Bytef*>(body.data());
      z.avail_out = usize;
      const int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      if (rc != Z_STREAM_END) throw std::runtime_error("inflate " + name);
    }
    out[name] = body;
  }
  return out;
}

// "&quot;" and friends back to text, for finding a string in the XML.
inline std::string xml_text(std::string s) {
  for (auto [from, to] : {std::pair{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) s.replace(p, std::strlen(from), to);
  }
  return s;
}

}  // namespace atalaya::testing
