#include "atalaya/core/messages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <unordered_map>

#include "atalaya/core/messages_catalogue.h"
#include "atalaya/core/text.h"

namespace atalaya {

// --- languages -------------------------------------------------------------------

std::optional<Language> parse_language(std::string_view tag) {
  const std::string t = ascii_lower(tag.substr(0, std::min(tag.find_first_of("-_.@"), tag.size())));
  if (t == "en") return Language::En;
  if (t == "es") return Language::Es;
  return std::nullopt;
}

std::string_view language_code(Language lang) { return lang == Language::Es ? "es" : "en"; }

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one Accept-Language item's parameters ("q=0.8"); 1 when
// absent; nullopt when unreadable (the item is then ignored).
std::optional<double> q_value(std::string_view params) {
  double q = 1;
  while (!params.empty()) {
    const size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') ) continue;
    p = trim(p.substr(1));
    if (p.empty() || p[0] != '=') continue;
    const std::string number(trim(p.substr(1)));
    char* end = nullptr;
    q = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !(q >= 0 && q <= 1)) return std::nullopt;
  }
  return q;
}

}  // namespace

Language negotiate_language(std::string_view header) {
  Language best = Language::En;
  double best_q = 0;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view tag = trim(item.substr(0, semi));
    const auto q = q_value(semi == std::string_view::npos ? std::string_view{} : item.substr(semi + 1));
    const auto lang = parse_language(tag);
    // The first of equal q-values wins, as the header lists preference order.
    if (lang && q && *q > best_q) {
      best = *lang;
      best_q = *q;
    }
  }
  return best;
}

// --- numbers -----------------------------------------------------------------------

std::string format_number(double x, int decimals, Language lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 6), x);
  std::string_view s(buf);
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    s.remove_prefix(1);
    negative = s.find_first_not_of("0.") != std::string_view::npos;  // no "-0.0"
  }
  const size_t point = std::min(s.find('.'), s.size());
  const std::string_view whole = s.substr(0, point);
  const char group = lang == Language::Es ? '.' : ',';
  const char decimal = lang == Language::Es ? ',' : '.';
  // CLDR minimum grouping digits: 1 for en, 2 for es (4-digit numbers ungrouped).
  const size_t min_digits = lang == Language::Es ? 5 : 4;
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i && whole.size() >= min_digits && (whole.size() - i) % 3 == 0) out.push_back(group);
    out.push_back(whole[i]);
  }
  if (point < s.size()) {
    out.push_back(decimal);
    out.append(s.substr(point + 1));
  }
  return out;
}

std::string format_count(int64_t n, Language lang) { return format_number(static_cast<double>(n), 0, lang); }

// --- messages ----------------------------------------------------------------------

const MessageValue* Message::arg(std::string_view name) const {
  for (auto& [k, v] : args)
    if (k == name) return &v;
  return nullptr;
}

Message& Message::set(std::string name, MessageValue v) {
  for (auto& [k, old] : args)
    if (k == name) {
      old = std::move(v);
      return *this;
    }
  args.emplace_back(std::move(name), std::move(v));
  return *this;
}

namespace {

bool same_value(const MessageValue& a, const MessageValue& b) {
  if (a.index() != b.index()) return false;
  if (auto* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    return *x == y || (std::isnan(*x) && std::isnan(y));
  }
  if (auto* x = std::get_if<std::string>(&a)) return *x == std::get<std::string>(b);
  if (auto* x = std::get_if<LocalText>(&a)) return x->en == std::get<LocalText>(b).en && x->es == std::get<LocalText>(b).es;
  const auto& x = std::get<std::shared_ptr<const Message>>(a);
  const auto& y = std::get<std::shared_ptr<const Message>>(b);
  return x && y ? *x == *y : x == y;
}

}  // namespace

bool Message::operator==(const Message& o) const {
  if (id != o.id || args.size() != o.args.size()) return false;
  for (auto& [k, v] : args) {
    const MessageValue* w = o.arg(k);
    if (!w || !same_value(v, *w)) return false;
  }
  return true;
}

