#include "net/request_parser.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <span>

namespace orderd::net {

namespace http = boost::beast::http;

RequestParser::RequestParser(RequestText& text, RequestLimits limits) : text_(text) {
  header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  body_limit(limits.max_body_bytes);
  eager(true);
  text_.target.clear();
  text_.body.clear();
  text_.idempotency_key.clear();
  text_.if_match.clear();
  text_.content_type.clear();
  text_.origin.clear();
  text_.authorization.clear();
}

HttpRequest RequestParser::request() const {
  HttpRequest request;
  request.method = method_;
  request.target = text_.target;
  request.body = std::span<char>(text_.body.data(), text_.body.size());
  request.idempotency_key = text_.idempotency_key;
  request.has_idempotency_key = has_idempotency_key_;
  request.if_match = text_.if_match;
  request.content_type = text_.content_type;
  request.origin = text_.origin;
  request.authorization = text_.authorization;
  return request;
}

void RequestParser::on_request_impl(http::verb, string_view method, string_view target, int version,
                                    error_code&) {
  method_ = parse_http_method(method);
  text_.target.assign(target.data(), target.size());
  version_ = version;
}

namespace {

// A repeated header is one list, as HTTP joins them (RFC 9110, 5.3).
void append_field(std::string& out, boost::beast::string_view value) {
  if (!out.empty()) out.append(", ");
  out.append(value.data(), value.size());
}

}  // namespace

void RequestParser::on_field_impl(http::field name, string_view name_text, string_view value,
                                  error_code&) {
  if (name == http::field::expect && boost::beast::iequals(value, "100-continue")) {
    expects_continue_ = true;
  } else if (name == http::field::if_match) {
    append_field(text_.if_match, value);
  } else if (name == http::field::content_type) {
    append_field(text_.content_type, value);
  } else if (name == http::field::origin) {
    append_field(text_.origin, value);
  } else if (name == http::field::authorization) {
    append_field(text_.authorization, value);
  } else if (name == http::field::unknown && boost::beast::iequals(name_text, "Idempotency-Key")) {
    // Beast has no constant for it. Checked by the API, which also refuses
    // an empty one, hence the flag.
    append_field(text_.idempotency_key, value);
    has_idempotency_key_ = true;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) {
  // The parser already refused lengths above the body limit.
  if (length) text_.body.reserve(static_cast<std::size_t>(*length));
}

std::size_t RequestParser::on_body_impl(string_view data, error_code&) {
  text_.body.append(data.data(), data.size());
  return data.size();
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view data, error_code&) {
  text_.body.append(data.data(), data.size());
  return data.size();
}

ParseRejection parse_rejection(boost::beast::error_code error, RequestLimits limits) {
  if (error == http::error::header_limit) {
    return {431, "request line and headers exceed " + std::to_string(limits.max_header_bytes) +
                     " bytes"};
  }
  if (error == http::error::body_limit) {
    return {413, "request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes"};
  }
  if (error == http::error::bad_version) {
    return {505, "only HTTP/1.0 and HTTP/1.1 are supported"};
  }
  return {400, "malformed HTTP request"};
}

}  // namespace orderd::net
