#include "atalaya/core/source_declaration.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace atalaya {

std::optional<Measure> parse_measure(std::string_view text) {
  if (text == "flow") return Measure::Flow;
  if (text == "stock") return Measure::Stock;
  return std::nullopt;
}

std::string_view measure_name(Measure m) { return m == Measure::Stock ? "stock" : "flow"; }

std::optional<AbsentKey> parse_absent_key(std::string_view text) {
  if (text == "zero") return AbsentKey::Zero;
  if (text == "suppressed") return AbsentKey::Suppressed;
  if (text == "missing") return AbsentKey::Missing;
  return std::nullopt;
}

std::string_view absent_key_name(AbsentKey a) {
  switch (a) {
    case AbsentKey::Zero: return "zero";
    case AbsentKey::Suppressed: return "suppressed";
    case AbsentKey::Missing: return "missing";
  }
  return "zero";
}

std::string SourceDeclaration::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  j["measure"] = measure_name(measure);
  j["absent"] = absent_key_name(absent);
  if (!coverage.empty()) j["coverage"] = coverage;
  if (!overlaps.empty()) j["overlaps"] = overlaps;
  if (!publisher.empty()) j["publisher"] = publisher;
  if (!licence.empty()) j["licence"] = licence;
  if (!schedule.empty()) j["schedule"] = schedule;
  if (publication_lag_months >= 0) j["publication_lag_months"] = publication_lag_months;
  if (simulated) j["simulated"] = true;
  return j.dump();
}

SourceDeclaration SourceDeclaration::from_json(std::string_view text) {
  SourceDeclaration d;
  if (text.empty()) return d;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return d;
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  if (auto m = parse_measure(str("measure"))) d.measure = *m;
  if (auto a = parse_absent_key(str("absent"))) d.absent = *a;
  d.coverage = str("coverage");
  d.publisher = str("publisher");
  d.licence = str("licence");
  d.schedule = str("schedule");
  if (j.contains("overlaps") && j["overlaps"].is_array())
    for (auto& o : j["overlaps"])
      if (o.is_string()) d.overlaps.push_back(o.get<std::string>());
  if (j.contains("publication_lag_months") && j["publication_lag_months"].is_number_integer())
    d.publication_lag_months = j["publication_lag_months"].get<int>();
  d.simulated = j.contains("simulated") && j["simulated"].is_boolean() && j["simulated"].get<bool>();
  return d;
}

bool sources_overlap(std::string_view a, const SourceDeclaration& da, std::string_view b,
                     const SourceDeclaration& db) {
  return std::find(da.overlaps.begin(), da.overlaps.end(), b) != da.overlaps.end() ||
         std::find(db.overlaps.begin(), db.overlaps.end(), a) != db.overlaps.end();
}

}  // namespace atalaya
