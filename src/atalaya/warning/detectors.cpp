// The early-warning detectors (see detectors.h for each rule's method).
#include "atalaya/warning/detectors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <vector>

#include "atalaya/analysis/ets.h"
#include "atalaya/analysis/forecast.h"
#include "atalaya/analysis/forecast_models.h"
#include "atalaya/core/messages.h"

namespace atalaya {

namespace {

constexpr int kYear = 12;  // months: the seasonal period of a monthly series
constexpr double kInf = std::numeric_limits<double>::infinity();

// Reused per thread so that a quiet month allocates nothing once the
// buffers have grown to the longest window seen.
struct Scratch {
  std::vector<double> a, b, c;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

bool all_finite(std::span<const double> x) {
  for (double v : x) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

// Median of x, reordering x (nth_element: linear time).
double median_in_place(std::span<double> x) {
  const size_t n = x.size();
  const auto mid = x.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(x.begin(), mid, x.end());
  if (n % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(x.begin(), mid));
}

double median_copy(std::span<const double> x, std::vector<double>& work) {
  work.assign(x.begin(), x.end());
  return median_in_place(work);
}

struct Robust {
  double centre = 0;
  double scale = 0;
};

// Median and robust spread: 1.4826 MAD (consistent for the normal sd); when
// MAD is 0, 1.2533 (sqrt(pi/2)) times the mean absolute deviation from the
// median; never below min_scale. Uses `work`.
Robust robust_centre_scale(std::span<const double> x, double min_scale, std::vector<double>& work) {
  Robust r;
  r.centre = median_copy(x, work);
  double sum_abs = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    work[i] = std::fabs(x[i] - r.centre);
    sum_abs += work[i];
  }
  const double mad = median_in_place(work);
  r.scale = mad > 0 ? 1.4826 * mad : 1.2533141373155 * sum_abs / static_cast<double>(x.size());
  r.scale = std::max(r.scale, min_scale);
  return r;
}

// Control-chart target and spread: one reweighting step from the median and
// MAD. Values within 3 robust sd of the median keep their place; their mean
// and sd (corrected for the truncation, 0.98658 at 3 sd for a normal) are
// much less noisy than the median and MAD on 30 points (the MAD's
// efficiency is 37%), which matters because an underestimated sigma is a
// lower bar; an outlier in training is still left out.
Robust reweighted_centre_scale(std::span<const double> x, double min_scale, std::vector<double>& work) {
  const Robust start = robust_centre_scale(x, min_scale, work);
  double sum = 0, sum2 = 0;
  int kept = 0;
  for (double v : x) {
    if (std::fabs(v - start.centre) <= 3 * start.scale) {
      sum += v;
      ++kept;
    }
  }
  Robust r;
  r.centre = sum / kept;
  for (double v : x) {
    if (std::fabs(v - start.centre) <= 3 * start.scale) sum2 += (v - r.centre) * (v - r.centre);
  }
  r.scale = kept > 1 ? std::sqrt(sum2 / (kept - 1)) / 0.98658 : 0;
  r.scale = std::max(r.scale, min_scale);
  return r;
}

// --- wording -----------------------------------------------------------------

// The message of a firing, with its English sentence kept beside it for
// readers of the plain text (messages.h: the catalogue holds both languages).
void explain(Detection& d, Message m) {
  d.explanation = render(m, Language::En);
  d.message = std::move(m);
}

// --- shared checks -----------------------------------------------------------

void require_valid(const TriggerRule& rule) {
  std::string problem = check_rule(rule);
  if (!problem.empty()) throw std::invalid_argument(std::string(rule_name(rule)) + ": " + problem);
}

bool wants_up(Direction d) { return d != Direction::Down; }
bool wants_down(Direction d) { return d != Direction::Up; }

std::string check_direction_volume(Direction, double minimum_volume) {
  if (!(minimum_volume >= 0) || !std::isfinite(minimum_volume)) {
    return "minimum_volume must be a finite number >= 0 (got " + std::to_string(minimum_volume) + ")";
  }
  return {};
}

std::string check_chart(int monitor, int training, int min_training, double min_scale, double minimum_volume,
                        Direction d) {
  if (monitor < 1) return "monitor_months must be at least 1 (got " + std::to_string(monitor) + ")";
  if (min_training < 2) return "min_training_months must be at least 2 (got " + std::to_string(min_training) + ")";
  if (training < min_training) {
    return "training_months (" + std::to_string(training) + ") must be at least min_training_months (" +
           std::to_string(min_training) + ")";
  }
  if (!(min_scale > 0) || !std::isfinite(min_scale)) {
    return "min_scale must be a positive number (got " + std::to_string(min_scale) + ")";
  }
  return check_direction_volume(d, minimum_volume);
}

// --- control charts: the standardised series they share ------------------------

struct ChartInput {
  double mu = 0, sigma = 1;
  size_t first_monitored = 0;  // index into y
  double expected_latest = 0;  // baseline in the series' units
};

double chart_x(std::span<const double> y, size_t i, ChartBasis basis) {
  const double x = std::log1p(y[i]);
  return basis == ChartBasis::Level ? x : x - std::log1p(y[i - kYear]);
}

// Fills scratch().a with x over the training window and estimates mu, sigma.
// nullopt: too short, or a value not usable on the log scale.
std::optional<ChartInput> chart_input(std::span<const double> y, int monitor, int training, int min_training,
                                      ChartBasis basis, double min_scale) {
  const int n = static_cast<int>(y.size());
  const int lag = basis == ChartBasis::YearOverYear ? kYear : 0;
  const int used = std::min(training, n - monitor - lag);
  if (used < min_training) return std::nullopt;
  const size_t first_read = static_cast<size_t>(n - monitor - used - lag);
  for (size_t i = first_read; i < y.size(); ++i) {
    if (!std::isfinite(y[i]) || y[i] < 0) return std::nullopt;
  }
  ChartInput in;
  in.first_monitored = static_cast<size_t>(n - monitor);
  Scratch& s = scratch();
  s.a.resize(static_cast<size_t>(used));
  for (int j = 0; j < used; ++j) {
    s.a[static_cast<size_t>(j)] = chart_x(y, in.first_monitored - static_cast<size_t>(used) + static_cast<size_t>(j),
                                          basis);
  }
  const Robust r = reweighted_centre_scale(s.a, min_scale, s.b);
  in.mu = r.centre;
  in.sigma = r.scale;
  in.expected_latest = basis == ChartBasis::Level ? std::expm1(in.mu)
                                                  : std::expm1(std::log1p(y[y.size() - 1 - kYear]) + in.mu);
  return in;
}

}  // namespace

// --- names ---------------------------------------------------------------------

std::optional<Direction> parse_direction(std::string_view text) {
  if (text == "up") return Direction::Up;
  if (text == "down") return Direction::Down;
  if (text == "both") return Direction::Both;
  return std::nullopt;
}

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::Up: return "up";
    case Direction::Down: return "down";
    case Direction::Both: return "both";
  }
  return "up";
}

