// The front door's uploads: a body the classifier marks as an upload goes to
// a temporary file as it arrives (the server's memory does not grow with
// it), is bounded by its own limit (a larger one refused with 413 from the
// head, before its bytes are read), and has its own deadline; other bodies
// keep the small limit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "atalaya/serve/http_front.h"

namespace atalaya::serve {
namespace {

using namespace std::chrono_literals;

// Resident memory of this process (the front runs in it), in KiB.
long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

char pattern_byte(size_t i) { return static_cast<char>('a' + i % 26); }

// A front whose /up path is an upload; every request is answered at once
// with what arrived: "file SIZE ok|bad" for an upload (its bytes checked
// against the pattern), "memory SIZE" for a body held in memory.
class Front {
 public:
  explicit Front(FrontOptions o) {
    o.streams_body = [](const httplib::Request& r) { return r.path == "/up"; };
    front_ = std::make_unique<HttpFront>(
        o,
        [this](std::shared_ptr<Exchange> x) {
          std::string text;
          if (x->upload) {
            std::ifstream f(x->upload->path(), std::ios::binary);
            std::vector<char> chunk(1 << 16);
            size_t at = 0;
            bool ok = true;
            while (f.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || f.gcount() > 0) {
              for (std::streamsize i = 0; i < f.gcount(); ++i) ok = ok && chunk[static_cast<size_t>(i)] == pattern_byte(at + static_cast<size_t>(i));
              at += static_cast<size_t>(f.gcount());
            }
            text = "file " + std::to_string(at) + (ok ? " ok" : " bad") + " memory " + std::to_string(x->req.body.size());
          } else {
            text = "memory " + std::to_string(x->req.body.size());
          }
          x->res.status = 200;
          x->res.set_content(text, "text/plain");
          front_->finish(x);
        },
        [](const Exchange&, size_t) {},
        [](int, const std::string& message, httplib::Response& res) { res.set_content(message, "text/plain"); });
    port_ = front_->bind("127.0.0.1", 0);
    thread_ = std::thread([this] { front_->run(); });
  }
  ~Front() {
    front_->stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<HttpFront> front_;
  int port_ = 0;
  std::thread thread_;
};

class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval t{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
  }
  ~Client() { ::close(fd_); }
  // False once the server has closed its side.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t w = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (w <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(w));
    }
    return true;
  }
  // `count` pattern bytes from `from`, in 64 KiB writes.
  bool send_pattern(size_t from, size_t count) {
    std::string chunk;
    for (size_t at = from; at < from + count;) {
      const size_t n = std::min<size_t>(1 << 16, from + count - at);
      chunk.resize(n);
      for (size_t i = 0; i < n; ++i) chunk[i] = pattern_byte(at + i);
      if (!send(chunk)) return false;
      at += n;
    }
    return true;
  }
  // Reads answers until `answers` complete ones (Content-Length bodies) or the close.
  std::string read_answers(int answers = 1) {
    std::string in;
    char buf[4096];
    for (;;) {
      int complete = 0;
      size_t at = 0;
      while (true) {
        const size_t end = in.find("\r\n\r\n", at);
        if (end == std::string::npos) break;
        const size_t cl = in.find("Content-Length: ", at);
        const size_t length = cl != std::string::npos && cl < end ? std::stoul(in.substr(cl + 16)) : 0;
        if (in.size() < end + 4 + length) break;
        ++complete;
        at = end + 4 + length;
      }
      if (complete >= answers) return in;
      const ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
      if (r <= 0) return in;
      in.append(buf, static_cast<size_t>(r));
    }
  }

 private:
  int fd_ = -1;
};

std::string upload_head(size_t length, const std::string& path = "/up") {
  return "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\nContent-Length: " + std::to_string(length) +
         "\r\n\r\n";
}

TEST(HttpFrontUpload, StreamsTheBodyToAFileNotToMemory) {
  FrontOptions o;
  o.max_upload_bytes = 64u << 20;
  Front front(o);
  constexpr size_t kSize = 48u << 20;
  const long before = rss_kib();
  Client c(front.port());
  ASSERT_TRUE(c.send(upload_head(kSize)));
  ASSERT_TRUE(c.send_pattern(0, kSize));
  const std::string answer = c.read_answers();
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("file " + std::to_string(kSize) + " ok memory 0"), std::string::npos) << answer;
  // Held in memory, 48 MiB would show here; streamed, a few reads' worth.
  EXPECT_LT(rss_kib() - before, 16 * 1024) << "the upload grew the process by " << (rss_kib() - before) << " KiB";
}

