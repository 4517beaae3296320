#include "net/http_message.h"

#include <gtest/gtest.h>

#include <string>

namespace orderd::net {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

class NoPieces final : public BodyStream {
 public:
  bool next(std::string&) override { return false; }
};

std::string render(const HttpResponse& r, ResponseFraming f = {}) {
  std::string out;
  append_response(out, r, f, kDate);
  return out;
}

TEST(HttpMessageTest, ParsesMethodTokensExactly) {
  EXPECT_EQ(parse_http_method("GET"), HttpMethod::kGet);
  EXPECT_EQ(parse_http_method("HEAD"), HttpMethod::kHead);
  EXPECT_EQ(parse_http_method("POST"), HttpMethod::kPost);
  EXPECT_EQ(parse_http_method("DELETE"), HttpMethod::kDelete);
  EXPECT_EQ(parse_http_method("get"), HttpMethod::kOther);  // methods are case-sensitive
  EXPECT_EQ(parse_http_method("BREW"), HttpMethod::kOther);
}

TEST(HttpMessageTest, WritesStatusLineStandardHeadersAndBody) {
  HttpResponse r;
  r.status = 201;
  r.body = R"({"ok":true})";
  EXPECT_EQ(render(r),
            "HTTP/1.1 201 Created\r\n"
            "Server: orderd\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 11\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Cache-Control: no-store\r\n"
            "\r\n"
            R"({"ok":true})");
}

TEST(HttpMessageTest, HtmlPagesAlsoCarryAContentSecurityPolicy) {
  HttpResponse page;
  page.content_type = "text/html; charset=utf-8";
  const std::string html = render(page);
  EXPECT_NE(html.find("\r\nContent-Security-Policy: default-src 'none'; "), std::string::npos);
  EXPECT_NE(html.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(render(HttpResponse{}).find("Content-Security-Policy"), std::string::npos);
}

TEST(HttpMessageTest, StrictTransportSecurityOnlyWhenTheFramingAsksForIt) {
  HttpResponse r;
  r.body = "{}";
  const std::string tls = render(r, {.strict_transport_security = true});
  EXPECT_NE(
      tls.find("\r\nCache-Control: no-store\r\nStrict-Transport-Security: max-age=31536000\r\n"),
      std::string::npos)
      << tls;
  EXPECT_TRUE(tls.ends_with("\r\n\r\n{}")) << tls;
  // Also on the last response of a connection and on a streamed one.
  HttpResponse streamed;
  streamed.stream = std::make_shared<NoPieces>();
  EXPECT_NE(render(streamed, {.keep_alive = false, .strict_transport_security = true})
                .find("Strict-Transport-Security: max-age=31536000"),
            std::string::npos);
  // Plain HTTP: never.
  EXPECT_EQ(render(r).find("Strict-Transport-Security"), std::string::npos);
  EXPECT_EQ(render(r, {.keep_alive = false, .http10 = true}).find("Strict-Transport-Security"),
            std::string::npos);
}

TEST(HttpMessageTest, ANoContentAnswerHasNoTypeLengthOrBody) {
  HttpResponse r;
  r.status = 204;
  r.allow = "GET, HEAD";
  r.body = "ignored";
  const std::string out = render(r);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 204 No Content\r\n")) << out;
  EXPECT_EQ(out.find("\r\nContent-Length:"), std::string::npos) << out;
  EXPECT_EQ(out.find("\r\nContent-Type:"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("Allow: GET, HEAD\r\n\r\n")) << out;
}

TEST(HttpMessageTest, CorsAnswersNameTheOriginAndAPreflightWhatMayBeSent) {
  HttpResponse r;
  r.cors_origin = "https://shop.example";
  std::string out = render(r);
  EXPECT_NE(out.find("\r\nAccess-Control-Allow-Origin: https://shop.example\r\nVary: Origin\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Access-Control-Expose-Headers: ETag,"), std::string::npos) << out;
  r.status = 204;
  r.allow = "GET, HEAD, POST";
  r.cors_preflight = true;
  out = render(r);
  EXPECT_NE(out.find("Access-Control-Allow-Methods: GET, HEAD, POST\r\n"), std::string::npos);
  EXPECT_NE(out.find("Access-Control-Allow-Headers: Content-Type, Authorization, Idempotency-Key, "
                     "If-Match\r\n"),
            std::string::npos);
  EXPECT_NE(out.find("Access-Control-Max-Age: 600\r\n"), std::string::npos);
  EXPECT_EQ(render(HttpResponse{}).find("Access-Control"), std::string::npos);
}

TEST(HttpMessageTest, AddsAllowRetryAfterAndConnectionWhenNeeded) {
  HttpResponse r;
  r.status = 405;
  r.body = "{}";
  r.allow = "GET, HEAD";
  std::string out = render(r, {.keep_alive = false});
  EXPECT_NE(out.find("HTTP/1.1 405 Method Not Allowed\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos);

  r = {};
  r.status = 503;
  r.retry_after_seconds = 1;
  out = render(r);
  EXPECT_NE(out.find("\r\nRetry-After: 1\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Connection:"), std::string::npos);
}

TEST(HttpMessageTest, AddsETagAndIdempotentReplayedWhenSet) {
  HttpResponse r;
  r.status = 201;
  r.body = "{}";
  r.etag = R"("3")";
  r.idempotent_replayed = true;
  EXPECT_EQ(render(r),
            "HTTP/1.1 201 Created\r\n"
            "Server: orderd\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 2\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Cache-Control: no-store\r\n"
            "ETag: \"3\"\r\n"
            "Idempotent-Replayed: true\r\n"
            "\r\n"
            "{}");
  // Neither by default.
  const std::string plain = render(HttpResponse{});
  EXPECT_EQ(plain.find("ETag"), std::string::npos);
  EXPECT_EQ(plain.find("Idempotent-Replayed"), std::string::npos);
}

TEST(HttpMessageTest, StatesKeepAliveToHttp10Clients) {
  HttpResponse r;
  EXPECT_NE(render(r, {.keep_alive = true, .http10 = true}).find("Connection: keep-alive"),
            std::string::npos);
}

TEST(HttpMessageTest, HeadKeepsContentLengthButSendsNoBody) {
  HttpResponse r;
  r.body = R"({"status":"ok"})";
  std::string out = render(r, {.head = true});
  EXPECT_NE(out.find("Content-Length: 15\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n"));
}

TEST(HttpMessageTest, AppendsAfterWhatIsAlreadyThere) {
  std::string out = "earlier";
  append_response(out, HttpResponse{}, {}, kDate);
  EXPECT_TRUE(out.starts_with("earlierHTTP/1.1 200 OK\r\n"));
}

TEST(HttpMessageTest, KnowsTheReasonPhrasesTheServerUses) {
  for (unsigned s :
       {100u, 200u, 201u, 400u, 404u, 405u, 408u, 409u, 412u, 413u, 422u, 431u, 503u, 505u}) {
    EXPECT_NE(reason_phrase(s), "Unknown") << s;
  }
  EXPECT_EQ(reason_phrase(299), "Unknown");
}

TEST(HttpMessageTest, AStreamedResponseIsChunkedWithoutContentLength) {
  HttpResponse r;
  r.stream = std::make_shared<NoPieces>();
  r.body = "ignored";
  const std::string head = render(r);
  EXPECT_NE(head.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
  // HTTP/1.0 has no chunks: the body ends with the connection.
  const std::string old = render(r, {.keep_alive = false, .http10 = true});
  EXPECT_EQ(old.find("Transfer-Encoding"), std::string::npos) << old;
  EXPECT_NE(old.find("Connection: close"), std::string::npos) << old;
}

TEST(HttpMessageTest, StreamPiecesAreChunksWithTheirSizeInHex) {
  std::string out;
  append_stream_piece(out, std::string(26, 'x'), false, {});
  EXPECT_EQ(out, "1a\r\n" + std::string(26, 'x') + "\r\n");
  out.clear();
  append_stream_piece(out, "end", true, {});
  EXPECT_EQ(out, "3\r\nend\r\n0\r\n\r\n");
  out.clear();
  append_stream_piece(out, "", true, {});
  EXPECT_EQ(out, "0\r\n\r\n");
  out.clear();
  append_stream_piece(out, "raw", true, {.keep_alive = false, .http10 = true});
  EXPECT_EQ(out, "raw");
}

}  // namespace
}  // namespace orderd::net
