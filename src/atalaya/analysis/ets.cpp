// ETS models: likelihood, Nelder-Mead estimation, AICc selection and
// forecasts with intervals. Method and conventions: see ets.h (Hyndman et al.
// 2008; R's forecast::ets). State conventions used throughout this file:
//   - seasonal states are kept oldest first, so s[0] is s_{t-m+1}, the
//     seasonal term the next observation uses (forecast's C code keeps the
//     reverse order); the filter rotates a circular buffer instead of
//     shifting m values per observation;
//   - the m initial seasonal states have one degree of freedom less: s[0] is
//     set so that they sum to 0 (additive) or m (multiplicative).
#include "atalaya/analysis/ets.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>

namespace atalaya {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTol = 1e-10;    // |forecast| below this: multiplicative error undefined (forecast's TOL)
constexpr double kHuge = 1e10;    // stand-in for y / 0 in the updates (forecast's HUGEN)
constexpr double kLowerPar = 1e-4;   // forecast::ets default lower bound of alpha, beta, gamma
constexpr double kUpperPar = 0.9999; // ... and upper bound
constexpr double kLowerPhi = 0.8, kUpperPhi = 0.98;
constexpr int kMaxPeriod = 24;       // forecast::ets refuses seasonal models beyond this
constexpr int kMinLength = 7;        // forecast::ets fits no optimised model to n <= 6 values
constexpr int kMaxEvaluations = 2000;  // likelihood evaluations per model (forecast::ets' maxit)

// ---------------------------------------------------------------------------
// Model shape and the filter.

struct Shape {
  bool mult_error = false;
  bool trend = false;
  bool damped = false;
  int season = 0;  // 0 none, 1 additive, 2 multiplicative
  int m = 1;       // period (1 without season)
};

Shape shape_of(const EtsSpec& spec, int period) {
  Shape s;
  s.mult_error = spec.error == EtsError::Multiplicative;
  s.trend = spec.trend != EtsTrend::None;
  s.damped = spec.trend == EtsTrend::Damped;
  s.season = spec.season == EtsSeason::None ? 0 : spec.season == EtsSeason::Additive ? 1 : 2;
  s.m = s.season ? period : 1;
  return s;
}

// Number of estimated parameters (smoothing parameters + free initial
// states), as length(par) in forecast::ets.
int parameter_count(const Shape& s) {
  int np = 2;                      // alpha, l0
  if (s.trend) np += 2;            // beta, b0
  if (s.damped) np += 1;           // phi
  if (s.season) np += s.m;         // gamma, m-1 free seasonal states
  return np;
}

struct Smoothing {
  double alpha = 0, beta = 0, gamma = 0, phi = 1;
};

// Runs the state space recursions over y from the state (l, b, s[circular],
// head), leaving the final state in them. Returns forecast's "lik"
// (n log SSE, + 2 sum log|yhat| for multiplicative errors), or NaN if a
// one-step forecast vanishes under multiplicative error. The updates are
// written in terms of y, so they are the same for both error types (as in
// forecast's etscalc.c); only e_t and the likelihood differ. When fitted and
// resid are non-null they receive the one-step forecasts and the errors.
//
// The recursions carry q = l + phi b (the non-seasonal part of the next
// forecast) and u = phi^2 b instead of l and b: with the level error
// d = p - q (p = y, y - s or y / s), l' = q + alpha d and b' = phi b + beta d
// give q' = (1 - k) q + (u + k p) with k = alpha + phi beta, and
// u' = (phi u + c p) - c q with c = phi^2 beta. This is forecast's update
// (b' = phi b + (beta/alpha)(l' - l - phi b)) rearranged so that a step waits
// on one multiply and one add of q (q two steps on, through u, on three), while
// the rest (p, the seasonal update, the error) runs alongside: the chain
// through q is most of the cost of an evaluation. Under a multiplicative
// season the three quotients y/s, y/q and (y - f)/f = (y/q)/s - 1 share two
// divisions, neither on the chain through q (1/f would be).
template <bool kMultError, bool kTrend, int kSeason>
double filter(const double* y, int n, int m, const Smoothing& p, double& l, double& b, double* s, int& head,
              double* fitted, double* resid) {
  const double phi = kTrend ? p.phi : 0.0;
  const double k = kTrend ? p.alpha + phi * p.beta : p.alpha, phi2 = phi * phi, c = phi2 * p.beta;
  const double keep = 1 - k;
  double q = kTrend ? l + phi * b : l;
  double u = kTrend ? phi2 * b : 0.0;
  double sse = 0, logsum = 0, prod = 1;
  for (int t = 0; t < n; ++t) {
    const double yt = y[t];
    double so = 0, f = q, pl = yt, e;
    if constexpr (kSeason == 1) {
      so = s[head];
      f = q + so;
      pl = yt - so;
    } else if constexpr (kSeason == 2) {
      so = s[head];
      f = q * so;
    }
    if constexpr (kMultError) {
      if (std::fabs(f) < kTol) return std::numeric_limits<double>::quiet_NaN();
      // Sum of logs as the log of running products: one log per many steps.
      prod *= std::fabs(f);
      if (prod > 1e100 || prod < 1e-100) {
        logsum += std::log(prod);
        prod = 1;
      }
    }
    if constexpr (kSeason == 2) {
      const bool small_s = std::fabs(so) < kTol, small_q = std::fabs(q) < kTol;
      const double rs = small_s ? 0.0 : 1 / so, rq = small_q ? 0.0 : 1 / q;
      pl = small_s ? kHuge : yt * rs;
      const double target = small_q ? kHuge : yt * rq;
      if constexpr (kMultError) {
        e = small_s || small_q ? (yt - f) / f : target * rs - 1;
      } else {
        e = yt - f;
      }
      s[head] = so + p.gamma * (target - so);
    } else {
      e = kMultError ? (yt - f) / f : yt - f;
      if constexpr (kSeason == 1) s[head] = so + p.gamma * ((yt - q) - so);
    }
    if constexpr (kSeason != 0) head = head + 1 == m ? 0 : head + 1;
    sse += e * e;
    if (fitted) {
      fitted[t] = f;
      resid[t] = e;
    }
    // Parenthesised so that the compiler keeps the terms off the chain
    // through q out of it (it may not reassociate floating point).
    if constexpr (kTrend) {
      const double qn = keep * q + (u + k * pl);
      u = (phi * u + c * pl) - c * q;
      q = qn;
    } else {
      q = keep * q + k * pl;
    }
  }
  // b = u / phi^2; phi >= 0.8 for damped trends and 1 otherwise.
  if constexpr (kTrend) b = u / phi2;
  l = kTrend ? q - phi * b : q;
  double lik = n * std::log(sse);
  if constexpr (kMultError) lik += 2 * (logsum + std::log(prod));
  return lik;
}

using FilterFn = double (*)(const double*, int, int, const Smoothing&, double&, double&, double*, int&, double*,
                            double*);

FilterFn pick_filter(const Shape& s) {
  static constexpr FilterFn table[2][2][3] = {
      {{filter<false, false, 0>, filter<false, false, 1>, filter<false, false, 2>},
       {filter<false, true, 0>, filter<false, true, 1>, filter<false, true, 2>}},
      {{filter<true, false, 0>, filter<true, false, 1>, filter<true, false, 2>},
       {filter<true, true, 0>, filter<true, true, 1>, filter<true, true, 2>}},
  };
  return table[s.mult_error][s.trend][s.season];
}

// ---------------------------------------------------------------------------
// Initial states (forecast::ets' initstate heuristic).

// Solves the least squares problem min |X b - y| for a small number of
// columns through the normal equations (Gaussian elimination with partial
// pivoting). Returns false if X'X is singular.
bool least_squares(const std::vector<std::vector<double>>& cols, const std::vector<double>& y,
                   std::vector<double>& beta) {
  const size_t k = cols.size();
  std::vector<std::vector<double>> a(k, std::vector<double>(k + 1, 0.0));
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < k; ++j) {
      double s = 0;
      for (size_t t = 0; t < y.size(); ++t) s += cols[i][t] * cols[j][t];
      a[i][j] = s;
    }
    double s = 0;
    for (size_t t = 0; t < y.size(); ++t) s += cols[i][t] * y[t];
    a[i][k] = s;
  }
  for (size_t c = 0; c < k; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < k; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[piv][c])) piv = r;
    if (std::fabs(a[piv][c]) < 1e-12 * (1 + std::fabs(a[c][c]))) return false;
    std::swap(a[c], a[piv]);
    for (size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (size_t j = c; j <= k; ++j) a[r][j] -= f * a[c][j];
    }
  }
  beta.assign(k, 0.0);
  for (size_t i = 0; i < k; ++i) beta[i] = a[i][k] / a[i][i];
  return true;
}

