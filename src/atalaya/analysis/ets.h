// Exponential smoothing state space models (ETS): estimation by maximum
// likelihood, automatic model selection by AICc, point forecasts and
// prediction intervals.
//
// Method: Hyndman, Koehler, Ord & Snyder (2008), "Forecasting with
// Exponential Smoothing: The State Space Approach", Springer; and Hyndman,
// Koehler, Snyder & Grose (2002), IJF 18(3), as implemented by R's
// forecast::ets / forecast.ets, whose defaults are followed here:
//   - models ETS(error, trend, season): error A|M, trend N|A|Ad, season N|A|M
//     (multiplicative trends are not offered; like forecast::ets with
//     restrict = TRUE, additive error with multiplicative season is refused);
//   - the objective is forecast's "lik": n*log(SSE) (+ 2*sum(log|yhat_t|)
//     for multiplicative errors), i.e. -2 log-likelihood up to a constant
//     that depends on n only, so loglik/AIC/AICc/BIC are comparable with R;
//   - parameters: 1e-4 <= beta <= alpha <= 0.9999, 1e-4 <= gamma <= 1-alpha,
//     0.8 <= phi <= 0.98 ("usual" bounds), intersected with the admissible
//     region of Hyndman, Akram & Archibald (2008) for seasonal models
//     (forecast's bounds = "both");
//   - initial states from a classical decomposition (or a trend + one
//     Fourier pair regression when n < 3m), then optimised jointly with the
//     smoothing parameters by Nelder-Mead (written here; smoothing parameters
//     on a logistic scale inside their bounds). Unlike forecast::ets, the
//     search starts from two smoothing-parameter guesses (forecast's and a
//     fast-moving one), and seasonal models first search the smoothing
//     parameters, level and slope with the seasonal states held, then all;
//     all the searches for one model share at most 2000 likelihood
//     evaluations (forecast's maxit), and the search stops when the simplex
//     values agree within a relative 1e-5 (forecast: 1.5e-8);
//   - automatic selection minimises AICc over every admissible combination
//     (multiplicative error only when all y > 0; seasonal models only when
//     2 <= m <= 24 and n > m; a model with n - 1 or more parameters is
//     skipped);
//   - intervals: analytical variances for classes 1 and 2 (additive
//     components; Hyndman et al. 2008, chapter 6), the class 3 approximation
//     for multiplicative error and season (damping applied where
//     forecast::class3 leaves it out); simulation (fixed seed) on request or
//     when the approximation fails.
// Series that ETS cannot model sensibly (constant, all or mostly zeros,
// fewer than 7 values) fall back to the naive forecast; the fit's note says why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/forecast.h"

namespace atalaya {

enum class EtsError { Additive, Multiplicative };
enum class EtsTrend { None, Additive, Damped };  // Damped: additive damped (Ad)
enum class EtsSeason { None, Additive, Multiplicative };

struct EtsSpec {
  EtsError error = EtsError::Additive;
  EtsTrend trend = EtsTrend::None;
  EtsSeason season = EtsSeason::None;

  // "ETS(A,Ad,M)"
  std::string name() const;
  // Accepts "AAdM", "A,Ad,M" or "ETS(A,Ad,M)" (case-insensitive); throws
  // std::invalid_argument for anything else (including multiplicative trend).
  static EtsSpec parse(std::string_view text);

  bool operator==(const EtsSpec&) const = default;
};

// A state of the model at some time t.
struct EtsState {
  double level = 0;
  double slope = 0;             // 0 when the model has no trend
  std::vector<double> season;   // empty without season; else m values where
                                // season[j] applies to period t + 1 + j
};

enum class EtsMethod {
  Ets,    // a fitted ETS model
  Naive,  // fallback: the naive forecast (see EtsFit::note)
};

// One model tried by auto_ets.
struct EtsCandidate {
  EtsSpec spec;
  double aicc = 0;     // +infinity when it could not be fitted
  std::string reason;  // why it was not fitted; empty if it was
};

// A fitted model. For the naive fallback only method, name, y, note, sigma2
// (mean squared first difference), last.level and candidates are meaningful.
struct EtsFit {
  EtsMethod method = EtsMethod::Ets;
  EtsSpec spec;
  std::string name;  // spec.name(), or "Naive" for the fallback
  int period = 1;    // seasonal period m of the model (1 for non-seasonal models)

