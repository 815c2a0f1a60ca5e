// E-mail through an SMTP relay (libcurl's SMTP): one plain-text UTF-8
// message to one recipient per call, no retry (notification_delivery.h
// retries). The relay is a URL: smtp://host:port (smtps:// for implicit
// TLS); no authentication is offered, the relay is expected to accept mail
// from this host (a local MTA, or the organisation's relay).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace atalaya::process {

struct MailMessage {
  std::string from;        // an address: a@b.org
  std::string to;          // an address
  std::string subject;     // UTF-8
  std::string text;        // UTF-8, lines separated by \n
  std::string message_id;  // without the angle brackets: "n17.emergency-17@atalaya"
  int64_t date = 0;        // seconds since 1970, UTC: the Date header
};

// The RFC 5322 message: Date, From, To, Subject (an RFC 2047 UTF-8
// encoded-word, folded, when it is not plain ASCII), Message-ID,
// MIME-Version, Content-Type text/plain; charset=utf-8 and
// Content-Transfer-Encoding 8bit; lines end in CRLF.
std::string rfc5322_message(const MailMessage& m);

// "=?UTF-8?B?...?=" words (folded with CRLF + space, none over 75
// characters, never splitting a UTF-8 character); ASCII text unchanged.
std::string encoded_subject(std::string_view utf8);

// "Thu, 05 Dec 2026 18:37:45 +0000".
std::string rfc5322_date(int64_t utc_seconds);

// Throws std::invalid_argument unless `address` looks like local@domain
// (no spaces, angle brackets or line breaks).
void check_mail_address(std::string_view address, std::string_view what);

struct SmtpRelay {
  std::string url;  // smtp://host:port or smtps://host:port
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds connect_timeout{10'000};
};

struct MailAttempt {
  bool sent = false;
  long smtp_code = 0;      // the relay's last reply code (0: none)
  std::string error;       // empty when sent
  bool retryable = false;  // a later attempt may succeed: a 4xx reply, a connection error, a time-out
};

// One SMTP transaction. Never throws for network or SMTP failures; they
// are in the result. A permanent refusal (5xx: an unknown recipient, a
// relay that will not relay) is not retryable.
MailAttempt send_mail_once(const SmtpRelay& relay, const MailMessage& message);

}  // namespace atalaya::process