// The seasonal component of every observation: classical decomposition
// (R's decompose: centred moving average trend, per-position averages of the
// detrended series, normalised to mean 0 or 1) when n >= 3m; otherwise the
// detrended values of a regression on a linear trend and one Fourier pair.
std::vector<double> seasonal_component(const std::vector<double>& y, int m, bool mult) {
  const int n = static_cast<int>(y.size());
  std::vector<double> seasonal(n);
  if (n < 3 * m) {
    std::vector<std::vector<double>> cols;
    std::vector<double> one(n, 1.0), t(n), sn(n), cs(n);
    for (int i = 0; i < n; ++i) {
      t[i] = i + 1;
      sn[i] = std::sin(2 * std::numbers::pi * (i + 1) / m);
      cs[i] = std::cos(2 * std::numbers::pi * (i + 1) / m);
    }
    cols = {one, t, cs};
    if (m > 2) cols.push_back(sn);  // sin(pi t) vanishes when m = 2
    std::vector<double> coef;
    if (!least_squares(cols, y, coef)) {
      double mean = 0;
      for (double v : y) mean += v / n;
      coef = {mean, 0.0};
    }
    for (int i = 0; i < n; ++i) {
      const double trend = coef[0] + coef[1] * (i + 1);
      // A trend line through zero leaves no ratio: take index 1 there.
      seasonal[i] = mult ? (trend > 0 ? y[i] / trend : 1.0) : y[i] - trend;
    }
    return seasonal;
  }
  // Centred moving average of order m (2 x m for even m).
  const int half = m / 2;
  std::vector<double> figure(m, 0.0);
  std::vector<int> count(m, 0);
  for (int i = half; i + half < n; ++i) {
    double tr = 0;
    if (m % 2 == 0) {
      tr = 0.5 * (y[i - half] + y[i + half]);
      for (int j = i - half + 1; j < i + half; ++j) tr += y[j];
    } else {
      for (int j = i - half; j <= i + half; ++j) tr += y[j];
    }
    tr /= m;
    figure[i % m] += mult ? y[i] / tr : y[i] - tr;
    ++count[i % m];
  }
  double avg = 0;
  for (int k = 0; k < m; ++k) {
    figure[k] /= count[k];
    avg += figure[k] / m;
  }
  for (int k = 0; k < m; ++k) figure[k] = mult ? figure[k] / avg : figure[k] - avg;
  for (int i = 0; i < n; ++i) seasonal[i] = figure[i % m];
  return seasonal;
}

struct StartState {
  double l = 0, b = 0;
  std::vector<double> s;  // m values oldest first; s[0] is recomputed from the constraint
  double scale = 1;       // spread of the (seasonally adjusted) data, for step sizes
};

StartState start_state(const std::vector<double>& y, const Shape& sh) {
  const int n = static_cast<int>(y.size());
  StartState st;
  std::vector<double> ysa = y;
  int m = 1;
  if (sh.season) {
    m = sh.m;
    const bool mult = sh.season == 2;
    std::vector<double> seasonal = seasonal_component(y, m, mult);
    st.s.assign(seasonal.begin(), seasonal.begin() + m);
    if (mult) {
      double sum = 0;
      for (int j = 1; j < m; ++j) {
        st.s[j] = std::max(st.s[j], 1e-2);  // no negative seasonal indexes
        sum += st.s[j];
      }
      if (sum > m) {
        double denom = 0;
        for (int j = 1; j < m; ++j) denom += st.s[j] + 1e-2;
        for (int j = 1; j < m; ++j) st.s[j] /= denom;
      }
      for (int i = 0; i < n; ++i) ysa[i] = y[i] / std::max(seasonal[i], 1e-2);
    } else {
      for (int i = 0; i < n; ++i) ysa[i] = y[i] - seasonal[i];
    }
  }
  const int maxn = std::min(std::max(10, 2 * m), n);
  if (!sh.trend) {
    double sum = 0;
    for (int i = 0; i < maxn; ++i) sum += ysa[i];
    st.l = sum / maxn;
  } else {
    // Least squares line through (1, ysa[0]) .. (maxn, ysa[maxn-1]).
    double mt = (maxn + 1) / 2.0, my = 0;
    for (int i = 0; i < maxn; ++i) my += ysa[i] / maxn;
    double sxy = 0, sxx = 0;
    for (int i = 0; i < maxn; ++i) {
      sxy += (i + 1 - mt) * (ysa[i] - my);
      sxx += (i + 1 - mt) * (i + 1 - mt);
    }
    st.b = sxx > 0 ? sxy / sxx : 0;
    st.l = my - st.b * mt;
    if (std::fabs(st.l + st.b) < 1e-8) {  // keep l0 + b0 away from 0 for multiplicative errors
      st.l *= 1 + 1e-3;
      st.b *= 1 - 1e-3;
    }
  }
  double mean = 0, ss = 0;
  for (double v : ysa) mean += v / n;
  for (double v : ysa) ss += (v - mean) * (v - mean);
  st.scale = n > 1 ? std::sqrt(ss / (n - 1)) : 0;
  if (!(st.scale > 0)) st.scale = std::max(1e-3 * std::fabs(mean), 1e-6);
  return st;
}

