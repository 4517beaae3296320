// The HTTP/1.1 request parser of every connection: Beast's basic_parser
// keeping the request line, the headers the API reads and the body, in
// strings the connection reuses, and nothing else. Apart from the socket
// code so that it can be tested and fuzzed alone (it needs Beast's parser,
// not Asio's sockets).
#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "net/http_message.h"

namespace orderd::net {

// The parts of a request the API reads.
struct RequestText {
  std::string target;
  std::string body;
  std::string idempotency_key;  // the Idempotency-Key header
  std::string if_match;         // the If-Match header
  std::string content_type;     // the Content-Type header
  std::string origin;           // the Origin header (CORS)
  std::string authorization;    // the Authorization header (--auth jwt)
};

struct RequestLimits {
  std::size_t max_header_bytes = 8 << 10;  // request line and headers
  std::size_t max_body_bytes = 1 << 20;
};

// A parser handles one message; the connection makes a new one per request.
class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  // Clears `text`, which must outlive the parser.
  RequestParser(RequestText& text, RequestLimits limits);

  HttpMethod method() const { return method_; }
  int version() const { return version_; }
  bool has_idempotency_key() const { return has_idempotency_key_; }
  // The client sent "Expect: 100-continue" over HTTP/1.1 and waits for the
  // go-ahead before sending the body, which it has not been given yet.
  bool awaits_continue() const {
    return expects_continue_ && !continue_sent_ && version_ >= 11 && is_header_done() && !is_done();
  }
  void continue_sent() { continue_sent_ = true; }

  // Once is_done(): the request as the API reads it, viewing the text (the
  // body writable). Who sent it and may_block are the caller's to set.
  HttpRequest request() const;

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target,
                       int version, error_code&) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view, string_view value,
                     error_code&) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override;
  std::size_t on_body_impl(string_view data, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code&) override;
  void on_finish_impl(error_code&) override {}

  RequestText& text_;
  HttpMethod method_ = HttpMethod::kOther;
  int version_ = 11;
  bool has_idempotency_key_ = false;
  bool expects_continue_ = false;
  bool continue_sent_ = false;
};

// The answer to a request the parser refused with `error` (anything but
// need_more): 431 past the header limit, 413 past the body limit, 505 for
// a version other than 1.0 and 1.1, otherwise 400.
struct ParseRejection {
  unsigned status = 400;
  std::string message;
};
ParseRejection parse_rejection(boost::beast::error_code error, RequestLimits limits);

}  // namespace orderd::net
