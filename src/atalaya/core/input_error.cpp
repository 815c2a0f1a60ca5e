// Formatting of input problems.
#include "atalaya/core/input_error.h"

#include "atalaya/core/text.h"

namespace atalaya {
namespace {
std::string summarise(const std::vector<InputProblem>& problems) {
  if (problems.empty()) return "input error";
  std::string s = problems.front().to_string();
  if (problems.size() > 1) s += " (and " + thousands(static_cast<int64_t>(problems.size() - 1)) + " more problems)";
  return s;
}
}  // namespace

std::string InputProblem::to_string() const {
  // Appends one piece at a time (g++ 12 warns falsely on chained operator+).
  std::string s = file;
  if (line) s.append(":").append(std::to_string(line));
  s.append(":");
  // Values (and column names, from a header) are echoed shortened: a cell
  // of a broken file may be megabytes long.
  if (!column.empty()) s.append(" column '").append(echoed_value(column)).append("':");
  if (!value.empty() || line) s.append(" value \"").append(echoed_value(value)).append("\":");
  s.append(" expected ").append(expected);
  return s;
}

InputError::InputError(std::vector<InputProblem> problems)
    : std::runtime_error(summarise(problems)), problems_(std::move(problems)) {}
InputError::InputError(InputProblem problem) : InputError(std::vector<InputProblem>{std::move(problem)}) {}

}  // namespace atalaya
