// One citizenship along a route, as the `route` command and the HTTP API
// answer it: each checkpoint's monthly series side by side, the transit lags
// between checkpoints, and each country's role in an event window (the
// window given, else the surge at the first checkpoint with data).
//
// Errors: std::invalid_argument whose message starts with the parameter's
// name and a colon, without dashes ("citizenship: unknown country 'X';
// nearest known: ...", "to: 2021-01 is before from 2021-05", "window: ...").
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/route.h"
#include "atalaya/core/period.h"

namespace atalaya {

struct RouteRequest {
  std::string citizenship;  // any name or code
  std::optional<Period> from, to;  // months shown and searched for a surge
  std::optional<Period> through;   // lags from months up to this one only (replay)
  std::optional<std::pair<Period, Period>> window;  // the roles' event window; none: the surge
};

// Text as typed into a request: a month ("2021-08") for `parameter` (from,
// to, through), or nullopt for empty text; a window "FROM..TO" with
// FROM <= TO, or nullopt for empty text. Throw like the rest of this file.
std::optional<Period> parse_route_month(const std::string& text, const std::string& parameter);
std::optional<std::pair<Period, Period>> parse_route_window(const std::string& text);

// The answer before it is written out, for printers other than JSON.
struct RouteView {
  std::string citizenship;                 // the harmonised code, e.g. "HTI"
  std::vector<CheckpointSeries> series;    // one per checkpoint, clipped to from/to
  std::vector<Period> months;              // every month shown, ascending
  // cells[checkpoint][month]: the value, or nullopt outside the series' span.
  std::vector<std::vector<std::optional<double>>> cells;
  RouteLags lags;
  std::optional<Period> through;
  std::optional<RouteRoles> roles;         // none when there is no month to judge
  Message window_rule;                     // how the window was chosen
};

RouteView build_route_view(const Cube& cube, const Route& route, const RouteRequest& request);

// {"route": {"id", "name", "file"}, "citizenship", "checkpoints": [{"id", "name", "reporter",
//  "source" (null without data), "unit"?}], "months": [{"month", <checkpoint id>: value or null}],
//  "lags": [{"from", "to", "months", "low", "high", "correlation", "month_pairs", "estimated",
//  "basis", "prior", "coverage", "distribution": [{"months", "probability"}], "note"}],
//  "cumulative": [{"checkpoint", "months", "low", "high", "coverage", "mass", "distribution", "from_data"}],
//  "through"?, "window"?: {"from", "to", "rule"}, "roles"?: [{"country", "role", "note",
//  "checkpoint"?, "flow"?, "asylum_applications"?, "flow_in_years"?}], "notes"}
// Notes and the window's rule are written in `lang`.
nlohmann::json to_json(const Route& route, const RouteView& view, Language lang = Language::En);

// to_json(route, build_route_view(...)): `atalaya route --format json`.
nlohmann::json route_report(const Cube& cube, const Route& route, const RouteRequest& request,
                            Language lang = Language::En);

// The route for a list of routes: {"id", "name", "description", "checkpoints": [{"id", "name",
// "reporter", "sources", "expected_lag_months", "lag_spread_months"}], "asylum_source" (null when none)}.
nlohmann::json route_summary_json(const Route& route);

}  // namespace atalaya
