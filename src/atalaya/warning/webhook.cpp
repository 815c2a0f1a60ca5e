#include "atalaya/warning/webhook.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>

#include "atalaya/core/text.h"
#include "atalaya/warning/alert_json.h"

#ifndef ATALAYA_VERSION
#error "ATALAYA_VERSION must be defined by the build (CMakeLists.txt)"
#endif

namespace atalaya {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string to_hex(const unsigned char* bytes, size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

// The first bytes of a receiver's answer, printable, for the failure record.
constexpr size_t kExcerptLimit = 200;

size_t keep_excerpt(char* data, size_t size, size_t count, void* user) {
  auto* excerpt = static_cast<std::string*>(user);
  const size_t n = size * count;
  for (size_t i = 0; i < n && excerpt->size() < kExcerptLimit; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    excerpt->push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
  }
  return n;  // read and drop the rest: a short count would abort the transfer
}

// libcurl's process-wide set-up must run once before any transfer; a static
// local makes that thread-safe without callers having to know.
bool curl_ready() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

// Errors that come from our side of the URL and recur on every attempt.
bool retryable_curl_error(CURLcode rc) {
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return false;
    default:
      return true;
  }
}

// "2 s", "1.5 s": a limit as the configuration gives it.
std::string seconds_text(std::chrono::milliseconds ms) {
  std::string s = std::to_string(ms.count() / 1000);
  if (ms.count() % 1000) {
    std::string frac = std::to_string(ms.count() % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s + " s";
}

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlHeaders = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // OpenSSL treats a null key as "reuse the previous key"; an empty secret
  // must be a zero-length key instead.
  static const unsigned char kNoKey = 0;
  const void* key = secret.empty() ? &kNoKey : static_cast<const void*>(secret.data());
  const auto* data = reinterpret_cast<const unsigned char*>(body.empty() ? "" : body.data());
  if (!HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), data, body.size(), mac, &mac_len))
    throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
  return to_hex(mac, mac_len);
}

std::string webhook_signature(std::string_view secret, std::string_view body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}

bool verify_webhook_signature(std::string_view secret, std::string_view body, std::string_view header_value) {
  const std::string expected = webhook_signature(secret, body);
  const std::string given = ascii_lower(header_value);
  // Constant time, so a forger cannot learn the signature byte by byte.
  return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string_view alert_event_name(AlertEvent e) {
  switch (e) {
    case AlertEvent::Opened: return "alert.opened";
    case AlertEvent::Updated: return "alert.updated";
    case AlertEvent::Acknowledged: return "alert.acknowledged";
    case AlertEvent::Resolved: return "alert.resolved";
    case AlertEvent::Expired: return "alert.expired";
  }
  return "alert.updated";
}

std::optional<AlertEvent> parse_alert_event(std::string_view text) {
  for (auto e : {AlertEvent::Opened, AlertEvent::Updated, AlertEvent::Acknowledged, AlertEvent::Resolved,
                 AlertEvent::Expired})
    if (alert_event_name(e) == text) return e;
  return std::nullopt;
}

std::string webhook_body(AlertEvent event, std::string_view delivery_id, const Alert& alert) {
  nlohmann::json j{{"event", alert_event_name(event)}, {"delivery_id", delivery_id}, {"alert", alert_to_json(alert)}};
  return j.dump();
}

std::string new_delivery_id() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no random bytes from OpenSSL for a delivery id");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string h = to_hex(b, sizeof b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

void check_webhook_url(std::string_view url) {
  const std::string lower = ascii_lower(url);
  size_t host_at = 0;
  if (lower.starts_with("http://"))
    host_at = 7;
  else if (lower.starts_with("https://"))
    host_at = 8;
  else
    throw std::invalid_argument("webhook URL '" + std::string(url) + "': expected http:// or https://");
  if (host_at >= url.size() || url[host_at] == '/' || url[host_at] == ':' || url[host_at] == '?')
    throw std::invalid_argument("webhook URL '" + std::string(url) + "': expected a host after the scheme");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20)
      throw std::invalid_argument("webhook URL '" + std::string(url) + "': contains a space or control character");
}

