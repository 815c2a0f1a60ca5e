// Errors in input files. Every problem names the file, line, column and value
// and says what was expected, so an analyst can fix the file without guessing.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace atalaya {

struct InputProblem {
  std::string file;
  uint32_t line = 0;      // 1-based; 0 when the problem is not tied to a line
  std::string column;     // column (field) name, may be empty
  std::string value;      // the offending value as read
  std::string expected;   // what was expected instead, in words
  // "file:line: column 'x': value "v": expected ...", with the value and
  // column shortened to 80 characters ("…" last) when longer.
  std::string to_string() const;
};

// Thrown when a file cannot be ingested as a whole: a broken header, a bad
// mapping, or row problems without --skip-invalid. Carries every problem found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<InputProblem> problems);
  explicit InputError(InputProblem problem);
  const std::vector<InputProblem>& problems() const { return problems_; }

 private:
  std::vector<InputProblem> problems_;
};

}  // namespace atalaya
