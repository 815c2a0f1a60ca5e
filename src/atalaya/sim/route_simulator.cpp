// Route simulator implementation: a small, fully deterministic model of
// monthly flows along the Darién -> Honduras -> Mexico -> U.S. route, with
// injected surges whose footprint at every checkpoint is computed exactly and
// written as ground truth.
//
// Model, per citizenship c and month t:
//   level     L(t) = base_c * exp(slope_c * years from mid-series)
//   Darién    D(t) = L(t) * S_darien(month) * A(t) + sum over events of
//                    (M - 1) * L(t) * shape(t)
//             A(t) = exp(AR(1)) slow random wobble, S_darien dips Sep–Nov
//             (rainy season) and peaks in the dry season Jan–Mar.
//   Honduras  H(t) = retain * sum_k w_k D(t-k) + joiners (e.g. via Nicaragua)
//   Mexico    X(t) = retain * sum_k w_k H(t-k) + joiners (e.g. by air)
//   U.S.      U(t) = retain * sum_k w_k X(t-k)
// Published counts are capture share (Mexico > 1: it counts events, with
// repeats) times the flow (times a spring-peak seasonality at the U.S.),
// then drawn as Poisson with a lognormal multiplier.
// Because the propagation is linear, an event's excess travels on its own
// through the same lags, which gives exact per-checkpoint ground truth.
#include "atalaya/sim/route_simulator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace atalaya::sim {
namespace {

namespace fs = std::filesystem;

// Months simulated before the first written month, so that every lag window
// of every checkpoint is filled by the first written month (3 hops x 3 months).
constexpr int kWarmup = 12;
constexpr int kMaxLag = 3;
constexpr double kPi = 3.14159265358979323846;
// Event footprint threshold: a month belongs to an event while its excess is
// at least this share of the event's peak excess (at that checkpoint).
constexpr double kFootprint = 0.10;
// Months kept free after an event's Darién end, so its downstream footprint
// fits in the window and does not run into the next event of the same group.
constexpr int kDownstreamMargin = 8;

// ---------------------------------------------------------------- random ---

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 0x100000001B3ull;
  }
  return h;
}

