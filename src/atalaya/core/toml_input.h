// Reading the project's TOML files (mappings, routes, trigger files) with
// errors that name the file, the line and the field, in one way for all.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace atalaya {

// A whole input file as bytes. Throws InputError naming the file and
// `expected` (e.g. "a readable route file") when it cannot be read.
std::string read_input_file(const std::string& path, const std::string& expected = "a readable file");

// Parses TOML text; a syntax error becomes an InputError with its line.
toml::table parse_toml(const std::string& text, const std::string& path);

// Throws InputError at `node`'s line (0 without a node) for `field`.
[[noreturn]] void toml_fail(const std::string& path, const toml::node* node, std::string field, std::string value,
                            std::string expected);

// Refuses any key of `t` not in `known`, naming it as section.key.
void check_known_keys(const std::string& path, const toml::table& t, const std::string& section,
                      std::initializer_list<std::string_view> known);

}  // namespace atalaya
