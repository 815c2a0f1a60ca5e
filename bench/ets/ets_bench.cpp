// ETS benchmark, Atalaya side: automatic ETS (auto_ets, period 12) on every
// series of a prepared CSV, timed per series, plus the rolling-origin
// back-test of the library (backtest.h) for its MASE. bench/ets/r_ets.R does
// the same with R's forecast::ets; bench/ets/run compares the two.
//
//   bench_ets SERIES.csv OUT.csv [RUNS] [HORIZON] [ORIGINS]
//
// SERIES.csv: header `series_id,month,value`, rows grouped by series and in
// month order, with no month missing inside a series (bench/ets/run fills
// gaps with 0 before both sides read it). RUNS (default 3): the fit time of a
// series is the fastest of RUNS identical fits, as in r_ets.R. The back-test
// runs once. Output, one row per series:
// (model as "AAdN" for ETS(A,Ad,N), or "Naive" for the fallback)
//   series_id,n,model,aicc,fit_ms,mase,snaive_mase,origins_scored,fallbacks,backtest_ms
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/analysis/backtest.h"
#include "atalaya/analysis/ets.h"
#include "series_csv.h"

namespace {

using bench::Series;
using bench::read_series;

// "ETS(A,Ad,N)" -> "AAdN": no commas in a CSV field (r_ets.R writes the same).
std::string compact(const std::string& name) {
  std::string out;
  const std::string core = name.rfind("ETS(", 0) == 0 ? name.substr(4, name.size() - 5) : name;
  for (char c : core)
    if (c != ',') out += c;
  return out;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

using bench::num;
using bench::positive_arg;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_ets SERIES.csv OUT.csv [RUNS=3] [HORIZON=6] [ORIGINS=12]\n";
    return 2;
  }
  try {
    const int runs = positive_arg(argc, argv, 3, 3);
    const int horizon = positive_arg(argc, argv, 4, 6);
    const int origins = positive_arg(argc, argv, 5, 12);
    constexpr int kPeriod = 12;
    const std::vector<Series> all = read_series(argv[1]);
    std::ofstream out(argv[2]);
    if (!out) throw std::runtime_error(std::string(argv[2]) + ": cannot write");
    out << "series_id,n,model,aicc,fit_ms,mase,snaive_mase,origins_scored,fallbacks,backtest_ms\n";
    const std::vector<atalaya::ModelSpec> models = {atalaya::ModelSpec::parse("ets"),
                                                    atalaya::ModelSpec::parse("snaive")};
    for (const Series& s : all) {
      double best_ms = INFINITY;
      atalaya::EtsFit fit;
      for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        fit = atalaya::auto_ets(s.y, kPeriod);
        best_ms = std::min(best_ms, ms_since(t0));
      }
      const auto t0 = std::chrono::steady_clock::now();
      const atalaya::BacktestResult bt = atalaya::backtest(s.y, kPeriod, horizon, origins, models);
      const double bt_ms = ms_since(t0);
      const atalaya::ModelScore& ets = bt.models[0];
      out << s.id << ',' << s.y.size() << ',' << compact(fit.name) << ','
          << (fit.method == atalaya::EtsMethod::Ets ? num(fit.aicc) : "NA") << ',' << num(best_ms) << ','
          << num(ets.mase) << ',' << num(bt.models[1].mase) << ',' << ets.origins_scored << ',' << ets.fallbacks
          << ',' << num(bt_ms) << '\n';
    }
    std::cerr << "bench_ets: " << all.size() << " series written to " << argv[2] << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_ets: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