// A generator stream keyed by (seed, purpose), so that each series draws from
// its own stream: changing one part of the config does not reshuffle the rest.
// Only std::mt19937_64's raw output is used; its sequence is fixed by the
// standard, unlike std::*_distribution, which differs between libraries.
class Rng {
 public:
  Rng(uint64_t seed, std::string_view key) : eng_(splitmix64(seed ^ splitmix64(fnv1a(key)))) {}

  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(eng_() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_open() { return static_cast<double>((eng_() >> 11) + 1) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (inclusive); requires lo <= hi.
  int integer(int lo, int hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(eng_() % span);  // bias is negligible for tiny spans
  }
  // Standard normal by Box–Muller (one draw per call; the sine twin is
  // discarded to keep the stream position simple to reason about).
  double normal() {
    const double u1 = uniform_open();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }
  // Poisson(lambda): Knuth's product method for small means (exact, so small
  // series get realistic zeros), a rounded normal for large means.
  int64_t poisson(double lambda) {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const double limit = std::exp(-lambda);
      double p = 1.0;
      int64_t k = 0;
      do {
        ++k;
        p *= uniform();
      } while (p > limit);
      return k - 1;
    }
    const double x = std::floor(lambda + std::sqrt(lambda) * normal() + 0.5);
    return x < 0 ? 0 : static_cast<int64_t>(x);
  }

 private:
  std::mt19937_64 eng_;
};

// ----------------------------------------------------------- parameters ---

// Typical Darién-scale monthly level and the flows that join the route
// downstream without crossing the Darién (as a share of that level).
struct Profile {
  double base;
  double join_honduras;  // e.g. Cubans and Haitians flying to Nicaragua
  double join_mexico;    // e.g. Colombians, Ecuadorians, Indians flying to Mexico
};

Profile default_profile(const std::string& code) {
  struct Row {
    const char* code;
    Profile p;
  };
  static const Row kRows[] = {
      {"VEN", {7000, 0.05, 0.10}}, {"HTI", {3500, 0.30, 0.15}}, {"CUB", {1200, 1.00, 0.80}},
      {"ECU", {2500, 0.10, 0.60}}, {"COL", {900, 0.05, 1.50}},  {"CHN", {700, 0.10, 0.40}},
      {"IND", {250, 0.20, 1.00}},  {"AFG", {25, 0.05, 0.00}},   {"OOO", {600, 0.20, 0.30}},
  };
  for (const Row& r : kRows)
    if (code == r.code) return r.p;
  // Unknown code: a modest group whose size is fixed by its code alone.
  return Profile{100.0 + static_cast<double>(fnv1a(code) % 900), 0.10, 0.30};
}

// Group codes stand for "everyone else"; a surge of them is not a useful
// demo, so events pick real citizenships when there are any.
bool is_group_code(const std::string& code) {
  return code == "OOO" || code == "OTH" || code == "UNK" || code.rfind("XX", 0) == 0;
}

// Multiplicative seasonal factors by calendar month (Jan..Dec), mean 1.
std::array<double, 12> normalised(std::array<double, 12> f) {
  const double mean = std::accumulate(f.begin(), f.end(), 0.0) / 12.0;
  for (double& x : f) x /= mean;
  return f;
}
// Darién: dry season (Jan–Mar) is easiest; the rainy season peaks Sep–Nov.
const std::array<double, 12> kDarienSeason =
    normalised({1.12, 1.18, 1.15, 1.05, 1.00, 0.97, 1.00, 1.02, 0.90, 0.80, 0.83, 0.98});
// U.S. southwest border: the familiar spring peak, winter low.
const std::array<double, 12> kBorderSeason =
    normalised({0.90, 0.95, 1.08, 1.12, 1.12, 1.05, 1.00, 0.98, 0.97, 0.98, 0.95, 0.90});

using Lag = std::array<double, kMaxLag + 1>;  // weights over 0..3 months, sum 1

// One checkpoint on the route and its published file.
struct Checkpoint {
  const char* file;       // CSV name; the mapping has the same stem and ".toml"
  const char* source_id;
  const char* name;
  const char* reporter;
  const char* event;
  const char* location;   // nullptr: no fixed location in the mapping
  const char* unit;
  const char* col_period;
  const char* col_citizenship;
  const char* col_count;
  Lag lag;                // transit lag from the previous checkpoint
  double retain;          // share of upstream persons that continue this far
  double capture;         // published count per person passing (Mexico: events)
  double noise_sigma;     // lognormal reporting noise
};

const std::array<Checkpoint, 4> kCheckpoints = {{
    {"pa-darien.csv", "sim-pa-darien", "Simulated: irregular transit through the Darién", "PAN",
     "irregular_transit", "Darién", "persons", "month", "nationality", "persons",
     {1, 0, 0, 0}, 1.00, 1.00, 0.06},
    {"hn-irregular-entries.csv", "sim-hn-inm", "Simulated: irregular entries into Honduras", "HND",
     "irregular_transit", nullptr, "persons", "periodo", "nacionalidad", "personas",
     {0.25, 0.55, 0.15, 0.05}, 0.97, 0.85, 0.08},
    {"mx-irregular-events.csv", "sim-mx-upm", "Simulated: migrants in irregular situation in Mexico",
     "MEX", "irregular_event", nullptr, "events", "t", "nat", "n",
     {0.30, 0.50, 0.15, 0.05}, 0.95, 1.20, 0.07},
    {"us-sw-encounters.csv", "sim-us-cbp", "Simulated: U.S. southwest border encounters", "USA",
     "encounter", "Southwest Land Border", "events", "month", "citizenship", "encounters",
     {0.10, 0.40, 0.35, 0.15}, 0.97, 0.90, 0.04},
}};
constexpr size_t kDarien = 0, kHonduras = 1, kMexico = 2, kBorder = 3;

// An event as placed on the timeline (indices are written-month indices).
struct EventPlan {
  size_t citizenship;  // index into config.citizenships
  int start;           // first month of the rise
  int rise;            // months from start to peak (2..3)
  double tau;          // decay time constant after the peak, months
  double magnitude;    // peak Darién flow / level
  int peak() const { return start + rise; }
  // Last month whose excess is >= kFootprint of the peak excess.
  int end() const { return peak() + static_cast<int>(std::floor(tau * std::log(1.0 / kFootprint))); }
  // Share of the peak excess in written month t: linear rise, exponential decay.
  double shape(int t) const {
    if (t < start) return 0.0;
    if (t <= peak()) return static_cast<double>(t - start + 1) / (rise + 1);
    return std::exp(-(t - peak()) / tau);
  }
};

// ------------------------------------------------------------- helpers ---

std::string period_label(const SimulationConfig& cfg, int index) {
  const int m0 = cfg.first_year * 12 + (cfg.first_month - 1) + index;
  const int year = m0 / 12, month = m0 % 12 + 1;
  char buf[16];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, year);
  std::string out(buf, p);
  out += '-';
  if (month < 10) out += '0';
  out += std::to_string(month);
  return out;
}

