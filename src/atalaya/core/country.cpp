// Country and citizenship-group look-ups over the compiled tables
// (countries_table.cpp): name normalisation, the hash index, and the
// "did you mean" suggestions.
#include "atalaya/core/country.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "atalaya/core/text.h"

namespace atalaya {
namespace {

// What one folded character turns into. A separator becomes a space (so
// "Guinea-Bissau" keeps two words); a joiner is dropped outright, because an
// apostrophe inside a word ("People's") must not split it.
constexpr const char* kSep = " ";
constexpr const char* kJoin = "";

// U+00C0..U+00FF, lower-cased and stripped of accents. Latin-1 and
// Windows-1252 single bytes use the same table, which is why it is indexed by
// code point rather than by UTF-8 sequence.
constexpr const char* kLatin1Upper[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",   // C0-C7
    "e", "e", "e", "e", "i", "i", "i", "i",    // C8-CF
    "d", "n", "o", "o", "o", "o", "o", kSep,   // D0-D7 (D7 = multiplication sign)
    "o", "u", "u", "u", "u", "y", "th", "ss",  // D8-DF
    "a", "a", "a", "a", "a", "a", "ae", "c",   // E0-E7
    "e", "e", "e", "e", "i", "i", "i", "i",    // E8-EF
    "d", "n", "o", "o", "o", "o", "o", kSep,   // F0-F7 (F7 = division sign)
    "o", "u", "u", "u", "u", "y", "th", "y",   // F8-FF
};

// U+0100..U+017F (Latin Extended-A), one base letter each; the two
// ligatures are handled before this table is consulted.
constexpr char kLatinExtA[] =
    "aaaaaa"      // 0100-0105
    "cccccccc"    // 0106-010D
    "dddd"        // 010E-0111
    "eeeeeeeeee"  // 0112-011B
    "gggggggg"    // 011C-0123
    "hhhh"        // 0124-0127
    "iiiiiiiiii"  // 0128-0131
    "ii"          // 0132-0133 (IJ ligature, special-cased)
    "jj"          // 0134-0135
    "kkk"         // 0136-0138
    "llllllllll"  // 0139-0142
    "nnnnnnnnn"   // 0143-014B
    "oooooo"      // 014C-0151
    "oo"          // 0152-0153 (OE ligature, special-cased)
    "rrrrrr"      // 0154-0159
    "ssssssss"    // 015A-0161
    "tttttt"      // 0162-0167
    "uuuuuuuuuuuu"  // 0168-0173
    "ww"          // 0174-0175
    "yyy"         // 0176-0178
    "zzzzzz"      // 0179-017E
    "s";          // 017F
static_assert(sizeof(kLatinExtA) == 128 + 1, "one letter per code point U+0100..U+017F");

// Folds one code point. Returns kSep for anything that is not a letter or
// digit we can represent, so unknown scripts split words instead of gluing
// neighbours together.
const char* fold_code_point(uint32_t cp, char* buf) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') {
      buf[0] = static_cast<char>(c - 'A' + 'a');
      buf[1] = '\0';
      return buf;
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      buf[0] = c;
      buf[1] = '\0';
      return buf;
    }
    if (c == '\'' || c == '`') return kJoin;
    return kSep;
  }
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1Upper[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    if (cp == 0x132 || cp == 0x133) return "ij";
    if (cp == 0x152 || cp == 0x153) return "oe";
    buf[0] = kLatinExtA[cp - 0x100];
    buf[1] = '\0';
    return buf;
  }
  switch (cp) {
    case 0xB4:    // acute accent, often typed for an apostrophe: "d´Ivoire"
    case 0x2BC:   // modifier letter apostrophe
    case 0x2018:  // left single quotation mark
    case 0x2019:  // right single quotation mark (typographic apostrophe)
      return kJoin;
    case 0x218: case 0x219: return "s";  // Romanian s-comma
    case 0x21A: case 0x21B: return "t";  // Romanian t-comma
    case 0x18F: case 0x259: return "e";  // schwa (Azerbaijani)
    case 0x192: return "f";
    default: break;
  }
  // Combining diacritics (decomposed input, "e" + U+0301): the base letter
  // already went out.
  if (cp >= 0x300 && cp <= 0x36F) return kJoin;
  return kSep;
}