std::optional<GrowthCompare> parse_growth_compare(std::string_view text) {
  if (text == "trailing_mean") return GrowthCompare::TrailingMean;
  if (text == "year_ago") return GrowthCompare::YearAgo;
  return std::nullopt;
}

std::string_view growth_compare_name(GrowthCompare c) {
  return c == GrowthCompare::YearAgo ? "year_ago" : "trailing_mean";
}

std::optional<ChartBasis> parse_chart_basis(std::string_view text) {
  if (text == "level") return ChartBasis::Level;
  if (text == "year_over_year") return ChartBasis::YearOverYear;
  return std::nullopt;
}

std::string_view chart_basis_name(ChartBasis b) { return b == ChartBasis::Level ? "level" : "year_over_year"; }

std::optional<ForecastModel> parse_forecast_model(std::string_view text) {
  if (text == "ets") return ForecastModel::Ets;
  if (text == "snaive") return ForecastModel::SeasonalNaive;
  if (text == "naive") return ForecastModel::Naive;
  return std::nullopt;
}

std::string_view forecast_model_name(ForecastModel m) {
  switch (m) {
    case ForecastModel::Ets: return "ets";
    case ForecastModel::SeasonalNaive: return "snaive";
    case ForecastModel::Naive: return "naive";
  }
  return "ets";
}

std::string_view rule_name(const TriggerRule& rule) {
  struct Name {
    std::string_view operator()(const ThresholdRule&) const { return "threshold"; }
    std::string_view operator()(const GrowthRule&) const { return "growth"; }
    std::string_view operator()(const SeasonalAnomalyRule&) const { return "seasonal_anomaly"; }
    std::string_view operator()(const CusumRule&) const { return "cusum"; }
    std::string_view operator()(const EwmaRule&) const { return "ewma"; }
    std::string_view operator()(const ForecastExceedanceRule&) const { return "forecast_exceedance"; }
  };
  return std::visit(Name{}, rule);
}