// ---------------------------------------------------------------------------
// Nelder-Mead simplex minimisation (Nelder & Mead 1965; the standard
// coefficients 1, 2, 1/2, 1/2 and the termination test of R's optim:
// spread of values within reltol of the best). Infinite values mark points
// outside the feasible region. f(x, limit) is told, for each trial point,
// the value at or above which the point is rejected whatever it is: it may
// then skip work that only tells rejected points apart (see Objective).

struct NmResult {
  std::vector<double> x;
  double f = kInf;
  int evals = 0;
};

template <class F>
NmResult nelder_mead(F&& f, const std::vector<double>& x0, const std::vector<double>& step, int max_evals,
                     double reltol) {
  const int n = static_cast<int>(x0.size());
  std::vector<std::vector<double>> v(n + 1, x0);
  std::vector<double> fv(n + 1);
  NmResult r;
  for (int i = 0; i < n; ++i) v[i + 1][i] += step[i];
  for (int i = 0; i <= n; ++i) fv[i] = f(v[i].data(), kInf);
  r.evals = n + 1;
  // sum of all vertices, updated as vertices are replaced (and recomputed
  // now and then, against drift): the centroid costs O(n), not O(n^2).
  std::vector<double> sum(n), centroid(n), xr(n), xe(n), xc(n);
  auto resum = [&] {
    std::fill(sum.begin(), sum.end(), 0.0);
    for (const auto& p : v)
      for (int j = 0; j < n; ++j) sum[j] += p[j];
  };
  auto replace_worst = [&](int worst, std::vector<double>& x, double fx) {
    for (int j = 0; j < n; ++j) sum[j] += x[j] - v[worst][j];
    std::swap(v[worst], x);
    fv[worst] = fx;
  };
  resum();
  // An iteration spends at most n + 2 evaluations (reflection, contraction,
  // shrink): start one only if they fit, so that max_evals is never exceeded.
  for (int iter = 1; r.evals + n + 2 <= max_evals; ++iter) {
    if (iter % (10 * n + 10) == 0) resum();
    int best = 0, worst = 0;
    for (int i = 1; i <= n; ++i) {
      if (fv[i] < fv[best]) best = i;
      if (fv[i] > fv[worst]) worst = i;
    }
    if (!std::isfinite(fv[best])) break;  // nowhere feasible
    if (fv[worst] - fv[best] <= reltol * (std::fabs(fv[best]) + reltol)) break;  // also when all equal
    int second = -1;  // the worst of the others
    for (int i = 0; i <= n; ++i)
      if (i != worst && (second < 0 || fv[i] > fv[second])) second = i;
    for (int j = 0; j < n; ++j) {
      centroid[j] = (sum[j] - v[worst][j]) / n;
      xr[j] = 2 * centroid[j] - v[worst][j];
    }
    const double fr = f(xr.data(), fv[worst]);  // rejected unless below the worst
    ++r.evals;
    if (fr < fv[best]) {
      for (int j = 0; j < n; ++j) xe[j] = 3 * centroid[j] - 2 * v[worst][j];
      const double fe = f(xe.data(), fr);  // kept only if below fr
      ++r.evals;
      if (fe < fr) {
        replace_worst(worst, xe, fe);
      } else {
        replace_worst(worst, xr, fr);
      }
      continue;
    }
    if (fr < fv[second]) {
      replace_worst(worst, xr, fr);
      continue;
    }
    // Contraction: outside if the reflection improved on the worst point.
    const bool outside = fr < fv[worst];
    for (int j = 0; j < n; ++j)
      xc[j] = outside ? centroid[j] + 0.5 * (xr[j] - centroid[j]) : centroid[j] + 0.5 * (v[worst][j] - centroid[j]);
    const double fc = f(xc.data(), fv[worst]);  // fr < fv[worst] when outside
    ++r.evals;
    if (outside ? fc <= fr : fc < fv[worst]) {
      replace_worst(worst, xc, fc);
      continue;
    }
    // Shrink towards the best point.
    for (int i = 0; i <= n; ++i) {
      if (i == best) continue;
      for (int j = 0; j < n; ++j) v[i][j] = v[best][j] + 0.5 * (v[i][j] - v[best][j]);
      fv[i] = f(v[i].data(), kInf);
      ++r.evals;
    }
    resum();
  }
  int best = 0;
  for (int i = 1; i <= n; ++i)
    if (fv[i] < fv[best]) best = i;
  r.x = v[best];
  r.f = fv[best];
  return r;
}

// ---------------------------------------------------------------------------
// Parameter coding: the optimiser works on theta = (logit-scaled smoothing
// parameters, raw free initial states), so that every theta satisfies the
// usual bounds 1e-4 <= beta <= alpha <= 0.9999, 1e-4 <= gamma <= 1 - alpha,
// 0.8 <= phi <= 0.98, and the search need not probe infeasible points.

double logistic(double x) { return 1 / (1 + std::exp(-x)); }
double logit(double p) { return std::log(p / (1 - p)); }

struct Coding {
  Shape sh;
  int n_smooth = 1;  // alpha [, beta] [, gamma] [, phi]
  int n_par = 0;

  Smoothing decode(const double* th) const {
    Smoothing p;
    int k = 0;
    p.alpha = kLowerPar + (kUpperPar - kLowerPar) * logistic(th[k++]);
    if (sh.trend) p.beta = kLowerPar + (std::min(p.alpha, kUpperPar) - kLowerPar) * logistic(th[k++]);
    if (sh.season) p.gamma = kLowerPar + (std::min(1 - p.alpha, kUpperPar) - kLowerPar) * logistic(th[k++]);
    if (sh.damped) p.phi = kLowerPhi + (kUpperPhi - kLowerPhi) * logistic(th[k++]);
    return p;
  }
  // Initial states: l, [b], s[0..m-1] with s[0] from the constraint.
  void states(const double* th, double& l, double& b, double* s) const {
    int k = n_smooth;
    l = th[k++];
    b = sh.trend ? th[k++] : 0.0;
    if (sh.season) {
      double sum = 0;
      for (int j = 1; j < sh.m; ++j) {
        s[j] = th[k++];
        sum += s[j];
      }
      s[0] = (sh.season == 2 ? sh.m : 0) - sum;
    }
  }
};