DeliveryAttempt post_once(const WebhookTarget& target, const std::string& body, const std::string& delivery_id) {
  DeliveryAttempt a;
  const auto start = std::chrono::steady_clock::now();
  auto finish = [&] {
    a.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    return a;
  };
  try {
    check_webhook_url(target.url);
  } catch (const std::invalid_argument& e) {
    a.error = e.what();
    return finish();
  }
  // A header value with a line break would let the id inject headers.
  if (delivery_id.find_first_of("\r\n") != std::string::npos) {
    a.error = "delivery id contains a line break";
    return finish();
  }
  CurlHandle curl(curl_ready() ? curl_easy_init() : nullptr, curl_easy_cleanup);
  if (!curl) {
    a.error = "libcurl could not start a transfer";
    a.retryable = true;
    return finish();
  }
  curl_slist* list = nullptr;
  for (const std::string& h : {std::string("Content-Type: application/json"),
                               "X-Atalaya-Signature: " + webhook_signature(target.secret, body),
                               "X-Atalaya-Delivery: " + delivery_id,
                               // No "Expect: 100-continue" round trip for large bodies.
                               std::string("Expect:")}) {
    curl_slist* longer = curl_slist_append(list, h.c_str());
    if (!longer) {
      curl_slist_free_all(list);
      a.error = "out of memory building the request headers";
      a.retryable = true;
      return finish();
    }
    list = longer;
  }
  const CurlHeaders headers(list, curl_slist_free_all);
  std::string excerpt;
  char curl_error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirected POST is a configuration error to report
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "atalaya/" ATALAYA_VERSION);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(target.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(target.connect_timeout, target.timeout).count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // time-outs without SIGALRM, safe in threads
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_excerpt);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &excerpt);

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    a.error = curl_error[0] ? curl_error : curl_easy_strerror(rc);
    // Name the limit that was applied, so the record shows the endpoint's own time-out.
    if (rc == CURLE_OPERATION_TIMEDOUT)
      a.error = "timed out (the endpoint's limit: " + seconds_text(target.timeout) + ", connecting " +
                seconds_text(std::min(target.connect_timeout, target.timeout)) + "): " + a.error;
    a.retryable = retryable_curl_error(rc);
    return finish();
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.http_status);
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
    a.retry_after = std::chrono::seconds(retry_after);
  if (!a.ok()) {
    a.error = "HTTP " + std::to_string(a.http_status);
    char* location = nullptr;
    if (a.http_status >= 300 && a.http_status < 400) {
      curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
      a.error += ": redirect to " + std::string(location ? location : "(no Location header)") + " not followed";
    } else if (!excerpt.empty()) {
      a.error += ": " + excerpt;
    }
    a.retryable = a.http_status >= 500 || a.http_status == 429;
  }
  return finish();
}

std::chrono::milliseconds RetryPolicy::delay_before(int attempt) const {
  if (attempt < 2) return std::chrono::milliseconds(0);
  // In double so a long run of attempts cannot overflow; capped before converting back.
  const double ms = static_cast<double>(initial_delay.count()) * std::pow(factor, attempt - 2);
  const double cap = static_cast<double>(max_delay.count());
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(ms, cap)));
}

void RetryPolicy::check() const {
  if (max_attempts < 1)
    throw std::invalid_argument("retry policy: max_attempts must be at least 1, got " + std::to_string(max_attempts));
  if (!(factor >= 1.0) || !std::isfinite(factor))
    throw std::invalid_argument("retry policy: factor must be at least 1, got " + std::to_string(factor));
  if (initial_delay.count() < 0 || max_delay.count() < 0)
    throw std::invalid_argument("retry policy: delays must not be negative");
}

std::string_view delivery_outcome_name(DeliveryOutcome o) {
  switch (o) {
    case DeliveryOutcome::Delivered: return "delivered";
    case DeliveryOutcome::Rejected: return "rejected";
    case DeliveryOutcome::GaveUp: return "gave_up";
  }
  return "gave_up";
}

void sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

DeliveryResult deliver(const WebhookTarget& target, const std::string& body, const std::string& delivery_id,
                       const RetryPolicy& policy, const AttemptObserver& on_attempt, const Sleeper& sleep) {
  policy.check();
  DeliveryResult result;
  for (int n = 1;; ++n) {
    DeliveryAttempt a = post_once(target, body, delivery_id);
    a.number = n;
    if (on_attempt) on_attempt(a);
    result.attempts.push_back(a);
    if (a.ok()) {
      result.outcome = DeliveryOutcome::Delivered;
      return result;
    }
    if (!a.retryable) {
      result.outcome = DeliveryOutcome::Rejected;
      return result;
    }
    if (n >= policy.max_attempts) break;
    std::chrono::milliseconds wait = policy.delay_before(n + 1);
    if (a.retry_after) {
      // Coming back sooner than asked would be refused again; waiting longer
      // than max_delay would stall the whole run for one receiver.
      if (*a.retry_after > policy.max_delay) break;
      wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*a.retry_after));
    }
    if (sleep) sleep(wait);
  }
  result.outcome = DeliveryOutcome::GaveUp;
  return result;
}

}  // namespace atalaya
