// Who may change the store through the API (acknowledge and resolve alerts)
// when the server is shared: the editors file lists each person with the
// SHA-256 of their access token, one per line,
//
//   # name     sha256 of the token (printf %s 'TOKEN' | sha256sum)
//   maria      5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
//
// and a change must come with "Authorization: Bearer TOKEN". The alert's
// history then records the editor's name, not a name the client claims. The
// file holds no token itself, so reading it does not let anyone in.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya::serve {

struct Editor {
  std::string name;
  std::array<unsigned char, 32> token_sha256{};
};

class Editors {
 public:
  Editors() = default;
  // Throws InputError naming the file, line and field for a malformed line,
  // a duplicate name or token, or an empty file.
  static Editors load(const std::string& path);
  static Editors parse(const std::string& text, const std::string& path);

  bool empty() const { return editors_.empty(); }
  size_t size() const { return editors_.size(); }
  // The editor holding this token, or nullptr. Every entry is compared in
  // constant time, so the answer's timing says nothing about the token.
  const Editor* find(std::string_view token) const;

 private:
  std::vector<Editor> editors_;
};

}  // namespace atalaya::serve
