// Tests for the country reference tables and look-ups (country.h): the table
// is complete and consistent, and the spellings real sources print resolve.
#include "atalaya/core/country.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <unordered_map>

namespace atalaya {
namespace {

const Country* by_alpha3(std::string_view a3) {
  for (const Country& c : all_countries()) {
    if (a3 == c.alpha3) return &c;
  }
  return nullptr;
}

std::string code_of(std::string_view text) {
  const Country* c = find_country(text);
  return c ? c->alpha3 : "<none>";
}

TEST(CountryTable, HasEveryIsoEntry) {
  // 249 ISO 3166-1 entries plus Kosovo.
  EXPECT_GE(all_countries().size(), 249u);
  EXPECT_EQ(all_countries().size(), 250u);
}

TEST(CountryTable, CodesAreUniqueAndWellFormed) {
  std::set<std::string> a3, a2;
  std::set<int> m49;
  for (const Country& c : all_countries()) {
    SCOPED_TRACE(c.alpha3);
    EXPECT_EQ(std::string(c.alpha3).size(), 3u);
    EXPECT_EQ(std::string(c.alpha2).size(), 2u);
    for (const char* p = c.alpha3; *p; ++p) EXPECT_TRUE(*p >= 'A' && *p <= 'Z');
    for (const char* p = c.alpha2; *p; ++p) EXPECT_TRUE(*p >= 'A' && *p <= 'Z');
    EXPECT_TRUE(a3.insert(c.alpha3).second) << "duplicate alpha-3";
    EXPECT_TRUE(a2.insert(c.alpha2).second) << "duplicate alpha-2";
    if (c.m49 != 0) {
      EXPECT_TRUE(m49.insert(c.m49).second) << "duplicate M49 " << c.m49;
    }
    // Only Kosovo lacks an M49 code.
    EXPECT_EQ(c.m49 == 0, std::string_view(c.alpha3) == "XKX");
    EXPECT_FALSE(std::string(c.name_en).empty());
    EXPECT_FALSE(std::string(c.name_es).empty());
  }
}

TEST(CountryTable, RegionsAreM49Regions) {
  const std::set<std::string> regions = {
      "Northern Africa",    "Eastern Africa",  "Middle Africa",   "Southern Africa",
      "Western Africa",     "Caribbean",       "Central America", "South America",
      "Northern America",   "Central Asia",    "Eastern Asia",    "South-eastern Asia",
      "Southern Asia",      "Western Asia",    "Eastern Europe",  "Northern Europe",
      "Southern Europe",    "Western Europe",  "Australia and New Zealand",
      "Melanesia",          "Micronesia",      "Polynesia",       "Antarctica"};
  for (const Country& c : all_countries()) {
    EXPECT_TRUE(regions.count(c.region)) << c.alpha3 << ": " << c.region;
  }
}

TEST(CountryTable, SpotChecks) {
  struct Expect {
    const char* a3;
    const char* a2;
    int m49;
    const char* region;
  };
  const Expect expected[] = {
      {"HTI", "HT", 332, "Caribbean"},        {"VEN", "VE", 862, "South America"},
      {"MEX", "MX", 484, "Central America"},  {"USA", "US", 840, "Northern America"},
      {"PAN", "PA", 591, "Central America"},  {"COL", "CO", 170, "South America"},
      {"CHN", "CN", 156, "Eastern Asia"},     {"KOR", "KR", 410, "Eastern Asia"},
      {"CIV", "CI", 384, "Western Africa"},   {"GBR", "GB", 826, "Northern Europe"},
      {"DOM", "DO", 214, "Caribbean"},        {"SLV", "SV", 222, "Central America"},
      {"AFG", "AF", 4, "Southern Asia"},      {"ERI", "ER", 232, "Eastern Africa"},
      {"FRA", "FR", 250, "Western Europe"},   {"XKX", "XK", 0, "Southern Europe"},
  };
  for (const Expect& e : expected) {
    SCOPED_TRACE(e.a3);
    const Country* c = by_alpha3(e.a3);
    ASSERT_NE(c, nullptr);
    EXPECT_STREQ(c->alpha2, e.a2);
    EXPECT_EQ(c->m49, e.m49);
    EXPECT_STREQ(c->region, e.region);
  }
  EXPECT_STREQ(by_alpha3("HTI")->name_es, "Haití");
  EXPECT_STREQ(by_alpha3("MEX")->name_es, "México");
  EXPECT_STREQ(by_alpha3("PER")->name_es, "Perú");
  EXPECT_STREQ(by_alpha3("DOM")->name_es, "República Dominicana");
  EXPECT_STREQ(by_alpha3("USA")->name_es, "Estados Unidos de América");
  EXPECT_STREQ(by_alpha3("CIV")->name_es, "Côte d'Ivoire");
}

TEST(CountryTable, EveryCodeFindsItsOwnCountry) {
  // Guards against a name or variant shadowing another country's code.
  for (const Country& c : all_countries()) {
    EXPECT_EQ(find_country(c.alpha3), &c) << c.alpha3;
    EXPECT_EQ(find_country(c.alpha2), &c) << c.alpha2;
    if (c.m49 != 0) {
      EXPECT_EQ(find_country(std::to_string(c.m49)), &c) << c.m49;
    }
    EXPECT_EQ(find_country(c.name_en), &c) << c.name_en;
    EXPECT_EQ(find_country(c.name_es), &c) << c.name_es;
  }
}

TEST(CountryVariants, EveryVariantResolvesToATableCode) {
  ASSERT_GT(country_name_variants().size(), 100u);
  for (const CountryNameVariant& v : country_name_variants()) {
    SCOPED_TRACE(v.name);
    ASSERT_NE(by_alpha3(v.alpha3), nullptr) << "unknown code " << v.alpha3;
    const Country* c = find_country(v.name);
    ASSERT_NE(c, nullptr);
    EXPECT_STREQ(c->alpha3, v.alpha3);
  }
}

TEST(CountryVariants, NoSpellingMeansTwoCountries) {
  // Names and variants are keyed after normalisation with spaces removed; two
  // countries sharing a key would make one of them unreachable by that name.
  std::unordered_map<std::string, std::string> owner;
  auto check = [&owner](const char* name, const char* a3) {
    std::string key;
    for (char ch : normalise_name(name)) {
      if (ch != ' ') key += ch;
    }
    auto [it, inserted] = owner.emplace(key, a3);
    EXPECT_TRUE(inserted || it->second == a3)
        << "\"" << name << "\" is both " << it->second << " and " << a3;
  };
  for (const Country& c : all_countries()) {
    check(c.name_en, c.alpha3);
    check(c.name_es, c.alpha3);
  }
  for (const CountryNameVariant& v : country_name_variants()) check(v.name, v.alpha3);
}

TEST(NormaliseName, FoldsCaseAccentsPunctuationAndSpaces) {
  EXPECT_EQ(normalise_name("  CÔTE   D'IVOIRE "), "cote divoire");
  EXPECT_EQ(normalise_name("Korea, Rep."), "korea rep");
  EXPECT_EQ(normalise_name("Guinea-Bissau"), "guinea bissau");
  EXPECT_EQ(normalise_name("Serbia and Kosovo: S/RES/1244 (1999)"),
            "serbia and kosovo s res 1244 1999");
  EXPECT_EQ(normalise_name("Åland"), "aland");
  EXPECT_EQ(normalise_name("Türkiye"), "turkiye");
  EXPECT_EQ(normalise_name("Straße"), "strasse");
  EXPECT_EQ(normalise_name("People\xE2\x80\x99s"), "peoples");  // U+2019
  EXPECT_EQ(normalise_name("e\xCC\x81"), "e");                   // combining acute
  EXPECT_EQ(normalise_name("\xC8\x98" "a"), "sa");               // Romanian S-comma
  EXPECT_EQ(normalise_name(""), "");
  EXPECT_EQ(normalise_name(" ,.- "), "");
}

TEST(NormaliseName, FoldsLatin1AndWindows1252Bytes) {
  EXPECT_EQ(normalise_name("M\xE9xico"), "mexico");
  EXPECT_EQ(normalise_name("Hait\xED"), "haiti");
  EXPECT_EQ(normalise_name("C\xF4te d'Ivoire"), "cote divoire");
  EXPECT_EQ(normalise_name("C\xD4TE D\x92IVOIRE"), "cote divoire");  // cp1252 apostrophe
  EXPECT_EQ(normalise_name("\x8Aibenik"), "sibenik");                  // cp1252 S-caron
  EXPECT_EQ(normalise_name("Espa\xF1" "a"), "espana");
}

TEST(FindCountry, SourceSpellings) {
  EXPECT_EQ(code_of("CHINA, PEOPLES REPUBLIC OF"), "CHN");
  EXPECT_EQ(code_of("CHINA, PEOPLE'S REPUBLIC OF"), "CHN");
  EXPECT_EQ(code_of("Korea, Rep."), "KOR");
  EXPECT_EQ(code_of("Korea, Dem. People's Rep."), "PRK");
  EXPECT_EQ(code_of("VENEZUELA"), "VEN");
  EXPECT_EQ(code_of("Venezuela, RB"), "VEN");
  EXPECT_EQ(code_of("Côte d'Ivoire"), "CIV");
  EXPECT_EQ(code_of("CÔTE D'IVOIRE"), "CIV");
  EXPECT_EQ(code_of("Cote d Ivoire"), "CIV");
  EXPECT_EQ(code_of("C\xF4te d'Ivoire"), "CIV");
  EXPECT_EQ(code_of("México"), "MEX");
  EXPECT_EQ(code_of("Mexico"), "MEX");
  EXPECT_EQ(code_of("Haití"), "HTI");
  EXPECT_EQ(code_of("HAITI"), "HTI");
  EXPECT_EQ(code_of("Rep. Dominicana"), "DOM");
  EXPECT_EQ(code_of("EE.UU."), "USA");
  EXPECT_EQ(code_of("U.S."), "USA");
  EXPECT_EQ(code_of("Estados Unidos"), "USA");
  EXPECT_EQ(code_of("Guinea Bissau"), "GNB");
  EXPECT_EQ(code_of("Congo, Dem. Rep."), "COD");
  EXPECT_EQ(code_of("Congo"), "COG");
  EXPECT_EQ(code_of("Dominica"), "DMA");
  EXPECT_EQ(code_of("Niger"), "NER");
  EXPECT_EQ(code_of("Nigeria"), "NGA");
}

TEST(FindCountry, Codes) {
  EXPECT_EQ(code_of("332"), "HTI");
  EXPECT_EQ(code_of("ht"), "HTI");
  EXPECT_EQ(code_of("HTI"), "HTI");
  EXPECT_EQ(code_of("hti"), "HTI");
  EXPECT_EQ(code_of("004"), "AFG");
  EXPECT_EQ(code_of("4"), "AFG");
  EXPECT_EQ(code_of("NA"), "NAM");
  EXPECT_EQ(code_of(" VEN "), "VEN");
  EXPECT_EQ(code_of("XKX"), "XKX");
  EXPECT_EQ(code_of("412"), "<none>");  // not an M49 code
  EXPECT_EQ(code_of("0"), "<none>");
  EXPECT_EQ(code_of("12345678901234567890"), "<none>");
}

TEST(FindCountry, RejectsUnknownAndEmpty) {
  EXPECT_EQ(find_country("Atlantis"), nullptr);
  EXPECT_EQ(find_country(""), nullptr);
  EXPECT_EQ(find_country("   "), nullptr);
  EXPECT_EQ(find_country("--"), nullptr);
  // Missing-value markers must not become Namibia.
  EXPECT_EQ(find_country("N/A"), nullptr);
  EXPECT_EQ(find_country("n.a."), nullptr);
  // Group codes are not countries.
  EXPECT_EQ(find_country("OTH"), nullptr);
  EXPECT_EQ(find_country("Other"), nullptr);
}

TEST(FindGroup, CodesAndNames) {
  ASSERT_EQ(citizenship_groups().size(), 11u);
  auto group_of = [](std::string_view text) {
    const CitizenshipGroup* g = find_group(text);
    return g ? std::string(g->code) : std::string("<none>");
  };
  EXPECT_EQ(group_of("Other"), "OTH");
  EXPECT_EQ(group_of("OTHER"), "OTH");
  EXPECT_EQ(group_of("Otros"), "OTH");
  EXPECT_EQ(group_of("oth"), "OTH");
  EXPECT_EQ(group_of("OOO"), "OOO");
  EXPECT_EQ(group_of("Unknown"), "UNK");
  EXPECT_EQ(group_of("Stateless"), "XXA");
  EXPECT_EQ(group_of("Apátrida"), "XXA");
  EXPECT_EQ(group_of("Ap\xE1trida"), "XXA");
  EXPECT_EQ(group_of("TIB"), "TIB");
  EXPECT_EQ(group_of("Abyei Area"), "AB9");
  // Reporters that are organisations or groups, and the multiple-citizenship group.
  EXPECT_EQ(group_of("IOM"), "IOM");
  EXPECT_EQ(group_of("OIM"), "IOM");
  EXPECT_EQ(group_of("International Organization for Migration"), "IOM");
  EXPECT_EQ(group_of("ACNUR"), "UNHCR");
  EXPECT_EQ(group_of("unhcr"), "UNHCR");
  EXPECT_EQ(group_of("Frontex"), "FRONTEX");
  EXPECT_EQ(group_of("European Union"), "EU27");
  EXPECT_EQ(group_of("Unión Europea"), "EU27");
  EXPECT_EQ(group_of("EU27"), "EU27");
  EXPECT_EQ(group_of("MULTIPLE"), "MULTIPLE");
  EXPECT_EQ(group_of("Varias nacionalidades"), "MULTIPLE");
  EXPECT_EQ(citizenship_code("IOM"), "IOM");  // no ISO code shadows them
  EXPECT_EQ(citizenship_code("EU"), "EU27");
  for (const CitizenshipGroup& g : citizenship_groups()) {
    EXPECT_EQ(find_country(g.code), nullptr) << g.code;
    EXPECT_FALSE(std::string(g.name_es).empty()) << g.code;
  }
  EXPECT_EQ(group_of("Haiti"), "<none>");
  EXPECT_EQ(group_of(""), "<none>");
}

TEST(CitizenshipCode, CountriesThenGroups) {
  EXPECT_EQ(citizenship_code("HAITI"), "HTI");
  EXPECT_EQ(citizenship_code("Other"), "OTH");
  EXPECT_EQ(citizenship_code("Stateless"), "XXA");
  EXPECT_EQ(citizenship_code("Atlantis"), "");
  EXPECT_EQ(citizenship_code(""), "");
}

TEST(NearestCountryNames, SuggestsClosestFirst) {
  const auto v = nearest_country_names("Venezuala");
  ASSERT_FALSE(v.empty());
  EXPECT_LE(v.size(), 3u);
  EXPECT_NE(v[0].find("Venezuela"), std::string::npos) << v[0];
  EXPECT_NE(v[0].find("(VEN)"), std::string::npos) << v[0];

  const auto h = nearest_country_names("Hati", 5);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0], "Haiti (HTI)");
  EXPECT_EQ(std::set<std::string>(h.begin(), h.end()).size(), h.size()) << "not deduplicated";