Coding coding_for(const Shape& sh) {
  Coding c;
  c.sh = sh;
  c.n_smooth = 1 + sh.trend + (sh.season != 0) + sh.damped;
  c.n_par = parameter_count(sh);
  return c;
}

// The objective: forecast's lik, +inf outside the feasible region.
struct Objective {
  const std::vector<double>* y;
  Coding c;
  FilterFn run;
  mutable std::vector<double> s;

  // `limit`: the caller rejects any value >= limit, so that a value at or
  // above it may be returned for an inadmissible point instead of +inf. The
  // admissibility test costs about a quarter of an evaluation of a seasonal
  // model, and on the corridor series (bench/ets) a fifth of the points the
  // searches try are rejected on their likelihood alone.
  double operator()(const double* th, double limit = kInf) const {
    const Smoothing p = c.decode(th);
    double l, b;
    c.states(th, l, b, s.data());
    if (c.sh.season == 2) {
      for (int j = 0; j < c.sh.m; ++j)
        if (s[j] < 0) return kInf;
    }
    int head = 0;
    double lik = run(y->data(), static_cast<int>(y->size()), c.sh.m, p, l, b, s.data(), head, nullptr, nullptr);
    if (std::isnan(lik)) return kInf;
    lik = std::max(lik, -1e10);  // perfect fits: as forecast::ets
    if (lik < limit && c.sh.season && !ets_detail::seasonal_admissible(p.alpha, p.beta, p.gamma, p.phi, c.sh.m))
      return kInf;
    return lik;
  }
};