// --- checks ----------------------------------------------------------------------

std::string check_rule(const TriggerRule& rule) {
  struct Check {
    std::string operator()(const ThresholdRule& r) const {
      if (!std::isfinite(r.level)) return "level must be a finite number";
      if (r.direction == Direction::Both) return "direction must be up or down for a threshold (got both)";
      return {};
    }
    std::string operator()(const GrowthRule& r) const {
      if (r.compare == GrowthCompare::TrailingMean && r.window < 1) {
        return "window must be at least 1 (got " + std::to_string(r.window) + ")";
      }
      if (!(r.ratio >= 1) || !std::isfinite(r.ratio)) {
        return "ratio must be a finite number >= 1 (got " + std::to_string(r.ratio) + ")";
      }
      if (!(r.min_increase >= 0) || !std::isfinite(r.min_increase)) {
        return "min_increase must be a finite number >= 0 (got " + std::to_string(r.min_increase) + ")";
      }
      return check_direction_volume(r.direction, r.minimum_volume);
    }
    std::string operator()(const SeasonalAnomalyRule& r) const {
      if (!(r.z_threshold > 0) || !std::isfinite(r.z_threshold)) {
        return "z_threshold must be a positive number (got " + std::to_string(r.z_threshold) + ")";
      }
      if (r.years < 1) return "years must be at least 1 (got " + std::to_string(r.years) + ")";
      if (r.min_reference_months < 2) {
        return "min_reference_months must be at least 2 (got " + std::to_string(r.min_reference_months) + ")";
      }
      if (r.reference_months < r.min_reference_months) {
        return "reference_months (" + std::to_string(r.reference_months) +
               ") must be at least min_reference_months (" + std::to_string(r.min_reference_months) + ")";
      }
      if (!(r.min_scale > 0) || !std::isfinite(r.min_scale)) {
        return "min_scale must be a positive number (got " + std::to_string(r.min_scale) + ")";
      }
      return check_direction_volume(r.direction, r.minimum_volume);
    }
    std::string operator()(const CusumRule& r) const {
      if (!(r.k >= 0) || !std::isfinite(r.k)) return "k must be a finite number >= 0 (got " + std::to_string(r.k) + ")";
      if (!(r.h > 0) || !std::isfinite(r.h)) return "h must be a positive number (got " + std::to_string(r.h) + ")";
      return check_chart(r.monitor_months, r.training_months, r.min_training_months, r.min_scale, r.minimum_volume,
                         r.direction);
    }
    std::string operator()(const EwmaRule& r) const {
      if (!(r.lambda > 0 && r.lambda <= 1)) return "lambda must lie in (0, 1] (got " + std::to_string(r.lambda) + ")";
      if (!(r.L > 0) || !std::isfinite(r.L)) return "L must be a positive number (got " + std::to_string(r.L) + ")";
      return check_chart(r.monitor_months, r.training_months, r.min_training_months, r.min_scale, r.minimum_volume,
                         r.direction);
    }
    std::string operator()(const ForecastExceedanceRule& r) const {
      if (!(r.level > 0 && r.level < 100)) {
        return "level must lie strictly between 0 and 100 (percent; got " + std::to_string(r.level) + ")";
      }
      if (r.min_training_months < 2) {
        return "min_training_months must be at least 2 (got " + std::to_string(r.min_training_months) + ")";
      }
      return check_direction_volume(r.direction, r.minimum_volume);
    }
  };
  return std::visit(Check{}, rule);
}

int minimum_history(const TriggerRule& rule) {
  struct Need {
    int operator()(const ThresholdRule&) const { return 1; }
    int operator()(const GrowthRule& r) const {
      return r.compare == GrowthCompare::YearAgo ? kYear + 1 : r.window + 1;
    }
    int operator()(const SeasonalAnomalyRule& r) const { return 2 * kYear + 1 + r.min_reference_months; }
    int operator()(const CusumRule& r) const {
      return r.monitor_months + r.min_training_months + (r.basis == ChartBasis::YearOverYear ? kYear : 0);
    }
    int operator()(const EwmaRule& r) const {
      return r.monitor_months + r.min_training_months + (r.basis == ChartBasis::YearOverYear ? kYear : 0);
    }
    int operator()(const ForecastExceedanceRule& r) const {
      const int fit = r.model == ForecastModel::SeasonalNaive ? std::max(r.min_training_months, kYear + 1)
                                                             : r.min_training_months;
      return fit + 1;
    }
  };
  return std::visit(Need{}, rule);
}

