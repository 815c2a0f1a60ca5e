#include "atalaya/warning/atom.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "atalaya/warning/xml_writer.h"

namespace atalaya {
namespace {

constexpr std::string_view kAtomNamespace = "http://www.w3.org/2005/Atom";
constexpr std::string_view kSeverityScheme = "urn:atalaya:severity";

void check_options(const AtomOptions& o) {
  if (o.tag_authority.empty() || o.tag_authority.find_first_of(" ,:/<>&\"") != std::string::npos)
    throw std::invalid_argument("Atom tag authority '" + o.tag_authority +
                                "': expected a domain name or e-mail address");
  const std::string& d = o.tag_date;
  const bool date_ok = (d.size() == 4 || d.size() == 7 || d.size() == 10) &&
                       std::all_of(d.begin(), d.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; }) &&
                       (d.size() < 7 || d[4] == '-') && (d.size() < 10 || d[7] == '-');
  if (!date_ok) throw std::invalid_argument("Atom tag date '" + d + "': expected YYYY, YYYY-MM or YYYY-MM-DD");
}

std::string numbers_line(const AlertEvidence& e) {
  std::string out;
  auto add = [&](std::string_view label, double v) {
    if (!std::isfinite(v)) return;
    out += out.empty() ? "" : ", ";
    out += label;
    out += ' ';
    out += number_text(v);
  };
  add("value", e.value);
  add("baseline", e.baseline);
  add("threshold", e.threshold);
  add("score", e.score);
  return out;
}

// The entry's text: the explanation first, then the facts a reader checks it by.
std::string content_text(const Alert& a) {
  std::string out = a.evidence.explanation;
  auto line = [&](const std::string& text) {
    if (!out.empty()) out += '\n';
    out += text;
  };
  if (!out.empty()) out += '\n';
  line("Trigger: " + (a.trigger_name.empty() ? a.trigger : a.trigger_name + " (" + a.trigger + ")") +
       ", rule " + a.rule);
  line("Key: " + a.key_text());
  std::string months = a.first_period.valid() ? a.first_period.to_string() : "";
  if (a.last_period.valid() && !(a.last_period == a.first_period)) months += ".." + a.last_period.to_string();
  if (!months.empty()) line("Months: " + months);
  line("Severity: " + std::string(severity_name(a.severity)) + "; status: " +
       std::string(alert_status_name(a.status)));
  if (auto n = numbers_line(a.evidence); !n.empty()) line("Evidence: " + n);
  if (a.window_from && a.window_to) {
    std::string w = "Projected arrival: " + a.window_from->to_string() + ".." + a.window_to->to_string();
    if (!a.evidence.source_checkpoint.empty()) w += " (surge seen at " + a.evidence.source_checkpoint + ")";
    line(w);
  }
  if (!a.evidence.recent.empty() && a.evidence.recent_start.valid()) {
    std::string r = "Recent months from " + a.evidence.recent_start.to_string() + ":";
    for (size_t i = 0; i < a.evidence.recent.size(); ++i)
      r += (i ? ", " : " ") + (std::isfinite(a.evidence.recent[i]) ? number_text(a.evidence.recent[i]) : "no data");
    line(r);
  }
  return out;
}

// The feed's head: its id, title, <updated> (the newest entry's time, else
// options.updated_when_empty), author, self link and generator. `what` names
// the entries in the error for an empty feed without updated_when_empty.
void open_feed(XmlWriter& w, const AtomOptions& o, const std::string& id, std::optional<int64_t> newest,
               const char* what) {
  std::string updated;
  if (newest)
    updated = rfc3339_time(*newest);
  else if (!o.updated_when_empty.empty())
    updated = rfc3339_time(parse_utc_seconds(o.updated_when_empty, "Atom feed updated_when_empty"));
  else
    throw std::invalid_argument(std::string("Atom feed without ") + what + " needs updated_when_empty (its <updated> time)");
  w.open("feed", {{"xmlns", std::string(kAtomNamespace)}});
  w.leaf("id", id);
  w.leaf("title", o.title);
  w.leaf("updated", updated);
  w.open("author");
  w.leaf("name", o.author);
  w.close("author");
  if (!o.self_url.empty()) w.empty("link", {{"rel", "self"}, {"type", "application/atom+xml"}, {"href", o.self_url}});
  w.leaf("generator", "Atalaya");
}

}  // namespace