std::string lower_case(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool all_positive(const std::vector<double>& y) {
  for (double v : y)
    if (!(v > 0)) return false;
  return true;
}

// Why spec cannot be fitted to y with this period; empty if it can.
std::string unfit_reason(const std::vector<double>& y, int period, const EtsSpec& spec) {
  const int n = static_cast<int>(y.size());
  if (spec.error == EtsError::Additive && spec.season == EtsSeason::Multiplicative)
    return "additive error with multiplicative season is not allowed (unstable, as in forecast::ets)";
  if ((spec.error == EtsError::Multiplicative || spec.season == EtsSeason::Multiplicative) && !all_positive(y))
    return "multiplicative components need every value > 0";
  if (spec.season != EtsSeason::None) {
    if (period < 2) return "seasonal model needs a period of at least 2";
    if (period > kMaxPeriod) return "seasonal period above " + std::to_string(kMaxPeriod) + " is not supported";
    if (n <= period)
      return "seasonal model needs more than " + std::to_string(period) + " observations, got " + std::to_string(n);
  }
  const int np = parameter_count(shape_of(spec, period));
  if (np >= n - 1)
    return spec.name() + " has " + std::to_string(np) + " parameters, too many for " + std::to_string(n) +
           " observations";
  return "";
}

// Fits a model known to be fittable (unfit_reason empty).
EtsFit fit_checked(const std::vector<double>& y, int period, const EtsSpec& spec) {
  const Shape sh = shape_of(spec, period);
  const Coding c = coding_for(sh);
  const StartState st = start_state(y, sh);
  const int n = static_cast<int>(y.size());

  // Theta: smoothing parameters on the logistic scale, then l0, b0 and the
  // free seasonal states from the heuristic. Initial simplex steps: one unit
  // of log-odds for the smoothing parameters; for the states, fractions of
  // the spread of the data (a slope changes the level n times over).
  std::vector<double> th(c.n_par), step(c.n_par);
  int k = c.n_smooth;
  for (int j = 0; j < c.n_smooth; ++j) step[j] = 1.0;
  th[k] = st.l;
  step[k++] = 0.1 * st.scale;
  if (sh.trend) {
    th[k] = st.b;
    step[k++] = 0.02 * st.scale;
  }
  for (int j = 1; j < sh.m && sh.season; ++j) {
    th[k] = st.s[j];
    step[k++] = sh.season == 2 ? 0.02 : 0.1 * st.scale;
  }
  // Smoothing parameter starts, as fractions of their ranges: forecast's
  // initparam (alpha 0.2/m, beta 10%, gamma 5%; phi 90% where R has 99%,
  // which sits on the flat end of the logistic scale), then a start with
  // fast-moving level and slope, a mode of the likelihood that trended
  // models often prefer but a search from slow smoothing rarely reaches.
  const double m_eff = sh.season ? sh.m : 1;
  const std::array<std::array<double, 4>, 2> starts = {{
      {std::clamp(0.2 / m_eff, 0.02, 0.98), 0.1, 0.05, 0.9},
      {0.9, 0.9, 0.05, 0.9},
  }};

  Objective obj{&y, c, pick_filter(sh), std::vector<double>(sh.m, 0.0)};
  // Convergence: spread of the simplex values within 1e-5 of the best (R uses
  // 1.5e-8), about 0.01 on the likelihood of a few years of monthly data, far
  // below what changes a model choice. A tighter test costs evaluations that
  // restarts (below, under the cap) spend better: on the corridor series
  // (bench/ets) 1e-5 needed a fifth fewer evaluations than 1e-6 and left the
  // sum of the candidates' AICc lower.
  const double reltol = 1e-5;
  // Every model gets at most kMaxEvaluations likelihood evaluations for all
  // its searches together, like forecast::ets's maxit. Without the cap,
  // seasonal models with multiplicative errors on series that grew or shrank
  // tenfold crept on for 5,000 to 18,000 evaluations through restart after
  // restart: two thirds of all evaluations on the corridor series
  // (bench/ets), mostly for models AICc then rejected. There the cap changed
  // the chosen model of 1 series in 112 and its AICc in 3 more (by up to 4),
  // and the mean back-test MASE by under 0.5%.
  int evals = 0;
  auto left = [&](int want) { return std::min(want, kMaxEvaluations - evals); };
  // A search in d dimensions is worth starting with room for its simplex and
  // a few iterations.
  auto room = [&](int want, int d) { return left(want) >= 3 * (d + 2); };
  // Seasonal models have 14-17 dimensions. A first search over the smoothing
  // parameters, level and slope alone, with the seasonal states held at the
  // decomposition values, moves most of the way for a fraction of the cost of
  // the full search that follows. Non-seasonal models have at most 5
  // dimensions and are searched in full from the start.
  const int ns = sh.season ? c.n_smooth + 1 + sh.trend : c.n_par;
  std::vector<double> full = th;
  auto partial = [&](const double* x, double limit) {
    std::copy(x, x + ns, full.begin());
    return obj(full.data(), limit);
  };
  NmResult low;
  const int n_starts = static_cast<int>(starts.size());
  for (int i = 0; i < n_starts && (i == 0 || room(200 * ns, ns)); ++i) {
    std::vector<double> x0(th.begin(), th.begin() + ns);
    int j = 0;
    x0[j++] = logit(starts[i][0]);
    if (sh.trend) x0[j++] = logit(starts[i][1]);
    if (sh.season) x0[j++] = logit(starts[i][2]);
    if (sh.damped) x0[j++] = logit(starts[i][3]);
    NmResult r =
        nelder_mead(partial, x0, std::vector<double>(step.begin(), step.begin() + ns), left(200 * ns), reltol);
    evals += r.evals;
    if (i == 0 || r.f < low.f) low = std::move(r);
  }
  std::copy(low.x.begin(), low.x.end(), th.begin());
  const int budget = 400 * c.n_par + 1000;
  NmResult best;
  if (sh.season && room(budget, c.n_par)) {
    best = nelder_mead(obj, th, step, left(budget), reltol);
    evals += best.evals;
  } else {
    best.x = th;
    best.f = low.f;
  }
  // Restart from the optimum with a fresh simplex: Nelder-Mead can stall on
  // a degenerate simplex well before the minimum.
  for (int restart = 0; restart < 3 && room(budget, c.n_par); ++restart) {
    NmResult again = nelder_mead(obj, best.x, step, left(budget), reltol);
    evals += again.evals;
    const bool better = again.f < best.f - 1e-6 * (std::fabs(best.f) + 1);
    if (again.f < best.f) best = again;
    if (!better) break;
  }

  EtsFit fit;
  fit.method = EtsMethod::Ets;
  fit.spec = spec;
  fit.name = spec.name();
  fit.period = sh.m;
  fit.y = y;
  fit.evaluations = evals;
  const Smoothing p = c.decode(best.x.data());
  fit.alpha = p.alpha;
  fit.beta = sh.trend ? p.beta : 0.0;
  fit.gamma = sh.season ? p.gamma : 0.0;
  fit.phi = sh.damped ? p.phi : 1.0;

  double l, b;
  std::vector<double> s(sh.m, 0.0);
  c.states(best.x.data(), l, b, s.data());
  fit.initial.level = l;
  fit.initial.slope = b;
  if (sh.season) fit.initial.season = s;
  fit.fitted.resize(n);
  fit.residuals.resize(n);
  int head = 0;
  double lik = pick_filter(sh)(y.data(), n, sh.m, p, l, b, s.data(), head, fit.fitted.data(), fit.residuals.data());
  if (std::isnan(lik)) lik = kInf;
  lik = std::max(lik, -1e10);
  fit.last.level = l;
  fit.last.slope = b;
  if (sh.season) {
    fit.last.season.resize(sh.m);
    for (int j = 0; j < sh.m; ++j) fit.last.season[j] = s[(head + j) % sh.m];
  }

  fit.n_params = c.n_par;
  double sse = 0;
  for (double e : fit.residuals) sse += e * e;
  fit.sigma2 = sse / (n - c.n_par);
  const double kk = c.n_par + 1;  // sigma counts as a parameter in the criteria
  fit.loglik = -0.5 * lik;
  fit.aic = lik + 2 * kk;
  fit.bic = lik + std::log(static_cast<double>(n)) * kk;
  fit.aicc = n - kk - 1 > 0 ? fit.aic + 2 * kk * (kk + 1) / (n - kk - 1) : kInf;
  if (!std::isfinite(lik)) fit.aic = fit.bic = fit.aicc = kInf;
  return fit;
}

void validate_series(const std::vector<double>& y, int period) {
  if (period < 1) throw std::invalid_argument("seasonal period must be at least 1");
  if (y.size() < 2) throw std::invalid_argument("a forecast needs at least 2 observations");
  require_finite(y);
}

EtsFit naive_fallback(const std::vector<double>& y, std::string note) {
  EtsFit fit;
  fit.method = EtsMethod::Naive;
  fit.name = "Naive";
  fit.y = y;
  fit.note = std::move(note);
  fit.initial.level = y.front();
  fit.last.level = y.back();
  double sse = 0;
  for (size_t t = 1; t < y.size(); ++t) sse += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
  fit.sigma2 = sse / (y.size() - 1);
  return fit;
}

// ---------------------------------------------------------------------------
// Forecasting.

// Point forecasts from the last state: (l + phi_h b) (+ or x) s, where
// phi_h = phi + ... + phi^h.
std::vector<double> point_forecasts(const EtsFit& fit, int horizon) {
  std::vector<double> f(horizon);
  double phih = 0, phip = 1;
  for (int h = 1; h <= horizon; ++h) {
    phip *= fit.phi;
    phih += phip;
    double v = fit.last.level + (fit.spec.trend != EtsTrend::None ? phih * fit.last.slope : 0.0);
    if (fit.spec.season == EtsSeason::Additive) v += fit.last.season[(h - 1) % fit.period];
    if (fit.spec.season == EtsSeason::Multiplicative) v *= fit.last.season[(h - 1) % fit.period];
    f[h - 1] = v;
  }
  return f;
}

// c_j = alpha + beta (phi + ... + phi^j) + gamma [j a multiple of m], the
// weights of past errors in classes 1 and 2 (Hyndman et al. 2008, table 6.1).
std::vector<double> error_weights(const EtsFit& fit, int horizon) {
  std::vector<double> c(horizon, 0.0);
  double phij = 0, phip = 1;
  for (int j = 1; j < horizon; ++j) {
    phip *= fit.phi;
    phij += phip;
    c[j] = fit.alpha + fit.beta * phij + (fit.spec.season != EtsSeason::None && j % fit.period == 0 ? fit.gamma : 0);
  }
  return c;  // c[0] unused
}

// Dense square matrix in row-major order and sparse triplets, enough for the
// class 3 recursions (dimension p1 * m <= 48).
struct Sparse {
  std::vector<std::tuple<int, int, double>> e;
};
using Dense = std::vector<double>;

Sparse kron(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  Sparse s;
  const int ra = static_cast<int>(a.size()), ca = static_cast<int>(a[0].size());
  const int rb = static_cast<int>(b.size()), cb = static_cast<int>(b[0].size());
  for (int i = 0; i < ra; ++i)
    for (int j = 0; j < ca; ++j)
      for (int k = 0; k < rb; ++k)
        for (int l = 0; l < cb; ++l)
          if (a[i][j] != 0 && b[k][l] != 0) s.e.emplace_back(i * rb + k, j * cb + l, a[i][j] * b[k][l]);
  return s;
}

// A * X * B' for sparse A, B and dense d x d X.
Dense sandwich(const Sparse& a, const Dense& x, const Sparse& b, int d) {
  Dense t(d * d, 0.0), r(d * d, 0.0);
  for (const auto& [i, k, v] : a.e)
    for (int j = 0; j < d; ++j) t[i * d + j] += v * x[k * d + j];
  for (const auto& [j, k, v] : b.e)
    for (int i = 0; i < d; ++i) r[i * d + j] += v * t[i * d + k];
  return r;
}

// Class 3 (multiplicative error and season, no or additive trend): mean and
// variance approximations of Hyndman et al. (2008, chapter 6) as coded in
// forecast's class3(), with one deliberate difference: for the damped trend
// the measurement and transition use phi (l + phi b), so that the h = 1 mean
// equals the point forecast; forecast::class3 uses l + b there.
bool class3(const EtsFit& fit, int horizon, std::vector<double>& mu, std::vector<double>& var) {
  const int m = fit.period;
  const bool trend = fit.spec.trend != EtsTrend::None;
  const int p1 = trend ? 2 : 1;
  const int d = p1 * m;
  const double s2 = fit.sigma2, phi = fit.phi;
  std::vector<std::vector<double>> f1, g1, h1, f2(m, std::vector<double>(m, 0.0)), g2(m, std::vector<double>(m, 0.0)),
      h2(1, std::vector<double>(m, 0.0));
  if (trend) {
    f1 = {{1, phi}, {0, phi}};
    g1 = {{fit.alpha, fit.alpha * phi}, {fit.beta, fit.beta * phi}};
    h1 = {{1, phi}};
  } else {
    f1 = {{1}};
    g1 = {{fit.alpha}};
    h1 = {{1}};
  }
  // Seasonal vector z = (s_t, s_{t-1}, ..., s_{t-m+1}), most recent first.
  f2[0][m - 1] = 1;
  for (int i = 1; i < m; ++i) f2[i][i - 1] = 1;
  g2[0][m - 1] = fit.gamma;
  h2[0][m - 1] = 1;
  const Sparse f21 = kron(f2, f1), g21 = kron(g2, g1), h21 = kron(h2, h1);
  Sparse kk = kron(g2, f1);
  for (const auto& e : kron(f2, g1).e) kk.e.push_back(e);
  // M = x z' (p1 x m), kept as vec (column-major): vec[j * p1 + i] = M[i][j].
  std::vector<double> z(m);
  for (int i = 0; i < m; ++i) z[i] = fit.last.season[m - 1 - i];
  const double x[2] = {fit.last.level, fit.last.slope};
  std::vector<double> vecm(d);
  for (int j = 0; j < m; ++j)
    for (int i = 0; i < p1; ++i) vecm[j * p1 + i] = x[i] * z[j];
  Dense v(d * d, 0.0);
  mu.assign(horizon, 0.0);
  var.assign(horizon, 0.0);
  for (int h = 0; h < horizon; ++h) {
    double mh = 0, q = 0;
    for (const auto& [r, c, w] : h21.e) {
      (void)r;
      mh += w * vecm[c];
    }
    for (const auto& [r1, c1, w1] : h21.e) {
      (void)r1;
      for (const auto& [r2, c2, w2] : h21.e) {
        (void)r2;
        q += w1 * w2 * v[c1 * d + c2];
      }
    }
    mu[h] = mh;
    var[h] = (1 + s2) * q + s2 * mh * mh;
    if (!std::isfinite(var[h]) || var[h] < 0) return false;
    if (h + 1 == horizon) break;
    Dense mm(d * d), a(d * d), bm(d * d);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        mm[i * d + j] = vecm[i] * vecm[j];
        a[i * d + j] = v[i * d + j] + mm[i * d + j];
        bm[i * d + j] = 3 * v[i * d + j] + 2 * mm[i * d + j];
      }
    const Dense ff = sandwich(f21, v, f21, d), fg = sandwich(f21, v, g21, d), ka = sandwich(kk, a, kk, d),
                gb = sandwich(g21, bm, g21, d);
    Dense nv(d * d);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j)
        nv[i * d + j] = ff[i * d + j] + s2 * (fg[i * d + j] + fg[j * d + i] + ka[i * d + j] + s2 * gb[i * d + j]);
    v.swap(nv);
    // vec(F1 M F2' + s2 G1 M G2') = (F2 (x) F1) vec M + s2 (G2 (x) G1) vec M.
    std::vector<double> nm(d, 0.0);
    for (const auto& [r, c, w] : f21.e) nm[r] += w * vecm[c];
    for (const auto& [r, c, w] : g21.e) nm[r] += s2 * w * vecm[c];
    vecm.swap(nm);
  }
  return true;
}