  const auto k = nearest_country_names("Korea", 2);
  EXPECT_EQ(std::set<std::string>(k.begin(), k.end()),
            (std::set<std::string>{"Republic of Korea (KOR)",
                                   "Democratic People's Republic of Korea (PRK)"}));

  EXPECT_TRUE(nearest_country_names("Venezuala", 0).empty());
  EXPECT_TRUE(nearest_country_names("").empty());
}

// A 1 MB cell (a broken file) costs what its first kNearestComparedChars
// characters cost: only they are compared, so the answer is theirs.
TEST(NearestCountryNames, ComparesABoundedPrefixOfAHugeValue) {
  const std::string huge = "Venezuala" + std::string(1 << 20, 'x');
  const auto near = nearest_country_names(huge);
  EXPECT_EQ(near, nearest_country_names(huge.substr(0, kNearestComparedChars)));
  EXPECT_EQ(near.size(), 3u);
  // Padding past the bound changes nothing.
  EXPECT_EQ(near, nearest_country_names(huge.substr(0, kNearestComparedChars) + "Haiti"));
}

TEST(UnknownCountryMessage, EchoesAHugeValueShortened) {
  const std::string huge = "Atlantis" + std::string(1 << 20, 'y');
  const std::string msg = unknown_country_message("citizenship", huge);
  EXPECT_EQ(msg.rfind("citizenship: unknown country 'Atlantis", 0), 0u) << msg.substr(0, 200);
  EXPECT_NE(msg.find("y\u2026'"), std::string::npos) << msg.substr(0, 200);
  EXPECT_LT(msg.size(), 400u);
  EXPECT_NE(msg.find("; nearest known:"), std::string::npos);
}

}  // namespace
}  // namespace atalaya
