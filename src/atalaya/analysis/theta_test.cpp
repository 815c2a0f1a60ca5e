// The Theta method against R's forecast::thetaf (forecast 8.20, R 4.2.2):
//   thetaf(AirPassengers, h = 6)        (seasonal: multiplicative decomposition)
//   thetaf(ts(c(12, 15, ...), frequency = 12), h = 3)   (16 months: too short to test for a season)
#include "atalaya/analysis/theta.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

namespace atalaya {
namespace {

const std::vector<double> kAirPassengers{
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133,
    114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242,
    209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264,
    302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313,
    318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318,
    362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432};

// Relative agreement: R's optimiser and ours stop at slightly different alphas.
void expect_close(const std::vector<double>& got, const std::vector<double>& want, double rel) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], rel * want[i]) << "h = " << i + 1;
}

TEST(ThetaTest, SeasonalSeriesMatchesR) {
  const ThetaFit fit = fit_theta(kAirPassengers, 12);
  EXPECT_TRUE(fit.seasonal);
  const Forecast f = forecast_theta(fit, 6, {80, 95});
  EXPECT_EQ(f.model, "Theta");
  expect_close(f.mean, {440.078191, 428.384281, 489.707099, 475.704628, 479.670389, 545.366272}, 2e-3);
  expect_close(f.upper[0], {453.862625, 446.366647, 511.078116, 499.996092, 506.567045, 574.637162}, 2e-3);
  expect_close(f.lower[1], {418.996719, 400.882624, 457.022948, 438.554038, 438.535502, 500.600308}, 2e-3);
}

TEST(ThetaTest, ShortSeriesIsNotSeasonallyAdjustedAndMatchesR) {
  const std::vector<double> y{12, 15, 14, 18, 20, 19, 23, 25, 24, 28, 30, 29, 33, 35, 34, 38};
  const ThetaFit fit = fit_theta(y, 12);
  EXPECT_FALSE(fit.seasonal);  // n <= 2m: no test
  const Forecast f = forecast_theta(fit, 3, {80, 95});
  expect_close(f.mean, {38.834238, 39.668797, 40.503356}, 2e-3);
  expect_close(f.upper[1], {44.328513, 47.438481, 50.019076}, 5e-3);
  // The drift is half the trend slope: the forecast rises by it each month.
  EXPECT_NEAR(f.mean[1] - f.mean[0], fit.drift, 1e-9);
}

TEST(ThetaTest, RefusesTooShortOrBadInput) {
  EXPECT_THROW(fit_theta({1, 2, 3}, 12), std::invalid_argument);
  EXPECT_THROW(fit_theta({1, 2, 3, 4}, 0), std::invalid_argument);
  EXPECT_THROW(fit_theta({1, 2, std::numeric_limits<double>::quiet_NaN(), 4}, 1), std::invalid_argument);
  EXPECT_THROW(forecast_theta(fit_theta({1, 2, 3, 4, 5}, 1), 0), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