// R's quantile type 8 (median-unbiased) of sorted values.
double quantile8(const std::vector<double>& sorted, double p) {
  const int n = static_cast<int>(sorted.size());
  const double nppm = (n + 1.0 / 3) * p + 1.0 / 3;
  int j = static_cast<int>(std::floor(nppm + 4 * std::numeric_limits<double>::epsilon()));
  double h = nppm - j;
  if (std::fabs(h) < 4 * std::numeric_limits<double>::epsilon()) h = 0;
  auto at = [&](int i) { return sorted[std::clamp(i, 1, n) - 1]; };  // 1-based, clamped at the ends
  return (1 - h) * at(j) + h * at(j + 1);
}

// Standard normal draws: Box-Muller on mt19937_64 (whose output sequence the
// C++ standard fixes), so simulated intervals are identical everywhere.
class NormalSource {
 public:
  explicit NormalSource(uint64_t seed) : gen_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - static_cast<double>(gen_() >> 11) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(gen_() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2 * std::log(u1));
    spare_ = r * std::sin(2 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 gen_;
  double spare_ = 0;
  bool has_spare_ = false;
};

Forecast simulated(const EtsFit& fit, int horizon, const std::vector<double>& levels, int paths, uint64_t seed) {
  Forecast out;
  out.model = fit.name;
  out.note = fit.note;
  out.levels = normalise_levels(levels);
  out.mean = point_forecasts(fit, horizon);
  const Shape sh = shape_of(fit.spec, fit.period);
  const FilterFn run = pick_filter(shape_of(EtsSpec{EtsError::Additive, fit.spec.trend, fit.spec.season}, fit.period));
  const Smoothing p{fit.alpha, fit.beta, fit.gamma, fit.phi};
  const double sigma = std::sqrt(std::max(0.0, fit.sigma2));
  NormalSource rng(seed);
  std::vector<std::vector<double>> sims(horizon, std::vector<double>(paths));
  std::vector<double> s(sh.m, 0.0);
  std::vector<double> fstep(1), rstep(1);
  for (int path = 0; path < paths; ++path) {
    double l = fit.last.level, b = fit.last.slope;
    if (sh.season) s = fit.last.season;
    int head = 0;
    for (int h = 0; h < horizon; ++h) {
      double base = l + (sh.trend ? p.phi * b : 0.0);
      double f = sh.season == 1 ? base + s[head] : sh.season == 2 ? base * s[head] : base;
      const double e = sigma * rng.next();
      double yv = sh.mult_error ? f * (1 + e) : f + e;
      sims[h][path] = yv;
      // One step of the (error-type independent) updates.
      run(&yv, 1, sh.m, p, l, b, s.data(), head, fstep.data(), rstep.data());
    }
  }
  out.lower.assign(out.levels.size(), std::vector<double>(horizon));
  out.upper.assign(out.levels.size(), std::vector<double>(horizon));
  for (int h = 0; h < horizon; ++h) {
    std::sort(sims[h].begin(), sims[h].end());
    for (size_t i = 0; i < out.levels.size(); ++i) {
      out.lower[i][h] = quantile8(sims[h], 0.5 - out.levels[i] / 200);
      out.upper[i][h] = quantile8(sims[h], 0.5 + out.levels[i] / 200);
    }
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

std::string EtsSpec::name() const {
  std::string s = "ETS(";
  s += error == EtsError::Additive ? "A" : "M";
  s += trend == EtsTrend::None ? ",N" : trend == EtsTrend::Additive ? ",A" : ",Ad";
  s += season == EtsSeason::None ? ",N" : season == EtsSeason::Additive ? ",A" : ",M";
  return s + ")";
}

EtsSpec EtsSpec::parse(std::string_view text) {
  std::string t;
  for (char ch : lower_case(text))
    if (ch != ',' && ch != ' ') t += ch;
  if (t.rfind("ets(", 0) == 0 && !t.empty() && t.back() == ')') t = t.substr(4, t.size() - 5);
  auto bad = [&] {
    return std::invalid_argument("not an ETS model: \"" + std::string(text) + "\" (expected e.g. ETS(A,Ad,M))");
  };
  EtsSpec spec;
  size_t i = 0;
  if (i >= t.size()) throw bad();
  if (t[i] == 'a') spec.error = EtsError::Additive;
  else if (t[i] == 'm') spec.error = EtsError::Multiplicative;
  else throw bad();
  ++i;
  if (i >= t.size()) throw bad();
  if (t[i] == 'n') spec.trend = EtsTrend::None;
  else if (t[i] == 'a') spec.trend = EtsTrend::Additive;
  else throw bad();
  ++i;
  if (spec.trend == EtsTrend::Additive && i < t.size() && t[i] == 'd') {
    spec.trend = EtsTrend::Damped;
    ++i;
  }
  if (i + 1 != t.size()) throw bad();
  if (t[i] == 'n') spec.season = EtsSeason::None;
  else if (t[i] == 'a') spec.season = EtsSeason::Additive;
  else if (t[i] == 'm') spec.season = EtsSeason::Multiplicative;
  else throw bad();
  return spec;
}

namespace ets_detail {

bool seasonal_admissible(double alpha, double beta, double gamma, double phi, int m) {
  if (m < 2) return true;
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // Characteristic polynomial, ascending powers:
  // phi(1-a-g) + (a+b-a phi+g-1) z + (a+b-a phi)(z^2..z^{m-1}) + (a+b-phi) z^m + z^{m+1}.
  std::array<double, kMaxPeriod + 2> c{};
  int deg = m + 1;
  c[0] = phi * (1 - alpha - gamma);
  c[1] = alpha + beta - alpha * phi + gamma - 1;
  for (int k = 2; k < m; ++k) c[k] = alpha + beta - alpha * phi;
  c[m] = alpha + beta - phi;
  c[m + 1] = 1;
  // P(1) = m alpha (1-phi) + m beta + gamma (1-phi) >= 0 vanishes exactly
  // without trend (beta = 0, phi = 1): that unit root is allowed, so divide
  // it out and test the rest strictly.
  if (std::fabs(m * alpha * (1 - phi) + m * beta + gamma * (1 - phi)) < 1e-12) {
    std::array<double, kMaxPeriod + 2> q{};
    q[deg - 1] = c[deg];
    for (int k = deg - 1; k >= 1; --k) q[k - 1] = c[k] + q[k];
    c = q;
    --deg;
  }
  // All roots in |z| <= rho  <=>  all roots of P(rho z) in |z| <= 1; the
  // Schur-Cohn (Levinson step-down) recursion tests the open unit disc:
  // P has all roots inside iff |c_0| < |c_n| and
  // (c_n P(z) - c_0 z^n P(1/z)) / z, of degree n - 1, has all roots inside.
  // That polynomial is left unnormalised: a division per degree, each
  // waiting on the last, took most of the time of the test. Its coefficients
  // are rescaled by a power of two (exactly) when their size drifts far from 1.
  const double rho = 1 + 1e-10;
  double pw = 1;
  for (int k = 0; k <= deg; ++k) {
    c[k] *= pw;
    pw *= rho;
  }
  std::array<double, kMaxPeriod + 2> other{};
  double* cur = c.data();
  double* next = other.data();
  for (int n = deg; n >= 1; --n) {
    const double lead = cur[n], tail = cur[0];
    if (!(std::fabs(tail) < std::fabs(lead)) || !std::isfinite(lead)) return false;
    for (int j = 0; j < n; ++j) next[j] = lead * cur[j + 1] - tail * cur[n - 1 - j];
    // The new leading coefficient is lead^2 - tail^2 > 0 (0 only by
    // underflow, which the next test rejects). Keep its binary exponent
    // within +-256 so that the squaring of the next steps cannot overflow.
    const int field = static_cast<int>((std::bit_cast<uint64_t>(next[n - 1]) >> 52) & 0x7ff);
    if (field == 0x7ff) return false;  // not finite
    if (field > 1023 + 256 || field < 1023 - 256) {
      // 2^(1023 - field), i.e. 1 / 2^exponent; subnormals and 0 take 2^600.
      const double scale = field == 0 ? 0x1p600 : std::bit_cast<double>(static_cast<uint64_t>(2046 - field) << 52);
      for (int j = 0; j < n; ++j) next[j] *= scale;
    }
    std::swap(cur, next);
  }
  return true;
}

}  // namespace ets_detail

EtsFit fit_ets(const std::vector<double>& y, int period, const EtsSpec& spec) {
  validate_series(y, period);
  const std::string why = unfit_reason(y, period, spec);
  if (!why.empty()) throw std::invalid_argument("cannot fit " + spec.name() + ": " + why);
  EtsFit fit = fit_checked(y, period, spec);
  if (!std::isfinite(fit.aicc) && !std::isfinite(fit.aic)) {
    throw std::invalid_argument("cannot fit " + spec.name() +
                                ": the likelihood is not finite at any parameters tried");
  }
  return fit;
}

EtsFit auto_ets(const std::vector<double>& y, int period, EtsTrends trends) {
  validate_series(y, period);
  const int n = static_cast<int>(y.size());
  int zeros = 0;
  for (double v : y) zeros += v == 0;
  if (zeros == n) return naive_fallback(y, "all " + std::to_string(n) + " values are zero: naive forecast");
  if (2 * zeros > n) {
    return naive_fallback(y, std::to_string(zeros) + " of " + std::to_string(n) +
                                 " values are zero (intermittent series; ETS does not model it): naive forecast");
  }
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; }))
    return naive_fallback(y, "constant series: naive forecast");
  if (n < kMinLength) {
    return naive_fallback(y, "only " + std::to_string(n) + " observations (ETS needs at least " +
                                 std::to_string(kMinLength) + "): naive forecast");
  }