int calendar_month(const SimulationConfig& cfg, int index) {  // 0..11, index may be < 0
  return ((cfg.first_month - 1 + index) % 12 + 12) % 12;
}

std::string fixed2(double x) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 2);
  return std::string(buf, p);
}

// out[t] = retain * sum_k w_k up[t-k] + join[t] (join may be empty).
std::vector<double> propagate(const std::vector<double>& up, const Lag& w, double retain,
                              const std::vector<double>& join) {
  std::vector<double> out(up.size(), 0.0);
  for (size_t t = 0; t < up.size(); ++t) {
    double s = 0;
    for (size_t k = 0; k <= kMaxLag && k <= t; ++k) s += w[k] * up[t - k];
    out[t] = retain * s + (join.empty() ? 0.0 : join[t]);
  }
  return out;
}

// Person flows at the four checkpoints from a Darién flow and joiners.
std::array<std::vector<double>, 4> route_flows(std::vector<double> darien,
                                               const std::vector<double>& join_hn,
                                               const std::vector<double>& join_mx) {
  std::array<std::vector<double>, 4> f;
  f[kDarien] = std::move(darien);
  f[kHonduras] = propagate(f[kDarien], kCheckpoints[kHonduras].lag, kCheckpoints[kHonduras].retain, join_hn);
  f[kMexico] = propagate(f[kHonduras], kCheckpoints[kMexico].lag, kCheckpoints[kMexico].retain, join_mx);
  f[kBorder] = propagate(f[kMexico], kCheckpoints[kBorder].lag, kCheckpoints[kBorder].retain, {});
  return f;
}

void write_file(const fs::path& path, const std::string& text, std::vector<std::string>& written) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot open for writing: " + path.string());
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw std::runtime_error("write failed: " + path.string());
  written.push_back(path.string());
}

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + '"';
}

std::string mapping_toml(const Checkpoint& cp) {
  std::string t;
  t += "[source]\n";
  t += "id = " + toml_quote(cp.source_id) + "\n";
  t += "name = " + toml_quote(cp.name) + "\n";
  t += "reporter = " + toml_quote(cp.reporter) + "\n";
  t += "event = " + toml_quote(cp.event) + "\n";
  if (cp.location) t += "location = " + toml_quote(cp.location) + "\n";
  t += "unit = " + toml_quote(cp.unit) + "\n";
  t += "status = \"final\"\n";
  // Labelled wherever it shows: nobody published these numbers.
  t += "simulated = true\n";
  t += "coverage = \"simulated\"\n\n";
  t += "[columns]\n";
  t += "period = " + toml_quote(cp.col_period) + "\n";
  t += "citizenship = " + toml_quote(cp.col_citizenship) + "\n";
  t += "count = " + toml_quote(cp.col_count) + "\n\n";
  t += "[period]\n";
  t += "format = \"YYYY-MM\"\n";
  return t;
}

