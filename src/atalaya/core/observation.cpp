// Dimension access and attribute vocabularies for observations.
#include "atalaya/core/observation.h"

#include <algorithm>

namespace atalaya {

std::optional<std::string_view> dimension_value(const SeriesKey& k, std::string_view d) {
  if (d == "source") return k.source;
  if (d == "reporter") return k.reporter;
  if (d == "location") return k.location;
  if (d == "citizenship") return k.citizenship;
  if (d == "counterpart") return k.counterpart;
  if (d == "event") return k.event;
  if (d == "demographic") return k.demographic;
  if (d == "authority") return k.authority;
  return std::nullopt;
}

std::optional<Unit> parse_unit(std::string_view t) {
  if (t == "events" || t == "event") return Unit::Events;
  if (t == "persons" || t == "person") return Unit::Persons;
  if (t == "cases" || t == "case") return Unit::Cases;
  return std::nullopt;
}

std::optional<Status> parse_status(std::string_view t) {
  if (t == "provisional" || t == "p") return Status::Provisional;
  if (t == "final" || t == "f") return Status::Final;
  if (t == "estimated" || t == "e") return Status::Estimated;
  return std::nullopt;
}

std::string_view unit_name(Unit u) {
  switch (u) {
    case Unit::Events: return "events";
    case Unit::Persons: return "persons";
    case Unit::Cases: return "cases";
  }
  return "?";
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::Provisional: return "provisional";
    case Status::Final: return "final";
    case Status::Estimated: return "estimated";
  }
  return "?";
}

}  // namespace atalaya