  std::vector<std::string> notes;
  const bool seasonal = period >= 2 && period <= kMaxPeriod && n > period;
  if (period >= 2 && !seasonal) {
    notes.push_back(period > kMaxPeriod
                        ? "seasonal period above " + std::to_string(kMaxPeriod) + ": seasonal models not considered"
                        : "only " + std::to_string(n) + " observations for period " + std::to_string(period) +
                              ": seasonal models not considered");
  }
  const bool positive = all_positive(y);
  if (!positive) notes.push_back("values <= 0: multiplicative models not considered");

  EtsFit best;
  bool have = false;
  std::vector<EtsCandidate> candidates;
  int evals = 0;
  for (EtsError e : {EtsError::Additive, EtsError::Multiplicative}) {
    if (e == EtsError::Multiplicative && !positive) continue;
    for (EtsTrend t : {EtsTrend::None, EtsTrend::Additive, EtsTrend::Damped}) {
      if (trends == EtsTrends::DampedOnly && t != EtsTrend::Damped) continue;
      for (EtsSeason s : {EtsSeason::None, EtsSeason::Additive, EtsSeason::Multiplicative}) {
        if (s != EtsSeason::None && !seasonal) continue;
        if (e == EtsError::Additive && s == EtsSeason::Multiplicative) continue;
        const EtsSpec spec{e, t, s};
        EtsCandidate cand{spec, kInf, unfit_reason(y, period, spec)};
        if (cand.reason.empty()) {
          EtsFit fit = fit_checked(y, period, spec);
          evals += fit.evaluations;
          cand.aicc = fit.aicc;
          if (std::isfinite(fit.aicc) && (!have || fit.aicc < best.aicc)) {
            best = std::move(fit);
            have = true;
          }
          if (!std::isfinite(cand.aicc)) cand.reason = "likelihood could not be evaluated";
        }
        candidates.push_back(std::move(cand));
      }
    }
  }
  if (!have) {
    EtsFit fb = naive_fallback(y, "no ETS model could be fitted: naive forecast");
    fb.candidates = std::move(candidates);
    fb.evaluations = evals;
    return fb;
  }
  best.candidates = std::move(candidates);
  best.evaluations = evals;
  for (const std::string& note : notes) best.note += (best.note.empty() ? "" : "; ") + note;
  return best;
}

