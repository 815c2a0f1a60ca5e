// One dispatch for every forecasting model (see forecast_models.h).
#include "atalaya/analysis/forecast_models.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "atalaya/analysis/model_selection.h"
#include "atalaya/analysis/theta.h"
#include "atalaya/core/text.h"

namespace atalaya {
namespace {

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Naive and seasonal naive: the last value, or the same month a year earlier.
class NaiveModel : public FittedModel {
 public:
  NaiveModel(std::vector<double> y, int period, bool seasonal) : y_(std::move(y)), period_(period), seasonal_(seasonal) {}
  ModelForecast forecast(int horizon, const std::vector<double>& levels) const override {
    if (!seasonal_) return {naive_forecast(y_, horizon, levels), false, ""};
    if (static_cast<int>(y_.size()) > period_) return {seasonal_naive_forecast(y_, period_, horizon, levels), false, ""};
    Forecast f = naive_forecast(y_, horizon, levels);
    f.note = "seasonal naive needs more than " + std::to_string(period_) + " months (" + std::to_string(y_.size()) +
             " given); naive forecast instead";
    return {std::move(f), true, "Naive"};
  }
  std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const override {
    return std::make_unique<NaiveModel>(prefix, period_, seasonal_);
  }

 private:
  std::vector<double> y_;
  int period_;
  bool seasonal_;
};

// ETS: chosen automatically (among `trends`) or one given form.
class EtsModel : public FittedModel {
 public:
  // period: the series' seasonal period (fit.period is the model's: 1 for a non-seasonal form).
  EtsModel(EtsFit fit, int period, EtsTrends trends, bool given)
      : fit_(std::move(fit)), period_(period), trends_(trends), given_(given) {}
  static std::unique_ptr<FittedModel> automatic(const std::vector<double>& y, int period, EtsTrends trends) {
    return std::make_unique<EtsModel>(auto_ets(y, period, trends), period, trends, false);
  }
  ModelForecast forecast(int horizon, const std::vector<double>& levels) const override {
    if (given_) return {forecast_ets(fit_, horizon, levels), false, ""};
    return {forecast_ets(fit_, horizon, levels), fit_.method != EtsMethod::Ets, fit_.name};
  }
  std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const override {
    if (given_) return std::make_unique<EtsModel>(fit_ets(prefix, period_, fit_.spec), period_, trends_, true);
    if (fit_.method != EtsMethod::Ets) return std::make_unique<NaiveModel>(prefix, period_, false);
    try {
      return std::make_unique<EtsModel>(fit_ets(prefix, period_, fit_.spec), period_, trends_, false);
    } catch (const std::invalid_argument&) {
      // The whole series' form does not fit this prefix (too few months for
      // its parameters): choose again on the prefix.
      return automatic(prefix, period_, trends_);
    }
  }

 private:
  EtsFit fit_;
  int period_;
  EtsTrends trends_;
  bool given_;
};

// The standard Theta method; naive below 4 months.
class ThetaModel : public FittedModel {
 public:
  ThetaModel(const std::vector<double>& y, int period) : y_(y), period_(period) {
    if (y.size() >= 4) fit_ = fit_theta(y, period);
  }
  ModelForecast forecast(int horizon, const std::vector<double>& levels) const override {
    if (y_.size() < 4) {
      Forecast f = naive_forecast(y_, horizon, levels);
      f.note = "the Theta method needs at least 4 months (" + std::to_string(y_.size()) + " given): naive forecast";
      return {std::move(f), true, "Naive"};
    }
    return {forecast_theta(fit_, horizon, levels), false, "Theta"};
  }
  std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const override {
    return std::make_unique<ThetaModel>(prefix, period_);
  }

 private:
  std::vector<double> y_;
  int period_;
  ThetaFit fit_;
};

// The median of automatic ETS, Theta and damped ETS.
class CombinationModel : public FittedModel {
 public:
  CombinationModel(std::unique_ptr<FittedModel> ets, std::unique_ptr<FittedModel> theta,
                   std::unique_ptr<FittedModel> damped)
      : ets_(std::move(ets)), theta_(std::move(theta)), damped_(std::move(damped)) {}
  ModelForecast forecast(int horizon, const std::vector<double>& levels) const override {
    const ModelForecast ets = ets_->forecast(horizon, levels);
    const ModelForecast theta = theta_->forecast(horizon, levels);
    const ModelForecast damped = damped_->forecast(horizon, levels);
    Forecast f = median_forecast("Median(" + ets.chosen + ", " + theta.chosen + ", damped " + damped.chosen + ")",
                                 {ets.forecast, theta.forecast, damped.forecast});
    f.note = ets.forecast.note;
    return {std::move(f), ets.fallback && theta.fallback && damped.fallback, f.model};
  }
  std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const override {
    return std::make_unique<CombinationModel>(ets_->refit(prefix), theta_->refit(prefix), damped_->refit(prefix));
  }

 private:
  std::unique_ptr<FittedModel> ets_, theta_, damped_;
};

// "auto": chosen per series by back-test when it forecasts (model_selection.h).
class SelectedModel : public FittedModel {
 public:
  SelectedModel(std::vector<double> y, int period) : y_(std::move(y)), period_(period) {}
  ModelForecast forecast(int horizon, const std::vector<double>& levels) const override {
    SelectedForecast s = select_forecast(y_, period_, horizon, levels);
    return {std::move(s.forecast), false, s.chosen};
  }
  std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const override {
    return std::make_unique<SelectedModel>(prefix, period_);
  }

