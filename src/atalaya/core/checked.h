// Arithmetic on counts that refuses to wrap around. Counts are int64_t; a sum
// that does not fit must stop with a clear message, never turn negative.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace atalaya {

// a + b, or std::overflow_error naming both operands when the sum does not
// fit in an int64_t.
inline int64_t checked_add(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum))
    throw std::overflow_error("the sum of " + std::to_string(a) + " and " + std::to_string(b) +
                              " does not fit in a 64-bit integer (largest 9223372036854775807, smallest "
                              "-9223372036854775808)");
  return sum;
}

}  // namespace atalaya
