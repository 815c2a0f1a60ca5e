// An SMTP sink on 127.0.0.1 for tests: it speaks just enough SMTP (EHLO,
// MAIL, RCPT, DATA, RSET, NOOP, QUIT) for libcurl to hand it a message,
// keeps every message it accepts, and can be told to refuse a recipient
// with a reply code (450: try later; 550: no such mailbox).
//
// Tests only (POSIX sockets, one connection at a time).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace atalaya::process::testing {

class LoopbackSmtpSink {
 public:
  struct Mail {
    std::string from;
    std::vector<std::string> to;
    std::string data;  // the message as received, dot-stuffing undone, CRLF kept
  };

  LoopbackSmtpSink() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("loopback SMTP sink: no socket");
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(listener_);
      throw std::runtime_error("loopback SMTP sink: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~LoopbackSmtpSink() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  LoopbackSmtpSink(const LoopbackSmtpSink&) = delete;
  LoopbackSmtpSink& operator=(const LoopbackSmtpSink&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // RCPT TO this address is answered `code` from now on.
  void refuse_recipient(const std::string& address, int code) {
    std::lock_guard lock(mutex_);
    refused_[address] = code;
  }
  std::vector<Mail> mails() const {
    std::lock_guard lock(mutex_);
    return mails_;
  }
  // How many times RCPT TO named this address (accepted or refused).
  int recipient_attempts(const std::string& address) const {
    std::lock_guard lock(mutex_);
    auto it = attempts_.find(address);
    return it == attempts_.end() ? 0 : it->second;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      session(fd);
      ::close(fd);
    }
  }

  static void say(int fd, const std::string& line) {
    const std::string out = line + "\r\n";
    (void)!::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  // One line without its CRLF; false when the client is gone.
  bool read_line(int fd, std::string& buffer, std::string& line) {
    while (true) {
      const size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      pollfd p{fd, POLLIN, 0};
      if (stop_ || ::poll(&p, 1, 5000) <= 0) return false;
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }

  static std::string address_in(const std::string& line) {
    const size_t open = line.find('<'), close = line.find('>');
    return open == std::string::npos || close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
  }

  void session(int fd) {
    std::string buffer, line;
    Mail mail;
    say(fd, "220 loopback SMTP sink");
    while (read_line(fd, buffer, line)) {
      std::string verb = line.substr(0, 4);
      for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (verb == "EHLO") {
        say(fd, "250-loopback");
        say(fd, "250 8BITMIME");
      } else if (verb == "HELO") {
        say(fd, "250 loopback");
      } else if (verb == "MAIL") {
        mail = Mail{address_in(line), {}, ""};
        say(fd, "250 sender ok");
      } else if (verb == "RCPT") {
        const std::string to = address_in(line);
        int code = 250;
        {
          std::lock_guard lock(mutex_);
          ++attempts_[to];
          if (auto it = refused_.find(to); it != refused_.end()) code = it->second;
        }
        if (code == 250) mail.to.push_back(to);
        say(fd, std::to_string(code) + (code == 250 ? " recipient ok" : " recipient refused by the test sink"));
      } else if (verb == "DATA") {
        say(fd, "354 end with <CRLF>.<CRLF>");
        std::string data;
        while (read_line(fd, buffer, line) && line != ".") data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
        {
          std::lock_guard lock(mutex_);
          mail.data = data;
          mails_.push_back(mail);
        }
        say(fd, "250 queued");
      } else if (verb == "RSET") {
        mail = Mail{};
        say(fd, "250 reset");
      } else if (verb == "NOOP") {
        say(fd, "250 ok");
      } else if (verb == "QUIT") {
        say(fd, "221 bye");
        return;
      } else {
        say(fd, "502 not implemented");
      }
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, int> refused_;
  std::map<std::string, int> attempts_;
  std::vector<Mail> mails_;
};

}  // namespace atalaya::process::testing
