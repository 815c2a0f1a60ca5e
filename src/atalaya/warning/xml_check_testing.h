// A strict little XML 1.0 reader for tests of the CAP and Atom exports: it
// throws on anything not well-formed (unbalanced or crossed tags, a bare '&'
// or '<', a bad entity, duplicate attributes, forbidden control characters,
// bad UTF-8, more than one root) and returns the element tree so tests can
// check names, order, attributes and text. No DTDs or CDATA: our writers
// produce neither, so meeting one is an error too.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atalaya::testing {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;
  std::string text;  // character data directly inside, entities resolved

  const XmlElement* child(std::string_view n) const {
    for (auto& c : children)
      if (c.name == n) return &c;
    return nullptr;
  }
  std::vector<const XmlElement*> all(std::string_view n) const {
    std::vector<const XmlElement*> out;
    for (auto& c : children)
      if (c.name == n) out.push_back(&c);
    return out;
  }
  std::vector<std::string> child_names() const {
    std::vector<std::string> out;
    for (auto& c : children) out.push_back(c.name);
    return out;
  }
  std::string attribute(std::string_view n) const {
    for (auto& [k, v] : attributes)
      if (k == n) return v;
    return {};
  }
};

class XmlReader {
 public:
  static XmlElement parse(std::string_view doc) { return XmlReader(doc).document(); }

 private:
  explicit XmlReader(std::string_view doc) : s_(doc) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("XML not well-formed at byte " + std::to_string(i_) + ": " + what);
  }
  bool at(std::string_view p) const { return s_.substr(i_, p.size()) == p; }
  bool end() const { return i_ >= s_.size(); }
  void skip_space() {
    while (!end() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  void check_chars() const {
    for (size_t k = 0; k < s_.size();) {
      const unsigned char c = static_cast<unsigned char>(s_[k]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        throw std::runtime_error("XML: forbidden control character at byte " + std::to_string(k));
      int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
      if (extra < 0 || (c >= 0xC0 && c < 0xC2)) throw std::runtime_error("XML: bad UTF-8 at byte " + std::to_string(k));
      for (int j = 1; j <= extra; ++j)
        if (k + j >= s_.size() || (static_cast<unsigned char>(s_[k + j]) & 0xC0) != 0x80)
          throw std::runtime_error("XML: bad UTF-8 at byte " + std::to_string(k));
      k += 1 + extra;
    }
  }

  XmlElement document() {
    check_chars();
    if (at("<?xml")) skip_pi();
    misc();
    if (end() || s_[i_] != '<') fail("expected the root element");
    XmlElement root = element();
    misc();
    if (!end()) fail("content after the root element");
    return root;
  }

  void misc() {
    for (;;) {
      skip_space();
      if (at("<!--"))
        skip_comment();
      else if (at("<?"))
        skip_pi();
      else
        return;
    }
  }
  void skip_pi() {
    auto e = s_.find("?>", i_ + 2);
    if (e == std::string_view::npos) fail("unterminated processing instruction");
    i_ = e + 2;
  }
  void skip_comment() {
    auto e = s_.find("-->", i_ + 4);
    if (e == std::string_view::npos) fail("unterminated comment");
    i_ = e + 3;
  }

  static bool name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
  std::string name() {
    if (end() || !name_start(s_[i_])) fail("expected a name");
    size_t b = i_;
    while (!end() && name_char(s_[i_])) ++i_;
    return std::string(s_.substr(b, i_ - b));
  }

  void reference(std::string& out) {
    auto e = s_.find(';', i_);
    if (e == std::string_view::npos || e - i_ > 12) fail("'&' that does not start an entity reference");
    std::string_view ref = s_.substr(i_ + 1, e - i_ - 1);
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() > 1 && ref[0] == '#') {
      uint32_t cp = 0;
      const bool hex = ref[1] == 'x';
      std::string_view num = ref.substr(hex ? 2 : 1);
      if (num.empty()) fail("empty character reference");
      for (char c : num) {
        int v = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0 || cp > 0x10FFFF) fail("bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      }
      if (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) fail("character reference to a forbidden character");
      if (cp < 0x80) out += static_cast<char>(cp);
      else out += "?";  // the tests only need to know it was legal
    } else {
      fail("unknown entity &" + std::string(ref) + ";");
    }
    i_ = e + 1;
  }

  XmlElement element() {
    ++i_;  // '<'
    XmlElement el;
    el.name = name();
    for (;;) {
      const size_t before = i_;
      skip_space();
      if (end()) fail("unterminated start tag <" + el.name + ">");
      if (at("/>")) {
        i_ += 2;
        return el;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      if (i_ == before) fail("expected a space before an attribute in <" + el.name + ">");
      std::string key = name();
      skip_space();
      if (end() || s_[i_] != '=') fail("expected '=' after attribute " + key);
      ++i_;
      skip_space();
      if (end() || (s_[i_] != '"' && s_[i_] != '\'')) fail("expected a quoted value for attribute " + key);
      const char q = s_[i_++];
      std::string value;
      while (!end() && s_[i_] != q) {
        if (s_[i_] == '<') fail("'<' in attribute " + key);
        if (s_[i_] == '&') reference(value);
        else value += s_[i_++];
      }
      if (end()) fail("unterminated attribute " + key);
      ++i_;
      for (auto& [k, v] : el.attributes)
        if (k == key) fail("duplicate attribute " + key + " in <" + el.name + ">");
      el.attributes.emplace_back(std::move(key), std::move(value));
    }
    for (;;) {
      if (end()) fail("<" + el.name + "> is never closed");
      if (at("</")) {
        i_ += 2;
        std::string closing = name();
        if (closing != el.name) fail("</" + closing + "> closes <" + el.name + ">");
        skip_space();
        if (end() || s_[i_] != '>') fail("expected '>' in </" + closing + ">");
        ++i_;
        return el;
      }
      if (at("<!--")) skip_comment();
      else if (at("<![CDATA[") || at("<!")) fail("CDATA or declarations are not expected");
      else if (at("<?")) skip_pi();
      else if (s_[i_] == '<') el.children.push_back(element());
      else if (s_[i_] == '&') reference(el.text);
      else if (at("]]>")) fail("']]>' in text");
      else el.text += s_[i_++];
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

inline XmlElement parse_xml(std::string_view doc) { return XmlReader::parse(doc); }

}  // namespace atalaya::testing