namespace {

using Table = std::unordered_map<std::string_view, std::string_view>;

const Table& table(Language lang) {
  static const Table en = [] {
    Table t;
    for (auto& e : messages_en()) t.emplace(e.id, e.text);
    return t;
  }();
  static const Table es = [] {
    Table t;
    for (auto& e : messages_es()) t.emplace(e.id, e.text);
    return t;
  }();
  return lang == Language::Es ? es : en;
}

std::string words(const char* id, Language lang) {
  auto it = table(lang).find(id);
  return it == table(lang).end() ? id : std::string(it->second);
}

double required_number(const Message& m, std::string_view name, const MessageValue& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  throw MessageError("message " + m.id + ": argument '" + std::string(name) + "' must be a number");
}

std::string number_text(double x, std::string_view format, Language lang) {
  if (std::isnan(x)) return words("number.missing", lang);
  if (std::isinf(x)) return (x < 0 ? "-" : "") + words("number.unbounded", lang);
  const bool whole = std::fabs(x - std::round(x)) < 1e-9;
  if (format == "amount") return format_number(x, (std::fabs(x) >= 100 || whole) ? 0 : 1, lang);
  if (format == "score") return format_number(x, std::fabs(x) < 1 ? 2 : 1, lang);
  if (format == "count") return format_number(std::round(x), 0, lang);
  if (format == "setting" || format == "percent") {
    if (format == "percent" && whole) return format_number(x, 0, lang);
    for (int d = 1; d < 4; ++d) {
      const double p = std::pow(10.0, d);
      if (std::fabs(std::round(x * p) - x * p) < 1e-9 * std::max(1.0, std::fabs(x * p))) return format_number(x, d, lang);
    }
    return format_number(x, 4, lang);
  }
  throw MessageError("unknown number format '" + std::string(format) + "'");
}

// One placeholder's parts: name, format, and for plurals the two forms.
struct Placeholder {
  std::string_view name, format, one, other;
};

Placeholder parse_placeholder(std::string_view body) {
  Placeholder p;
  const size_t colon = body.find(':');
  p.name = body.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view rest = body.substr(colon + 1);
    const size_t c2 = rest.find(':');
    p.format = rest.substr(0, c2);
    if (p.format == "plural") {
      if (c2 == std::string_view::npos) throw MessageError("plural placeholder {" + std::string(body) + "} has no forms");
      const std::string_view forms = rest.substr(c2 + 1);
      const size_t bar = forms.find('|');
      if (bar == std::string_view::npos) throw MessageError("plural placeholder {" + std::string(body) + "} needs one|other");
      p.one = forms.substr(0, bar);
      p.other = forms.substr(bar + 1);
    } else if (c2 != std::string_view::npos) {
      throw MessageError("placeholder {" + std::string(body) + "}: only plural takes forms");
    }
  }
  if (p.name.empty()) throw MessageError("placeholder {" + std::string(body) + "} has no name");
  static constexpr std::string_view kFormats[] = {"", "amount", "score", "setting", "percent", "count", "plural"};
  if (std::find(std::begin(kFormats), std::end(kFormats), p.format) == std::end(kFormats))
    throw MessageError("placeholder {" + std::string(body) + "}: unknown format '" + std::string(p.format) + "'");
  return p;
}

// Calls on_text(text) and on_placeholder(Placeholder) in order. The
// plural forms may not hold braces.
template <class Text, class Slot>
void walk(std::string_view tpl, Text on_text, Slot on_placeholder) {
  size_t i = 0;
  while (i < tpl.size()) {
    const size_t open = tpl.find('{', i);
    if (open == std::string_view::npos) {
      on_text(tpl.substr(i));
      return;
    }
    on_text(tpl.substr(i, open - i));
    const size_t close = tpl.find('}', open);
    if (close == std::string_view::npos) throw MessageError("unclosed '{' in \"" + std::string(tpl) + "\"");
    on_placeholder(parse_placeholder(tpl.substr(open + 1, close - open - 1)));
    i = close + 1;
  }
}

std::string render_value(const Message& m, const Placeholder& p, const MessageValue& v, Language lang) {
  if (p.format == "plural") {
    const double n = required_number(m, p.name, v);
    std::string out;
    for (char c : (std::fabs(n - 1) < 1e-9 ? p.one : p.other)) {
      if (c == '#') out += number_text(n, "count", lang);
      else out.push_back(c);
    }
    return out;
  }
  if (!p.format.empty()) return number_text(required_number(m, p.name, v), p.format, lang);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* l = std::get_if<LocalText>(&v)) return l->in(lang);
  if (auto* sub = std::get_if<std::shared_ptr<const Message>>(&v)) return render(**sub, lang);
  throw MessageError("message " + m.id + ": argument '" + std::string(p.name) +
                     "' is a number; its placeholder needs a format (amount, score, ...)");
}

}  // namespace

std::string render(const Message& m, Language lang) {
  auto it = table(lang).find(m.id);
  if (it == table(lang).end())
    throw MessageError("no message '" + m.id + "' in the " + std::string(language_code(lang)) + " catalogue");
  std::string out;
  walk(
      it->second, [&](std::string_view s) { out.append(s); },
      [&](const Placeholder& p) {
        const MessageValue* v = m.arg(p.name);
        if (!v) throw MessageError("message " + m.id + ": argument '" + std::string(p.name) + "' not given");
        out += render_value(m, p, *v, lang);
      });
  return out;
}

std::string render_or(const Message& m, Language lang, const std::string& fallback) {
  if (m.empty()) return fallback;
  try {
    return render(m, lang);
  } catch (const MessageError&) {
    return fallback;
  }
}

std::vector<MessageEntry> message_catalogue(Language lang) {
  auto t = lang == Language::Es ? messages_es() : messages_en();
  return {t.begin(), t.end()};
}

std::vector<std::string> message_placeholders(std::string_view text) {
  std::vector<std::string> out;
  walk(
      text, [](std::string_view) {},
      [&](const Placeholder& p) {
        out.push_back(std::string(p.name) + (p.format.empty() ? "" : ":" + std::string(p.format)));
      });
  return out;
}

}  // namespace atalaya
