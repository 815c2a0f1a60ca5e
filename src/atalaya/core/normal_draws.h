// Standard normal draws: Box-Muller on mt19937_64, whose output sequence the
// C++ standard fixes (std::normal_distribution is not portable), so the same
// seed gives the same draws everywhere: simulated forecast paths and test data.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace atalaya {

class NormalDraws {
 public:
  explicit NormalDraws(uint64_t seed) : gen_(seed) {}
  double operator()() {
    const double u1 = 1.0 - static_cast<double>(gen_() >> 11) * 0x1.0p-53;
    const double u2 = static_cast<double>(gen_() >> 11) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace atalaya
