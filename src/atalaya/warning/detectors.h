// The statistical core of the early-warning triggers: one pure function per
// rule type, each judging the LATEST month of a dense monthly series against
// the series' own history (trigger parsing, grouping and the alert lifecycle
// live elsewhere and call these).
//
// Contracts common to every detector:
//   - y is one value per month, oldest first, with no gaps (a month with no
//     report is 0, as Cube::monthly gives it); y.back() is the month judged;
//   - the result is std::nullopt when the rule cannot judge that month: too
//     little history (minimum_history() says how much each rule needs), or a
//     value the rule reads that is not finite, or negative where a rule works
//     on the log scale (seasonal_anomaly, cusum, ewma: counts only);
//   - otherwise a Detection; its explanation is built only when it fired, so
//     a quiet month costs no allocation (scratch space is per thread and
//     reused, so detectors are safe to call from several threads at once);
//   - the rule's parameters must satisfy check_rule(); detectors throw
//     std::invalid_argument otherwise, with check_rule's message;
//   - minimum_volume (every rule but threshold) keeps noise out: a rise
//     fires only if the latest value is at least minimum_volume, a fall only
//     if the baseline it fell from is. The rule's statistic is still
//     reported when the volume gate holds a firing back.
// Direction: surges are what the task force watches, so every rule looks up
// by default; `down` looks for falls, `both` for either.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "atalaya/core/messages.h"

