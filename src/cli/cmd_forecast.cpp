// atalaya forecast [selection] --horizon H [--level 80,95] [--model M] [--leading SRC[:LAG],...]
// atalaya backtest [selection] --horizon H --origins N [--models snaive,naive,ets] [--leading ...]
//
// Both answer through forecast_report.h (as the HTTP API does); this file
// turns options into a ForecastRequest and prints the result as a table or CSV.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "atalaya/analysis/cube.h"
#include "atalaya/reports/forecast_report.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/core/text.h"
#include "cli/commands.h"
#include "cli/selection_options.h"

namespace atalaya::cli {
namespace {

struct ForecastOptions {
  SelectionOptions selection;
  int horizon = 6;
  std::vector<double> levels{80, 95};
  std::string format = "table";
  int top = 10;
  std::vector<std::string> leading;  // SOURCE or SOURCE:LAG
  int max_lag = 4;
  int lag_prior = 1;
  // forecast only
  std::string model = "auto";
  int history = 12;
  // backtest only
  int origins = 12;
  std::vector<std::string> models;
};

// ---- small formatting helpers ----------------------------------------------

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";  // never "nan" or "inf"
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// Counts as people read them: 12,345 for large values, 4.3 for small ones.
std::string count_text(double v) {
  if (!std::isfinite(v)) return "–";  // a month no release covers
  if (std::fabs(v) >= 100) return thousands(std::llround(v));
  return fixed(v, 1);
}

// A CSV field: empty for a month no release covers (never "nan").
std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  std::ostringstream out;
  out << v;
  return out.str();
}

// "chosen by back-test: theta (MASE 0.81 over 12 origins at horizon 6; naive 1.02, ...)".
std::string selection_text(const SelectedForecast& sel) {
  if (sel.origins == 0) return "";
  std::string others;
  const CandidateScore* chosen = nullptr;
  for (const CandidateScore& c : sel.candidates) {
    if (c.model == sel.chosen) {
      chosen = &c;
      continue;
    }
    others += (others.empty() ? "" : ", ") + c.model + " " + fixed(c.mase, 2) + (c.admissible ? "" : " (not admissible)");
  }
  std::string out = "chosen by back-test: " + sel.chosen;
  if (chosen)
    out += " (" + sel.criterion + " " + fixed(chosen->mase, 2) + " over " + std::to_string(sel.origins) +
           " origins at horizon " + std::to_string(sel.horizon) + (others.empty() ? "" : "; " + others) + ")";
  if (sel.calibrated)
    out += "; intervals calibrated on " + std::to_string(sel.calibration_errors) + " back-test errors";
  return out;
}

std::string percent(double share) { return std::isnan(share) ? "-" : fixed(100 * share, 0) + "%"; }

// Prints rows[0] as the header; columns marked in `right` align right.
void print_aligned(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> width(rows.front().size(), 0);
  for (auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  for (auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - display_width(r[i]), ' ');
      if (i) line += "  ";
      line += right[i] ? pad + r[i] : r[i] + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

ForecastRequest request(const ForecastOptions& o) {
  ForecastRequest r;
  r.query = o.selection.query();
  r.horizon = o.horizon;
  r.levels = o.levels;
  r.model = o.model;
  r.leading = o.leading;
  r.max_lag = o.max_lag;
  r.lag_prior = o.lag_prior;
  r.top = o.top;
  r.history = o.history;
  r.origins = o.origins;
  r.models = o.models;
  return r;
}

// "backtest: source=us-cbp-swb-nat citizenship=HTI (3/12 groups)", on a terminal only.
std::function<void(size_t, size_t, const std::string&)> group_progress(ProgressLine& line) {
  if (!line.active()) return {};
  return [&line](size_t done, size_t total, const std::string& title) {
    line.update(title + " (" + std::to_string(done + 1) + "/" + std::to_string(total) + " groups)");
  };
}

void print_notes(const std::vector<std::string>& notes, const std::vector<std::string>& skipped) {
  for (auto& n : notes) std::cerr << "note: " << with_flags(n) << "\n";
  for (auto& s : skipped) std::cerr << "note: skipped " << s << "\n";
}

void add_common_options(CLI::App& cmd, ForecastOptions& o) {
  o.selection.add_to(cmd);
  cmd.add_option("--horizon", o.horizon, "months ahead to forecast")->capture_default_str();
  cmd.add_option("--level", o.levels, "prediction interval levels in percent (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  cmd.add_option("--leading", o.leading,
                 "forecast from these upstream sources of the same citizenship, SOURCE or SOURCE:LAG "
                 "(lag in months; estimated when left out)")
      ->delimiter(',');
  cmd.add_option("--max-lag", o.max_lag, "longest lag searched when estimating one")->capture_default_str();
  cmd.add_option("--lag-prior", o.lag_prior, "lag used when the data cannot say")->capture_default_str();
  cmd.add_option("--top", o.top, "at most this many groups, the largest by their last 12 months (0: all)")
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

// ---- forecast -------------------------------------------------------------------

void run_forecast(const ForecastOptions& o, bool model_given, const GlobalOptions& global) {
  ForecastRequest r = request(o);
  r.model_given = model_given;
  const Cube cube = Cube::load(*global.open_store(true));
  ProgressLine progress("forecast");
  r.progress = group_progress(progress);
  const ForecastResult result = run_forecasts(cube, r);
  progress.clear();
  print_notes(result.notes, result.skipped);
  const std::vector<double>& levels = result.levels;
  const size_t nl = levels.size();
  if (o.format == "json") {
    std::cout << to_json(result).dump(2) << "\n";
    return;
  }
  if (o.format == "csv") {
    for (auto& g : result.groups) {
      if (g.selection && g.selection->origins > 0)
        std::cerr << "note: " << g.title << ": " << selection_text(*g.selection) << "\n";
      for (auto& n : g.notes) std::cerr << "note: " << g.title << ": " << n << "\n";
    }
    std::string header;
    for (auto& b : result.by) header += b + ",";
    header += "month,actual,forecast";
    for (double l : levels) header += ",lower_" + level_label(l) + ",upper_" + level_label(l);
    std::cout << header << ",model\n";
    for (auto& g : result.groups) {
      const MonthlySeries& s = g.series;
      std::string prefix;
      for (auto& v : s.group) {
        append_csv_field(prefix, v);
        prefix.push_back(',');
      }
      std::string model;
      append_csv_field(model, g.forecast.model);
      const size_t n = s.values.size(), from = n - std::min<size_t>(n, o.history);
      for (size_t t = from; t < n; ++t)
        std::cout << prefix << s.start.plus_months(static_cast<int>(t)).to_string() << "," << csv_number(s.values[t]) << ","
                  << std::string(2 * nl, ',') << "," << model << "\n";
      for (int h = 0; h < o.horizon; ++h) {
        std::cout << prefix << s.end().plus_months(h + 1).to_string() << ",," << csv_number(g.forecast.mean[h]);
        for (size_t i = 0; i < nl; ++i)
          std::cout << "," << csv_number(g.forecast.lower[i][h]) << "," << csv_number(g.forecast.upper[i][h]);
        std::cout << "," << model << "\n";
      }
    }
    return;
  }
  bool first = true;
  for (auto& g : result.groups) {
    const MonthlySeries* s = &g.series;
    if (!first) std::cout << "\n";
    first = false;
    std::cout << g.title << ": " << s->values.size() << " months " << s->start.to_string() << ".."
              << s->end().to_string() << "; model " << g.forecast.model << "\n";
    if (g.selection && g.selection->origins > 0) std::cout << selection_text(*g.selection) << "\n";
    for (auto& n : g.notes) std::cout << "note: " << n << "\n";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"month", "actual", "forecast"};
    for (double l : levels) {
      header.push_back(level_label(l) + "% low");
      header.push_back(level_label(l) + "% high");
    }
    rows.push_back(header);
    const size_t n = s->values.size(), from = n - std::min<size_t>(n, o.history);
    bool provisional = false;
    for (size_t t = from; t < n; ++t) {
      std::vector<std::string> r(header.size());
      r[0] = s->start.plus_months(static_cast<int>(t)).to_string();
      r[1] = std::isfinite(s->values[t]) ? thousands(std::llround(s->values[t])) + (s->provisional[t] ? "*" : "")
                                         : "–";  // a month no release covers
      provisional = provisional || s->provisional[t];
      rows.push_back(std::move(r));
    }
    for (int h = 0; h < o.horizon; ++h) {
      std::vector<std::string> r{s->end().plus_months(h + 1).to_string(), "", count_text(g.forecast.mean[h])};
      for (size_t i = 0; i < nl; ++i) {
        r.push_back(count_text(g.forecast.lower[i][h]));
        r.push_back(count_text(g.forecast.upper[i][h]));
      }
      rows.push_back(std::move(r));
    }
    std::vector<bool> right(header.size(), true);
    right[0] = false;
    print_aligned(rows, right);
    if (provisional) std::cout << "* provisional\n";
  }
}

// ---- backtest -------------------------------------------------------------------

void run_backtest(const ForecastOptions& o, const GlobalOptions& global) {
  ForecastRequest r = request(o);
  const Cube cube = Cube::load(*global.open_store(true));
  ProgressLine progress("backtest");
  r.progress = group_progress(progress);
  const BacktestRun run = run_backtests(cube, r);
  progress.clear();
  print_notes(run.notes, run.skipped);
  const std::vector<double>& levels = run.levels;

  auto chosen_text = [](const ModelScore& m) {
    std::string out;
    for (auto& [name, count] : m.chosen) out += (out.empty() ? "" : ", ") + name + " x" + std::to_string(count);
    return out;
  };
  const size_t nl = levels.size();

  if (o.format == "json") {
    std::cout << to_json(run).dump(2) << "\n";
    return;
  }
  if (o.format == "csv") {
    for (auto& d : run.groups) {
      for (auto& n : d.notes) std::cerr << "note: " << d.title << ": " << n << "\n";
      if (!d.verdict.empty()) std::cerr << "verdict: " << d.title << ": " << d.verdict << "\n";
    }
    std::string header;
    for (auto& b : run.by) header += b + ",";
    header += "model,mase,relative_mase,smape";
    for (double l : levels) header += ",coverage_" + level_label(l);
    std::cout << header << ",origins_scored,failures,fallbacks,chosen\n";
    for (auto& d : run.groups)
      for (auto& m : d.result.models) {
        std::string line;
        for (auto& v : d.series.group) {
          append_csv_field(line, v);
          line.push_back(',');
        }
        append_csv_field(line, m.model);
        line += "," + fixed(m.mase, 4) + "," + fixed(m.relative_mase, 4) + "," + fixed(m.smape, 2);
        for (size_t i = 0; i < nl; ++i) line += "," + fixed(m.coverage[i], 4);
        line += "," + std::to_string(m.origins_scored) + "," + std::to_string(m.failures) + "," +
                std::to_string(m.fallbacks) + ",";
        append_csv_field(line, chosen_text(m));
        std::cout << line << "\n";
      }
    return;
  }

  std::vector<std::string> header{"model", "MASE", "vs snaive", "sMAPE"};
  for (double l : levels) header.push_back("cover " + level_label(l) + "%");
  header.push_back("origins");
  header.push_back("chosen");
  std::vector<bool> right(header.size(), true);
  right[0] = false;
  right.back() = false;
  for (size_t gi = 0; gi < run.groups.size(); ++gi) {
    const GroupBacktest& d = run.groups[gi];
    if (gi) std::cout << "\n";
    const MonthlySeries& s = d.series;
    std::cout << d.title << ": " << s.values.size() << " months " << s.start.to_string() << ".."
              << s.end().to_string() << "; " << d.result.origins.size() << " origins (first forecast months "
              << s.start.plus_months(d.result.origins.front()).to_string() << ".."
              << s.start.plus_months(d.result.origins.back()).to_string() << "), horizon " << o.horizon << "\n";
    std::vector<std::vector<std::string>> rows{header};
    for (auto& m : d.result.models) {
      std::vector<std::string> r{m.model, fixed(m.mase, 2), fixed(m.relative_mase, 2), fixed(m.smape, 1)};
      for (size_t i = 0; i < nl; ++i) r.push_back(percent(m.coverage[i]));
      std::string origins = std::to_string(m.origins_scored);
      if (m.failures) origins += " (" + std::to_string(m.failures) + " failed)";
      if (m.fallbacks) origins += " (" + std::to_string(m.fallbacks) + " fell back)";
      r.push_back(origins);
      r.push_back(chosen_text(m));
      rows.push_back(std::move(r));
    }
    print_aligned(rows, right);
    for (auto& n : d.notes) std::cout << "note: " << n << "\n";
    if (!d.verdict.empty()) std::cout << "verdict: " << d.verdict << "\n";
    // The verdict compares with ETS; the table may hold a better model still.
    const ModelScore* best = nullptr;
    for (auto& m : d.result.models)
      if (std::isfinite(m.mase) && (!best || m.mase < best->mase)) best = &m;
    if (best && d.result.models.size() > 1)
      std::cout << "lowest MASE: " << best->model << " (" << fixed(best->mase, 2) << ")\n";
  }

  // Across groups: the geometric mean of relative MASE (a ratio), and how often
  // each model beat seasonal naive (and, for the leading model, ETS).
  const size_t ng = run.groups.size();
  std::cout << "\nsummary over " << ng << (ng == 1 ? " group" : " groups")
            << " (vs snaive: geometric mean of relative MASE; below 1 beats seasonal naive)\n";
  std::vector<std::vector<std::string>> rows{{"model", "vs snaive", "beats snaive in", "beats ets in"}};
  for (const ModelSummary& m : run.summary.models)
    rows.push_back({m.model, m.scored ? fixed(m.relative_mase, 2) : "-",
                    std::to_string(m.beats_snaive) + " of " + std::to_string(m.scored),
                    m.compared_with_ets ? std::to_string(m.beats_ets) + " of " + std::to_string(m.compared_with_ets)
                                        : "-"});
  print_aligned(rows, {false, true, true, true});
  if (run.summary.upstream_helps)
    std::cout << "leading: the upstream terms help (MASE below log-ar1's) in " << *run.summary.upstream_helps
              << " of " << ng << (ng == 1 ? " group" : " groups") << "\n";
}

}  // namespace

void add_forecast_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<ForecastOptions>();
  auto* cmd = app.add_subcommand("forecast", "Forecast monthly series with prediction intervals");
  add_common_options(*cmd, *o);
  auto* model = cmd->add_option("--model", o->model, "auto (chosen per series by back-test), naive, snaive, ets, damped, theta, combination, an ETS "
                                 "model such as ETS(A,N,N), or log-ar1")
                    ->capture_default_str();
  cmd->add_option("--history", o->history, "months of history shown before the forecast")->capture_default_str();
  cmd->footer(
      "One forecast per --by group (the --top largest). auto back-tests naive, seasonal naive, ETS,\n"
      "Theta and their combination on the last 12 origins of the series' own history, keeps the one\n"
      "with the lowest MASE and calibrates its intervals on the back-test's errors; it says which\n"
      "model won and by how much. Forecasts are never below 0.\n"
      "With --leading, the series is forecast from upstream checkpoints of the same citizenship\n"
      "at their transit lags; check with `atalaya backtest ... --leading ...` whether that helps.\n\n"
      "Examples:\n"
      "  atalaya forecast --source pa-snm-darien --citizenship VEN --horizon 6\n"
      "  atalaya forecast --source us-cbp-swb-nat --by citizenship --top 5 --format csv\n"
      "  atalaya forecast --source us-cbp-swb-nat --citizenship HTI --horizon 3 --leading pa-snm-darien,mx-upm-irregular");
  cmd->callback([o, model, &global, &status] {
    run_forecast(*o, model->count() > 0, global);
    status = 0;
  });
}

void add_backtest_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<ForecastOptions>();
  o->horizon = 6;
  auto* cmd = app.add_subcommand("backtest", "Score forecasting models on rolling origins: MASE, sMAPE, coverage");
  add_common_options(*cmd, *o);
  cmd->add_option("--origins", o->origins, "forecast origins scored (the last N that leave --horizon months)")
      ->capture_default_str();
  cmd->add_option("--models", o->models,
                  "models to score (comma-separated): snaive, naive, ets, damped, theta, combination, auto, an "
                  "ETS model, log-ar1, leading "
                  "[default: snaive,naive,ets, plus log-ar1,leading with --leading]")
      ->delimiter(',');
  cmd->footer(
      "Each model is refitted at every origin on the data before it and forecasts --horizon months.\n"
      "MASE is scaled by the in-sample seasonal naive error; 'vs snaive' below 1 beats seasonal naive.\n"
      "Coverage is the share of actuals inside each prediction interval. With --leading, log-ar1 is\n"
      "the leading model's regression without the upstream series: the control that shows whether\n"
      "the upstream adds anything.\n\n"
      "Examples:\n"
      "  atalaya backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12\n"
      "  atalaya backtest --source us-cbp-swb-nat --citizenship HTI,VEN,CUB --by citizenship --horizon 3 \\\n"
      "      --leading pa-snm-darien");
  cmd->callback([o, &global, &status] {
    run_backtest(*o, global);
    status = 0;
  });
}

}  // namespace atalaya::cli
