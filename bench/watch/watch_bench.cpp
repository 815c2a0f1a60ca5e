// The watch benchmark, Atalaya's side: generates a simulated hemisphere of
// monthly series (every reporting country of the Americas, a set of
// checkpoints in each, a set of citizenships at each checkpoint), times
// evaluate_triggers on it with a trigger file (the common set,
// triggers/default.toml), and writes the same series for the numpy/pandas
// peer (watch_peer.py) so both evaluate identical data. bench/watch/run
// drives both; bench/README.md explains every figure.
//
// Deterministic: the data depend only on the seed and the sizes (a
// hand-written SplitMix64 generator and distributions, so no library's
// choice of algorithm changes them).
//
//   bench_watch --triggers triggers/default.toml --out DIR [--runs 3]
//               [--seed N] [--reporters 35] [--checkpoints 20]
//               [--citizenships 150] [--months 120] [--profile]
//
// --profile generates, builds the cube and evaluates the trigger file once,
// writing nothing: for perf or valgrind --tool=callgrind on a smaller hemisphere.
// --dump FILE (with --profile) also writes that evaluation in full (every
// firing with its evidence, the counts, the notes, and every evaluated key
// of a second evaluation that records them all), so a change meant only to
// make evaluation faster can be shown to leave its output byte-identical.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/route.h"
#include "atalaya/core/country.h"
#include "atalaya/core/parallel_chunks.h"
#include "atalaya/core/input_error.h"
#include "atalaya/warning/evaluate.h"
#include "atalaya/warning/trigger.h"

namespace {

using namespace atalaya;
namespace fs = std::filesystem;

// watch on a store with no active alert: only active alerts' keys are
// recorded as evaluated, so none are (see evaluate.h).
const std::vector<Alert> no_alerts;

// --- options -------------------------------------------------------------------

struct Options {
  std::string triggers = "triggers/default.toml";
  std::string out;
  int runs = 3;
  uint64_t seed = 20250601;
  int reporters = 35;
  int checkpoints = 20;
  int citizenships = 150;
  int months = 120;
  bool profile = false;
  std::string dump;  // --dump FILE: every firing in full, for checking that a change keeps the output
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_watch: " << problem << "\n"
            << "usage: bench_watch --triggers FILE --out DIR [--runs N] [--seed N] [--reporters N]\n"
            << "                   [--checkpoints N] [--citizenships N] [--months N] [--profile [--dump FILE]]\n";
  std::exit(2);
}

long positive(const std::string& flag, const std::string& text, long max) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (errno || end == text.c_str() || *end || v < 1 || v > max)
    usage(flag + " must be a whole number from 1 to " + std::to_string(max) + " (got '" + text + "')");
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--profile") {
      o.profile = true;
      continue;
    }
    if (i + 1 >= argc) usage(a + " needs a value");
    std::string v = argv[++i];
    if (a == "--triggers") o.triggers = v;
    else if (a == "--dump") o.dump = v;
    else if (a == "--out") o.out = v;
    else if (a == "--runs") o.runs = static_cast<int>(positive(a, v, 100));
    else if (a == "--seed") o.seed = std::stoull(v);
    else if (a == "--reporters") o.reporters = static_cast<int>(positive(a, v, 35));
    else if (a == "--checkpoints") o.checkpoints = static_cast<int>(positive(a, v, 99));
    else if (a == "--citizenships") o.citizenships = static_cast<int>(positive(a, v, 240));
    else if (a == "--months") o.months = static_cast<int>(positive(a, v, 600));
    else usage("unknown option " + a);
  }
  if (!o.profile && o.out.empty()) usage("--out is required (unless --profile)");
  if (!o.dump.empty() && !o.profile) usage("--dump goes with --profile");
  return o;
}

// --- deterministic randomness -----------------------------------------------------

uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// SplitMix64 with the distributions the generator needs, written out so the
// data do not depend on a standard library's algorithms.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() { return mix(state_ += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int integer(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }  // [lo, hi]
  double normal() {  // Box-Muller, one of the pair
    double u = 1.0 - uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2 * M_PI * uniform());
  }
  // Poisson: Knuth's product of uniforms below 30, the normal approximation above.
  int64_t poisson(double lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const double limit = std::exp(-lambda);
      int64_t k = 0;
      for (double p = uniform(); p > limit; p *= uniform()) ++k;
      return k;
    }
    return std::max<int64_t>(0, std::llround(lambda + std::sqrt(lambda) * normal()));
  }

 private:
  uint64_t state_;
};

