// HTTP requests and responses as the API handlers see them: plain views, no
// Beast, so handlers are testable without sockets. The connection code
// (http_connection.cc) fills HttpRequest from the wire and writes
// HttpResponse back with append_response().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/event_sink.h"
#include "net/body_stream.h"
#include "net/route.h"

namespace orderd::net {

enum class HttpMethod : std::uint8_t {
  kGet,
  kHead,
  kPost,
  kPut,
  kDelete,
  kPatch,
  kOptions,
  kOther
};

// Exact, case-sensitive method token ("GET") to HttpMethod; unknown -> kOther.
HttpMethod parse_http_method(std::string_view token);
// "GET", ...; "OTHER" for kOther.
std::string_view http_method_name(HttpMethod method);

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string_view target;  // as received: origin-form path and query
  // The body, writable (JSON is parsed in place) and followed by a '\0'.
  std::span<char> body;
  // Headers the API acts on, as received (leading and trailing blanks
  // trimmed, repeats joined with ", "); empty when absent. Checked by the
  // API, not by the parser.
  std::string_view idempotency_key;
  bool has_idempotency_key = false;  // sent, even if empty (then refused)
  std::string_view if_match;
  std::string_view content_type;   // empty when not sent
  std::string_view origin;         // a browser's Origin header, for CORS
  std::string_view authorization;  // "Bearer <token>" (--auth jwt)
  // False on I/O threads: a handler that would run long (populate, id
  // listings) answers kNeedsBlockingThread instead of doing the work.
  bool may_block = false;
  // When it had been read whole (steady clock), which bounds how long it
  // may wait; the epoch when unknown, which counts as now.
  std::chrono::steady_clock::time_point received_at{};
  // Who sent it: the peer's address, and whether that is a loopback one.
  std::string_view client_address;
  bool client_loopback = true;
};

inline constexpr std::string_view kJsonContentType = "application/json";

struct HttpResponse {
  unsigned status = 200;
  std::string_view body;
  std::string_view content_type = kJsonContentType;
  std::string_view allow;             // non-empty: an Allow header (405)
  unsigned retry_after_seconds = 0;   // > 0: a Retry-After header (503)
  std::string_view www_authenticate;  // non-empty: a WWW-Authenticate header (401)
  std::string_view etag;              // non-empty: an ETag header, given quoted ("\"3\"")
  bool idempotent_replayed = false;   // an Idempotent-Replayed: true header
  // Set: RateLimit-Limit, -Remaining and -Reset headers (rate_limiter.h).
  struct RateLimitHeaders {
    std::uint64_t limit = 0, remaining = 0, reset_seconds = 0;
  };
  std::optional<RateLimitHeaders> rate_limit;
  // Non-empty: the request's Origin is allowed (CORS): Access-Control-
  // Allow-Origin names it. `cors_preflight` adds the preflight's answers.
  std::string_view cors_origin;
  bool cors_preflight = false;
  // Set: the body is this stream's pieces, not `body` (body_stream.h); the
  // response has no Content-Length.
  std::shared_ptr<BodyStream> stream;
  // Not sent: the route that answered, for metrics.
  Route route = Route::kNotFound;
  // Not sent: non-zero when the response reports a change (an order
  // accepted, a product added) that must be durable before the client hears
  // of it; the connection holds the response until then (Api::durability_waiter),
  // whether an I/O thread or a blocking one built it.
  DurableToken durable_token = 0;
};

// "OK", "Not Found", ...; "Unknown" for codes the server never sends.
std::string_view reason_phrase(unsigned status);

struct ResponseFraming {
  bool keep_alive = true;
  bool http10 = false;  // an HTTP/1.0 client needs keep-alive stated explicitly
  bool head = false;    // answer to HEAD: headers only, Content-Length as for GET
  // Sent over TLS: tells browsers to come back by HTTPS only (HSTS). Over
  // plain HTTP the header would mean nothing (RFC 6797, 8.1), so never there.
  bool strict_transport_security = false;
};

inline constexpr std::string_view kServerName = "orderd";

// Sent with every response (each line starts with its CRLF).
inline constexpr std::string_view kSecurityHeaders =
    "\r\nX-Content-Type-Options: nosniff"
    "\r\nX-Frame-Options: DENY"
    "\r\nReferrer-Policy: no-referrer"
    "\r\nCache-Control: no-store";
// Sent with every response over TLS: for a year, a browser that has seen it
// reaches this host by HTTPS only, whatever link it follows.
inline constexpr std::string_view kStrictTransportSecurity =
    "\r\nStrict-Transport-Security: max-age=31536000";
// What a browser script may read of an answer and send with a request,
// and how long it may remember a preflight's answer (CORS).
inline constexpr std::string_view kCorsExposedHeaders =
    "ETag, Idempotent-Replayed, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset, WWW-Authenticate";
inline constexpr std::string_view kCorsAllowedHeaders =
    "Content-Type, Authorization, Idempotency-Key, If-Match";
inline constexpr unsigned kCorsMaxAgeSeconds = 600;

// Sent with HTML pages: their own inline script and style, requests back to
// this server, nothing else.
inline constexpr std::string_view kPageSecurityPolicy =
    "\r\nContent-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// Appends one complete response to `out`: status line, Server, Date,
// Content-Type, Content-Length, the security headers (and HSTS when the
// framing says the connection is TLS), ETag,
// Idempotent-Replayed, Allow, Retry-After and Connection when needed, body.
// For a streamed response, its head (the connection sends the pieces, see
// append_stream_piece).
// `date` is an IMF-fixdate (time_format.h). Allocates only when `out` grows.
void append_response(std::string& out, const HttpResponse& response, const ResponseFraming& framing,
                     std::string_view date);

// A piece of a streamed body as sent: a chunk for HTTP/1.1, the bytes as
// they are for HTTP/1.0. `last` adds the chunked body's end.
void append_stream_piece(std::string& out, std::string_view piece, bool last,
                         const ResponseFraming& framing);

}  // namespace orderd::net
