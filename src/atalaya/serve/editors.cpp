// The editors file (see editors.h).
#include "atalaya/serve/editors.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <set>
#include <sstream>

#include "atalaya/core/input_error.h"
#include "atalaya/core/text.h"
#include "atalaya/core/toml_input.h"

namespace atalaya::serve {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Editors Editors::parse(const std::string& text, const std::string& path) {
  Editors out;
  std::set<std::string> names, hashes;
  std::istringstream in(text);
  std::string line;
  uint32_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string name, hash, extra;
    fields >> name;
    if (name.empty() || name[0] == '#') continue;
    fields >> hash >> extra;
    if (!extra.empty() && extra[0] != '#')
      throw InputError(InputProblem{path, number, "", extra, "two fields: a name and the SHA-256 of the token"});
    bool hex = hash.size() == 64;
    for (char c : hash) hex = hex && hex_digit(c) >= 0;
    if (!hex)
      throw InputError(InputProblem{path, number, "token_sha256", hash,
                                    "64 hexadecimal digits, the SHA-256 of the editor's token "
                                    "(printf %s 'TOKEN' | sha256sum)"});
    if (!names.insert(name).second)
      throw InputError(InputProblem{path, number, "name", name, "a name not listed on an earlier line"});
    if (!hashes.insert(ascii_lower(hash)).second)
      throw InputError(InputProblem{path, number, "token_sha256", hash, "a token no other editor has"});
    Editor e;
    e.name = name;
    for (size_t i = 0; i < 32; ++i)
      e.token_sha256[i] = static_cast<unsigned char>(hex_digit(hash[2 * i]) * 16 + hex_digit(hash[2 * i + 1]));
    out.editors_.push_back(std::move(e));
  }
  if (out.editors_.empty())
    throw InputError(InputProblem{path, 0, "", "", "at least one line NAME SHA256-OF-TOKEN"});
  return out;
}

Editors Editors::load(const std::string& path) { return parse(read_input_file(path, "a readable editors file"), path); }

const Editor* Editors::find(std::string_view token) const {
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  const Editor* found = nullptr;
  for (const Editor& e : editors_)
    if (CRYPTO_memcmp(digest, e.token_sha256.data(), 32) == 0) found = &e;
  return found;
}

}  // namespace atalaya::serve