// Windows-1252 bytes 0x80..0x9F map to these code points; the rest of the
// single-byte range is Latin-1, i.e. the byte value itself.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Decodes one UTF-8 sequence at text[i]. If the bytes there are not valid
// UTF-8 the byte is read as Windows-1252, because files from Latin American
// agencies still arrive in that encoding.
uint32_t next_code_point(std::string_view text, size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  const size_t left = text.size() - i;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  if (b0 >= 0xC2 && b0 <= 0xDF && left >= 2 && is_continuation(byte(1))) {
    const uint32_t cp = ((b0 & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    i += 2;
    return cp;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && left >= 3 && is_continuation(byte(1)) &&
      is_continuation(byte(2))) {
    const uint32_t cp = ((b0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    if (cp >= 0x800) {  // reject overlong forms
      i += 3;
      return cp;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && left >= 4 && is_continuation(byte(1)) &&
      is_continuation(byte(2)) && is_continuation(byte(3))) {
    const uint32_t cp = ((b0 & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) |
                        ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    if (cp >= 0x10000) {
      i += 4;
      return cp;
    }
  }
  ++i;
  if (b0 < 0xA0) return kCp1252High[b0 - 0x80];  // 0 (unassigned) folds to a separator
  return b0;
}

// The hash key: the normalised name without its spaces, so "Cote d Ivoire",
// "Côte d'Ivoire" and "Guinea Bissau"/"Guinea-Bissau" meet.
std::string compact(std::string_view normalised) {
  std::string out;
  out.reserve(normalised.size());
  for (char c : normalised) {
    if (c != ' ') out += c;
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Extra names for the declared groups, beyond each group's own English and
// Spanish names: the wordings sources actually print for them.
struct GroupAlias {
  const char* name;
  const char* code;
};
constexpr GroupAlias kGroupAliases[] = {
    {"Others", "OTH"},           {"All other", "OTH"},         {"All others", "OTH"},
    {"Other countries", "OTH"},  {"All other countries", "OTH"}, {"Otro", "OTH"},
    {"Otra", "OTH"},             {"Otras", "OTH"},             {"Otros países", "OTH"},
    {"Demás países", "OTH"},     {"Resto del mundo", "OTH"},   {"Rest of the world", "OTH"},
    {"Other/Unknown", "OOO"},    {"Unknown/Other", "OOO"},     {"Otro/Desconocido", "OOO"},
    {"Desconocida", "UNK"},      {"Unknown citizenship", "UNK"}, {"Nacionalidad desconocida", "UNK"},
    {"Stateless persons", "XXA"}, {"Apátridas", "XXA"},         {"Sin nacionalidad", "XXA"},
    {"Tibetans", "TIB"},         {"Tíbet", "TIB"},             {"Abyei", "AB9"},
    {"Área de Abyei", "AB9"},    {"Abyei area (disputed)", "AB9"},
    {"Multiple", "MULTIPLE"},    {"Several", "MULTIPLE"},      {"Multiple nationalities", "MULTIPLE"},
    {"Múltiples", "MULTIPLE"},   {"OIM", "IOM"},
    {"International Organisation for Migration", "IOM"},
    {"ACNUR", "UNHCR"},          {"UN Refugee Agency", "UNHCR"},
    {"Office of the United Nations High Commissioner for Refugees", "UNHCR"},
    {"Frontex", "FRONTEX"},      {"European Border and Coast Guard Agency", "FRONTEX"},
    {"European Union", "EU27"},  {"EU", "EU27"},               {"EU-27", "EU27"},
    {"EU 27", "EU27"},           {"Unión Europea", "EU27"},
};

struct Index {
  // Names and variants, keyed by compact(normalise_name(name)).
  std::unordered_map<std::string, const Country*> by_name;
  // Lower-case alpha-3 and alpha-2 codes.
  std::unordered_map<std::string, const Country*> by_code;
  std::unordered_map<int, const Country*> by_m49;
  std::unordered_map<std::string, const CitizenshipGroup*> groups;  // codes and names
  // For nearest_country_names: every normalised name with its country.
  std::vector<std::pair<std::string, const Country*>> names;
};

const Country* table_find_alpha3(std::span<const Country> table, std::string_view a3) {
  for (const Country& c : table) {
    if (a3 == c.alpha3) return &c;
  }
  return nullptr;
}

Index build_index() {
  Index idx;
  const auto table = all_countries();
  const auto add_name = [&idx](const char* name, const Country* c) {
    std::string norm = normalise_name(name);
    if (norm.empty()) return;
    // First writer wins: table names are added before variants, so a variant
    // can never steal a country's own name.
    idx.by_name.emplace(compact(norm), c);
    idx.names.emplace_back(std::move(norm), c);
  };
  for (const Country& c : table) {
    add_name(c.name_en, &c);
    add_name(c.name_es, &c);
    idx.by_code.emplace(normalise_name(c.alpha3), &c);
    idx.by_code.emplace(normalise_name(c.alpha2), &c);
    if (c.m49 > 0) idx.by_m49.emplace(c.m49, &c);
  }
  for (const CountryNameVariant& v : country_name_variants()) {
    // A variant pointing at a missing code is a table bug; the unit test
    // catches it, and at run time the variant is simply not indexed.
    if (const Country* c = table_find_alpha3(table, v.alpha3)) add_name(v.name, c);
  }
  // Drop exact duplicates (a variant equal to a table name) so suggestions
  // do not compare the same string twice.
  std::sort(idx.names.begin(), idx.names.end());
  idx.names.erase(std::unique(idx.names.begin(), idx.names.end()), idx.names.end());

  const auto groups = citizenship_groups();
  const auto add_group = [&idx](const char* name, const CitizenshipGroup* g) {
    std::string key = compact(normalise_name(name));
    if (!key.empty()) idx.groups.emplace(std::move(key), g);
  };
  for (const CitizenshipGroup& g : groups) {
    add_group(g.code, &g);
    add_group(g.name_en, &g);
    add_group(g.name_es, &g);
  }
  for (const GroupAlias& a : kGroupAliases) {
    for (const CitizenshipGroup& g : groups) {
      if (std::string_view(a.code) == g.code) add_group(a.name, &g);
    }
  }
  return idx;
}

// Built once on first use; C++11 guarantees the initialisation is
// thread-safe, so concurrent ingest workers can call find_country freely.
const Index& index() {
  static const Index idx = build_index();
  return idx;
}

}  // namespace

std::string normalise_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  char buf[2];
  size_t i = 0;
  while (i < text.size()) {
    const char* folded = fold_code_point(next_code_point(text, i), buf);
    if (folded == kSep) {
      pending_space = true;
      continue;
    }
    if (*folded == '\0') continue;  // joiner
    // Spaces are emitted lazily so leading/trailing runs vanish and inner
    // runs collapse to one.
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += folded;
  }
  return out;
}

const Country* find_country(std::string_view name_or_code) {
  const std::string norm = normalise_name(name_or_code);
  if (norm.empty()) return nullptr;
  const Index& idx = index();
  const std::string key = compact(norm);
  // Names first: a code must never shadow a name.
  if (auto it = idx.by_name.find(key); it != idx.by_name.end()) return it->second;
  // Codes only when the input was a single token: "N/A" or "n.a." must not
  // turn into Namibia ("NA").
  if (key.size() != norm.size()) return nullptr;
  if (all_digits(key)) {
    if (key.size() > 4) return nullptr;
    const int code = std::stoi(key);  // "004" and "4" are both Afghanistan
    auto it = idx.by_m49.find(code);
    return it == idx.by_m49.end() ? nullptr : it->second;
  }
  if (key.size() == 2 || key.size() == 3) {
    if (auto it = idx.by_code.find(key); it != idx.by_code.end()) return it->second;
  }
  return nullptr;
}

const CitizenshipGroup* find_group(std::string_view name_or_code) {
  const std::string key = compact(normalise_name(name_or_code));
  if (key.empty()) return nullptr;
  const Index& idx = index();
  auto it = idx.groups.find(key);
  return it == idx.groups.end() ? nullptr : it->second;
}

std::string citizenship_code(std::string_view name_or_code) {
  if (const Country* c = find_country(name_or_code)) return c->alpha3;
  if (const CitizenshipGroup* g = find_group(name_or_code)) return g->code;
  return {};
}

std::string unknown_country_message(std::string_view parameter, std::string_view given) {
  std::string msg = std::string(parameter) + ": unknown country '" + echoed_value(given) + "'";
  auto near = nearest_country_names(given, 3);
  if (!near.empty()) {
    msg += "; nearest known:";
    for (auto& n : near) msg += " " + n + ";";
    msg.pop_back();
  }
  return msg;
}

std::vector<std::string> nearest_country_names(std::string_view name, size_t n) {
  std::vector<std::string> out;
  // Only the first kNearestComparedChars of the name are compared (known
  // names are far shorter), so each comparison is bounded however long the
  // cell: a 1 MB value costs what a 100-character one does.
  std::string target = normalise_name(name.substr(0, 4 * kNearestComparedChars));
  if (target.size() > kNearestComparedChars) target.resize(kNearestComparedChars);
  if (n == 0 || target.empty()) return out;
  const Index& idx = index();

  // Best distance per country, so a country with many spellings appears once.
  std::unordered_map<const Country*, size_t> best;
  std::vector<size_t> row;
  for (const auto& [candidate, country] : idx.names) {
    size_t d = edit_distance(target, candidate, row);
    // A bare "Korea" is far, by edit distance, from "republic of korea", yet
    // that is the country meant; containing the whole input counts as close.
    if (d > 1 && target.size() >= 4 && candidate.find(target) != std::string::npos) d = 1;
    auto [it, inserted] = best.emplace(country, d);
    if (!inserted && d < it->second) it->second = d;
  }
  std::vector<std::pair<size_t, const Country*>> ranked;
  ranked.reserve(best.size());
  for (const auto& [country, d] : best) ranked.emplace_back(d, country);
  // Ties break on the English name so the order does not depend on hashing.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return std::string_view(a.second->name_en) < std::string_view(b.second->name_en);
  });
  for (size_t k = 0; k < ranked.size() && k < n; ++k) {
    const Country* c = ranked[k].second;
    out.push_back(std::string(c->name_en) + " (" + c->alpha3 + ")");
  }
  return out;
}

}  // namespace atalaya
