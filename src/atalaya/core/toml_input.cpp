#include "atalaya/core/toml_input.h"

#include <algorithm>
#include <fstream>

#include "atalaya/core/input_error.h"

namespace atalaya {

std::string read_input_file(const std::string& path, const std::string& expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputProblem{path, 0, "", "", expected});
  in.seekg(0, std::ios::end);
  std::string text(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) throw InputError(InputProblem{path, 0, "", "", expected});
  return text;
}

toml::table parse_toml(const std::string& text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw InputError(InputProblem{path, static_cast<uint32_t>(e.source().begin.line), "", "",
                                  "valid TOML (" + std::string(e.description()) + ")"});
  }
}

void toml_fail(const std::string& path, const toml::node* node, std::string field, std::string value,
               std::string expected) {
  const uint32_t line = node ? node->source().begin.line : 0;
  throw InputError(InputProblem{path, line, std::move(field), std::move(value), std::move(expected)});
}

void check_known_keys(const std::string& path, const toml::table& t, const std::string& section,
                      std::initializer_list<std::string_view> known) {
  for (auto& [k, v] : t) {
    if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
    std::string list;
    for (auto x : known) list += (list.empty() ? "" : ", ") + std::string(x);
    toml_fail(path, &v, (section.empty() ? "" : section + ".") + std::string(k.str()), "", "one of: " + list);
  }
}

}  // namespace atalaya