// --- threshold -------------------------------------------------------------------

std::optional<Detection> detect_threshold(std::span<const double> y, const ThresholdRule& rule) {
  require_valid(rule);
  if (y.empty() || !std::isfinite(y.back())) return std::nullopt;
  Detection d;
  d.value = y.back();
  d.baseline = d.threshold = rule.level;
  d.score = d.value;
  d.fired = rule.direction == Direction::Up ? d.value >= rule.level : d.value <= rule.level;
  if (d.fired) {
    explain(d, Message(rule.direction == Direction::Up ? "detector.threshold.up" : "detector.threshold.down")
                   .num("value", d.value)
                   .num("level", rule.level));
  }
  return d;
}

// --- growth ----------------------------------------------------------------------

std::optional<Detection> detect_growth(std::span<const double> y, const GrowthRule& rule) {
  require_valid(rule);
  const size_t n = y.size();
  const bool year_ago = rule.compare == GrowthCompare::YearAgo;
  const size_t need = year_ago ? kYear + 1 : static_cast<size_t>(rule.window) + 1;
  if (n < need) return std::nullopt;
  const double value = y[n - 1];
  double baseline = 0;
  if (year_ago) {
    baseline = y[n - 1 - kYear];
  } else {
    for (size_t i = n - need; i < n - 1; ++i) baseline += y[i];
    baseline /= rule.window;
  }
  if (!std::isfinite(value) || !std::isfinite(baseline)) return std::nullopt;

  Detection d;
  d.value = value;
  d.baseline = baseline;
  d.score = baseline > 0 ? value / baseline : (value > 0 ? kInf : 1.0);
  d.threshold = rule.ratio;
  const bool rise = wants_up(rule.direction) && value > baseline && d.score >= rule.ratio &&
                    value - baseline >= rule.min_increase && value >= rule.minimum_volume;
  // A fall to 0 is an infinite ratio baseline / value.
  const bool fall = !rise && wants_down(rule.direction) && value < baseline && value * rule.ratio <= baseline &&
                    baseline - value >= rule.min_increase && baseline >= rule.minimum_volume;
  if (rule.direction == Direction::Down || fall) d.threshold = 1 / rule.ratio;
  d.fired = rise || fall;
  if (!d.fired) return d;

  // "the trailing 3-month mean of 3,862" / "the 2,512 of the same month a year earlier"
  Message compared = year_ago ? Message("detector.growth.year_ago").num("baseline", baseline)
                              : Message("detector.growth.trailing_mean").num("window", rule.window).num("baseline", baseline);
  Message m(baseline == 0 ? "detector.growth.from_zero" : rise ? "detector.growth.rise" : "detector.growth.fall");
  m.num("value", value).nested("compared", std::move(compared));
  if (baseline == 0 || rise) m.num("ratio", rule.ratio);
  if (baseline != 0) m.num("score", d.score);
  if (baseline != 0 && !rise) m.num("threshold", d.threshold);
  explain(d, std::move(m));
  return d;
}

// --- seasonal anomaly --------------------------------------------------------------

