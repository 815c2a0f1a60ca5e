// Texts the library writes for people, in English and Spanish: a Message is a
// catalogue id with named arguments (numbers, plain text, text given in both
// languages, or another message), rendered for a language when it is shown.
// Analyses keep the Message, not the sentence, so one result reads right in
// the CLI, the API and the dashboard in either language.
//
// The catalogues are tables of id -> template (messages_en.cpp,
// messages_es.cpp); a unit test holds them in step: every id in both, with
// the same arguments. Template syntax:
//   {name}                 text, text in both languages, or a nested message
//   {name:amount}          a count or level: no decimals at 100 and above or
//                          when whole, else one ("13,141", "3.5")
//   {name:score}           a statistic: one decimal, two below 1 ("3.4", "0.24")
//   {name:setting}         a parameter as written, at least one decimal ("2.0", "1.25")
//   {name:percent}         an interval level: "95", "97.5"
//   {name:count}           a whole number, grouped ("17,279")
//   {name:plural:one|other}  the form for 1 or for any other count, `#` the count
//                          ("{run:plural:# month|# months}")
// Numbers follow the language's CLDR conventions, as the dashboard's
// Intl.NumberFormat prints them: English 12,345.6; Spanish 12.345,6, with
// CLDR's minimum grouping digits of 2 for `es` (1234 stays "1234"). A missing
// number (NaN) reads "no data", an infinite one "unbounded".
//
// Adding a text: give it an id in both catalogue files (the unit test fails
// until both have it with the same arguments), build a Message where the
// text was formatted, and render it where it is shown.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace atalaya {

enum class Language : uint8_t { En, Es };
inline constexpr Language kLanguages[] = {Language::En, Language::Es};

// "en", "es", and their regional tags ("es-MX", "en_US.UTF-8"), any case.
std::optional<Language> parse_language(std::string_view tag);
std::string_view language_code(Language lang);  // "en", "es"

// The language an Accept-Language header asks for: the supported language
// with the highest q-value ("fr, es;q=0.8, en;q=0.5" -> Spanish); English
// when the header is empty, unreadable or names neither. q=0 refuses one.
Language negotiate_language(std::string_view accept_language);

// A number with exactly `decimals` decimals, grouped as the language groups
// ("12,345.6" / "12.345,6"; "1234" in Spanish). No "-0".
std::string format_number(double x, int decimals, Language lang);
// A whole number, grouped ("17,279" / "17.279").
std::string format_count(int64_t n, Language lang);

// A text written in both languages (a checkpoint's name, a country's name).
struct LocalText {
  std::string en, es;
  const std::string& in(Language lang) const { return lang == Language::Es && !es.empty() ? es : en; }
};

struct Message;
using MessageValue = std::variant<double, std::string, LocalText, std::shared_ptr<const Message>>;

struct Message {
  std::string id;  // empty: no message
  std::vector<std::pair<std::string, MessageValue>> args;

  Message() = default;
  explicit Message(std::string message_id) : id(std::move(message_id)) {}
  Message& num(std::string name, double v) { return set(std::move(name), v); }
  Message& text(std::string name, std::string v) { return set(std::move(name), std::move(v)); }
  Message& local(std::string name, std::string en, std::string es) {
    return set(std::move(name), LocalText{std::move(en), std::move(es)});
  }
  Message& nested(std::string name, Message m) {
    return set(std::move(name), std::make_shared<const Message>(std::move(m)));
  }

  bool empty() const { return id.empty(); }
  const MessageValue* arg(std::string_view name) const;
  bool operator==(const Message& o) const;

 private:
  Message& set(std::string name, MessageValue v);
};

// An unknown id, a missing argument or one of the wrong kind for its
// placeholder: a programming error the catalogue test exists to catch.
class MessageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The message in `lang`. Throws MessageError.
std::string render(const Message& m, Language lang);
// The message in `lang`, or `fallback` when it is empty or cannot be
// rendered (an alert stored before its explanation was a message).
std::string render_or(const Message& m, Language lang, const std::string& fallback);

// The catalogue of one language, for the tests and tools that list it.
struct MessageEntry {
  const char* id;
  const char* text;
};
std::vector<MessageEntry> message_catalogue(Language lang);

// A template's placeholders as "name:format" ("value:amount", "run:plural",
// "detail"), in order of appearance. Throws MessageError on a malformed one.
std::vector<std::string> message_placeholders(std::string_view text);

}  // namespace atalaya
