// atalaya dimensions [selection] [--dimension D] [--format table|json]
#include <iostream>
#include <stdexcept>

#include "atalaya/analysis/explain.h"
#include "atalaya/reports/overview.h"
#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "cli/commands.h"
#include "cli/selection_options.h"

namespace atalaya::cli {
namespace {

struct DimensionsOptions {
  SelectionOptions selection;
  std::string dimension, format = "table";
};

// A value with its name where it has one: "HTI  Haiti", "OTH  Other (group)".
std::string label(std::string_view dim, const std::string& value) {
  if (value == "_T") return "_T (not broken down)";
  if (!is_country_dimension(dim)) return value;
  if (const Country* c = find_country(value)) return value + "  " + c->name_en;
  if (const CitizenshipGroup* g = find_group(value)) return value + "  " + g->name_en + " (group)";
  return value;
}

void print_dimension(std::string_view dim, const std::vector<DimensionValueCount>& values) {
  std::vector<std::string> names, series, obs;
  size_t w0 = dim.size(), w1 = 6, w2 = 12;
  for (auto& v : values) {
    names.push_back(label(dim, v.value));
    series.push_back(thousands(static_cast<int64_t>(v.series)));
    obs.push_back(thousands(static_cast<int64_t>(v.observations)));
    w0 = std::max(w0, display_width(names.back()));
    w1 = std::max(w1, series.back().size());
    w2 = std::max(w2, obs.back().size());
  }
  auto line = [&](const std::string& a, const std::string& b, const std::string& c) {
    std::cout << a << std::string(w0 - display_width(a), ' ') << "  " << std::string(w1 - b.size(), ' ') << b << "  "
              << std::string(w2 - c.size(), ' ') << c << "\n";
  };
  line(std::string(dim), "series", "observations");
  for (size_t i = 0; i < values.size(); ++i) line(names[i], series[i], obs[i]);
}

}  // namespace

void add_dimensions_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<DimensionsOptions>();
  auto* cmd = app.add_subcommand("dimensions", "List the values of each dimension, with how many series and observations have each");
  o->selection.add_to(*cmd);
  cmd->add_option("--dimension", o->dimension,
                  "only this dimension (source, reporter, location, citizenship, counterpart, event, demographic, authority)");
  cmd->add_option("--format", o->format, "table or json (the API's answer)")->check(CLI::IsMember({"table", "json"}));
  cmd->footer(
      "Counts the series the selection matches (and their observations inside --from..--to).\n"
      "_T counts the series not broken down by a dimension (select them with _T).\n\n"
      "Examples:\n"
      "  atalaya dimensions --source us-cbp-swb --dimension citizenship\n"
      "  atalaya dimensions --source us-cbp-swb-nat --dimension location --from FY2024 --to FY2024\n"
      "  atalaya dimensions --citizenship HTI --dimension source");
  cmd->callback([o, &global, &status] {
    if (!o->selection.by.empty()) throw std::invalid_argument("--by: dimensions counts values, it does not group");
    SeriesQuery q = o->selection.query();
    std::optional<std::string> dimension;
    if (!o->dimension.empty()) {
      dimension = o->dimension;
      (void)count_dimension_values({}, o->dimension);  // a name that is not a dimension is refused here
    }
    auto store = global.open_store(true);
    std::vector<std::string> known;
    for (auto& s : store->sources()) known.push_back(s.source);
    const SeriesSelection sel = resolve_selection(q, known);
    const std::vector<StoredSeries> stored = store->select(sel);
    std::vector<const StoredSeries*> ptrs;
    for (auto& s : stored) ptrs.push_back(&s);
    std::vector<std::string> notes;
    if (stored.empty())
      notes = explain_no_series(q, sel, [&store](const SeriesSelection& s) {
        std::vector<SeriesKey> keys;
        for (auto& series : store->select(s)) keys.push_back(std::move(series.key));
        return keys;
      });
    for (auto& n : notes) std::cerr << "note: " << n << "\n";
    if (o->format == "json") {
      std::cout << dimensions_json(ptrs, q, dimension, notes).dump(2) << "\n";
    } else {
      bool first = true;
      for (auto d : kDimensions) {
        if (dimension && *dimension != d) continue;
        const auto values = count_dimension_values(ptrs, d, q.from, q.to);
        // Without --dimension, a dimension no series breaks down is left out.
        if (!dimension && (values.empty() || (values.size() == 1 && values.front().value == "_T"))) continue;
        if (!first) std::cout << "\n";
        first = false;
        print_dimension(d, values);
      }
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
