#include "atalaya/process/smtp_mail.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace atalaya::process {
namespace {

std::string base64(std::string_view bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s : {18, 12, 6, 0}) out += alphabet[(v >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint8_t(bytes[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool plain_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// "\n" (or "\r\n") line ends become CRLF, as RFC 5322 wants on the wire.
std::string crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') out += "\r\n";
    else out += text[i];
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

struct Reader {
  std::string data;
  size_t at = 0;
};

extern "C" size_t read_message(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  const size_t n = std::min(size * count, r->data.size() - r->at);
  std::memcpy(buffer, r->data.data() + r->at, n);
  r->at += n;
  return n;
}

bool curl_ready() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

}  // namespace

std::string encoded_subject(std::string_view utf8) {
  if (plain_ascii(utf8)) return std::string(utf8);
  // 45 bytes make 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" is 72.
  constexpr size_t kChunk = 45;
  std::string out;
  size_t at = 0;
  while (at < utf8.size()) {
    size_t end = std::min(utf8.size(), at + kChunk);
    // Never cut a character: back up over continuation bytes (10xxxxxx).
    while (end < utf8.size() && end > at + 1 && (uint8_t(utf8[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string rfc5322_date(int64_t utc_seconds) {
  const std::time_t t = static_cast<std::time_t>(utc_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

void check_mail_address(std::string_view a, std::string_view what) {
  const size_t at = a.find('@');
  const bool bad_char = a.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos;
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos ||
      bad_char)
    throw std::invalid_argument(std::string(what) + ": expected an e-mail address local@domain, got '" +
                                std::string(a) + "'");
}

std::string rfc5322_message(const MailMessage& m) {
  std::string h;
  h += "Date: " + rfc5322_date(m.date) + "\r\n";
  h += "From: <" + m.from + ">\r\n";
  h += "To: <" + m.to + ">\r\n";
  h += "Subject: " + encoded_subject(m.subject) + "\r\n";
  h += "Message-ID: <" + m.message_id + ">\r\n";
  h += "MIME-Version: 1.0\r\n";
  h += "Content-Type: text/plain; charset=utf-8\r\n";
  h += "Content-Transfer-Encoding: 8bit\r\n";
  h += "\r\n";
  return h + crlf_lines(m.text);
}

MailAttempt send_mail_once(const SmtpRelay& relay, const MailMessage& message) {
  MailAttempt a;
  if (relay.url.rfind("smtp://", 0) != 0 && relay.url.rfind("smtps://", 0) != 0) {
    a.error = "relay '" + relay.url + "' is not an smtp:// or smtps:// URL";
    return a;
  }
  using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
  using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;
  CurlHandle curl(curl_ready() ? curl_easy_init() : nullptr, curl_easy_cleanup);
  if (!curl) {
    a.error = "libcurl could not start";
    a.retryable = true;
    return a;
  }
  CURL* c = curl.get();
  const std::string from = "<" + message.from + ">";
  CurlList rcpt(curl_slist_append(nullptr, ("<" + message.to + ">").c_str()), curl_slist_free_all);
  Reader reader{rfc5322_message(message)};
  char curl_error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, relay.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(relay.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(relay.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
  const CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.smtp_code);
  if (rc == CURLE_OK) {
    a.sent = true;
    return a;
  }
  a.error = curl_error[0] ? curl_error : curl_easy_strerror(rc);
  if (a.smtp_code >= 400) a.error = "SMTP " + std::to_string(a.smtp_code) + ": " + a.error;
  // A 5xx reply is the relay's final word; a 4xx asks to try later; no
  // reply at all is the network's fault.
  a.retryable = a.smtp_code < 500;
  return a;
}

}  // namespace atalaya::process
