// atalaya route --citizenship C [--route FILE] [--from P --to P] [--window FROM..TO] [--through P]
// One citizenship along a route: each checkpoint's monthly series side by
// side, the transit lags between checkpoints, and each country's role in an
// event window.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/route.h"
#include "atalaya/core/country.h"
#include "cli/commands.h"

namespace atalaya::cli {
namespace {

struct RouteOptions {
  std::string citizenship, route = "routes/darien-north.toml", from, to, window, through, format = "table";
};

// A relative route path that does not exist here is also looked for under
// $ATALAYA_ROOT, so the shipped routes work from any directory.
std::string find_route_file(const std::string& given) {
  namespace fs = std::filesystem;
  if (fs::exists(given) || fs::path(given).is_absolute()) return given;
  if (const char* root = std::getenv("ATALAYA_ROOT"); root && *root) {
    auto p = fs::path(root) / given;
    if (fs::exists(p)) return p.string();
  }
  return given;
}

std::optional<Period> month_option(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  auto p = Period::parse(text);
  if (!p || p->frequency() != Frequency::Month)
    throw std::invalid_argument(std::string("--") + name + ": '" + text + "' is not a month (expected 2021-08)");
  return p;
}

int month_number(const Period& p) { return p.year() * 12 + p.sub() - 1; }

// Characters on screen, not bytes: "Darién" is 6 wide.
size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string months_text(int m) { return std::to_string(m) + (m == 1 ? " month" : " months"); }
std::string range_text(double low, double high) {
  return std::to_string(static_cast<int>(std::lround(low))) + "–" + std::to_string(static_cast<int>(std::lround(high)));
}

std::string country_label(const std::string& code) {
  const Country* c = find_country(code);
  return c ? std::string(c->name_en) + " (" + code + ")" : code;
}

std::string fixed2(double x) {
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

struct Table {
  std::vector<Period> months;
  // cells[checkpoint][month]: the value, or nullopt outside the series' span.
  std::vector<std::vector<std::optional<double>>> cells;
};

Table side_by_side(const std::vector<CheckpointSeries>& series, std::optional<Period> from, std::optional<Period> to) {
  int first = 1 << 30, last = -(1 << 30);
  for (auto& s : series)
    if (!s.series.values.empty()) {
      first = std::min(first, month_number(s.series.start));
      last = std::max(last, month_number(s.series.end()));
    }
  if (from) first = month_number(*from);
  if (to) last = month_number(*to);
  Table t;
  if (first > last) return t;
  const Period start = Period::month(first / 12, first % 12 + 1);
  for (int m = first; m <= last; ++m) t.months.push_back(start.plus_months(m - first));
  for (auto& s : series) {
    std::vector<std::optional<double>> column;
    for (auto& month : t.months) {
      const int i = s.series.index_of(month);
      column.push_back(i < 0 ? std::nullopt : std::optional<double>(s.series.values[i]));
    }
    t.cells.push_back(std::move(column));
  }
  return t;
}

void print_table(const Route& route, const std::vector<CheckpointSeries>& series, const Table& t) {
  std::vector<std::string> header{"month"};
  for (auto& c : route.checkpoints) header.push_back(c.name);
  std::vector<std::vector<std::string>> rows;
  for (size_t m = 0; m < t.months.size(); ++m) {
    std::vector<std::string> row{t.months[m].to_string()};
    for (size_t c = 0; c < series.size(); ++c) {
      if (!series[c].has_data()) row.push_back("no data");
      else if (!t.cells[c][m]) row.push_back("-");
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
  cmd->add_option("--route", o->route, "route file (default routes/darien-north.toml; also looked for under $ATALAYA_ROOT)");
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
    const std::string code = citizenship_code(o->citizenship);
    if (code.empty()) {
      std::string msg = "--citizenship: unknown country '" + o->citizenship + "'";
      auto near = nearest_country_names(o->citizenship, 3);
      if (!near.empty()) {
        msg += "; nearest known:";
        for (auto& n : near) msg += " " + n + ";";
        msg.pop_back();
      }
      throw std::invalid_argument(msg);
    }
    const auto from = month_option(o->from, "from"), to = month_option(o->to, "to");
    const auto through = month_option(o->through, "through");
    if (from && to && month_number(*to) < month_number(*from))
      throw std::invalid_argument("--to " + o->to + " is before --from " + o->from);
    std::optional<std::pair<Period, Period>> window;
    if (!o->window.empty()) {
      const size_t dots = o->window.find("..");
      if (dots == std::string::npos)
        throw std::invalid_argument("--window: '" + o->window + "' is not FROM..TO (e.g. 2021-06..2021-10)");
      auto a = month_option(o->window.substr(0, dots), "window");
      auto b = month_option(o->window.substr(dots + 2), "window");
      if (!a || !b || month_number(*b) < month_number(*a))
        throw std::invalid_argument("--window: '" + o->window + "' is not FROM..TO with FROM <= TO");
      window = std::make_pair(*a, *b);
    }

    const Route route = load_route_file(find_route_file(o->route));
    auto store = global.open_store(true);
    const Cube cube = Cube::load(*store);

    const auto series = route_series(cube, route, code, from, to);
    const Table table = side_by_side(series, from, to);
    const RouteLags lags = estimate_route_lags(cube, route, code, through);

    // The event window: the surge at the first checkpoint with data, judged
    // against its own history (so the series is read unclipped).
    std::string window_rule = "given with --window";
    if (!window) {
      const auto full = route_series(cube, route, code);
      for (auto& s : full) {
        if (!s.has_data()) continue;
        window = surge_window(s.series, from, to);
        window_rule = "surge at " + route.checkpoints[&s - full.data()].name +
                      ": months above twice the trailing 12-month median";
        break;
      }
      if (!window && !table.months.empty()) {
        window = std::make_pair(table.months.front(), table.months.back());
        window_rule = "no surge found at the first checkpoint with data: the months shown";
      }
    }
    std::optional<RouteRoles> roles;
    if (window) roles = route_roles(cube, route, code, window->first, window->second);

    if (o->format == "json") {
      nlohmann::json j;
      j["route"] = {{"id", route.id}, {"name", route.name}, {"file", route.file}};
      j["citizenship"] = code;
      j["checkpoints"] = nlohmann::json::array();
      for (size_t i = 0; i < route.checkpoints.size(); ++i) {
        auto& c = route.checkpoints[i];
        nlohmann::json e{{"id", c.id}, {"name", c.name}, {"reporter", c.reporter}};
        e["source"] = series[i].has_data() ? nlohmann::json(series[i].source) : nlohmann::json(nullptr);
        if (series[i].has_data()) e["unit"] = std::string(unit_name(series[i].series.unit));
        j["checkpoints"].push_back(std::move(e));
      }
      j["months"] = nlohmann::json::array();
      for (size_t m = 0; m < table.months.size(); ++m) {
        nlohmann::json row{{"month", table.months[m].to_string()}};
        for (size_t c = 0; c < series.size(); ++c)
          row[route.checkpoints[c].id] = table.cells[c][m] ? nlohmann::json(static_cast<int64_t>(std::llround(*table.cells[c][m])))
                                                           : nlohmann::json(nullptr);
        j["months"].push_back(std::move(row));
      }
      j["lags"] = nlohmann::json::array();
      for (auto& h : lags.hops)
        j["lags"].push_back({{"from", route.checkpoints[h.from].id},
                             {"to", route.checkpoints[h.to].id},
                             {"months", h.lag.months},
                             {"low", h.lag.low},
                             {"high", h.lag.high},
                             {"correlation", h.lag.correlation},
                             {"month_pairs", h.lag.samples},
                             {"estimated", h.lag.estimated},
                             {"basis", h.basis},
                             {"prior", h.prior},
                             {"note", h.lag.note}});
      j["cumulative"] = nlohmann::json::array();
      for (auto& c : lags.cumulative)
        j["cumulative"].push_back({{"checkpoint", route.checkpoints[c.checkpoint].id},
                                   {"months", c.months},
                                   {"low", c.low},
                                   {"high", c.high},
                                   {"from_data", c.from_data}});
      if (through) j["through"] = through->to_string();
      std::vector<std::string> notes = lags.notes;
      if (roles) {
        j["window"] = {{"from", roles->from.to_string()}, {"to", roles->to.to_string()}, {"rule", window_rule}};
        j["roles"] = nlohmann::json::array();
        for (auto& e : roles->countries) {
          nlohmann::json r{{"country", e.country}, {"role", std::string(country_role_name(e.role))}, {"note", e.note}};
          if (!e.checkpoint.empty()) {
            r["checkpoint"] = e.checkpoint;
            r["flow"] = e.flow;
          }
          if (e.asylum_known) {
            r["asylum_applications"] = e.asylum;
            r["flow_in_years"] = e.flow_in_years;
          }
          j["roles"].push_back(std::move(r));
        }
        notes.insert(notes.end(), roles->notes.begin(), roles->notes.end());
      }
      j["notes"] = notes;
      std::cout << j.dump(2) << "\n";
      status = 0;
      return;
    }

    std::cout << route.name << "   " << country_label(code) << "\n\n";
    if (table.months.empty()) std::cout << "(no months with data for " << code << ")\n";
    else print_table(route, series, table);
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
        std::cout << "  " << country_label(e.country) << ": " << country_role_name(e.role) << " — " << e.note
                  << "\n";
      for (auto& n : roles->notes) std::cout << "  note: " << n << "\n";
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