namespace atalaya {

enum class Direction : uint8_t { Up, Down, Both };
std::optional<Direction> parse_direction(std::string_view text);  // up|down|both
std::string_view direction_name(Direction d);

// What a detector found at the latest month. value and baseline are in the
// series' units; score is the rule's statistic, threshold the level it had
// to reach (both on the scale each rule documents).
struct Detection {
  bool fired = false;
  double value = 0;      // y.back()
  double baseline = 0;   // what the value was compared with
  double threshold = 0;
  double score = 0;
  std::string explanation;  // one plain-English sentence; empty unless fired
  Message message;          // the same in the catalogue (either language); empty unless fired
};

// Fires when value >= level (up) or value <= level (down). `both` is refused:
// one level cannot be crossed both ways. baseline = threshold = level,
// score = value. Needs 1 month.
struct ThresholdRule {
  double level = 0;
  Direction direction = Direction::Up;
};

enum class GrowthCompare : uint8_t {
  TrailingMean,  // mean of the `window` months before the latest
  YearAgo,       // the same month a year earlier
};
std::optional<GrowthCompare> parse_growth_compare(std::string_view text);  // trailing_mean|year_ago
std::string_view growth_compare_name(GrowthCompare c);

// Up: fires when value > baseline, value / baseline >= ratio, value -
// baseline >= min_increase and value >= minimum_volume. Down, mirrored:
// value < baseline, baseline / value >= ratio, baseline - value >=
// min_increase, baseline >= minimum_volume. score = value / baseline
// (+infinity when the baseline is 0 and the value positive; 1 when both are
// 0); threshold = ratio for a rise, 1 / ratio for a fall. Needs window + 1
// months (trailing_mean) or 13 (year_ago). Values are counts (>= 0).
// trailing_mean does not adjust for the season: on a strongly seasonal
// series the climb out of the low season can double the trailing mean, so
// prefer year_ago (or a higher ratio) there.
struct GrowthRule {
  GrowthCompare compare = GrowthCompare::TrailingMean;
  int window = 3;            // trailing_mean only; >= 1
  double ratio = 2;          // >= 1
  double min_increase = 0;   // absolute change, >= 0
  double minimum_volume = 0;
  Direction direction = Direction::Up;
};

// Robust score of the seasonally adjusted latest value, on the log1p scale
// (so a multiplicative season and multiplicative noise become additive).
// With z_u = log1p(y_u), for every month u:
//   level_u  = median(z_{u-12} .. z_{u-1})   trailing 12-month median: a whole
//              year, so the season cancels out of it, and robust to a spike;
//   r_u      = z_u - level_u;
//   adjusted a_u = r_u - median(r_{u-12}, r_{u-24}, ..., r_{u-12Y})
//              (the same calendar month's position in each of the Y previous
//              years);
//   score    = (a_t - median(A)) / (1.4826 MAD(A)), A = the `reference_months`
//              adjusted values before t.
// Why causal (trailing) rather than a centred decomposition such as STL: the
// latest month has no future, so it can only be adjusted from the past; every
// reference month is adjusted the same way, so under no change a_t and A
// share one distribution and the score is calibrated. An in-sample seasonal
// index would shrink the reference residuals (with 3 years, one in three
// would be exactly 0) and inflate every score.
// Spread: 1.4826 MAD; when MAD is 0 (a mostly constant history), 1.2533 times
// the mean absolute deviation (as the modified z-score does); never less than
// min_scale, so a flat history does not turn every small move into an alarm.
// baseline = the seasonal expectation expm1(level_t + season_t + median(A));
// fires when score >= z_threshold (up), <= -z_threshold (down).
// Y = min(years, as many as the series allows) and up to reference_months
// reference values: needs 13 + 12 + min_reference_months months (49 by
// default); the full default (Y = 3, 36 reference months) uses 85.
struct SeasonalAnomalyRule {
  double z_threshold = 3.5;  // Iglewicz & Hoaglin's cut-off for modified z-scores
  int years = 3;             // >= 1
  int reference_months = 36;
  int min_reference_months = 24;  // >= 2, <= reference_months
  double min_scale = 0.05;        // log1p units: about 5%
  double minimum_volume = 0;
  Direction direction = Direction::Up;
};

// What the control charts standardise.
enum class ChartBasis : uint8_t {
  Level,         // x_t = log1p(y_t): a shift from the training level
  YearOverYear,  // x_t = log1p(y_t) - log1p(y_{t-12}): a shift in year-on-year
                 // growth; removes the season at the cost of 12 months of history
};
std::optional<ChartBasis> parse_chart_basis(std::string_view text);  // level|year_over_year
std::string_view chart_basis_name(ChartBasis b);

// Page's one-sided CUSUM on standardised values. The last monitor_months
// months (the latest included) are monitored; the training_months before
// them (at least min_training_months; fewer are used when the series is
// short) give the target mu and spread sigma of x, robustly: the mean and sd
// of the training values within 3 robust sd (1.4826 MAD) of their median,
// the sd corrected for that truncation, floored at min_scale. (One
// reweighting step because the MAD alone, 37% efficient, is so noisy on 30
// points that an underestimated sigma roughly doubled false alarms.)
// Training excludes the
// monitored months so a surge in progress cannot raise its own bar. From S =
// 0 before the first monitored month, S_i = max(0, S_{i-1} + (x_i - mu) /
// sigma - k) (the lower sum mirrored); fires when S > h at the latest month.
// score = S (the upper sum for up, the lower for down, the larger for both);
// threshold = h; baseline = the expected latest value, expm1(mu) (level) or
// expm1(log1p(y_{t-12}) + mu) (year_over_year). Needs monitor_months +
// min_training_months months (+ 12 for year_over_year): 30 by default.
// With k = 0.5 and h = 5, one month more than 5.5 sigma above target fires
// on its own, as do two months more than 3 sigma or three more than 2.2.
struct CusumRule {
  double k = 0.5;  // reference value, in sigma units; >= 0
  double h = 5;    // decision interval, in sigma units; > 0
  int monitor_months = 6;
  int training_months = 30;
  int min_training_months = 12;  // >= 2, <= training_months
  ChartBasis basis = ChartBasis::YearOverYear;
  double min_scale = 0.05;
  double minimum_volume = 0;
  Direction direction = Direction::Up;
};

// EWMA chart (Roberts 1959) on the same basis, training and monitoring
// windows as CusumRule: Z_0 = mu before the first monitored month, Z_i =
// lambda x_i + (1 - lambda) Z_{i-1}, with the exact variance
// sigma^2 lambda / (2 - lambda) (1 - (1 - lambda)^(2i)); fires when Z at
// the latest month is above mu + L sd(Z) (below mu - L sd(Z) for down).
// score = (Z - mu) / sd(Z), threshold = L, baseline as CusumRule.
struct EwmaRule {
  double lambda = 0.3;  // in (0, 1]
  double L = 3;         // > 0
  int monitor_months = 6;
  int training_months = 30;
  int min_training_months = 12;
  ChartBasis basis = ChartBasis::YearOverYear;
  double min_scale = 0.05;
  double minimum_volume = 0;
  Direction direction = Direction::Up;
};

enum class ForecastModel : uint8_t {
  Ets,            // auto_ets (ets.h): about 10 ms per series
  SeasonalNaive,  // forecast.h's seasonal naive, computed in place: well under a microsecond
  Naive,          // forecast.h's naive, likewise
};
std::optional<ForecastModel> parse_forecast_model(std::string_view text);  // ets|snaive|naive
std::string_view forecast_model_name(ForecastModel m);                     // "ets", "snaive", "naive"

// Fits the model to y without its latest month, forecasts one month with a
// `level`% Gaussian interval, and fires when the latest value is above the
// upper bound (below the lower bound for down). baseline = the point
// forecast; threshold = the bound crossed (the upper bound if none);
// score = (value - forecast) / forecast standard deviation (+/-infinity when
// that is 0 and the value differs). Needs min_training_months + 1 months,
// and for snaive at least 14 (13 to fit). Raw scale, as forecast.h.
struct ForecastExceedanceRule {
  ForecastModel model = ForecastModel::Ets;
  double level = 95;  // percent, in (0, 100)
  int min_training_months = 12;  // >= 2
  double minimum_volume = 0;
  Direction direction = Direction::Up;
};

// One trigger's rule with its parameters.
using TriggerRule = std::variant<ThresholdRule, GrowthRule, SeasonalAnomalyRule, CusumRule, EwmaRule,
                                 ForecastExceedanceRule>;

// "threshold", "growth", "seasonal_anomaly", "cusum", "ewma",
// "forecast_exceedance" (the names alert.h's Alert::rule uses).
std::string_view rule_name(const TriggerRule& rule);

// Empty when the parameters are usable; otherwise one message naming the
// parameter, e.g. "window must be at least 1 (got 0)". The trigger-file
// parser prefixes the file and line.
std::string check_rule(const TriggerRule& rule);

// The fewest months a series needs for the rule to judge its latest month.
int minimum_history(const TriggerRule& rule);

std::optional<Detection> detect_threshold(std::span<const double> y, const ThresholdRule& rule);
std::optional<Detection> detect_growth(std::span<const double> y, const GrowthRule& rule);
std::optional<Detection> detect_seasonal_anomaly(std::span<const double> y, const SeasonalAnomalyRule& rule);
std::optional<Detection> detect_cusum(std::span<const double> y, const CusumRule& rule);
std::optional<Detection> detect_ewma(std::span<const double> y, const EwmaRule& rule);
std::optional<Detection> detect_forecast_exceedance(std::span<const double> y, const ForecastExceedanceRule& rule);

// Dispatches to the detector of the rule's type.
std::optional<Detection> detect(std::span<const double> y, const TriggerRule& rule);

namespace detectors_detail {
// 1234567.8 -> "1,234,568"; below 100 one decimal unless whole ("3.5", "73").
std::string format_amount(double x);
}  // namespace detectors_detail

}  // namespace atalaya