void validate(const SimulationConfig& cfg) {
  if (cfg.first_month < 1 || cfg.first_month > 12)
    throw std::invalid_argument("simulate_route: first_month must be 1..12");
  if (cfg.first_year < 1000 || cfg.first_year > 9000)
    throw std::invalid_argument("simulate_route: first_year must be 1000..9000");
  if (cfg.months < 1 || cfg.months > 12 * 200)
    throw std::invalid_argument("simulate_route: months must be 1..2400");
  if (cfg.events < 0) throw std::invalid_argument("simulate_route: events must be >= 0");
  if (cfg.citizenships.empty())
    throw std::invalid_argument("simulate_route: at least one citizenship is required");
  for (size_t i = 0; i < cfg.citizenships.size(); ++i) {
    const std::string& c = cfg.citizenships[i];
    const bool ok = c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
    if (!ok)
      throw std::invalid_argument("simulate_route: citizenship \"" + c + "\" is not a 3-letter upper-case code");
    if (std::find(cfg.citizenships.begin(), cfg.citizenships.begin() + static_cast<std::ptrdiff_t>(i), c) !=
        cfg.citizenships.begin() + static_cast<std::ptrdiff_t>(i))
      throw std::invalid_argument("simulate_route: citizenship \"" + c + "\" is listed twice");
  }
}

// Places cfg.events events: citizenship weighted by sqrt(level) (big groups
// surge more often, small ones still can), timing and size from the seed, and
// no two events of one citizenship overlapping (including the downstream margin).
std::vector<EventPlan> plan_events(const SimulationConfig& cfg, const std::vector<double>& base) {
  std::vector<EventPlan> plans;
  if (cfg.events == 0) return plans;
  std::vector<double> weight(base.size());
  bool any_real = false;
  for (size_t i = 0; i < base.size(); ++i) any_real |= !is_group_code(cfg.citizenships[i]);
  for (size_t i = 0; i < base.size(); ++i)
    weight[i] = (any_real && is_group_code(cfg.citizenships[i])) ? 0.0 : std::sqrt(base[i]);
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);

  Rng rng(cfg.seed, "events");
  constexpr int kTries = 1000;
  for (int e = 0; e < cfg.events; ++e) {
    bool placed = false;
    for (int attempt = 0; attempt < kTries && !placed; ++attempt) {
      EventPlan p{};
      double pick = rng.uniform() * total;
      p.citizenship = base.size() - 1;
      for (size_t i = 0; i < weight.size(); ++i) {
        if (pick < weight[i]) {
          p.citizenship = i;
          break;
        }
        pick -= weight[i];
      }
      while (weight[p.citizenship] == 0.0) --p.citizenship;  // guard against rounding at the top
      p.rise = rng.integer(2, 3);
      p.tau = rng.uniform(1.5, 3.0);
      p.magnitude = std::round(rng.uniform(3.0, 8.0) * 100) / 100;  // as written to ground truth
      const int span = p.rise + (p.end() - p.peak()) + kDownstreamMargin;  // start .. end+margin
      const int latest = cfg.months - 1 - span;
      if (latest < 2) continue;
      p.start = rng.integer(2, latest);
      const bool clash = std::any_of(plans.begin(), plans.end(), [&](const EventPlan& q) {
        return q.citizenship == p.citizenship && p.start <= q.end() + kDownstreamMargin &&
               q.start <= p.end() + kDownstreamMargin;
      });
      if (clash) continue;
      plans.push_back(p);
      placed = true;
    }
    if (!placed)
      throw std::invalid_argument("simulate_route: cannot place " + std::to_string(cfg.events) +
                                  " non-overlapping events in " + std::to_string(cfg.months) + " months");
  }
  std::sort(plans.begin(), plans.end(), [&](const EventPlan& a, const EventPlan& b) {
    if (a.start != b.start) return a.start < b.start;
    return cfg.citizenships[a.citizenship] < cfg.citizenships[b.citizenship];
  });
  return plans;
}

}  // namespace