std::string atom_feed(const std::vector<Alert>& alerts, const AtomOptions& o) {
  check_options(o);
  const std::string tag = "tag:" + o.tag_authority + "," + o.tag_date + ":";

  struct Entry {
    const Alert* alert;
    int64_t created, updated;
  };
  std::vector<Entry> entries;
  std::set<int64_t> ids;
  for (const Alert& a : alerts) {
    const std::string who = "alert " + std::to_string(a.id);
    if (!ids.insert(a.id).second) throw std::invalid_argument("Atom feed: " + who + " appears twice");
    entries.push_back({&a, parse_utc_seconds(a.created_at, who + " created_at"),
                       parse_utc_seconds(a.updated_at, who + " updated_at")});
  }
  // Newest first; equal times by id, newest alert first, so the order is total.
  std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
    return x.updated != y.updated ? x.updated > y.updated : x.alert->id > y.alert->id;
  });

  XmlWriter w;
  open_feed(w, o, tag + "alerts",
            entries.empty() ? std::nullopt : std::optional<int64_t>(entries.front().updated), "alerts");

  for (const Entry& e : entries) {
    const Alert& a = *e.alert;
    w.open("entry");
    w.leaf("id", tag + "alert-" + std::to_string(a.id));
    w.leaf("title", a.headline());
    w.leaf("updated", rfc3339_time(e.updated));
    w.leaf("published", rfc3339_time(e.created));
    if (!o.alert_url_prefix.empty())
      w.empty("link", {{"rel", "alternate"}, {"href", o.alert_url_prefix + std::to_string(a.id)}});
    if (!o.cap_url_prefix.empty())
      w.empty("link", {{"rel", "alternate"}, {"type", "application/cap+xml"},
                       {"href", o.cap_url_prefix + std::to_string(a.id)}});
    w.empty("category", {{"scheme", std::string(kSeverityScheme)},
                         {"term", std::string(severity_name(a.severity))}});
    w.leaf("summary", a.evidence.explanation.empty() ? a.headline() : a.evidence.explanation);
    w.leaf("content", content_text(a), {{"type", "text"}});
    w.close("entry");
  }
  w.close("feed");
  return w.finish();
}

std::string cap_atom_feed(const std::vector<CapSubject>& subjects, const AtomOptions& o, const CapOptions& cap,
                          const CapUrl& cap_url) {
  check_options(o);
  const std::string tag = "tag:" + o.tag_authority + "," + o.tag_date + ":";
  std::vector<const CapSubject*> entries;
  std::set<std::string> keys;
  for (const CapSubject& s : subjects) {
    if (s.key.empty() || s.key.find_first_of(" <>&\"") != std::string::npos)
      throw std::invalid_argument("CAP feed: subject key '" + s.key + "' is empty or has a space or markup character");
    if (!keys.insert(s.key).second) throw std::invalid_argument("CAP feed: " + s.key + " appears twice");
    entries.push_back(&s);
  }
  // Newest message first; equal times by key, so the order is total.
  std::sort(entries.begin(), entries.end(), [](const CapSubject* x, const CapSubject* y) {
    return x->sent != y->sent ? x->sent > y->sent : x->key > y->key;
  });
  XmlWriter w;
  open_feed(w, o, tag + "cap", entries.empty() ? std::nullopt : std::optional<int64_t>(entries.front()->sent),
            "messages");
  for (const CapSubject* s : entries) {
    w.open("entry");
    w.leaf("id", tag + s->key);
    w.leaf("title", s->headline);
    w.leaf("updated", rfc3339_time(s->sent));
    w.leaf("published", rfc3339_time(s->first_sent ? s->first_sent : s->sent));
    if (cap_url)
      if (const std::string url = cap_url(*s); !url.empty())
        w.empty("link", {{"rel", "alternate"}, {"type", "application/cap+xml"}, {"href", url}});
    w.empty("category", {{"scheme", std::string(kSeverityScheme)},
                         {"term", std::string(severity_name(s->severity))}});
    w.leaf("summary", s->description.empty() ? s->headline : s->description);
    w.open("content", {{"type", "application/cap+xml"}});
    write_cap_message(w, *s, cap);
    w.close("content");
    w.close("entry");
  }
  w.close("feed");
  return w.finish();
}

}  // namespace atalaya