std::optional<Detection> detect_seasonal_anomaly(std::span<const double> y, const SeasonalAnomalyRule& rule) {
  require_valid(rule);
  const int n = static_cast<int>(y.size());
  // n >= reference + 12 * years + 13: 12 months for the first level, 12 per
  // year of seasonal history, the reference months and the latest.
  const int years = std::min(rule.years, (n - 2 * kYear - 1 - rule.min_reference_months) / kYear + 1);
  if (n < 2 * kYear + 1 + rule.min_reference_months || years < 1) return std::nullopt;
  const int reference = std::min(rule.reference_months, n - 1 - kYear * (years + 1));
  const int t = n - 1;
  const int first = t - reference - kYear * years - kYear;  // first month read
  for (int i = first; i <= t; ++i) {
    if (!std::isfinite(y[static_cast<size_t>(i)]) || y[static_cast<size_t>(i)] < 0) return std::nullopt;
  }

  Scratch& s = scratch();
  const size_t len = static_cast<size_t>(t - first + 1);
  // a: z = log1p(y), indexed from `first`; b: r_u = z_u - level_u for
  // u >= first + 12 (same indexing; the first 12 unused); c: work space.
  s.a.resize(len);
  s.b.resize(len);
  for (size_t i = 0; i < len; ++i) s.a[i] = std::log1p(y[static_cast<size_t>(first) + i]);
  double level_t = 0;
  for (size_t u = kYear; u < len; ++u) {
    const double level = median_copy(std::span<const double>(s.a).subspan(u - kYear, kYear), s.c);
    s.b[u] = s.a[u] - level;
    if (u == len - 1) level_t = level;
  }
  // Adjusted values a_u for the reference months and the latest, stored back
  // into s.a from position 0 (z is no longer needed).
  const size_t first_adjusted = len - 1 - static_cast<size_t>(reference);
  double season_t = 0;
  s.c.resize(static_cast<size_t>(years));
  for (size_t u = first_adjusted; u < len; ++u) {
    for (int k = 1; k <= years; ++k) s.c[static_cast<size_t>(k - 1)] = s.b[u - static_cast<size_t>(kYear * k)];
    const double season = median_in_place(std::span<double>(s.c.data(), static_cast<size_t>(years)));
    s.a[u - first_adjusted] = s.b[u] - season;
    if (u == len - 1) season_t = season;
  }
  const double adjusted_t = s.a[static_cast<size_t>(reference)];
  const Robust r = robust_centre_scale(std::span<const double>(s.a.data(), static_cast<size_t>(reference)),
                                       rule.min_scale, s.c);

  Detection d;
  d.value = y[static_cast<size_t>(t)];
  d.baseline = std::expm1(level_t + season_t + r.centre);
  d.score = (adjusted_t - r.centre) / r.scale;
  d.threshold = rule.z_threshold;
  const bool rise = wants_up(rule.direction) && d.score >= rule.z_threshold && d.value >= rule.minimum_volume;
  const bool fall = !rise && wants_down(rule.direction) && d.score <= -rule.z_threshold &&
                    d.baseline >= rule.minimum_volume;
  d.fired = rise || fall;
  if (d.fired) {
    explain(d, Message(rise ? "detector.seasonal.up" : "detector.seasonal.down")
                   .num("value", d.value)
                   .num("z", std::fabs(d.score))
                   .num("baseline", d.baseline)
                   .num("threshold", rule.z_threshold));
  }
  return d;
}

// --- CUSUM -----------------------------------------------------------------------

std::optional<Detection> detect_cusum(std::span<const double> y, const CusumRule& rule) {
  require_valid(rule);
  const auto in = chart_input(y, rule.monitor_months, rule.training_months, rule.min_training_months, rule.basis,
                              rule.min_scale);
  if (!in) return std::nullopt;
  double upper = 0, lower = 0;
  int upper_run = 0, lower_run = 0;  // months since each sum was last 0
  for (size_t i = in->first_monitored; i < y.size(); ++i) {
    const double z = (chart_x(y, i, rule.basis) - in->mu) / in->sigma;
    upper = std::max(0.0, upper + z - rule.k);
    lower = std::max(0.0, lower - z - rule.k);
    upper_run = upper > 0 ? upper_run + 1 : 0;
    lower_run = lower > 0 ? lower_run + 1 : 0;
  }
  Detection d;
  d.value = y.back();
  d.baseline = in->expected_latest;
  d.threshold = rule.h;
  const bool rise = wants_up(rule.direction) && upper > rule.h && d.value >= rule.minimum_volume;
  const bool fall = !rise && wants_down(rule.direction) && lower > rule.h && d.baseline >= rule.minimum_volume;
  d.fired = rise || fall;
  d.score = rule.direction == Direction::Up     ? upper
            : rule.direction == Direction::Down ? lower
            : fall                              ? lower
            : rise                              ? upper
                                                : std::max(upper, lower);
  if (d.fired) {
    explain(d, Message(rise ? "detector.cusum.up" : "detector.cusum.down")
                   .num("value", d.value)
                   .num("baseline", d.baseline)
                   .num("score", d.score)
                   .num("run", rise ? upper_run : lower_run)
                   .num("h", rule.h));
  }
  return d;
}

// --- EWMA ------------------------------------------------------------------------