SimulationResult simulate_route(const SimulationConfig& cfg, const std::string& out_dir) {
  validate(cfg);
  const size_t nc = cfg.citizenships.size();
  const int n = cfg.months + kWarmup;  // extended grid: index i <-> written month i - kWarmup

  // Per-citizenship parameters, each from its own (seed, code) stream.
  std::vector<double> base(nc), slope(nc);
  std::vector<Profile> profile(nc);
  std::vector<std::vector<double>> wobble(nc, std::vector<double>(n));
  for (size_t c = 0; c < nc; ++c) {
    Rng rng(cfg.seed, "citizenship:" + cfg.citizenships[c]);
    profile[c] = default_profile(cfg.citizenships[c]);
    base[c] = profile[c].base * std::exp(0.15 * rng.normal());
    // Slow trend in log level, -3%..+6% a year: enough to look real, small
    // enough that an injected surge still stands out against the median.
    slope[c] = rng.uniform(-0.03, 0.06);
    // AR(1) wobble in log level: persistent month-to-month drift.
    constexpr double phi = 0.85, sd = 0.05;
    double a = rng.normal() * sd / std::sqrt(1 - phi * phi);
    for (int i = 0; i < n; ++i) {
      a = phi * a + sd * rng.normal();
      wobble[c][i] = std::exp(a);
    }
  }

  const std::vector<EventPlan> plans = plan_events(cfg, base);

  // Expected published counts per checkpoint, citizenship and written month.
  std::array<std::vector<std::vector<double>>, 4> expected;
  for (auto& e : expected) e.assign(nc, std::vector<double>(cfg.months));
  // Deseasonalised level flows (no wobble, no events) per checkpoint, used as
  // the denominator of ground-truth magnitudes.
  std::vector<std::array<std::vector<double>, 4>> level_flow(nc);
  std::vector<std::vector<double>> level(nc, std::vector<double>(n));

  for (size_t c = 0; c < nc; ++c) {
    const double mid_year = (cfg.months - 1) / 2.0 / 12.0;
    std::vector<double> darien(n), join_hn(n), join_mx(n), lvl_hn(n), lvl_mx(n);
    for (int i = 0; i < n; ++i) {
      const int t = i - kWarmup;
      const double years = t / 12.0 - mid_year;
      const double L = base[c] * std::exp(slope[c] * years);
      level[c][i] = L;
      double surge = 0;
      for (const EventPlan& p : plans)
        if (p.citizenship == c) surge += (p.magnitude - 1.0) * L * p.shape(t);
      darien[i] = L * kDarienSeason[calendar_month(cfg, t)] * wobble[c][i] + surge;
      join_hn[i] = profile[c].join_honduras * L * wobble[c][i];
      join_mx[i] = profile[c].join_mexico * L * wobble[c][i];
      lvl_hn[i] = profile[c].join_honduras * L;
      lvl_mx[i] = profile[c].join_mexico * L;
    }
    const auto flows = route_flows(std::move(darien), join_hn, join_mx);
    level_flow[c] = route_flows(level[c], lvl_hn, lvl_mx);
    for (size_t k = 0; k < kCheckpoints.size(); ++k)
      for (int t = 0; t < cfg.months; ++t) {
        double x = kCheckpoints[k].capture * flows[k][t + kWarmup];
        if (k == kBorder) x *= kBorderSeason[calendar_month(cfg, t)];
        expected[k][c][t] = x;
      }
  }

  // Ground truth: each event's excess propagated alone, relative to the level.
  struct TruthRow {
    int checkpoint;
    int start, peak, end;
    double magnitude;
  };
  std::vector<std::vector<TruthRow>> truth(plans.size());
  for (size_t e = 0; e < plans.size(); ++e) {
    const EventPlan& p = plans[e];
    const size_t c = p.citizenship;
    std::vector<double> excess(n);
    for (int i = 0; i < n; ++i) excess[i] = (p.magnitude - 1.0) * level[c][i] * p.shape(i - kWarmup);
    const auto ex = route_flows(std::move(excess), {}, {});
    for (size_t k = 0; k < kCheckpoints.size(); ++k) {
      std::vector<double> ratio(cfg.months);
      for (int t = 0; t < cfg.months; ++t) ratio[t] = ex[k][t + kWarmup] / level_flow[c][k][t + kWarmup];
      const int peak = static_cast<int>(std::max_element(ratio.begin(), ratio.end()) - ratio.begin());
      const double threshold = kFootprint * ratio[peak] * (1 - 1e-9);  // tolerate rounding at the Darién
      int start = peak, end = peak;
      while (start > 0 && ratio[start - 1] >= threshold) --start;
      while (end + 1 < cfg.months && ratio[end + 1] >= threshold) ++end;
      truth[e].push_back({static_cast<int>(k), start, peak, end, 1.0 + ratio[peak]});
    }
  }

  // Observed counts: Poisson around the expected value with a lognormal
  // multiplier; one stream per (checkpoint, citizenship).
  std::array<std::vector<std::vector<int64_t>>, 4> counts;
  for (size_t k = 0; k < kCheckpoints.size(); ++k) {
    counts[k].assign(nc, std::vector<int64_t>(cfg.months));
    const double s = kCheckpoints[k].noise_sigma;
    for (size_t c = 0; c < nc; ++c) {
      Rng rng(cfg.seed, std::string("noise:") + kCheckpoints[k].source_id + ":" + cfg.citizenships[c]);
      for (int t = 0; t < cfg.months; ++t)
        counts[k][c][t] = rng.poisson(expected[k][c][t] * std::exp(s * rng.normal() - s * s / 2));
    }
  }

  // Write everything.
  const fs::path dir(out_dir);
  {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
      throw std::runtime_error("cannot create output directory: " + dir.string() +
                               (ec ? " (" + ec.message() + ")" : std::string()));
  }
  SimulationResult result;
  std::vector<std::string> labels(cfg.months);
  for (int t = 0; t < cfg.months; ++t) labels[t] = period_label(cfg, t);

  for (size_t k = 0; k < kCheckpoints.size(); ++k) {
    const Checkpoint& cp = kCheckpoints[k];
    std::string csv = std::string(cp.col_period) + "," + cp.col_citizenship + "," + cp.col_count + "\n";
    for (int t = 0; t < cfg.months; ++t)
      for (size_t c = 0; c < nc; ++c)
        csv += labels[t] + "," + cfg.citizenships[c] + "," + std::to_string(counts[k][c][t]) + "\n";
    write_file(dir / cp.file, csv, result.files);
    write_file(dir / fs::path(cp.file).replace_extension(".toml"), mapping_toml(cp), result.files);
  }

  std::string gt = "event_id,citizenship,checkpoint_source,start,peak,end,magnitude\n";
  for (size_t e = 0; e < plans.size(); ++e) {
    const std::string id = "E" + std::to_string(e + 1);
    const std::string& code = cfg.citizenships[plans[e].citizenship];
    for (const TruthRow& r : truth[e])
      gt += id + "," + code + "," + kCheckpoints[r.checkpoint].source_id + "," + labels[r.start] + "," +
            labels[r.peak] + "," + labels[r.end] + "," + fixed2(r.magnitude) + "\n";
    const TruthRow& d = truth[e][kDarien];
    result.events.push_back({code, labels[d.start], labels[d.peak], labels[d.end], d.magnitude});
  }
  write_file(dir / "ground-truth.csv", gt, result.files);
  return result;
}

}  // namespace atalaya::sim
