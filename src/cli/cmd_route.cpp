// atalaya route --citizenship C [--route FILE] [--from P --to P] [--window FROM..TO] [--through P]
// One citizenship along a route: each checkpoint's monthly series side by
// side, the transit lags between checkpoints, and each country's role in an
// event window.
#include <cmath>
#include <iostream>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/route.h"
#include "atalaya/reports/route_report.h"
#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "cli/commands.h"

namespace atalaya::cli {
namespace {

struct RouteOptions {
  std::string citizenship, route, from, to, window, through, format = "table";
};

// The route file: --route as given (a relative path that does not exist here
// is also looked for where the shipped files are), else the shipped default.
std::string find_route_file(const std::string& given) {
  if (!given.empty()) return shipped_or_given(given);
  return require_shipped("routes/darien-north.toml", false, "--route FILE", "default route file");
}

std::string months_text(int m) { return std::to_string(m) + (m == 1 ? " month" : " months"); }
std::string range_text(double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) return "–";
  return std::to_string(static_cast<int>(std::lround(low))) + "–" + std::to_string(static_cast<int>(std::lround(high)));
}

std::string country_label(const std::string& code) {
  const Country* c = find_country(code);
  return c ? std::string(c->name_en) + " (" + code + ")" : code;
}

std::string fixed2(double x) {
  if (!std::isfinite(x)) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string hop_text(const Route& route, const RouteHop& h) {
  std::string s = route.checkpoints[h.from].name + " → " + route.checkpoints[h.to].name + ": " +
                  months_text(h.lag.months) + " (" + range_text(h.lag.low, h.lag.high) + ")";
  if (h.lag.estimated)
    s += ", r = " + fixed2(h.lag.correlation) + ", " + std::to_string(h.lag.samples) + " month pairs, " +
         (h.basis == "pooled" ? "all citizenships pooled" : "own series");
  else
    s += ", declared";
  return s;
}

void print_table(const Route& route, const RouteView& t) {
  const std::vector<CheckpointSeries>& series = t.series;
  std::vector<std::string> header{"month"};
  for (auto& c : route.checkpoints) header.push_back(c.name);
  std::vector<std::vector<std::string>> rows;
  for (size_t m = 0; m < t.months.size(); ++m) {
    std::vector<std::string> row{t.months[m].to_string()};
    for (size_t c = 0; c < series.size(); ++c) {
      if (!series[c].has_data()) row.push_back("no data");
      else if (!t.cells[c][m]) row.push_back("–");  // no release covers the month
      else row.push_back(thousands(static_cast<int64_t>(std::llround(*t.cells[c][m]))));
    }
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = display_width(header[i]);
  for (auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  auto print = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(width[i] - display_width(r[i]), ' ');
      if (i) std::cout << "  ";
      std::cout << (i == 0 ? r[i] + pad : pad + r[i]);
    }
    std::cout << "\n";
  };
  print(header);
  for (auto& r : rows) print(r);
}

}  // namespace

void add_route_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<RouteOptions>();
  auto* cmd = app.add_subcommand("route", "One citizenship along a route: checkpoints side by side, transit lags, roles");
  cmd->add_option("--citizenship", o->citizenship, "whose flow (any country name or code: Haiti, HTI, HT, 332)")
      ->required();
  cmd->add_option("--route", o->route, "route file (default routes/darien-north.toml, found under $ATALAYA_ROOT or installed beside "
                  "the program; a relative path that does not exist here is looked for there too)");
  cmd->add_option("--from", o->from, "first month shown and searched for a surge, e.g. 2021-01");
  cmd->add_option("--to", o->to, "last month shown and searched for a surge");
  cmd->add_option("--window", o->window,
                  "event window for the roles, FROM..TO (default: the first checkpoint's surge, the months above "
                  "twice its trailing 12-month median)");
  cmd->add_option("--through", o->through, "estimate lags from months up to this one only (replay)");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->footer(
      "Lags come from the whole history of each checkpoint (up to --through), not only --from/--to.\n"
      "Method and rules: docs/routes.md.\n\n"
      "Example:\n"
      "  atalaya route --citizenship Haiti --from 2021-01 --to 2021-12");
  cmd->callback([o, &global, &status] {
    RouteRequest request;
    request.citizenship = o->citizenship;
    request.from = parse_route_month(o->from, "from");
    request.to = parse_route_month(o->to, "to");
    request.through = parse_route_month(o->through, "through");
    request.window = parse_route_window(o->window);
    const Route route = load_route_file(find_route_file(o->route));
    const Cube cube = Cube::load(*global.open_store(true));
    const RouteView view = build_route_view(cube, route, request);
    if (o->format == "json") {
      std::cout << to_json(route, view, global.language()).dump(2) << "\n";
      status = 0;
      return;
    }

    const std::string& code = view.citizenship;
    const auto& series = view.series;
    const RouteLags& lags = view.lags;
    const auto& through = view.through;
    const auto& roles = view.roles;
    const Language lang = global.language();
    const std::string window_rule = render(view.window_rule, lang);
    std::cout << route.name << "   " << country_label(code) << "\n\n";
    if (view.months.empty()) std::cout << "(no months with data for " << code << ")\n";
    else print_table(route, view);
    std::cout << "\nCounted at:";
    for (size_t i = 0; i < series.size(); ++i) {
      if (!series[i].has_data()) continue;
      std::cout << (i ? "; " : " ") << route.checkpoints[i].name << " = " << series[i].source << " ("
                << unit_name(series[i].series.unit) << ")";
    }
    std::cout << "\n\nTransit lags" << (through ? " (months up to " + through->to_string() + ")" : "") << ":\n";
    for (auto& h : lags.hops) std::cout << "  " << hop_text(route, h) << "\n";
    for (size_t i = 1; i < lags.cumulative.size(); ++i) {
      const CumulativeLag& c = lags.cumulative[i];
      // A hop from the first checkpoint already said it.
      bool shown = std::any_of(lags.hops.begin(), lags.hops.end(),
                               [&](const RouteHop& h) { return h.from == 0 && h.to == i; });
      if (shown) continue;
      std::cout << "  " << route.checkpoints[0].name << " → " << route.checkpoints[i].name << ": "
                << months_text(c.months) << " (" << range_text(c.low, c.high) << "), "
                << (lags.sources[i].empty()      ? "declared (no data there)"
                    : c.from_data                 ? "the lags above added up"
                                                  : "partly declared")
                << "\n";
    }
    for (auto& h : lags.hops)
      if (!h.lag.estimated || h.basis == "pooled")
        std::cout << "  note: " << route.checkpoints[h.from].name << " → " << route.checkpoints[h.to].name << ": "
                  << h.lag.note << "\n";
    for (auto& n : lags.notes) std::cout << "  note: " << n << "\n";

    if (roles) {
      std::cout << "\nRoles, " << roles->from.to_string() << ".." << roles->to.to_string() << " (" << window_rule
                << "):\n";
      for (auto& e : roles->countries)
        std::cout << "  " << country_label(e.country) << ": " << country_role_name(e.role) << " — " << render(e.note, lang)
                  << "\n";
      for (auto& n : roles->notes) std::cout << "  note: " << render(n, lang) << "\n";
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
