// The editors file: a token finds its editor, anything else finds no one, and
// a malformed file is refused with its line and field.
#include "atalaya/serve/editors.h"

#include <gtest/gtest.h>

#include "atalaya/core/input_error.h"

namespace atalaya::serve {
namespace {

// A well-formed digest (of no token in particular).
constexpr const char* kMaria = "0e2f0bd5ad5a3d1a8d0e6ac0f6f38fd0fb6c1c3df3c3ba41b5c2b56d0e8e2a46";

std::string problem(const std::string& text) {
  try {
    Editors::parse(text, "editors.txt");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Editors, CommentsAndBlankLinesAreSkipped) {
  Editors e = Editors::parse(std::string("# who may change alerts\n\n") + "maria " + kMaria +
                                 "  # rotated in June\r\n",
                             "editors.txt");
  EXPECT_EQ(e.size(), 1u);
  EXPECT_EQ(e.find("anything"), nullptr);
}

TEST(Editors, KnownDigestsMatch) {
  // printf %s 'password' | sha256sum
  Editors e = Editors::parse("ana 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n"
                             "juan 2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824\n",  // 'hello'
                             "editors.txt");
  ASSERT_NE(e.find("password"), nullptr);
  EXPECT_EQ(e.find("password")->name, "ana");
  ASSERT_NE(e.find("hello"), nullptr);
  EXPECT_EQ(e.find("hello")->name, "juan");
  EXPECT_EQ(e.find("Password"), nullptr);
  EXPECT_EQ(e.find(""), nullptr);
}

TEST(Editors, MalformedFilesNameLineAndField) {
  EXPECT_NE(problem("ana 1234\n").find("editors.txt:1"), std::string::npos) << problem("ana 1234\n");
  EXPECT_NE(problem("ana 1234\n").find("token_sha256"), std::string::npos);
  EXPECT_NE(problem("# c\nana\n").find("editors.txt:2"), std::string::npos);
  const std::string twice = std::string("ana ") + kMaria + "\nana 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n";
  EXPECT_NE(problem(twice).find("editors.txt:2"), std::string::npos) << problem(twice);
  EXPECT_NE(problem(twice).find("name"), std::string::npos);
  const std::string same_token = std::string("ana ") + kMaria + "\njuan " + kMaria + "\n";
  EXPECT_NE(problem(same_token).find("no other editor"), std::string::npos) << problem(same_token);
  EXPECT_NE(problem("# nobody\n\n").find("at least one line"), std::string::npos);
  EXPECT_NE(problem(std::string("ana ") + kMaria + " extra\n").find("two fields"), std::string::npos);
}

}  // namespace
}  // namespace atalaya::serve