TEST(HttpFrontUpload, OtherBodiesKeepTheSmallLimit) {
  FrontOptions o;
  o.max_body_bytes = 1024;
  Front front(o);
  Client small(front.port());
  ASSERT_TRUE(small.send(upload_head(100, "/other")));
  ASSERT_TRUE(small.send_pattern(0, 100));
  EXPECT_NE(small.read_answers().find("memory 100"), std::string::npos);
  Client large(front.port());
  ASSERT_TRUE(large.send(upload_head(4096, "/other")));
  large.send_pattern(0, 4096);
  EXPECT_NE(large.read_answers().find("HTTP/1.1 413"), std::string::npos);
  // The same size to the upload path is taken.
  Client upload(front.port());
  ASSERT_TRUE(upload.send(upload_head(4096)));
  ASSERT_TRUE(upload.send_pattern(0, 4096));
  EXPECT_NE(upload.read_answers().find("file 4096 ok"), std::string::npos);
}

TEST(HttpFrontUpload, RefusesALargerUploadFromItsHeadAndStaysSmall) {
  FrontOptions o;
  o.max_upload_bytes = 8u << 20;
  Front front(o);
  const long before = rss_kib();
  Client c(front.port());
  constexpr size_t kSize = 200u << 20;
  ASSERT_TRUE(c.send(upload_head(kSize)));
  // The answer comes from the head alone, before any of the body is sent.
  const std::string answer = c.read_answers();
  EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << answer;
  EXPECT_NE(answer.find("limit of 8388608 bytes"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  // A client that sends the 200 MB anyway is drained and dropped, then cut off.
  c.send_pattern(0, kSize);
  EXPECT_LT(rss_kib() - before, 16 * 1024) << "refusing the upload grew the process by " << (rss_kib() - before) << " KiB";
}

TEST(HttpFrontUpload, AnUploadHasItsOwnDeadline) {
  FrontOptions o;
  o.body_timeout = 200ms;     // an ordinary body's
  o.upload_timeout = 1500ms;  // an upload's
  Front front(o);
  // Slower than the body deadline, within the upload's: taken.
  Client slow(front.port());
  ASSERT_TRUE(slow.send(upload_head(3000)));
  for (size_t part = 0; part < 3; ++part) {
    ASSERT_TRUE(slow.send_pattern(part * 1000, 1000));
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_NE(slow.read_answers().find("file 3000 ok"), std::string::npos);
  // Stopping half-way: 408 once the upload's deadline passes.
  Client stalled(front.port());
  ASSERT_TRUE(stalled.send(upload_head(3000)));
  ASSERT_TRUE(stalled.send_pattern(0, 1500));
  const std::string answer = stalled.read_answers();
  EXPECT_NE(answer.find("HTTP/1.1 408"), std::string::npos) << answer;
  EXPECT_NE(answer.find("the upload did not arrive within 1.5 s"), std::string::npos) << answer;
}

TEST(HttpFrontUpload, ARequestPipelinedAfterAnUploadIsAnswered) {
  Front front(FrontOptions{});
  Client c(front.port());
  std::string both = upload_head(26);
  for (size_t i = 0; i < 26; ++i) both += pattern_byte(i);
  both += "GET /after HTTP/1.1\r\nHost: t\r\n\r\n";
  ASSERT_TRUE(c.send(both));
  const std::string answers = c.read_answers(2);
  EXPECT_NE(answers.find("file 26 ok"), std::string::npos) << answers;
  // The second answer is the GET's: a body-less request after the upload.
  EXPECT_NE(answers.find("\r\n\r\nmemory 0"), std::string::npos) << answers;
  size_t oks = 0;
  for (size_t at = answers.find("HTTP/1.1 200"); at != std::string::npos; at = answers.find("HTTP/1.1 200", at + 1)) ++oks;
  EXPECT_EQ(oks, 2u) << answers;
}

}  // namespace
}  // namespace atalaya::serve