  double alpha = 0, beta = 0, gamma = 0;  // beta = 0 without trend, gamma = 0 without season
  double phi = 1;                         // 1 unless the trend is damped

  EtsState initial;  // state at t = 0 (before the first observation)
  EtsState last;     // state after the last observation: forecasts start from it

  std::vector<double> y;          // the series fitted
  std::vector<double> fitted;     // one-step-ahead fitted values
  std::vector<double> residuals;  // y - fitted (additive error) or (y - fitted) / fitted (multiplicative)

  // sigma2 = sum(residuals^2) / (n - n_params), as forecast::ets.
  double sigma2 = 0;
  // Likelihood and criteria on forecast::ets' scale: loglik = -lik / 2 and,
  // with k = n_params + 1 (sigma counted), aic = lik + 2k, bic = lik + k log n,
  // aicc = aic + 2k(k+1)/(n-k-1).
  double loglik = 0, aic = 0, aicc = 0, bic = 0;
  int n_params = 0;  // smoothing parameters + free initial states

  std::string note;                     // fallback or restriction explained; empty if none
  std::vector<EtsCandidate> candidates; // auto_ets: every model considered, in search order
  int evaluations = 0;                  // likelihood evaluations spent (all candidates)
};

// Fits one ETS model by maximum likelihood. period is the seasonal period
// (12 for monthly data); it matters only for seasonal models.
// Throws std::invalid_argument when: y has a non-finite value; period < 1;
// the model is forbidden (additive error with multiplicative season);
// multiplicative error or season with a value <= 0; a seasonal model with
// period < 2, period > 24 or n <= period; or when the model has at least
// n - 1 parameters. Never falls back.
EtsFit fit_ets(const std::vector<double>& y, int period, const EtsSpec& spec);

// Which trends auto_ets searches: all (N, A, Ad), or the damped trend only
// (R's ets(y, damped = TRUE), the "damped ETS" of forecast combinations).
enum class EtsTrends { Any, DampedOnly };

// Chooses the ETS model with the smallest AICc (see the header comment).
// Falls back to EtsMethod::Naive, with a note, when the series is constant,
// all zeros, more than half zeros, shorter than 7 values, or when no model
// could be fitted. Throws std::invalid_argument if y has fewer than 2 values
// or a non-finite value, or period < 1.
EtsFit auto_ets(const std::vector<double>& y, int period, EtsTrends trends = EtsTrends::Any);

// Point forecasts and prediction intervals for h = 1..horizon. For classes 1
// and 2 (additive trend and season) the mean is the point forecast and the
// variance analytical; for class 3 (multiplicative error and season) the mean
// and variance are the class 3 approximations; both give Gaussian intervals.
// If the approximation fails, intervals come from simulation as in
// forecast_ets_simulated. Fallback fits give naive_forecast(fit.y, ...).
// The Forecast's note is the fit's note. Throws std::invalid_argument if
// horizon < 1 or a level is outside (0, 100).
Forecast forecast_ets(const EtsFit& fit, int horizon, const std::vector<double>& levels = {80, 95});

// As forecast_ets, but the intervals are empirical quantiles (R's type 8) of
// `paths` simulated sample paths with Gaussian errors drawn from a generator
// seeded with `seed` (same inputs, same output); the mean is the point forecast.
Forecast forecast_ets_simulated(const EtsFit& fit, int horizon, const std::vector<double>& levels = {80, 95},
                                int paths = 2000, uint64_t seed = 20080101);

namespace ets_detail {
// The admissible region of Hyndman, Akram & Archibald (2008) for a seasonal
// model with period m >= 2 (beta = 0 without trend, phi = 1 without damping):
// the easy inequalities, then all roots of the characteristic polynomial
// within the unit circle (|z| <= 1 + 1e-10, as forecast::ets), tested by the Schur-Cohn recursion.
bool seasonal_admissible(double alpha, double beta, double gamma, double phi, int m);
}  // namespace ets_detail

}  // namespace atalaya
