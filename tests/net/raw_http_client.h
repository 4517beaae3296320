// A minimal blocking HTTP/1.1 client over a plain POSIX socket, for tests
// that need exact control of the bytes on the wire (pipelining, partial
// requests, limits). Talks to 127.0.0.1 only; every wait is bounded.
// tls_http_client.h speaks the same over TLS.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/wait_until.h"

namespace orderd::net::testing {

struct RawResponse {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class RawHttpClient {
 public:
  explicit RawHttpClient(std::uint16_t port,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : timeout_(timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    int one = 1;
    if (fd_ >= 0) ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  virtual ~RawHttpClient() { close(); }
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = send_some(bytes.data(), bytes.size());
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (an interim 100 Continue counts as one). `head`: the
  // request was HEAD, so no body follows whatever Content-Length says.
  std::optional<RawResponse> read_response(bool head = false) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    RawResponse r;
    std::string_view head_text(buffer_.data(), end);
    auto line_end = head_text.find("\r\n");
    std::string_view status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.1 ")) return std::nullopt;
    r.status = static_cast<unsigned>(std::stoi(std::string(status_line.substr(9, 3))));
    std::size_t pos = line_end == std::string_view::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      auto next = head_text.find("\r\n", pos);
      if (next == std::string_view::npos) next = head_text.size();
      std::string_view line = head_text.substr(pos, next - pos);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        r.headers[name] = std::string(value);
      }
      pos = next + 2;
    }
    buffer_.erase(0, end + 4);
    if (!head && r.header("transfer-encoding") == "chunked") {
      if (!read_chunked(r.body)) return std::nullopt;
      return r;
    }
    if (!head && r.header("content-length").empty() && r.header("connection") == "close") {
      while (fill()) {
      }
      r.body.swap(buffer_);
      buffer_.clear();
      return r;
    }
    std::size_t length = 0;
    if (!head && r.status >= 200 && !r.header("content-length").empty()) {
      length = std::stoul(r.header("content-length"));
    }
    while (buffer_.size() < length) {
      if (!fill()) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // A chunked body (RFC 9112, 7.1) without extensions or trailers.
  bool read_chunked(std::string& body) {
    while (true) {
      std::size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
        if (!fill()) return false;
      }
      const std::size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      buffer_.erase(0, line_end + 2);
      while (buffer_.size() < size + 2) {
        if (!fill()) return false;
      }
      body.append(buffer_, 0, size);
      buffer_.erase(0, size + 2);
      if (size == 0) return true;
    }
  }

  std::optional<RawResponse> request(std::string_view bytes, bool head = false) {
    if (!send(bytes)) return std::nullopt;
    return read_response(head);
  }

  // True once the server has closed the connection (EOF or reset) within
  // `within`; bytes that arrive meanwhile are kept for read_response().
  bool closed_by_peer(std::chrono::milliseconds within) {
    return orderd::testing::wait_until(
        [&] {
          for (;;) {  // everything that has arrived, then EOF or nothing more yet
            pollfd p{fd_, POLLIN, 0};
            if (!has_pending() && ::poll(&p, 1, 0) <= 0) return false;
            char chunk[4096];
            ssize_t n = receive_some(chunk, sizeof chunk);
            if (n <= 0) return true;
            buffer_.append(chunk, static_cast<std::size_t>(n));
          }
        },
        within);
  }

  // True if response bytes are waiting, or arrive within `within`.
  bool readable_within(std::chrono::milliseconds within) {
    if (!buffer_.empty() || has_pending()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(within.count())) > 0;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 protected:
  // The bytes on the wire, as send(2) and recv(2) count them (0: closed).
  virtual ssize_t send_some(const char* data, std::size_t size) {
    return ::send(fd_, data, size, MSG_NOSIGNAL);
  }
  virtual ssize_t receive_some(char* data, std::size_t size) { return ::recv(fd_, data, size, 0); }
  // Received bytes that receive_some() will return without the socket.
  virtual bool has_pending() const { return false; }
  int fd() const { return fd_; }

 private:
  bool fill() {
    pollfd p{fd_, POLLIN, 0};
    if (!has_pending() && ::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) return false;
    char chunk[16384];
    ssize_t n = receive_some(chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string buffer_;
};

inline std::string post_request(std::string_view target, std::string_view body,
                                std::string_view extra_headers = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

inline std::string get_request(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) +
         "\r\n";
}

inline std::string order_json(std::string_view id) {
  return R"({"user_id": 1, "order_id": ")" + std::string(id) +
         R"(", "item_ids": [1, 2], "total_amount": 3.98})";
}

}  // namespace orderd::net::testing
