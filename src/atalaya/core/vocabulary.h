// The controlled vocabularies of the model: the events a count can be of
// (each with English and Spanish labels and a measure: a flow is counted over
// a period, a stock at a date) and the demographic code list (sex, age group,
// family status). Both are shipped in vocabulary.cpp; the event list can be
// extended by a vocabulary file (TOML) loaded once at start-up:
//
//   [event.rescue_at_sea]
//   label = "Rescued at sea"
//   label_es = "Rescatado en el mar"
//   measure = "flow"
//
// See docs/formats.md ("The event vocabulary").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

struct EventTerm {
  std::string code;      // "irregular_transit"
  std::string label_en;  // "Irregular transit"
  std::string label_es;  // "Tránsito irregular"
  std::string measure;   // "flow" (counted over a period) or "stock" (counted at a date)
  std::string note;      // what it means and which sources use it
  std::string file;      // the vocabulary file that declared it; empty for a shipped event
};

// Every event: the shipped ones, then those of loaded vocabulary files.
// Read it after load_vocabulary (the list is not locked: load first, then read
// from any number of threads).
const std::vector<EventTerm>& event_vocabulary();
const EventTerm* find_event(std::string_view code);
bool is_known_event(std::string_view event);
// "flow" or "stock"; nullopt for an unknown event.
std::optional<std::string_view> event_measure(std::string_view event);
// "encounter, apprehension, ...": every code, for messages.
std::string event_codes();
// What an "unknown event" message should add: the vocabulary files loaded, or
// how to declare one ("declare it in a vocabulary file: --vocabulary FILE or
// $ATALAYA_VOCABULARY").
std::string event_vocabulary_hint();

// Reads a vocabulary file and adds its events. Throws InputError naming the
// file, the line and the key for a malformed file, an event already declared
// (shipped events cannot be redefined), or a bad code or measure.
void load_vocabulary(const std::string& path);
void load_vocabulary_text(const std::string& text, const std::string& path);
// Forgets every loaded file (tests).
void reset_vocabulary();

// The demographic code list: sex, age group and family status.
struct DemographicTerm {
  std::string_view code;      // "F", "0-4", "family_unit"
  std::string_view kind;      // "sex", "age", "family" or "combined"
  std::string_view label_en;
  std::string_view label_es;
};
const std::vector<DemographicTerm>& demographic_codes();
// True for "" (the total), a listed code, or codes joined by "_" whose parts
// are a sex and an age group ("F_0-4", "M_18-59").
bool is_known_demographic(std::string_view code);
// "F, M, 0-4, ...": every code, for messages.
std::string demographic_code_list();

}  // namespace atalaya
