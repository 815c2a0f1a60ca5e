// Forecast benchmark, Atalaya side: the rolling-origin back-test of
// backtest.h on every series of a prepared CSV, for the default forecast
// (auto: chosen per series by its own back-test, calibrated intervals) and
// the single models it chooses from. bench/forecast/r_forecast.R does the
// same with R's forecast package; bench/forecast/run compares them.
//
//   bench_forecast SERIES.csv OUT.csv [HORIZON] [ORIGINS]
//
// SERIES.csv as bench/ets/series_csv.h. Output, one row per series and model:
//   series_id,model,mase,smape,coverage_80,coverage_95,origins_scored,ms_per_forecast
// ms_per_forecast: wall time of that model's fits and forecasts over the
// back-test, divided by the origins (one fit + one forecast of `HORIZON` months).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../ets/series_csv.h"
#include "atalaya/analysis/backtest.h"

using bench::num;
using bench::positive_arg;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_forecast SERIES.csv OUT.csv [HORIZON=6] [ORIGINS=12]\n";
    return 2;
  }
  try {
    const int horizon = positive_arg(argc, argv, 3, 6);
    const int origins = positive_arg(argc, argv, 4, 12);
    constexpr int kPeriod = 12;
    const std::vector<bench::Series> all = bench::read_series(argv[1]);
    std::ofstream out(argv[2]);
    if (!out) throw std::runtime_error(std::string(argv[2]) + ": cannot write");
    out << "series_id,model,mase,smape,coverage_80,coverage_95,origins_scored,ms_per_forecast\n";
    const std::vector<std::string> labels = {"auto", "ets", "theta", "combination", "naive", "snaive"};
    for (const bench::Series& s : all) {
      std::vector<double> ms(labels.size(), 0.0);
      std::vector<atalaya::BacktestModel> models;
      for (size_t k = 0; k < labels.size(); ++k) {
        atalaya::BacktestModel m = atalaya::backtest_model(atalaya::ModelSpec::parse(labels[k]), kPeriod);
        m.forecast = [inner = m.forecast, &total = ms[k]](const std::vector<double>& train, int h,
                                                          const std::vector<double>& levels) {
          const auto t0 = std::chrono::steady_clock::now();
          atalaya::OriginForecast f = inner(train, h, levels);
          total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
          return f;
        };
        models.push_back(std::move(m));
      }
      const atalaya::BacktestResult bt = atalaya::backtest_models(s.y, kPeriod, horizon, origins, models, {80, 95});
      for (size_t k = 0; k < labels.size(); ++k) {
        const atalaya::ModelScore& m = bt.models[k];
        out << s.id << ',' << labels[k] << ',' << num(m.mase) << ',' << num(m.smape) << ',' << num(m.coverage[0])
            << ',' << num(m.coverage[1]) << ',' << m.origins_scored << ','
            << num(m.origins_scored ? ms[k] / m.origins_scored : NAN) << '\n';
      }
    }
    std::cerr << "bench_forecast: " << all.size() << " series written to " << argv[2] << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_forecast: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
