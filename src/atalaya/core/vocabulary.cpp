// The shipped event vocabulary and demographic code list, and vocabulary files.
#include "atalaya/core/vocabulary.h"

#include <algorithm>

#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"

namespace atalaya {
namespace {

struct ShippedEvent {
  const char* code;
  const char* label_en;
  const char* label_es;
  const char* measure;
  const char* note;
};

// Never rename or remove a code: stored series carry them. Add new ones at
// the end of their group.
constexpr ShippedEvent kShippedEvents[] = {
    // Border and irregular movement (flows).
    {"encounter", "Border encounter", "Encuentro en frontera", "flow",
     "A border encounter of unspecified type; as a query filter it also selects apprehension, "
     "inadmissible and expulsion (simulated U.S. data)."},
    {"apprehension", "Apprehension", "Aprehensión", "flow",
     "Apprehension between ports of entry (U.S. Border Patrol, Title 8): CBP Apprehensions."},
    {"inadmissible", "Found inadmissible", "Declarado inadmisible", "flow",
     "Found inadmissible at a port of entry (Office of Field Operations, Title 8): CBP Inadmissibles."},
    {"expulsion", "Expulsion", "Expulsión", "flow",
     "Expelled under Title 42 public-health authority: CBP Expulsions."},
    {"irregular_transit", "Irregular transit", "Tránsito irregular", "flow",
     "People transiting irregularly through a checkpoint (Panama, Darién)."},
    {"irregular_event", "Event of irregular migratory situation", "Evento de situación migratoria irregular",
     "flow", "Events of persons in an irregular migratory situation; the same person can count twice (Mexico UPM)."},
    // Protection (flows).
    {"asylum_application", "Asylum application", "Solicitud de asilo", "flow",
     "An asylum application lodged (UNHCR)."},
    {"resettlement", "Resettlement", "Reasentamiento", "flow",
     "A refugee resettled to a third country (UNHCR resettlement statistics)."},
    {"regularisation", "Regularisation", "Regularización", "flow",
     "A residence permit or status granted under a regularisation programme (e.g. Colombia's PPT)."},
    // Returns (flows).
    {"return", "Return", "Retorno", "flow", "A return of unspecified kind."},
    {"deportation", "Deportation", "Deportación", "flow", "A deportation (Mexico UPM)."},
    {"assisted_return", "Assisted return", "Retorno asistido", "flow", "An assisted return (Mexico UPM)."},
    {"returned_refugee", "Returned refugee", "Refugiado retornado", "flow",
     "A refugee who returned to the country of origin during the year (UNHCR returned_refugees)."},
    {"returned_idp", "Returned IDP", "Desplazado interno retornado", "flow",
     "An internally displaced person who returned home during the year (UNHCR returned_idps)."},
    // Displacement and harm (flows).
    {"displacement", "New internal displacement", "Nuevo desplazamiento interno", "flow",
     "A new internal displacement in the period (IDMC new displacements). For the number of people "
     "displaced at a date use idp."},
    {"death", "Death", "Muerte", "flow", "A migrant who died on the way (IOM Missing Migrants: dead)."},
    {"missing_person", "Dead or missing migrant", "Migrante muerto o desaparecido", "flow",
     "A migrant recorded dead or missing on the way (IOM Missing Migrants: total dead and missing)."},
    // Populations at a date (stocks).
    {"refugee", "Refugee", "Refugiado", "stock", "Refugees under UNHCR's mandate at the end of the year."},
    {"asylum_seeker", "Asylum seeker", "Solicitante de asilo", "stock",
     "Asylum seekers whose claim is pending at the end of the year (UNHCR)."},
    {"stateless", "Stateless person", "Persona apátrida", "stock",
     "Persons under UNHCR's statelessness mandate at the end of the year."},
    {"idp", "Internally displaced person", "Desplazado interno", "stock",
     "People internally displaced at the end of the year (UNHCR idps, IDMC stock figures)."},
    {"other_in_need_of_protection", "Other in need of international protection",
     "Otra persona con necesidad de protección internacional", "stock",
     "People outside their country who need international protection and are not refugees or "
     "asylum seekers (UNHCR oip; mostly Venezuelans since 2018)."},
    {"other_of_concern", "Other of concern to UNHCR", "Otra persona de interés del ACNUR", "stock",
     "Others of concern to UNHCR (UNHCR ooc)."},
    {"host_community", "Host community member", "Miembro de comunidad de acogida", "stock",
     "Host community members assisted by UNHCR (UNHCR hst)."},
};

struct DemographicRow {
  const char* code;
  const char* kind;
  const char* label_en;
  const char* label_es;
};

constexpr DemographicRow kDemographics[] = {
    {"F", "sex", "Female", "Mujer"},
    {"M", "sex", "Male", "Hombre"},
    {"0-4", "age", "Aged 0 to 4", "De 0 a 4 años"},
    {"5-11", "age", "Aged 5 to 11", "De 5 a 11 años"},
    {"12-17", "age", "Aged 12 to 17", "De 12 a 17 años"},
    {"18-59", "age", "Aged 18 to 59", "De 18 a 59 años"},
    {"60+", "age", "Aged 60 or more", "De 60 años o más"},
    {"child", "age", "Child (under 18)", "Niño, niña o adolescente (menor de 18)"},
    {"adult", "age", "Adult (18 or more)", "Adulto (18 o más)"},
    {"unknown_age", "age", "Age unknown", "Edad desconocida"},
    {"single_adult", "family", "Single adult", "Adulto solo"},
    {"family_unit", "family", "Individual in a family unit", "Integrante de unidad familiar"},
    {"unaccompanied_child", "family", "Unaccompanied child", "Niño, niña o adolescente no acompañado"},
    {"accompanied_minor", "family", "Accompanied minor", "Menor acompañado"},
};

struct Registry {
  std::vector<EventTerm> events;
  std::vector<std::string> files;
};

Registry shipped() {
  Registry r;
  for (const ShippedEvent& e : kShippedEvents) r.events.push_back(EventTerm{e.code, e.label_en, e.label_es, e.measure, e.note, ""});
  return r;
}

Registry& registry() {
  static Registry r = shipped();
  return r;
}

bool valid_code(std::string_view c) {
  return !c.empty() && c[0] >= 'a' && c[0] <= 'z' && std::all_of(c.begin(), c.end(), [](char x) {
    return (x >= 'a' && x <= 'z') || (x >= '0' && x <= '9') || x == '_';
  });
}

std::string text_of(const std::string& path, const toml::node& node, const std::string& field) {
  if (auto s = node.as_string()) return s->get();
  toml_fail(path, &node, field, "", "a string");
}

}  // namespace

const std::vector<EventTerm>& event_vocabulary() { return registry().events; }

const EventTerm* find_event(std::string_view code) {
  for (const EventTerm& e : registry().events)
    if (e.code == code) return &e;
  return nullptr;
}

bool is_known_event(std::string_view event) { return find_event(event) != nullptr; }

std::optional<std::string_view> event_measure(std::string_view event) {
  const EventTerm* e = find_event(event);
  if (!e) return std::nullopt;
  return std::string_view(e->measure);
}

std::string event_codes() {
  std::string s;
  for (const EventTerm& e : registry().events) s += (s.empty() ? "" : ", ") + e.code;
  return s;
}

std::string event_vocabulary_hint() {
  const auto& files = registry().files;
  if (files.empty())
    return "declare a new event in a vocabulary file ([event.CODE] label, label_es, measure) "
           "given with --vocabulary FILE or $ATALAYA_VOCABULARY";
  std::string s = "not in the shipped vocabulary nor in ";
  for (size_t i = 0; i < files.size(); ++i) s += (i ? ", " : "") + files[i];
  return s;
}

void load_vocabulary_text(const std::string& text, const std::string& path) {
  toml::table root = parse_toml(text, path);
  check_known_keys(path, root, "", {"event"});
  std::vector<EventTerm> added;
  if (auto* node = root.get("event")) {
    auto* events = node->as_table();
    if (!events) toml_fail(path, node, "event", "", "tables [event.CODE] with label, label_es and measure");
    for (auto& [k, v] : *events) {
      const std::string code(k.str());
      const std::string at = "event." + code;
      if (!valid_code(code)) toml_fail(path, &v, at, code, "an event code of lower-case letters, digits and _");
      if (const EventTerm* old = find_event(code))
        toml_fail(path, &v, at, code,
                  "a new event (" + code + " is already declared " +
                      (old->file.empty() ? std::string("in the shipped vocabulary") : "in " + old->file) + ")");
      if (std::any_of(added.begin(), added.end(), [&](const EventTerm& e) { return e.code == code; }))
        toml_fail(path, &v, at, code, "each event declared once");
      auto* t = v.as_table();
      if (!t) toml_fail(path, &v, at, "", "a table with label, label_es and measure");
      check_known_keys(path, *t, at, {"label", "label_es", "measure", "note"});
      EventTerm e;
      e.code = code;
      e.file = path;
      if (auto* n = t->get("label")) e.label_en = text_of(path, *n, at + ".label");
      if (auto* n = t->get("label_es")) e.label_es = text_of(path, *n, at + ".label_es");
      if (auto* n = t->get("note")) e.note = text_of(path, *n, at + ".note");
      if (auto* n = t->get("measure")) e.measure = text_of(path, *n, at + ".measure");
      if (e.label_en.empty()) toml_fail(path, &v, at + ".label", "", "an English label");
      if (e.label_es.empty()) toml_fail(path, &v, at + ".label_es", "", "a Spanish label");
      if (e.measure != "flow" && e.measure != "stock")
        toml_fail(path, t->get("measure") ? t->get("measure") : &v, at + ".measure", e.measure,
                  "flow (counted over a period) or stock (counted at a date)");
      added.push_back(std::move(e));
    }
  }
  Registry& r = registry();
  for (auto& e : added) r.events.push_back(std::move(e));
  r.files.push_back(path);
}

void load_vocabulary(const std::string& path) {
  load_vocabulary_text(read_input_file(path, "a readable vocabulary file"), path);
}

void reset_vocabulary() { registry() = shipped(); }

const std::vector<DemographicTerm>& demographic_codes() {
  static const std::vector<DemographicTerm> list = [] {
    std::vector<DemographicTerm> v;
    for (const DemographicRow& d : kDemographics) v.push_back(DemographicTerm{d.code, d.kind, d.label_en, d.label_es});
    return v;
  }();
  return list;
}

namespace {
const DemographicTerm* find_demographic(std::string_view code) {
  for (const DemographicTerm& d : demographic_codes())
    if (d.code == code) return &d;
  return nullptr;
}
}  // namespace

bool is_known_demographic(std::string_view code) {
  if (code.empty() || find_demographic(code)) return true;
  // Sex and age group together: "F_0-4", "M_adult".
  auto us = code.find('_');
  if (us == std::string_view::npos) return false;
  const DemographicTerm* sex = find_demographic(code.substr(0, us));
  const DemographicTerm* age = find_demographic(code.substr(us + 1));
  return sex && age && sex->kind == "sex" && age->kind == "age";
}

std::string demographic_code_list() {
  std::string s;
  for (const DemographicTerm& d : demographic_codes()) s += (s.empty() ? "" : ", ") + std::string(d.code);
  return s + ", or a sex and an age group joined by _ (F_0-4, M_adult)";
}

}  // namespace atalaya
