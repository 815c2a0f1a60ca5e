// Country reference data: every ISO 3166-1 country with its codes, region and
// names, the name variants real sources print, and the declared group codes
// that sources use where they do not name one country (CBP's "Other").
//
// The table is compiled into the library (countries_table.cpp); nothing is
// downloaded. Look-ups normalise case, accents, punctuation and spacing, so
// "CÔTE D'IVOIRE", "Cote d Ivoire" and "CIV" all find the same country.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

struct Country {
  const char* alpha3;   // ISO 3166-1 alpha-3, e.g. "VEN"
  const char* alpha2;   // ISO 3166-1 alpha-2, e.g. "VE"
  int m49;              // UN M49 numeric code, e.g. 862
  const char* region;   // M49 sub-region in English, e.g. "South America"
  const char* name_en;  // short English name, e.g. "Venezuela (Bolivarian Republic of)"
  const char* name_es;  // short Spanish name, e.g. "Venezuela (República Bolivariana de)"
};

// A variant spelling as printed by some source, mapped to an alpha-3 code.
struct CountryNameVariant {
  const char* name;    // e.g. "CHINA, PEOPLES REPUBLIC OF", "Korea, Rep.", "VENEZUELA"
  const char* alpha3;  // e.g. "CHN"
};

// A declared group code: a citizenship that is not one country.
struct CitizenshipGroup {
  const char* code;     // e.g. "OTH", "OOO", "UNK", "XXA"
  const char* name_en;
  const char* name_es;
  const char* note;     // what the group means and which sources use it
};

// The compiled tables (defined in countries_table.cpp).
std::span<const Country> all_countries();
std::span<const CountryNameVariant> country_name_variants();
std::span<const CitizenshipGroup> citizenship_groups();

// Lower-case ASCII, accents folded (UTF-8 and Latin-1 input), punctuation
// dropped, runs of spaces collapsed. Used for every name comparison.
std::string normalise_name(std::string_view text);

// Finds a country by alpha-3, alpha-2, M49 code, English or Spanish name, or a
// known variant. nullptr if none.
const Country* find_country(std::string_view name_or_code);
// Finds a declared group by code or name ("Other" -> OTH). nullptr if none.
const CitizenshipGroup* find_group(std::string_view name_or_code);

// Whether a citizenship code is a residual group, one that lumps several
// citizenships together or does not know them (OTH, OOO, UNK): not the
// movement of one people, so early warning leaves it out unless asked.
bool is_residual_citizenship(std::string_view code);

// The code a citizenship or reporter value harmonises to: a country's alpha-3
// or a group's code. Empty string if unknown.
std::string citizenship_code(std::string_view name_or_code);

// Up to n known names closest to `name` (edit distance on normalised names),
// for "did you mean" messages. Each entry is "Name (ABC)". Only the first
// kNearestComparedChars characters of `name` are compared, so the cost is
// bounded whatever its length.
inline constexpr size_t kNearestComparedChars = 100;
std::vector<std::string> nearest_country_names(std::string_view name, size_t n = 3);

// "citizenship: unknown country 'Hayti'; nearest known: Haiti (HTI); ...": the
// one wording every query error about a country name uses, naming the
// parameter (or dimension) it was given for. A long `given` is shortened
// (echoed_value in core/text.h).
std::string unknown_country_message(std::string_view parameter, std::string_view given);

}  // namespace atalaya
