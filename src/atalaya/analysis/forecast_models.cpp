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

ModelForecast from_ets(const EtsFit& fit, int horizon, const std::vector<double>& levels) {
  return {forecast_ets(fit, horizon, levels), fit.method != EtsMethod::Ets, fit.name};
}

ModelForecast theta_or_naive(const std::vector<double>& y, int period, int horizon, const std::vector<double>& levels) {
  if (y.size() < 4) {
    Forecast f = naive_forecast(y, horizon, levels);
    f.note = "the Theta method needs at least 4 months (" + std::to_string(y.size()) + " given): naive forecast";
    return {std::move(f), true, "Naive"};
  }
  return {forecast_theta(fit_theta(y, period), horizon, levels), false, "Theta"};
}

}  // namespace

std::string ModelSpec::label() const {
  switch (kind) {
    case Kind::Naive: return "naive";
    case Kind::SeasonalNaive: return "snaive";
    case Kind::AutoEts: return "ets";
    case Kind::Ets: return ets.name();
    case Kind::DampedEts: return "damped";
    case Kind::Theta: return "theta";
    case Kind::Combination: return "combination";
    case Kind::Selected: return "auto";
  }
  return "";
}

ModelSpec ModelSpec::parse(std::string_view text) {
  const std::string t = ascii_lower(text);
  ModelSpec spec;
  if (t == "naive") {
    spec.kind = Kind::Naive;
  } else if (t == "snaive" || t == "seasonal-naive" || t == "seasonal_naive") {
    spec.kind = Kind::SeasonalNaive;
  } else if (t == "ets" || t == "ets(z,z,z)" || t == "zzz") {
    spec.kind = Kind::AutoEts;
  } else if (t == "damped" || t == "damped-ets") {
    spec.kind = Kind::DampedEts;
  } else if (t == "theta") {
    spec.kind = Kind::Theta;
  } else if (t == "combination" || t == "comb") {
    spec.kind = Kind::Combination;
  } else if (t == "auto") {
    spec.kind = Kind::Selected;
  } else {
    try {
      spec.ets = EtsSpec::parse(text);
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("unknown model \"" + std::string(text) +
                                  "\" (expected auto, naive, snaive, ets, damped, theta, combination or an ETS "
                                  "model such as ETS(A,Ad,M))");
    }
    spec.kind = Kind::Ets;
  }
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
  switch (spec.kind) {
    case ModelSpec::Kind::Naive:
      return {naive_forecast(y, horizon, levels), false, ""};
    case ModelSpec::Kind::SeasonalNaive: {
      if (static_cast<int>(y.size()) > period) return {seasonal_naive_forecast(y, period, horizon, levels), false, ""};
      Forecast f = naive_forecast(y, horizon, levels);
      f.note = "seasonal naive needs more than " + std::to_string(period) + " months (" + std::to_string(y.size()) +
               " given); naive forecast instead";
      return {std::move(f), true, "Naive"};
    }
    case ModelSpec::Kind::AutoEts:
      return from_ets(auto_ets(y, period), horizon, levels);
    case ModelSpec::Kind::Ets:
      return {forecast_ets(fit_ets(y, period, spec.ets), horizon, levels), false, ""};
    case ModelSpec::Kind::DampedEts:
      return from_ets(auto_ets(y, period, EtsTrends::DampedOnly), horizon, levels);
    case ModelSpec::Kind::Theta:
      return theta_or_naive(y, period, horizon, levels);
    case ModelSpec::Kind::Combination: {
      const ModelForecast ets = from_ets(auto_ets(y, period), horizon, levels);
      const ModelForecast theta = theta_or_naive(y, period, horizon, levels);
      const ModelForecast damped = from_ets(auto_ets(y, period, EtsTrends::DampedOnly), horizon, levels);
      Forecast f = median_forecast("Median(" + ets.chosen + ", " + theta.chosen + ", damped " + damped.chosen + ")",
                                   {ets.forecast, theta.forecast, damped.forecast});
      f.note = ets.forecast.note;
      return {std::move(f), ets.fallback && theta.fallback && damped.fallback, f.model};
    }
    case ModelSpec::Kind::Selected: {
      SelectedForecast s = select_forecast(y, period, horizon, levels);
      return {std::move(s.forecast), false, s.chosen};
    }
  }
  throw std::logic_error("forecast_model: unknown model kind");
}

}  // namespace atalaya