Forecast forecast_ets(const EtsFit& fit, int horizon, const std::vector<double>& levels) {
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  if (fit.method == EtsMethod::Naive) {
    Forecast f = naive_forecast(fit.y, horizon, levels);
    f.note = fit.note;
    return f;
  }
  std::vector<double> mean = point_forecasts(fit, horizon), var(horizon);
  const bool additive_components = fit.spec.season != EtsSeason::Multiplicative;
  if (additive_components) {
    const std::vector<double> c = error_weights(fit, horizon);
    if (fit.spec.error == EtsError::Additive) {
      // Class 1: v_h = sigma^2 (1 + sum_{j<h} c_j^2).
      double acc = 1;
      for (int h = 1; h <= horizon; ++h) {
        if (h > 1) acc += c[h - 1] * c[h - 1];
        var[h - 1] = fit.sigma2 * acc;
      }
    } else {
      // Class 2: theta_h = mu_h^2 + sigma^2 sum_{j<h} c_j^2 theta_{h-j};
      // v_h = (1 + sigma^2) theta_h - mu_h^2.
      std::vector<double> theta(horizon);
      for (int h = 1; h <= horizon; ++h) {
        double t = mean[h - 1] * mean[h - 1], acc = 0;
        for (int j = 1; j < h; ++j) acc += c[j] * c[j] * theta[h - j - 1];
        theta[h - 1] = t + fit.sigma2 * acc;
        var[h - 1] = (1 + fit.sigma2) * theta[h - 1] - mean[h - 1] * mean[h - 1];
      }
    }
  } else {
    std::vector<double> mu;
    if (!class3(fit, horizon, mu, var)) return simulated(fit, horizon, levels, 2000, 20080101);
    mean = mu;
  }
  Forecast f = gaussian_forecast(fit.name, std::move(mean), var, levels);
  f.note = fit.note;
  return f;
}

Forecast forecast_ets_simulated(const EtsFit& fit, int horizon, const std::vector<double>& levels, int paths,
                                uint64_t seed) {
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  if (paths < 2) throw std::invalid_argument("simulation needs at least 2 sample paths");
  if (fit.method == EtsMethod::Naive) {
    Forecast f = naive_forecast(fit.y, horizon, levels);
    f.note = fit.note;
    return f;
  }
  return simulated(fit, horizon, levels, paths, seed);
}

}  // namespace atalaya
