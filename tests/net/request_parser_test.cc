#include "net/request_parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace orderd::net {
namespace {

namespace http = boost::beast::http;

// Feeds `wire` to a fresh parser in pieces of `step` bytes, as reads split it.
struct Parsed {
  RequestText text;
  std::optional<RequestParser> parser;
  boost::beast::error_code error;
};

void feed(Parsed& p, std::string_view wire, RequestLimits limits = {}, std::size_t step = 7) {
  p.parser.emplace(p.text, limits);
  std::string pending;
  for (std::size_t at = 0; at < wire.size() && !p.parser->is_done();) {
    const std::size_t n = std::min(step, wire.size() - at);
    pending.append(wire.substr(at, n));
    at += n;
    p.error = {};
    const std::size_t used = p.parser->put(boost::asio::buffer(pending), p.error);
    pending.erase(0, used);
    if (p.error == http::error::need_more) continue;
    if (p.error) return;
  }
}

TEST(RequestParserTest, FillsTheRequestTheApiReads) {
  Parsed p;
  feed(p,
       "POST /orders/?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
       "Idempotency-Key: k1\r\nIf-Match: \"3\"\r\nOrigin: https://shop.example\r\n"
       "Authorization: Bearer t\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  ASSERT_FALSE(p.error) << p.error.message();
  ASSERT_TRUE(p.parser->is_done());
  const HttpRequest r = p.parser->request();
  EXPECT_EQ(r.method, HttpMethod::kPost);
  EXPECT_EQ(r.target, "/orders/?x=1");
  EXPECT_EQ(std::string_view(r.body.data(), r.body.size()), "{\"a\":1}");
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_TRUE(r.has_idempotency_key);
  EXPECT_EQ(r.idempotency_key, "k1");
  EXPECT_EQ(r.if_match, "\"3\"");
  EXPECT_EQ(r.origin, "https://shop.example");
  EXPECT_EQ(r.authorization, "Bearer t");
  EXPECT_EQ(p.parser->version(), 11);
}

TEST(RequestParserTest, JoinsRepeatedHeadersAsOneList) {
  Parsed p;
  feed(p, "GET / HTTP/1.1\r\nIf-Match: \"1\"\r\nif-match: \"2\"\r\n\r\n");
  ASSERT_TRUE(p.parser->is_done());
  EXPECT_EQ(p.parser->request().if_match, "\"1\", \"2\"");
}

TEST(RequestParserTest, AnEmptyIdempotencyKeyIsStillSent) {
  Parsed p;
  feed(p, "POST / HTTP/1.1\r\nIdempotency-Key:\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(p.parser->is_done());
  EXPECT_TRUE(p.parser->request().has_idempotency_key);
  EXPECT_EQ(p.parser->request().idempotency_key, "");
}

TEST(RequestParserTest, JoinsAChunkedBody) {
  Parsed p;
  feed(p,
       "POST /x HTTP/1.1\r\nTransfer-Encoding: "
       "chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n",
       {}, 3);
  ASSERT_FALSE(p.error) << p.error.message();
  ASSERT_TRUE(p.parser->is_done());
  const HttpRequest r = p.parser->request();
  EXPECT_EQ(std::string_view(r.body.data(), r.body.size()), "abcde");
}

TEST(RequestParserTest, ANewParserForgetsThePreviousRequest) {
  Parsed p;
  feed(p, "POST /a HTTP/1.1\r\nOrigin: o\r\nContent-Length: 1\r\n\r\nx");
  feed(p, "GET /b HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(p.parser->is_done());
  const HttpRequest r = p.parser->request();
  EXPECT_EQ(r.target, "/b");
  EXPECT_EQ(r.origin, "");
  EXPECT_EQ(r.body.size(), 0u);
  EXPECT_EQ(p.parser->version(), 10);
  EXPECT_FALSE(p.parser->request().has_idempotency_key);
}

TEST(RequestParserTest, WaitsForTheGoAheadOnlyWhenAskedTo) {
  Parsed p;
  feed(p, "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(p.parser->awaits_continue());
  p.parser->continue_sent();
  EXPECT_FALSE(p.parser->awaits_continue());
  Parsed q;
  feed(q, "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n");
  EXPECT_FALSE(q.parser->awaits_continue());
}

TEST(RequestParserTest, RefusesHeadersPastTheLimitWith431) {
  Parsed p;
  const RequestLimits limits{64, 1024};
  feed(p, "GET / HTTP/1.1\r\nX-Long: " + std::string(100, 'a') + "\r\n\r\n", limits);
  ASSERT_EQ(p.error, http::error::header_limit);
  const ParseRejection r = parse_rejection(p.error, limits);
  EXPECT_EQ(r.status, 431u);
  EXPECT_EQ(r.message, "request line and headers exceed 64 bytes");
}

TEST(RequestParserTest, RefusesABodyPastTheLimitWith413) {
  Parsed p;
  const RequestLimits limits{1024, 4};
  feed(p, "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde", limits);
  ASSERT_EQ(p.error, http::error::body_limit);
  EXPECT_EQ(parse_rejection(p.error, limits).status, 413u);
  EXPECT_EQ(parse_rejection(p.error, limits).message, "request body exceeds 4 bytes");
}

TEST(RequestParserTest, RefusesOtherVersionsWith505AndGarbageWith400) {
  Parsed p;
  feed(p, "GET / HTTP/2.0\r\n\r\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(parse_rejection(p.error, {}).status, 505u);
  Parsed q;
  feed(q, "GET / HTTP/1.1\r\nBad Header\r\n\r\n");
  ASSERT_TRUE(q.error);
  EXPECT_EQ(parse_rejection(q.error, {}).status, 400u);
  EXPECT_EQ(parse_rejection(q.error, {}).message, "malformed HTTP request");
}

}  // namespace
}  // namespace orderd::net