std::optional<Detection> detect_ewma(std::span<const double> y, const EwmaRule& rule) {
  require_valid(rule);
  const auto in = chart_input(y, rule.monitor_months, rule.training_months, rule.min_training_months, rule.basis,
                              rule.min_scale);
  if (!in) return std::nullopt;
  double ewma = in->mu;
  for (size_t i = in->first_monitored; i < y.size(); ++i) {
    ewma = rule.lambda * chart_x(y, i, rule.basis) + (1 - rule.lambda) * ewma;
  }
  const double steps = static_cast<double>(y.size() - in->first_monitored);
  const double sd = in->sigma * std::sqrt(rule.lambda / (2 - rule.lambda) *
                                          (1 - std::pow(1 - rule.lambda, 2 * steps)));
  Detection d;
  d.value = y.back();
  d.baseline = in->expected_latest;
  d.threshold = rule.L;
  d.score = (ewma - in->mu) / sd;
  const bool rise = wants_up(rule.direction) && d.score > rule.L && d.value >= rule.minimum_volume;
  const bool fall = !rise && wants_down(rule.direction) && d.score < -rule.L && d.baseline >= rule.minimum_volume;
  d.fired = rise || fall;
  if (d.fired) {
    explain(d, Message(rise ? "detector.ewma.up" : "detector.ewma.down")
                   .num("value", d.value)
                   .num("baseline", d.baseline)
                   .num("score", std::fabs(d.score))
                   .num("L", rule.L));
  }
  return d;
}

// --- forecast exceedance -------------------------------------------------------------

std::optional<Detection> detect_forecast_exceedance(std::span<const double> y, const ForecastExceedanceRule& rule) {
  require_valid(rule);
  if (static_cast<int>(y.size()) < minimum_history(rule) || !all_finite(y)) return std::nullopt;
  const std::span<const double> fit = y.first(y.size() - 1);
  const double z = normal_quantile(0.5 + rule.level / 200);
  double mean = 0, sd = 0;
  std::string model_name;
  if (rule.model == ForecastModel::Ets) {
    Scratch& s = scratch();
    s.a.assign(fit.begin(), fit.end());
    const Forecast f = forecast_model(s.a, ModelSpec::of(ModelSpec::Kind::AutoEts), kYear, 1, {rule.level}).forecast;
    mean = f.mean[0];
    sd = (f.upper[0][0] - f.lower[0][0]) / (2 * z);
    model_name = f.model;
  } else {
    // forecast.h's naive / seasonal naive at one step, without its vectors:
    // the lag-k value, sigma^2 = mean squared lag-k difference.
    const size_t lag = rule.model == ForecastModel::SeasonalNaive ? kYear : 1;
    double sse = 0;
    for (size_t i = lag; i < fit.size(); ++i) sse += (fit[i] - fit[i - lag]) * (fit[i] - fit[i - lag]);
    mean = fit[fit.size() - lag];
    sd = std::sqrt(sse / static_cast<double>(fit.size() - lag));
  }
  Detection d;
  d.value = y.back();
  d.baseline = mean;
  const double upper = mean + z * sd, lower = mean - z * sd;
  d.score = sd > 0 ? (d.value - mean) / sd : (d.value > mean ? kInf : d.value < mean ? -kInf : 0.0);
  const bool rise = wants_up(rule.direction) && d.value > upper && d.value >= rule.minimum_volume;
  const bool fall = !rise && wants_down(rule.direction) && d.value < lower && mean >= rule.minimum_volume;
  d.threshold = (fall || rule.direction == Direction::Down) ? lower : upper;
  d.fired = rise || fall;
  if (d.fired) {
    Message m(rise ? "detector.forecast.up" : "detector.forecast.down");
    m.num("value", d.value).num("level", rule.level).num("mean", mean).num("bound", d.threshold);
    if (!model_name.empty()) m.text("model", model_name);  // ETS(M,A,N): the same in every language
    else m.nested("model", Message(rule.model == ForecastModel::Naive ? "model.naive" : "model.seasonal_naive"));
    explain(d, std::move(m));
  }
  return d;
}

std::optional<Detection> detect(std::span<const double> y, const TriggerRule& rule) {
  struct Run {
    std::span<const double> y;
    std::optional<Detection> operator()(const ThresholdRule& r) const { return detect_threshold(y, r); }
    std::optional<Detection> operator()(const GrowthRule& r) const { return detect_growth(y, r); }
    std::optional<Detection> operator()(const SeasonalAnomalyRule& r) const { return detect_seasonal_anomaly(y, r); }
    std::optional<Detection> operator()(const CusumRule& r) const { return detect_cusum(y, r); }
    std::optional<Detection> operator()(const EwmaRule& r) const { return detect_ewma(y, r); }
    std::optional<Detection> operator()(const ForecastExceedanceRule& r) const {
      return detect_forecast_exceedance(y, r);
    }
  };
  return std::visit(Run{y}, rule);
}

namespace detectors_detail {
std::string format_amount(double x) { return render(Message("detector.amount").num("x", x), Language::En); }
}  // namespace detectors_detail

}  // namespace atalaya
