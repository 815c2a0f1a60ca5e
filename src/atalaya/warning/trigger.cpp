// Trigger files: TOML -> TriggerSet, with errors that name line and field.
#include "atalaya/warning/trigger.h"

#include "atalaya/core/country.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "atalaya/analysis/route.h"
#include "atalaya/core/country.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"
#include "atalaya/core/observation.h"
#include "atalaya/warning/xml_writer.h"  // number_text

namespace atalaya {
namespace {

std::string list_of(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// The parameters each rule accepts: name -> true for a number, false for a word.
const std::map<RuleType, std::map<std::string, bool>>& rule_parameters() {
  static const std::map<RuleType, std::map<std::string, bool>> p = {
      {RuleType::Threshold, {{"level", true}, {"direction", false}}},
      {RuleType::Growth,
       {{"compare", false}, {"window", true}, {"ratio", true}, {"min_increase", true}, {"direction", false}}},
      {RuleType::SeasonalAnomaly, {{"z", true}, {"years", true}, {"reference_months", true}, {"direction", false}}},
      {RuleType::Cusum,
       {{"k", true}, {"h", true}, {"training_months", true}, {"monitor_months", true}, {"basis", false},
        {"direction", false}}},
      {RuleType::Ewma,
       {{"lambda", true}, {"L", true}, {"training_months", true}, {"monitor_months", true}, {"basis", false},
        {"direction", false}}},
      {RuleType::ForecastExceedance, {{"model", false}, {"level", true}, {"direction", false}}},
  };
  return p;
}

// Allowed word values, for the words that have a closed vocabulary.
const std::map<std::string, std::vector<std::string>>& word_values() {
  static const std::map<std::string, std::vector<std::string>> w = {
      {"direction", {"up", "down", "both"}},
      {"compare", {"trailing_mean", "year_ago"}},
      {"model", {"ets", "snaive", "naive"}},
      {"basis", {"level", "year_over_year"}},
  };
  return w;
}

std::vector<std::string> strings_of(const std::string& path, const toml::node& node, const std::string& field) {
  std::vector<std::string> out;
  if (auto s = node.as_string()) {
    out.push_back(s->get());
  } else if (auto a = node.as_array()) {
    for (auto& e : *a) {
      auto s2 = e.as_string();
      if (!s2) toml_fail(path, &e, field, "", "a string");
      out.push_back(s2->get());
    }
  } else {
    toml_fail(path, &node, field, "", "a string or an array of strings");
  }
  return out;
}

std::string string_of(const std::string& path, const toml::node& node, const std::string& field) {
  auto s = node.as_string();
  if (!s) toml_fail(path, &node, field, "", "a string");
  return s->get();
}

double number_of(const std::string& path, const toml::node& node, const std::string& field) {
  if (auto i = node.as_integer()) return static_cast<double>(i->get());
  if (auto f = node.as_floating_point()) return f->get();
  toml_fail(path, &node, field, "", "a number");
}

int whole_of(const std::string& path, const toml::node& node, const std::string& field) {
  double d = number_of(path, node, field);
  if (d != static_cast<int>(d)) toml_fail(path, &node, field, std::to_string(d), "a whole number");
  return static_cast<int>(d);
}

// The rule's detector from the table's settings, checked by the detector's
// own check_rule (its message names the parameter).
TriggerRule read_rule(const std::string& path, const toml::table& t, const std::string& prefix, RuleType rule,
                      const std::set<std::string>& common, double minimum_volume) {
  const auto& known = rule_parameters().at(rule);
  for (auto& [k, v] : t) {
    std::string name(k.str());
    if (common.count(name)) continue;
    auto it = known.find(name);
    if (it == known.end()) {
      std::string list;
      for (auto& [n, _] : known) list += (list.empty() ? "" : ", ") + n;
      for (auto& n : common) list += ", " + n;
      toml_fail(path, &v, prefix + name, "",
           "a setting of the " + std::string(rule_type_name(rule)) + " rule (one of: " + list + ")");
    }
    if (it->second) {
      number_of(path, v, prefix + name);
    } else {
      std::string w = string_of(path, v, prefix + name);
      auto& allowed = word_values().at(name);
      if (std::find(allowed.begin(), allowed.end(), w) == allowed.end()) {
        std::string list;
        for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        toml_fail(path, &v, prefix + name, w, "one of: " + list);
      }
    }
  }
  auto num = [&](const char* name, double& into) {
    if (auto* n = t.get(name)) into = number_of(path, *n, prefix + name);
  };
  auto whole = [&](const char* name, int& into) {
    if (auto* n = t.get(name)) into = whole_of(path, *n, prefix + name);
  };
  auto direction = [&](Direction& into) {
    if (auto* n = t.get("direction")) into = *parse_direction(string_of(path, *n, prefix + "direction"));
  };
  auto basis = [&](ChartBasis& into) {
    if (auto* n = t.get("basis")) into = *parse_chart_basis(string_of(path, *n, prefix + "basis"));
  };
  // The settings the two control charts (CUSUM, EWMA) share.
  auto chart = [&](auto& r) {
    whole("monitor_months", r.monitor_months);
    whole("training_months", r.training_months);
    if (r.min_training_months > r.training_months) r.min_training_months = r.training_months;
    basis(r.basis);
    direction(r.direction);
    r.minimum_volume = minimum_volume;
  };
  TriggerRule out;
  switch (rule) {
    case RuleType::Threshold: {
      ThresholdRule r;
      if (!t.contains("level"))
        toml_fail(path, &t, prefix + "level", "", "a level for the threshold rule (the count that raises the alert)");
      num("level", r.level);
      direction(r.direction);
      out = r;
      break;
    }
    case RuleType::Growth: {
      GrowthRule r;
      if (auto* n = t.get("compare")) r.compare = *parse_growth_compare(string_of(path, *n, prefix + "compare"));
      whole("window", r.window);
      num("ratio", r.ratio);
      num("min_increase", r.min_increase);
      direction(r.direction);
      r.minimum_volume = minimum_volume;
      out = r;
      break;
    }
    case RuleType::SeasonalAnomaly: {
      SeasonalAnomalyRule r;
      num("z", r.z_threshold);
      whole("years", r.years);
      whole("reference_months", r.reference_months);
      if (r.min_reference_months > r.reference_months) r.min_reference_months = r.reference_months;
      direction(r.direction);
      r.minimum_volume = minimum_volume;
      out = r;
      break;
    }
    case RuleType::Cusum: {
      CusumRule r;
      num("k", r.k);
      num("h", r.h);
      chart(r);
      out = r;
      break;
    }
    case RuleType::Ewma: {
      EwmaRule r;
      num("lambda", r.lambda);
      num("L", r.L);
      chart(r);
      out = r;
      break;
    }
    case RuleType::ForecastExceedance: {
      ForecastExceedanceRule r;
      if (auto* n = t.get("model")) r.model = *parse_forecast_model(string_of(path, *n, prefix + "model"));
      num("level", r.level);
      direction(r.direction);
      r.minimum_volume = minimum_volume;
      out = r;
      break;
    }
    case RuleType::Upstream:
      break;
  }
  std::string problem = check_rule(out);
  if (!problem.empty()) {
    // Point at the parameter the message names, when it is in the table.
    const toml::node* where = &t;
    std::string field = prefix.substr(0, prefix.size() - 2);
    for (auto& [k, v] : t) {
      std::string name(k.str());
      if (problem.rfind(name + " ", 0) == 0 || (name == "z" && problem.rfind("z_threshold", 0) == 0)) {
        where = &v;
        field = prefix + name;
      }
    }
    toml_fail(path, where, field, "", problem);
  }
  return out;
}

}  // namespace

std::optional<RuleType> parse_rule_type(std::string_view t) {
  if (t == "threshold") return RuleType::Threshold;
  if (t == "growth") return RuleType::Growth;
  if (t == "seasonal_anomaly") return RuleType::SeasonalAnomaly;
  if (t == "cusum") return RuleType::Cusum;
  if (t == "ewma") return RuleType::Ewma;
  if (t == "forecast_exceedance") return RuleType::ForecastExceedance;
  if (t == "upstream") return RuleType::Upstream;
  return std::nullopt;
}

std::string_view rule_type_name(RuleType r) {
  switch (r) {
    case RuleType::Threshold: return "threshold";
    case RuleType::Growth: return "growth";
    case RuleType::SeasonalAnomaly: return "seasonal_anomaly";
    case RuleType::Cusum: return "cusum";
    case RuleType::Ewma: return "ewma";
    case RuleType::ForecastExceedance: return "forecast_exceedance";
    case RuleType::Upstream: return "upstream";
  }
  return "growth";
}

TriggerSet parse_trigger_file(const std::string& text, const std::string& path) {
  toml::table root = parse_toml(text, path);
  TriggerSet set;
  set.file = path;
  for (auto& [k, v] : root) {
    std::string name(k.str());
    if (name != "settings" && name != "trigger" && name != "webhook")
      toml_fail(path, &v, name, "", "one of: [settings], [[trigger]], [[webhook]]");
  }
  if (auto* settings = root["settings"].as_table()) {
    for (auto& [k, v] : *settings) {
      std::string name(k.str());
      if (name != "expire_after_months" && name != "evidence_months")
        toml_fail(path, &v, "settings." + name, "", "one of: expire_after_months, evidence_months");
      double n = number_of(path, v, "settings." + name);
      if (!(n >= 1) || n != static_cast<int>(n)) toml_fail(path, &v, "settings." + name, std::to_string(n), "a whole number of months, at least 1");
      (name == "expire_after_months" ? set.expire_after_months : set.evidence_months) = static_cast<int>(n);
    }
  }
  if (auto* hooks = root["webhook"].as_array()) {
    for (auto& node : *hooks) {
      auto* t = node.as_table();
      if (!t) toml_fail(path, &node, "webhook", "", "a [[webhook]] table");
      WebhookEndpoint w;
      for (auto& [k, v] : *t) {
        std::string name(k.str());
        // A number of seconds within [low, high]; whole when `whole`.
        auto seconds = [&](double low, double high, bool whole) {
          const double n = number_of(path, v, "webhook." + name);
          if (!(n >= low && n <= high) || (whole && n != static_cast<int64_t>(n)))
            toml_fail(path, &v, "webhook." + name, number_text(n),
                      std::string(whole ? "a whole number" : "a number") + " from " + number_text(low) + " to " +
                          number_text(high));
          return n;
        };
        if (name == "url") w.url = string_of(path, v, "webhook.url");
        else if (name == "secret_env") w.secret_env = string_of(path, v, "webhook.secret_env");
        else if (name == "timeout_seconds")
          w.timeout = std::chrono::milliseconds(std::llround(seconds(0.1, 120, false) * 1000));
        else if (name == "connect_timeout_seconds")
          w.connect_timeout = std::chrono::milliseconds(std::llround(seconds(0.1, 120, false) * 1000));
        else if (name == "max_attempts") w.max_attempts = static_cast<int>(seconds(1, 1000, true));
        else if (name == "retry_delay_seconds") w.retry_delay = std::chrono::seconds(std::llround(seconds(0, 3600, true)));
        else if (name == "breaker_failures") w.breaker_failures = static_cast<int>(seconds(1, 1000, true));
        else if (name == "breaker_cooldown_seconds")
          w.breaker_cooldown = std::chrono::seconds(std::llround(seconds(0, 86400, true)));
        else
          toml_fail(path, &v, "webhook." + name, "",
                    "one of: url, secret_env, timeout_seconds, connect_timeout_seconds, max_attempts, "
                    "retry_delay_seconds, breaker_failures, breaker_cooldown_seconds");
      }
      if (w.connect_timeout > w.timeout) w.connect_timeout = w.timeout;  // connecting is part of the attempt
      if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0)
        toml_fail(path, t, "webhook.url", w.url, "an http:// or https:// URL");
      if (!w.secret_env.empty()) {
        const char* secret = std::getenv(w.secret_env.c_str());
        w.secret = secret ? secret : "";
      }
      set.webhooks.push_back(w);
    }
  } else if (root.contains("webhook")) {
    toml_fail(path, root.get("webhook"), "webhook", "", "[[webhook]] tables");
  }
  auto* triggers = root["trigger"].as_array();
  if (!triggers) {
    if (root.contains("trigger")) toml_fail(path, root.get("trigger"), "trigger", "", "[[trigger]] tables");
    toml_fail(path, nullptr, "trigger", "", "at least one [[trigger]]");
  }
  std::set<std::string> ids;
  const std::set<std::string> common = {"id", "name", "description", "name_es", "description_es", "rule",
                                        "severity", "select", "group_by", "minimum_volume", "route", "condition",
                                        "window_coverage", "window_of", "include_groups"};
  for (auto& node : *triggers) {
    auto* t = node.as_table();
    if (!t) toml_fail(path, &node, "trigger", "", "a [[trigger]] table");
    Trigger tr;
    tr.line = t->source().begin.line;
    auto* id = t->get("id");
    if (!id) toml_fail(path, t, "trigger.id", "", "an id (a short name alerts will carry, e.g. \"darien-surge\")");
    tr.id = string_of(path, *id, "trigger.id");
    if (tr.id.empty() || tr.id.find_first_of(" ;=\t") != std::string::npos)
      toml_fail(path, id, "trigger.id", tr.id, "a non-empty id without spaces, ';' or '='");
    if (!ids.insert(tr.id).second) toml_fail(path, id, "trigger.id", tr.id, "an id not used by another trigger");
    const std::string prefix = "trigger " + tr.id + ": ";
    if (auto* n = t->get("name")) tr.name = string_of(path, *n, prefix + "name");
    if (tr.name.empty()) tr.name = tr.id;
    if (auto* d = t->get("description")) tr.description = string_of(path, *d, prefix + "description");
    if (auto* n = t->get("name_es")) tr.name_es = string_of(path, *n, prefix + "name_es");
    if (auto* d = t->get("description_es")) tr.description_es = string_of(path, *d, prefix + "description_es");
    auto* rule = t->get("rule");
    if (!rule) toml_fail(path, t, prefix + "rule", "", "a rule: threshold, growth, seasonal_anomaly, cusum, ewma, forecast_exceedance or upstream");
    std::string rule_text = string_of(path, *rule, prefix + "rule");
    auto r = parse_rule_type(rule_text);
    if (!r) toml_fail(path, rule, prefix + "rule", rule_text, "one of: threshold, growth, seasonal_anomaly, cusum, ewma, forecast_exceedance, upstream");
    tr.rule = *r;
    if (auto* s = t->get("severity")) {
      std::string sev = string_of(path, *s, prefix + "severity");
      auto parsed = parse_severity(sev);
      if (!parsed) toml_fail(path, s, prefix + "severity", sev, "one of: minor, moderate, severe, extreme");
      tr.severity = *parsed;
    }
    if (auto* mv = t->get("minimum_volume")) {
      tr.minimum_volume = number_of(path, *mv, prefix + "minimum_volume");
      if (tr.minimum_volume < 0) toml_fail(path, mv, prefix + "minimum_volume", std::to_string(tr.minimum_volume), "a count of at least 0");
    }
    if (auto* g = t->get("include_groups")) {
      for (auto& code : strings_of(path, *g, prefix + "include_groups")) {
        if (!is_residual_citizenship(code))
          toml_fail(path, g, prefix + "include_groups", code,
                    "codes of residual groups: OTH, OOO or UNK (every other citizenship is always judged)");
        tr.include_groups.push_back(code);
      }
    }
    if (auto* sel = t->get("select")) {
      auto* st = sel->as_table();
      if (!st) toml_fail(path, sel, prefix + "select", "", "a table of dimension = value(s), e.g. { event = \"encounter\" }");
      for (auto& [k, v] : *st) {
        std::string dim(k.str());
        if (!dimension_value(SeriesKey{}, dim))
          toml_fail(path, &v, prefix + "select." + dim, dim, "a dimension: " + list_of({"source", "reporter", "location", "citizenship", "counterpart", "event", "demographic", "authority"}));
        tr.selection.filters[dim] = strings_of(path, v, prefix + "select." + dim);
      }
    }
    if (auto* g = t->get("group_by")) {
      for (auto& dim : strings_of(path, *g, prefix + "group_by")) {
        if (!dimension_value(SeriesKey{}, dim))
          toml_fail(path, g, prefix + "group_by", dim, "dimensions: " + list_of({"source", "reporter", "location", "citizenship", "counterpart", "event", "demographic", "authority"}));
        tr.selection.by.push_back(dim);
      }
    }
    if (tr.rule == RuleType::Upstream) {
      auto* route = t->get("route");
      if (!route) toml_fail(path, t, prefix + "route", "", "the route file whose checkpoints the upstream rule follows");
      tr.route_file = string_of(path, *route, prefix + "route");
      std::filesystem::path rp(tr.route_file);
      if (rp.is_relative()) rp = std::filesystem::path(path).parent_path() / rp;
      tr.route_file = rp.lexically_normal().string();
      try {
        tr.route = std::make_shared<Route>(load_route_file(tr.route_file));
      } catch (const InputError& e) {
        toml_fail(path, route, prefix + "route", tr.route_file, "a valid route file (" + std::string(e.what()) + ")");
      }
      tr.condition = RuleType::Growth;
      if (auto* c = t->get("condition")) {
        std::string ct = string_of(path, *c, prefix + "condition");
        auto cr = parse_rule_type(ct);
        if (!cr || *cr == RuleType::Upstream)
          toml_fail(path, c, prefix + "condition", ct, "the rule that detects a surge upstream: threshold, growth, seasonal_anomaly, cusum, ewma or forecast_exceedance");
        tr.condition = *cr;
      }
      if (t->contains("group_by") || t->contains("select"))
        toml_fail(path, t->contains("select") ? t->get("select") : t->get("group_by"), prefix + "select",
             "", "no select or group_by: an upstream trigger follows the route's checkpoints, per citizenship");
      if (auto* c = t->get("window_coverage")) {
        tr.window_coverage = number_of(path, *c, prefix + "window_coverage");
        if (!(tr.window_coverage >= 0.5 && tr.window_coverage < 1))
          toml_fail(path, c, prefix + "window_coverage", std::to_string(tr.window_coverage), "a share from 0.5 to below 1, e.g. 0.8");
      }
      if (auto* w = t->get("window_of")) {
        const std::string of = string_of(path, *w, prefix + "window_of");
        if (of != "peak" && of != "arrival") toml_fail(path, w, prefix + "window_of", of, "\"peak\" or \"arrival\"");
        tr.window_to_peak = of == "peak";
      }
      tr.detector = read_rule(path, *t, prefix, tr.condition, common, tr.minimum_volume);
    } else {
      for (const char* only : {"window_coverage", "window_of"})
        if (t->contains(only))
          toml_fail(path, t->get(only), prefix + only, "", std::string(only) + " only with rule = \"upstream\"");
      if (t->contains("route") || t->contains("condition"))
        toml_fail(path, t->contains("route") ? t->get("route") : t->get("condition"), prefix + "route", "",
             "route and condition only with rule = \"upstream\"");
      tr.detector = read_rule(path, *t, prefix, tr.rule, common, tr.minimum_volume);
      // Series of several sources are never added (they may overlap, or count
      // other units): a trigger judges each source's series on its own.
      {
        auto src = tr.selection.filters.find("source");
        const bool one_source = src != tr.selection.filters.end() && src->second.size() == 1;
        const bool by_source =
            std::find(tr.selection.by.begin(), tr.selection.by.end(), "source") != tr.selection.by.end();
        if (!one_source && !by_source)
          toml_fail(path, t->get("group_by") ? t->get("group_by") : t, prefix + "group_by", "",
                    "\"source\" among the group_by dimensions, or select one source: series of several sources "
                    "are never added into one (they may count the same people, or other units)");
      }
    }
    set.triggers.push_back(std::move(tr));
  }
  return set;
}

TriggerSet load_trigger_file(const std::string& path) {
  return parse_trigger_file(read_input_file(path, "a readable trigger file"), path);
}

}  // namespace atalaya
