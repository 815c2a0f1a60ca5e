#include "atalaya/core/message_json.h"

#include <cmath>
#include <limits>

namespace atalaya {

using nlohmann::json;

namespace {

json value_to_json(const MessageValue& v) {
  if (auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return nullptr;
    if (std::isinf(*d)) return json{{"number", *d > 0 ? "inf" : "-inf"}};
    return *d;
  }
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* l = std::get_if<LocalText>(&v)) return json{{"en", l->en}, {"es", l->es}};
  return message_to_json(*std::get<std::shared_ptr<const Message>>(v));
}

[[noreturn]] void fail(const std::string& path, const std::string& expected) {
  throw std::invalid_argument("message JSON: " + path + ": expected " + expected);
}

Message message_at(const json& j, const std::string& path) {
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) fail(path, "an object with a string \"id\"");
  Message m(j["id"].get<std::string>());
  if (!j.contains("args")) return m;
  const json& args = j["args"];
  if (!args.is_object()) fail(path + ".args", "an object");
  for (auto& [name, v] : args.items()) {
    const std::string at = path + ".args." + name;
    if (v.is_null()) {
      m.num(name, std::numeric_limits<double>::quiet_NaN());
    } else if (v.is_number()) {
      m.num(name, v.get<double>());
    } else if (v.is_string()) {
      m.text(name, v.get<std::string>());
    } else if (v.is_object() && v.contains("number")) {
      const json& n = v["number"];
      if (n != "inf" && n != "-inf") fail(at + ".number", "\"inf\" or \"-inf\"");
      m.num(name, n == "inf" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity());
    } else if (v.is_object() && v.contains("id")) {
      m.nested(name, message_at(v, at));
    } else if (v.is_object() && v.contains("en") && v["en"].is_string()) {
      m.local(name, v["en"].get<std::string>(), v.value("es", std::string()));
    } else {
      fail(at, "a number, a string, {\"en\", \"es\"} or a message");
    }
  }
  return m;
}

}  // namespace

json message_to_json(const Message& m) {
  json args = json::object();
  for (auto& [name, v] : m.args) args[name] = value_to_json(v);
  return json{{"id", m.id}, {"args", std::move(args)}};
}

Message message_from_json(const json& j) { return message_at(j, "message"); }

}  // namespace atalaya