uint64_t seed_for(uint64_t seed, uint64_t kind, uint64_t a, uint64_t b = 0) {
  return mix(mix(mix(seed ^ (kind * 0x100000001b3ULL)) ^ a) ^ (b * 0x2545f4914f6cdd1dULL));
}

// --- the simulated hemisphere ---------------------------------------------------------

// Every sovereign country of the Americas: the reporters.
constexpr const char* kAmericas[] = {"ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CAN", "CHL",
                                     "COL", "CRI", "CUB", "DMA", "DOM", "ECU", "GRD", "GTM", "GUY",
                                     "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN", "PER",
                                     "PRY", "SLV", "SUR", "TTO", "URY", "USA", "VCT", "VEN"};
constexpr const char* kEvents[] = {"irregular_transit", "irregular_event", "encounter"};

struct Checkpoint {
  std::string source, reporter, event;
};

struct Hemisphere {
  std::vector<Checkpoint> checkpoints;
  std::vector<std::string> citizenships;
  Period first_month;
  int months = 0;
  std::vector<StoredSeries> series;  // checkpoint-major: row = checkpoint * citizenships + citizenship
  uint64_t surges_at_end = 0, surges_earlier = 0, new_flows = 0;
};

// The citizenships: the Americas first, then the rest of the country table.
std::vector<std::string> pick_citizenships(int n) {
  std::vector<std::string> out(std::begin(kAmericas), std::end(kAmericas));
  std::set<std::string> seen(out.begin(), out.end());
  for (const Country& c : all_countries()) {
    if (static_cast<int>(out.size()) >= n) break;
    if (seen.insert(c.alpha3).second) out.push_back(c.alpha3);
  }
  if (static_cast<int>(out.size()) < n) usage("--citizenships: the country table has only " + std::to_string(out.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Sources are named sim-<reporter>-NN. Each checkpoint of a route (from the
// upstream triggers) becomes its reporter's checkpoint 01, renamed to the
// route's simulator source (sim-*, else its first source) with the event the
// route selects there, so the upstream trigger finds data too.
std::vector<Checkpoint> make_checkpoints(const Options& o, const TriggerSet& set, std::vector<std::string>& notes) {
  std::vector<Checkpoint> out;
  for (int r = 0; r < o.reporters; ++r) {
    std::string lower = kAmericas[r];
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
    for (int c = 0; c < o.checkpoints; ++c) {
      char name[32];
      std::snprintf(name, sizeof name, "sim-%s-%02d", lower.c_str(), c + 1);
      out.push_back({name, kAmericas[r], kEvents[c % 3]});
    }
  }
  for (const Trigger& t : set.triggers) {
    if (t.rule != RuleType::Upstream || !t.route) continue;
    for (const RouteCheckpoint& cp : t.route->checkpoints) {
      auto it = std::find_if(out.begin(), out.end(), [&](const Checkpoint& c) {
        return c.reporter == cp.reporter && c.source.rfind("sim-", 0) == 0;
      });
      if (cp.sources.empty() || it == out.end()) {
        notes.push_back("route " + t.route->id + ": checkpoint " + cp.id + " (" + cp.reporter +
                        ") has no simulated source");
        continue;
      }
      // The simulator's source id when the route names one, else the first.
      auto sim = std::find_if(cp.sources.begin(), cp.sources.end(),
                              [](const std::string& id) { return id.rfind("sim-", 0) == 0; });
      it->source = sim != cp.sources.end() ? *sim : cp.sources.front();
      if (auto ev = cp.selection.find("event"); ev != cp.selection.end() && !ev->second.empty())
        it->event = ev->second.front();
      for (auto& [dim, values] : cp.selection)
        if (dim != "event")
          notes.push_back("route " + t.route->id + ": checkpoint " + cp.id + " also selects " + dim +
                          ", which the simulated series leave empty");
    }
  }
  return out;
}

// One series' monthly counts. Level: log-normal (checkpoint size x
// citizenship popularity x the pair's own factor; median about 20 a month,
// about 5% at 1,000 or more); a yearly season of its own amplitude and
// phase; a trend; overdispersed Poisson noise. A few percent carry a surge
// (2 to 6 times the level for 1 to 6 months), half of them still under way
// in the latest month; about 1% are new flows, zero until they open.
std::vector<double> simulate(uint64_t seed, size_t checkpoint, size_t citizenship, size_t reporter, int months,
                             Hemisphere& h) {
  Rng cp_rng(seed_for(seed, 1, checkpoint));
  Rng cit_rng(seed_for(seed, 2, citizenship));
  Rng rep_rng(seed_for(seed, 3, reporter));
  Rng rng(seed_for(seed, 4, checkpoint, citizenship));
  const double checkpoint_size = 1.0 * cp_rng.normal();
  const double popularity = 1.6 * cit_rng.normal();
  const double reporter_phase = rep_rng.uniform(0, 12);

  const double log_level = std::log(20.0) + checkpoint_size + popularity + 1.5 * rng.normal();
  const double amplitude = rng.uniform(0.05, 0.45);
  const double phase = reporter_phase + rng.normal();
  const double slope = 0.2 * rng.normal();  // log units per year
  const double noise = rng.uniform(0.05, 0.25);

  std::vector<double> multiplier(static_cast<size_t>(months), 1.0);
  const double kind = rng.uniform();
  auto surge = [&](int start) {
    const double factor = rng.uniform(2, 6);
    const int ramp = rng.integer(1, 2), hold = rng.integer(1, 6), decay = 3;
    for (int i = 0; i < ramp + hold + decay; ++i) {
      const int t = start + i;
      if (t < 0 || t >= months) continue;
      double f = i < ramp ? 1 + (factor - 1) * (i + 1) / ramp
                          : i < ramp + hold ? factor : 1 + (factor - 1) * (ramp + hold + decay - i) / (decay + 1);
      multiplier[static_cast<size_t>(t)] *= f;
    }
  };
  if (kind < 0.02) {
    surge(months - rng.integer(1, 8));
    ++h.surges_at_end;
  } else if (kind < 0.04) {
    surge(rng.integer(std::min(24, months - 1), std::max(0, months - 12)));
    ++h.surges_earlier;
  } else if (kind < 0.05) {
    const int open = rng.integer(std::min(24, months - 1), std::max(0, months - 24));
    for (int t = 0; t < months; ++t)
      multiplier[static_cast<size_t>(t)] = t < open ? 0.0 : std::min(1.0, (t - open + 1) / 6.0);
    ++h.new_flows;
  }

  std::vector<double> y(static_cast<size_t>(months));
  for (int t = 0; t < months; ++t) {
    const double log_mean = log_level + slope * (t - (months - 1)) / 12.0 +
                            amplitude * std::cos(2 * M_PI * (t - phase) / 12.0) + noise * rng.normal();
    y[static_cast<size_t>(t)] = static_cast<double>(rng.poisson(std::exp(log_mean) * multiplier[static_cast<size_t>(t)]));
  }
  return y;
}

// Generates the hemisphere; with `matrix` set, also writes each series as a
// row of float64 (native little-endian) as it goes.
Hemisphere generate(const Options& o, const TriggerSet& set, std::vector<std::string>& notes, std::FILE* matrix) {
  Hemisphere h;
  h.checkpoints = make_checkpoints(o, set, notes);
  h.citizenships = pick_citizenships(o.citizenships);
  h.months = o.months;
  h.first_month = Period::month(2024, 12).plus_months(1 - o.months);  // ends December 2024
  h.series.reserve(h.checkpoints.size() * h.citizenships.size());
  for (size_t c = 0; c < h.checkpoints.size(); ++c) {
    const Checkpoint& cp = h.checkpoints[c];
    for (size_t k = 0; k < h.citizenships.size(); ++k) {
      std::vector<double> y = simulate(o.seed, c, k, c / static_cast<size_t>(o.checkpoints), o.months, h);
      if (matrix && std::fwrite(y.data(), sizeof(double), y.size(), matrix) != y.size())
        throw std::runtime_error("cannot write the series matrix");
      StoredSeries s;
      s.key.source = cp.source;
      s.key.reporter = cp.reporter;
      s.key.citizenship = h.citizenships[k];
      s.key.event = cp.event;
      s.unit = Unit::Events;
      s.points.resize(y.size());
      // Every month is stored, zeros included, so each group is exactly the
      // row the peer reads (a store would omit the zeros; Cube::monthly
      // fills them back in, except before a series' first value).
      for (size_t t = 0; t < y.size(); ++t)
        s.points[t] = StoredPoint{h.first_month.plus_months(static_cast<int>(t)), static_cast<int64_t>(y[t]),
                                  Status::Final, 1};
      h.series.push_back(std::move(s));
    }
  }
  return h;
}

// --- the like-for-like set ----------------------------------------------------------------

// The trigger set without what the peer cannot do fairly in vectorised form:
// upstream triggers are dropped (route lag estimation) and an ETS forecast
// becomes a seasonal naive one. `changes` says what was done.
TriggerSet comparable_subset(const TriggerSet& set, std::vector<std::string>& changes) {
  TriggerSet out = set;
  out.triggers.clear();
  for (const Trigger& t : set.triggers) {
    if (t.rule == RuleType::Upstream) {
      changes.push_back(t.id + ": left out (upstream: route lag estimation)");
      continue;
    }
    Trigger c = t;
    if (auto* f = std::get_if<ForecastExceedanceRule>(&c.detector); f && f->model != ForecastModel::SeasonalNaive) {
      changes.push_back(t.id + ": model " + std::string(forecast_model_name(f->model)) + " -> snaive");
      f->model = ForecastModel::SeasonalNaive;
    }
    out.triggers.push_back(std::move(c));
  }
  return out;
}

nlohmann::json rule_json(const Trigger& t) {
  nlohmann::json j;
  j["id"] = t.id;
  j["rule"] = std::string(rule_name(t.detector));
  j["minimum_volume"] = t.minimum_volume;
  std::visit(
      [&](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if (r.direction != Direction::Up)
          throw std::runtime_error(t.id + ": the peer implements direction = up only");
        if constexpr (std::is_same_v<R, ThresholdRule>) {
          j["level"] = r.level;
        } else if constexpr (std::is_same_v<R, GrowthRule>) {
          j["compare"] = std::string(growth_compare_name(r.compare));
          j["window"] = r.window;
          j["ratio"] = r.ratio;
          j["min_increase"] = r.min_increase;
        } else if constexpr (std::is_same_v<R, SeasonalAnomalyRule>) {
          j["z_threshold"] = r.z_threshold;
          j["years"] = r.years;
          j["reference_months"] = r.reference_months;
          j["min_reference_months"] = r.min_reference_months;
          j["min_scale"] = r.min_scale;
        } else if constexpr (std::is_same_v<R, CusumRule> || std::is_same_v<R, EwmaRule>) {
          if constexpr (std::is_same_v<R, CusumRule>) {
            j["k"] = r.k;
            j["h"] = r.h;
          } else {
            j["lambda"] = r.lambda;
            j["L"] = r.L;
          }
          j["monitor_months"] = r.monitor_months;
          j["training_months"] = r.training_months;
          j["min_training_months"] = r.min_training_months;
          j["basis"] = std::string(chart_basis_name(r.basis));
          j["min_scale"] = r.min_scale;
        } else if constexpr (std::is_same_v<R, ForecastExceedanceRule>) {
          j["model"] = std::string(forecast_model_name(r.model));
          j["level"] = r.level;
          j["min_training_months"] = r.min_training_months;
        }
      },
      t.detector);
  return j;
}

// --- measuring --------------------------------------------------------------------------

template <class F>
double seconds(F&& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// KiB from /proc/self/status (VmRSS, VmHWM); 0 if unreadable.
long proc_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const size_t len = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0 && line.size() > len && line[len] == ':') return std::stol(line.substr(len + 1));
  return 0;
}

// Resets the peak resident set (VmHWM) to the current one, so a later VmHWM
// is the peak of what ran in between. Linux only; false if refused.
bool reset_peak_rss() {
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.flush();
  return static_cast<bool>(f);
}

std::string group(double x, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s(buf);
  size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (long i = static_cast<long>(end) - 3; i > (s[0] == '-' ? 1 : 0); i -= 3) s.insert(static_cast<size_t>(i), 1, ',');
  return s;
}

std::string mib(long kib) { return group(static_cast<double>(kib) / 1024.0, 0) + " MiB"; }

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Wall time is the figure; CPU time is reported beside it because the
// machine may be shared (on a loaded machine wall time grows, CPU time
// much less). evaluate_triggers uses every core unless told `threads`.
struct Timed {
  double median_s = 0, best_s = 0, median_cpu_s = 0;
  Evaluation result;  // of the last run
};

Timed time_evaluation(const Cube& cube, const TriggerSet& set, int runs, int threads = 0) {
  Timed t;
  std::vector<double> times, cpu;
  for (int i = 0; i < runs; ++i) {
    Evaluation e;
    const double c0 = cpu_now();
    times.push_back(seconds([&] { e = evaluate_triggers(cube, set, &no_alerts, threads); }));
    cpu.push_back(cpu_now() - c0);
    t.result = std::move(e);
  }
  t.median_s = median(times);
  t.best_s = *std::min_element(times.begin(), times.end());
  t.median_cpu_s = median(cpu);
  return t;
}

std::map<std::string, uint64_t> firings_by_trigger(const Evaluation& e) {
  std::map<std::string, uint64_t> out;
  for (const Firing& f : e.firings) ++out[f.trigger];
  return out;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

// "growth", "forecast_exceedance (ets)", "upstream".
std::string rule_label(const Trigger& t) {
  if (t.rule == RuleType::Upstream) return "upstream";
  std::string label(rule_name(t.detector));
  if (auto* f = std::get_if<ForecastExceedanceRule>(&t.detector))
    label += " (" + std::string(forecast_model_name(f->model)) + ")";
  return label;
}

// An evaluation as text, every number to 17 digits (see --dump).
std::string dump_text(const Evaluation& e, const Evaluation& recording_all) {
  std::ostringstream out;
  auto num = [](double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return std::string(buf);
  };
  out << "series_evaluated " << e.series_evaluated << "\nbelow_volume " << e.below_volume << "\nfirings "
      << e.firings.size() << "\n";
  for (const Firing& f : e.firings) {
    const AlertEvidence& v = f.evidence;
    out << f.trigger << " | " << f.trigger_name << " | " << f.rule << " | " << key_text(f.key) << " | "
        << f.period.to_string() << " | " << severity_name(f.severity) << " | value " << num(v.value) << " baseline "
        << num(v.baseline) << " threshold " << num(v.threshold) << " score " << num(v.score) << " | "
        << v.explanation << " | recent from " << v.recent_start.to_string() << ":";
    for (double x : v.recent) out << " " << num(x);
    out << " | " << v.source_checkpoint << " | window " << (f.window_from ? f.window_from->to_string() : "-") << " "
        << (f.window_to ? f.window_to->to_string() : "-") << "\n";
  }
  for (const std::string& n : e.notes) out << "note " << n << "\n";
  std::vector<std::string> evaluated;
  for (auto& [k, month] : recording_all.evaluated) evaluated.push_back(k + " " + month.to_string());
  std::sort(evaluated.begin(), evaluated.end());
  out << "evaluated keys (recording all) " << evaluated.size() << "\n";
  for (auto& k : evaluated) out << k << "\n";
  return out.str();
}

struct Row {
  std::string id, rule;
  double total_s = -1, detect_s = -1;  // -1: not measured
  uint64_t evaluated = 0, below = 0, fired = 0;
};

int run(const Options& o) {
  const TriggerSet set = load_trigger_file(o.triggers);
  std::vector<std::string> changes;
  const TriggerSet same = comparable_subset(set, changes);

  // 1. The hemisphere (and the peer's copy of it).
  std::vector<std::string> notes;
  fs::path out(o.out);
  std::FILE* matrix = nullptr;
  if (!o.profile) {
    fs::create_directories(out);
    matrix = std::fopen((out / "series.f64").c_str(), "wb");
    if (!matrix) throw std::runtime_error("cannot create " + (out / "series.f64").string());
  }
  Hemisphere h;
  const double generate_s = seconds([&] { h = generate(o, set, notes, matrix); });
  if (matrix && std::fclose(matrix) != 0) throw std::runtime_error("cannot write the series matrix");
  const size_t n_series = h.series.size();

  std::unordered_map<std::string, size_t> row_of;  // source \x1f citizenship -> row
  if (!o.profile) {
    std::string keys = "row,source,reporter,citizenship,event\n";
    for (size_t i = 0; i < n_series; ++i) {
      const SeriesKey& k = h.series[i].key;
      keys += std::to_string(i) + "," + k.source + "," + k.reporter + "," + k.citizenship + "," + k.event + "\n";
      row_of.emplace(k.source + '\x1f' + k.citizenship, i);
    }
    write_text(out / "keys.csv", keys);
  }
  uint64_t at_1000 = 0, at_2000 = 0, at_30000 = 0;
  for (const StoredSeries& s : h.series) {
    const double last = static_cast<double>(s.points.back().value);
    at_1000 += last >= 1000;
    at_2000 += last >= 2000;
    at_30000 += last >= 30000;
  }
  const auto hemisphere_info = std::make_tuple(h.checkpoints.size(), h.citizenships.size(), h.surges_at_end,
                                               h.surges_earlier, h.new_flows);

  // 2. The cube (the generator's copy moves into it).
  Cube cube;
  const double cube_s = seconds([&] { cube = Cube(std::move(h.series)); });
  const long rss_cube = proc_kib("VmRSS");

  if (o.profile) {
    Evaluation e;
    const double s = seconds([&] { e = evaluate_triggers(cube, set, &no_alerts); });
    std::cout << "profile: " << n_series << " series, " << e.series_evaluated << " rule evaluations, "
              << e.below_volume << " below volume, " << e.firings.size() << " firings in " << s << " s\n";
    if (!o.dump.empty()) write_text(o.dump, dump_text(e, evaluate_triggers(cube, set, nullptr)));
    return 0;
  }

  // 3. Every trigger of the file (the headline figure).
  const bool peak_reset = reset_peak_rss();
  const long rss_before = proc_kib("VmRSS");
  const Timed full = time_evaluation(cube, set, o.runs);
  const long peak_during = peak_reset ? proc_kib("VmHWM") : 0;

  // 4. The like-for-like set, and its firings for the peer to compare with.
  const Timed like = time_evaluation(cube, same, o.runs);
  // The same on one thread: against the single-threaded peer core for core,
  // and the run the breakdown below divides.
  const Timed like_1t = time_evaluation(cube, same, o.runs, 1);
  {
    std::string csv = "trigger,row\n";
    for (const Firing& f : like.result.firings) {
      auto it = row_of.find(f.key.at("source") + '\x1f' + f.key.at("citizenship"));
      if (it == row_of.end()) throw std::runtime_error(f.trigger + ": a firing on a group that is not one series");
      csv += f.trigger + "," + std::to_string(it->second) + "\n";
    }
    write_text(out / "atalaya_firings.csv", csv);
  }

  // 5. Breakdown: each trigger alone, the file's and the peer's variants (its
  // groups are built again each time, so the grouping time is measured
  // separately and taken off).
  std::vector<const Trigger*> breakdown;
  for (const Trigger& t : set.triggers) breakdown.push_back(&t);
  for (const Trigger& t : same.triggers)
    if (std::none_of(set.triggers.begin(), set.triggers.end(),
                     [&](const Trigger& s) { return s.id == t.id && rule_label(s) == rule_label(t); }))
      breakdown.push_back(&t);
  // Grouping as evaluate.cpp does it, on one thread: the selection's groups
  // (Cube::monthly_groups), the latest month of each (the volume gate), and
  // the series of the groups whose latest month reaches the lowest minimum
  // volume of the set's gated rules (the ones a rule reads). Beside it,
  // Cube::monthly building every group, as other readers of the cube do.
  double lowest_gate = std::numeric_limits<double>::infinity();
  for (const Trigger& t : same.triggers)
    if (t.rule != RuleType::Threshold) lowest_gate = std::min(lowest_gate, t.minimum_volume);
  std::vector<double> grouping, monthly_all;
  for (int i = 0; i < o.runs; ++i) {
    grouping.push_back(seconds([&] {
      const MonthlyGroups g = cube.monthly_groups(same.triggers.front().selection);
      std::vector<MonthlySeries> read;
      for (size_t k = 0; k < g.size(); ++k)
        if (g.latest(k) >= lowest_gate) read.push_back(g.series(k));
    }));
    monthly_all.push_back(seconds([&] { (void)cube.monthly(same.triggers.front().selection); }));
  }
  const double grouping_s = median(grouping), monthly_all_s = median(monthly_all);
  std::vector<Row> rows;
  for (const Trigger* t : breakdown) {
    Row r;
    r.id = t->id;
    r.rule = rule_label(*t);
    // The detectors alone, over groups built beforehand, behind the same
    // volume gate as evaluate.cpp. A trigger that takes seconds (ETS) runs
    // once; the others `runs` times.
    if (t->rule != RuleType::Upstream) {
      const std::vector<MonthlySeries> groups = cube.monthly(t->selection);
      const bool gate = t->rule != RuleType::Threshold;
      std::vector<double> times;
      for (int i = 0; i < o.runs && (times.empty() || times.back() < 2.0); ++i) {
        uint64_t evaluated = 0, fired = 0;
        times.push_back(seconds([&] {
          for (const MonthlySeries& g : groups) {
            if (g.values.empty() || (gate && g.values.back() < t->minimum_volume)) continue;
            ++evaluated;
            auto d = detect(std::span<const double>(g.values), t->detector);
            fired += d && d->fired;
          }
        }));
        r.evaluated = evaluated;
        r.below = groups.size() - evaluated;
        r.fired = fired;
      }
      r.detect_s = median(times);
    }
    // The trigger through evaluate_triggers (grouping included), unless its
    // detectors alone took seconds.
    if (r.detect_s < 2.0) {
      TriggerSet one = set;
      one.triggers = {*t};
      Timed alone = time_evaluation(cube, one, o.runs);
      r.total_s = alone.median_s;
      r.evaluated = alone.result.series_evaluated;
      r.below = alone.result.below_volume;
      r.fired = alone.result.firings.size();
    }
    rows.push_back(r);
  }
  auto row_for = [&](const Trigger& t) -> const Row& {
    for (const Row& r : rows)
      if (r.id == t.id && r.rule == rule_label(t)) return r;
    throw std::logic_error("no breakdown row for " + t.id);
  };

  // 6. Report.
  const auto [n_checkpoints, n_citizenships, surges_end, surges_earlier, new_flows] = hemisphere_info;
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const long peak_process = ru.ru_maxrss;

  std::ostringstream rep;
  rep << "hemisphere: " << group(static_cast<double>(n_series)) << " series of " << o.months << " months ("
      << o.reporters << " reporting countries x " << o.checkpoints << " checkpoints = " << n_checkpoints
      << " sources, x " << n_citizenships << " citizenships; seed " << o.seed << ")\n"
      << "  latest month >= 1,000: " << group(at_1000) << ", >= 2,000: " << group(at_2000)
      << ", >= 30,000: " << group(at_30000) << "; surges under way at the end: " << group(surges_end)
      << ", earlier surges: " << group(surges_earlier) << ", new flows: " << group(new_flows) << "\n"
      << "  generated in " << group(generate_s, 2) << " s, cube built in " << group(cube_s, 2) << " s (not timed below)\n";
  for (auto& n : notes) rep << "  note: " << n << "\n";
  rep << "\n";
  auto describe = [&](const std::string& title, const TriggerSet& s, const Timed& t) {
    const Evaluation& e = t.result;
    rep << title << " (" << s.triggers.size() << " triggers, " << o.triggers << "): median of " << o.runs
        << " run(s) " << group(t.median_s, 3) << " s (best " << group(t.best_s, 3) << " s; CPU "
        << group(t.median_cpu_s, 3) << " s)\n"
        << "  (trigger, series) pairs: " << group(static_cast<double>(e.series_evaluated + e.below_volume))
        << " = " << group(static_cast<double>(e.series_evaluated)) << " rule evaluations + "
        << group(static_cast<double>(e.below_volume)) << " below the minimum volume\n"
        << "  firings: " << group(static_cast<double>(e.firings.size())) << " (";
    bool first = true;
    for (auto& [id, n] : firings_by_trigger(e)) {
      rep << (first ? "" : ", ") << id << " " << group(static_cast<double>(n));
      first = false;
    }
    rep << ")\n"
        << "  series/s (series of the hemisphere through every trigger): "
        << group(static_cast<double>(n_series) / t.median_s) << "\n"
        << "  rule evaluations/s: " << group(static_cast<double>(e.series_evaluated) / t.median_s)
        << "; (trigger, series) pairs/s: "
        << group(static_cast<double>(e.series_evaluated + e.below_volume) / t.median_s) << "\n";
    for (auto& n : e.notes) rep << "  note: " << n << "\n";
  };
  describe("all triggers", set, full);
  rep << "\n";
  describe("same rules as the peer", same, like);
  for (auto& c : changes) rep << "  vs the file: " << c << "\n";
  rep << "\nper trigger: \"alone\" = evaluate_triggers with that trigger only (grouping included);\n"
      << "  \"detectors\" = the detect() calls only, on groups built beforehand, behind the same volume gate\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %-18s %-28s %10s %10s %8s %10s %11s %14s\n", "trigger", "rule", "evaluated",
                "below vol.", "firings", "alone ms", "detect ms", "detections/s");
  rep << line;
  auto ms = [](double s) { return s < 0 ? std::string("-") : group(s * 1000, 1); };
  for (const Row& r : rows) {
    std::snprintf(line, sizeof line, "  %-18s %-28s %10s %10s %8s %10s %11s %14s\n", r.id.c_str(), r.rule.c_str(),
                  group(static_cast<double>(r.evaluated)).c_str(), group(static_cast<double>(r.below)).c_str(),
                  group(static_cast<double>(r.fired)).c_str(), ms(r.total_s).c_str(), ms(r.detect_s).c_str(),
                  r.detect_s > 0 && r.evaluated ? group(static_cast<double>(r.evaluated) / r.detect_s).c_str() : "-");
    rep << line;
  }
  double same_detect_s = 0;
  for (const Trigger& t : same.triggers) same_detect_s += row_for(t).detect_s;
  const double rest_s = like_1t.median_s - grouping_s - same_detect_s;
  rep << "\nsame rules on one thread: median " << group(like_1t.median_s, 3) << " s (CPU " << group(like_1t.median_cpu_s, 3)
      << " s); on every core (" << hardware_threads() << "): " << group(like.median_s, 3) << " s (CPU "
      << group(like.median_cpu_s, 3) << " s)\n";
  rep << "where the like-for-like set's " << ms(like_1t.median_s) << " ms on one thread go: grouping (Cube::monthly_groups, "
      << "latest months, the groups read; once) " << ms(grouping_s) << " ms, detectors " << ms(same_detect_s)
      << " ms, the rest " << ms(rest_s)
      << " ms (evaluate.cpp around the detectors: per (trigger, series) key and evaluated-record bookkeeping)\n";
  rep << "\nmemory: " << mib(rss_cube) << " resident with the cube built; peak while evaluating "
      << (peak_reset ? mib(peak_during) + " (+" + mib(peak_during - rss_before) + " over the cube)" : "n/a")
      << "; process peak " << mib(peak_process) << "\n";
  std::cout << rep.str();

  // The figures bench/watch/run prints, and the peer's instructions.
  std::ostringstream kv;
  kv << "series=" << n_series << "\nmonths=" << o.months << "\nsources=" << n_checkpoints
     << "\ncitizenships=" << n_citizenships << "\nfull_s=" << full.median_s << "\nfull_cpu_s=" << full.median_cpu_s
     << "\nfull_triggers=" << set.triggers.size() << "\nfull_evaluated=" << full.result.series_evaluated
     << "\nfull_below=" << full.result.below_volume << "\nfull_firings=" << full.result.firings.size()
     << "\nsame_s=" << like.median_s << "\nsame_cpu_s=" << like.median_cpu_s << "\nsame_triggers=" << same.triggers.size()
     << "\nsame_evaluated=" << like.result.series_evaluated << "\nsame_below=" << like.result.below_volume
     << "\nsame_firings=" << like.result.firings.size() << "\nrss_cube_kib=" << rss_cube
     << "\ngrouping_s=" << grouping_s << "\nsame_detect_s=" << same_detect_s << "\nsame_rest_s=" << rest_s
     << "\nsame_1t_s=" << like_1t.median_s << "\nsame_1t_cpu_s=" << like_1t.median_cpu_s
     << "\nmonthly_all_s=" << monthly_all_s << "\nthreads=" << hardware_threads()
     << "\npeak_eval_kib=" << peak_during << "\npeak_process_kib=" << peak_process << "\n";
  write_text(out / "atalaya.txt", kv.str());

  nlohmann::json j;
  j["series"] = n_series;
  j["months"] = o.months;
  j["runs"] = o.runs;
  j["triggers"] = nlohmann::json::array();
  for (const Trigger& t : same.triggers) {
    if (t.selection.by != std::vector<std::string>{"source", "citizenship"})
      throw std::runtime_error(t.id + ": the peer reads one series per (source, citizenship) group");
    nlohmann::json r = rule_json(t);
    const Row& row = row_for(t);
    r["atalaya"] = {{"evaluated", row.evaluated}, {"below_volume", row.below}, {"firings", row.fired}};
    if (row.evaluated + row.below != n_series)
      throw std::runtime_error(t.id + ": selects " + std::to_string(row.evaluated + row.below) + " of the " +
                               std::to_string(n_series) + " series; the peer evaluates every series");
    j["triggers"].push_back(r);
  }
  j["changes"] = changes;
  write_text(out / "comparison.json", j.dump(2) + "\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "bench_watch: " << e.what() << "\n";
    return 1;
  }
}