 private:
  std::vector<double> y_;
  int period_;
};

using Kind = ModelSpec::Kind;
using Fit = std::unique_ptr<FittedModel> (*)(const std::vector<double>& y, const ModelSpec& spec, int period);

// The table: every model, its label, the other names it answers to, its fit.
struct ModelRow {
  Kind kind;
  std::string_view label;
  std::vector<std::string_view> aliases;  // lower case
  Fit fit;
};

const std::vector<ModelRow>& model_table() {
  static const std::vector<ModelRow> rows{
      {Kind::Naive, "naive", {},
       [](const std::vector<double>& y, const ModelSpec&, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<NaiveModel>(y, p, false);
       }},
      {Kind::SeasonalNaive, "snaive", {"seasonal-naive", "seasonal_naive"},
       [](const std::vector<double>& y, const ModelSpec&, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<NaiveModel>(y, p, true);
       }},
      {Kind::AutoEts, "ets", {"ets(z,z,z)", "zzz"},
       [](const std::vector<double>& y, const ModelSpec&, int p) { return EtsModel::automatic(y, p, EtsTrends::Any); }},
      {Kind::Ets, "", {},  // labelled by its form, e.g. "ETS(A,Ad,M)"
       [](const std::vector<double>& y, const ModelSpec& s, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<EtsModel>(fit_ets(y, p, s.ets), p, EtsTrends::Any, true);
       }},
      {Kind::DampedEts, "damped", {"damped-ets"},
       [](const std::vector<double>& y, const ModelSpec&, int p) {
         return EtsModel::automatic(y, p, EtsTrends::DampedOnly);
       }},
      {Kind::Theta, "theta", {},
       [](const std::vector<double>& y, const ModelSpec&, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<ThetaModel>(y, p);
       }},
      {Kind::Combination, "combination", {"comb"},
       [](const std::vector<double>& y, const ModelSpec&, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<CombinationModel>(EtsModel::automatic(y, p, EtsTrends::Any),
                                                   std::make_unique<ThetaModel>(y, p),
                                                   EtsModel::automatic(y, p, EtsTrends::DampedOnly));
       }},
      {Kind::Selected, "auto", {},
       [](const std::vector<double>& y, const ModelSpec&, int p) -> std::unique_ptr<FittedModel> {
         return std::make_unique<SelectedModel>(y, p);
       }},
  };
  return rows;
}

const ModelRow& row_of(Kind kind) {
  for (const ModelRow& r : model_table())
    if (r.kind == kind) return r;
  throw std::logic_error("forecast models: a kind without a row in the table");
}

}  // namespace

std::string ModelSpec::label() const {
  if (kind == Kind::Ets) return ets.name();
  return std::string(row_of(kind).label);
}

ModelSpec ModelSpec::parse(std::string_view text) {
  const std::string t = ascii_lower(text);
  for (const ModelRow& r : model_table()) {
    if (r.label.empty()) continue;
    if (t == r.label || std::find(r.aliases.begin(), r.aliases.end(), t) != r.aliases.end()) return of(r.kind);
  }
  ModelSpec spec;
  try {
    spec.ets = EtsSpec::parse(text);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("unknown model \"" + std::string(text) +
                                "\" (expected auto, naive, snaive, ets, damped, theta, combination or an ETS "
                                "model such as ETS(A,Ad,M))");
  }
  spec.kind = Kind::Ets;
  return spec;
}

Forecast median_forecast(std::string model, const std::vector<Forecast>& parts) {
  if (parts.empty()) throw std::logic_error("median_forecast: no forecasts");
  Forecast out;
  out.model = std::move(model);
  out.levels = parts.front().levels;
  const int horizon = parts.front().horizon();
  const size_t nl = out.levels.size();
  out.mean.resize(horizon);
  out.lower.assign(nl, std::vector<double>(horizon));
  out.upper.assign(nl, std::vector<double>(horizon));
  std::vector<double> v(parts.size());
  for (int h = 0; h < horizon; ++h) {
    for (size_t k = 0; k < parts.size(); ++k) v[k] = parts[k].mean[h];
    out.mean[h] = median_of(v);
    for (size_t i = 0; i < nl; ++i) {
      for (size_t k = 0; k < parts.size(); ++k) v[k] = parts[k].lower[i][h];
      out.lower[i][h] = median_of(v);
      for (size_t k = 0; k < parts.size(); ++k) v[k] = parts[k].upper[i][h];
      out.upper[i][h] = median_of(v);
    }
  }
  return out;
}

ModelForecast forecast_model(const std::vector<double>& y, const ModelSpec& spec, int period, int horizon,
                             const std::vector<double>& levels) {
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  if (y.size() < 2) throw std::invalid_argument("a forecast needs at least 2 observations");
  require_finite(y);
  return fit_model(y, spec, period)->forecast(horizon, levels);
}

std::unique_ptr<FittedModel> fit_model(const std::vector<double>& y, const ModelSpec& spec, int period) {
  return row_of(spec.kind).fit(y, spec, period);
}

}  // namespace atalaya
