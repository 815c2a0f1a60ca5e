// Routes: an ordered list of checkpoints that one migration flow passes
// (Darién -> Honduras -> Mexico -> U.S. southwest border), declared in a TOML
// route file (routes/*.toml, format in docs/routes.md). From the cube, a route
// gives each checkpoint's monthly series side by side, the transit lags
// between checkpoints (which the upstream early-warning trigger uses to
// project an arrival window downstream), and the role each country plays
// for one citizenship in an event window.
//
// Everything here reads the cube only. A checkpoint whose sources the cube
// does not hold is shown as "no data"; lags are bridged across it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/lag.h"
#include "atalaya/core/messages.h"
#include "atalaya/core/period.h"

namespace atalaya {

struct RouteCheckpoint {
  std::string id;        // unique in the route, e.g. "darien"
  std::string name;      // for people, e.g. "Darién (Panama)"
  std::string name_es;   // in Spanish, e.g. "Darién (Panamá)"; `name` unless given
  std::string reporter;  // ISO alpha-3 of the country that counts there
  // Candidate source ids in order of preference; the first one the cube holds
  // is used (real data first, then the simulator's).
  std::vector<std::string> sources;
  // Further filters on the source's series (event = ["encounter"]), as a
  // SeriesQuery takes them. Never source, reporter or citizenship.
  std::map<std::string, std::vector<std::string>> selection;
  // Declared transit time from the previous checkpoint, in months: the prior
  // used when the data cannot say. 0 for the first checkpoint.
  int expected_lag_months = 0;
  // How far the declared lag may be off, in months: the prior's distribution
  // is declared_lag(expected_lag_months, lag_spread_months) (1: weights 1/4,
  // 1/2, 1/4 on one month less, the month, one month more).
  int lag_spread_months = 1;
  // Longest lag from the previous checkpoint worth searching.
  int max_lag_months = 3;  // [route] max_lag_months, 3 unless set
  uint32_t line = 0;  // where the checkpoint starts in its file
};

struct Route {
  std::string id, name, description;
  std::string name_es;  // in Spanish; `name` unless given
  std::string file;  // the file it was read from
  std::vector<RouteCheckpoint> checkpoints;  // in the order the flow passes them
  // Asylum applications by citizenship (reporter = country of asylum), used
  // to tell receiving from transit countries; empty when not declared.
  std::string asylum_source;
  // A transit country is also receiving when the asylum applications lodged
  // there are at least this share of the flow counted through it.
  double receiving_share = 0.05;
};

// Reads a route file. Throws InputError naming the file, line and field for
// anything malformed: invalid TOML, unknown keys, wrong types, an unknown
// country or dimension, a duplicate checkpoint id, fewer than two checkpoints.
Route load_route_file(const std::string& path);
Route parse_route(const std::string& text, const std::string& path);

// The checkpoint's source in this cube: the first of its sources the cube
// holds, or empty if none.
std::string checkpoint_source(const Cube& cube, const RouteCheckpoint& checkpoint);

// One checkpoint's monthly series for a citizenship (empty: all pooled).
struct CheckpointSeries {
  std::string source;    // the source used; empty when the cube holds none of them
  MonthlySeries series;  // empty values when no data (or none for the citizenship)
  bool has_data() const { return !source.empty(); }
};

// Each checkpoint's series for `citizenship` (empty: all citizenships),
// clipped to [from, to] when given. One entry per checkpoint, in order.
std::vector<CheckpointSeries> route_series(const Cube& cube, const Route& route, const std::string& citizenship,
                                           std::optional<Period> from = std::nullopt,
                                           std::optional<Period> to = std::nullopt);

// A lag between two checkpoints with data. When checkpoints in between have
// no data, the hop bridges them: its prior and search range are the sums of
// theirs, and its prior's distribution the sum (convolution) of theirs.
struct RouteHop {
  size_t from = 0, to = 0;  // checkpoint indices
  int prior = 0;            // declared months from `from` to `to`
  int max_lag = 0;
  LagEstimate lag;
  // Where the lag comes from: "citizenship" (that citizenship's own series),
  // "pooled" (all citizenships together) or "prior" (the declared lag).
  std::string basis;
};

// The coverage of a lag interval unless a caller states another: the hops'
// own intervals are 10th-90th percentiles.
inline constexpr double kDefaultLagCoverage = 0.8;

// Months from the route's first checkpoint to one checkpoint: the hops (or
// declared lags, for a checkpoint without data) added up. The hops are taken
// as independent: their distributions are convolved, and the interval is the
// central one at `coverage` of that sum, widened if needed to hold `months`.
struct CumulativeLag {
  size_t checkpoint = 0;
  int months = 0;              // the hops' best (or declared) lags added up
  int low = 0, high = 0;
  bool from_data = false;      // every hop on the way was estimated from data
  double coverage = kDefaultLagCoverage;  // the coverage asked for
  double mass = 1;             // the probability [low, high] holds (>= coverage)
  MonthDistribution distribution;  // of the total lag
};

struct RouteLags {
  std::string citizenship;          // empty: all citizenships pooled
  std::optional<Period> through;    // last month used
  std::vector<std::string> sources; // per checkpoint: the source used, empty if none
  std::vector<int> declared;        // per checkpoint: expected_lag_months from the previous one
  std::vector<int> spread;          // per checkpoint: lag_spread_months
  std::vector<RouteHop> hops;       // between consecutive checkpoints with data
  std::vector<CumulativeLag> cumulative;  // one per checkpoint; the first is 0
  std::vector<std::string> notes;   // what the reader should know
};

// Lags along the route for `citizenship` (empty: all citizenships pooled)
// using only months up to `through` (replay must not peek ahead). A hop falls
// back from the citizenship's own series to the pooled series, then to the
// prior, when the data cannot say; its basis and note say which and why.
RouteLags estimate_route_lags(const Cube& cube, const Route& route, const std::string& citizenship,
                              std::optional<Period> through = std::nullopt);

// Months from checkpoint `from` to a later checkpoint `to` (from <= to), added
// up like `cumulative` but over that stretch only, so the uncertainty of hops
// before `from` does not widen it: the arrival window at `to` of a surge seen
// at `from`. Throws std::out_of_range for indices outside the route.
// Throws std::invalid_argument for coverage outside (0, 1].
CumulativeLag lag_between(const RouteLags& lags, size_t from, size_t to, double coverage = kDefaultLagCoverage);

enum class CountryRole { Sending, Transit, TransitAndReceiving, Receiving, NotSeen };
std::string_view country_role_name(CountryRole r);  // sending, transit, transit-and-receiving, receiving, not seen

struct CountryRoleEntry {
  std::string country;     // ISO alpha-3
  std::string checkpoint;  // the checkpoint's id; empty for the sending country
  CountryRole role = CountryRole::Transit;
  double flow = 0;         // the citizenship counted at the checkpoint in the window
  // The asylum comparison, over the calendar years the window touches:
  double asylum = 0;       // applications lodged by the citizenship in the country
  double flow_in_years = 0;  // counted at the checkpoint in those years
  bool asylum_known = false; // the asylum source is in the cube and was compared
  Message note;            // why this role (messages.h: rendered per language)
};

struct RouteRoles {
  std::string citizenship;
  Period from, to;  // the event window (months)
  std::vector<CountryRoleEntry> countries;  // sending country first, then checkpoints in order
  std::vector<Message> notes;
};

// Roles of the countries on the route for `citizenship` (a country or group
// code, required) in the months [from, to]:
//   - the citizenship's own country is sending (a group code has none);
//   - a checkpoint with no count of the citizenship in the window: not seen;
//   - the last checkpoint: receiving (the route ends there) if it counted
//     any of the citizenship in the window or has no data;
//   - any other checkpoint with flows: transit-and-receiving when the asylum
//     applications lodged there by the citizenship in the window's calendar
//     years reach receiving_share of the flow counted there in those years,
//     else transit;
//   - any other checkpoint without data (no source, or no series of the
//     citizenship in its source): transit, as declared by the route.
// A checkpoint in the citizenship's own country is left out (noted).
RouteRoles route_roles(const Cube& cube, const Route& route, const std::string& citizenship, Period from,
                       Period to);

// The months of a surge in `series`: those above `factor` times the median of
// the 12 months before (at least 6 needed), within [from, to] when given.
// Flagged months one month apart are joined into runs; the run with the
// largest total is the surge. nullopt if no month is flagged.
std::optional<std::pair<Period, Period>> surge_window(const MonthlySeries& series,
                                                      std::optional<Period> from = std::nullopt,
                                                      std::optional<Period> to = std::nullopt,
                                                      double factor = 2.0);

}  // namespace atalaya
