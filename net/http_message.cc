#include "net/http_message.h"

#include <charconv>
#include <cstdio>

namespace orderd::net {

HttpMethod parse_http_method(std::string_view token) {
  if (token == "GET") return HttpMethod::kGet;
  if (token == "POST") return HttpMethod::kPost;
  if (token == "HEAD") return HttpMethod::kHead;
  if (token == "PUT") return HttpMethod::kPut;
  if (token == "DELETE") return HttpMethod::kDelete;
  if (token == "PATCH") return HttpMethod::kPatch;
  if (token == "OPTIONS") return HttpMethod::kOptions;
  return HttpMethod::kOther;
}

std::string_view http_method_name(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kHead:
      return "HEAD";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kPut:
      return "PUT";
    case HttpMethod::kDelete:
      return "DELETE";
    case HttpMethod::kPatch:
      return "PATCH";
    case HttpMethod::kOptions:
      return "OPTIONS";
    case HttpMethod::kOther:
      break;
  }
  return "OTHER";
}

std::string_view reason_phrase(unsigned status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 422:
      return "Unprocessable Content";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
  }
  return "Unknown";
}

namespace {

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

void append_response(std::string& out, const HttpResponse& response, const ResponseFraming& framing,
                     std::string_view date) {
  out.append("HTTP/1.1 ");
  append_number(out, response.status);
  out.push_back(' ');
  out.append(reason_phrase(response.status));
  out.append("\r\nServer: ");
  out.append(kServerName);
  out.append("\r\nDate: ");
  out.append(date);
  // A 204 has no body, so neither a type nor a length (RFC 9110, 8.6).
  if (response.status != 204) {
    out.append("\r\nContent-Type: ");
    out.append(response.content_type);
  }
  if (response.status == 204) {
  } else if (!response.stream) {
    out.append("\r\nContent-Length: ");
    append_number(out, response.body.size());
  } else if (!framing.http10) {
    out.append("\r\nTransfer-Encoding: chunked");
  }
  // Every answer: never sniffed into another type, never framed, never
  // cached, no referrer leaked. The HTML page also confines what it may load.
  out.append(kSecurityHeaders);
  if (framing.strict_transport_security) out.append(kStrictTransportSecurity);
  if (response.content_type.starts_with("text/html")) out.append(kPageSecurityPolicy);
  if (!response.etag.empty()) {
    out.append("\r\nETag: ");
    out.append(response.etag);
  }
  if (response.idempotent_replayed) out.append("\r\nIdempotent-Replayed: true");
  if (!response.allow.empty()) {
    out.append("\r\nAllow: ");
    out.append(response.allow);
  }
  if (!response.cors_origin.empty()) {
    out.append("\r\nAccess-Control-Allow-Origin: ");
    out.append(response.cors_origin);
    out.append("\r\nVary: Origin");
    if (response.cors_preflight) {
      out.append("\r\nAccess-Control-Allow-Methods: ");
      out.append(response.allow);
      out.append("\r\nAccess-Control-Allow-Headers: ");
      out.append(kCorsAllowedHeaders);
      out.append("\r\nAccess-Control-Max-Age: ");
      append_number(out, kCorsMaxAgeSeconds);
    } else {
      out.append("\r\nAccess-Control-Expose-Headers: ");
      out.append(kCorsExposedHeaders);
    }
  }
  if (response.rate_limit) {
    out.append("\r\nRateLimit-Limit: ");
    append_number(out, response.rate_limit->limit);
    out.append("\r\nRateLimit-Remaining: ");
    append_number(out, response.rate_limit->remaining);
    out.append("\r\nRateLimit-Reset: ");
    append_number(out, response.rate_limit->reset_seconds);
  }
  if (response.retry_after_seconds > 0) {
    out.append("\r\nRetry-After: ");
    append_number(out, response.retry_after_seconds);
  }
  if (!response.www_authenticate.empty()) {
    out.append("\r\nWWW-Authenticate: ");
    out.append(response.www_authenticate);
  }
  if (!framing.keep_alive) {
    out.append("\r\nConnection: close");
  } else if (framing.http10) {
    out.append("\r\nConnection: keep-alive");
  }
  out.append("\r\n\r\n");
  if (!framing.head && !response.stream && response.status != 204) out.append(response.body);
}

void append_stream_piece(std::string& out, std::string_view piece, bool last,
                         const ResponseFraming& framing) {
  if (framing.http10) {
    out.append(piece);
    return;
  }
  if (!piece.empty()) {
    char size[20];
    const int n = std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out.append(size, static_cast<std::size_t>(n));
    out.append(piece);
    out.append("\r\n");
  }
  if (last) out.append("0\r\n\r\n");
}

}  // namespace orderd::net
