#include "loadgen/request_builder.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

namespace orderd::loadgen {
namespace {

struct ParsedRequest {
  std::string request_line;
  std::string headers;
  std::string body;
};

// Splits raw bytes at the blank line and checks Content-Length against the body.
ParsedRequest split(const std::string& raw) {
  ParsedRequest parsed;
  const std::size_t line_end = raw.find("\r\n");
  const std::size_t head_end = raw.find("\r\n\r\n");
  EXPECT_NE(head_end, std::string::npos);
  parsed.request_line = raw.substr(0, line_end);
  parsed.headers = raw.substr(line_end + 2, head_end - line_end);
  parsed.body = raw.substr(head_end + 4);
  const std::size_t length_at = parsed.headers.find("Content-Length: ");
  if (length_at != std::string::npos) {
    EXPECT_EQ(std::stoul(parsed.headers.substr(length_at + 16)), parsed.body.size());
  } else {
    EXPECT_TRUE(parsed.body.empty());
  }
  return parsed;
}

class RequestBuilderTest : public ::testing::Test {
 protected:
  RequestBuilderTest() {
    shape_.run_id = "r1";
    shape_.users = 50;
    shape_.items_per_order = 4;
    shape_.seeded_orders = 10;
    shape_.populate_entries = 250;
  }
  ServerUrl url_{"127.0.0.1", "8080", ""};
  RequestShape shape_;
  ZipfSampler products_{1000, 1.0};
  Random random_{99};
};

TEST_F(RequestBuilderTest, EveryRequestCarriesTheAuthorizationWhenGiven) {
  shape_.authorization = "Bearer abc.def.ghi";
  RequestBuilder builder(url_, shape_, products_, 7);
  std::string create, status, populate;
  builder.create(random_, create);
  builder.status(random_, status);
  builder.populate(populate);
  for (const std::string* out : {&create, &status, &populate}) {
    EXPECT_NE(split(*out).headers.find("Authorization: Bearer abc.def.ghi\r\n"), std::string::npos)
        << *out;
  }
  RequestBuilder plain(url_, RequestShape{}, products_, 7);
  plain.create(random_, create);
  EXPECT_EQ(create.find("Authorization"), std::string::npos);
}

TEST_F(RequestBuilderTest, CreateIsAValidOrderRequest) {
  RequestBuilder builder(url_, shape_, products_, 7);
  std::string out;
  builder.create(random_, out);
  const ParsedRequest request = split(out);
  EXPECT_EQ(request.request_line, "POST /orders/ HTTP/1.1");
  EXPECT_NE(request.headers.find("Host: 127.0.0.1:8080\r\n"), std::string::npos);
  EXPECT_NE(request.headers.find("Content-Type: application/json\r\n"), std::string::npos);

  rapidjson::Document body;
  body.Parse(request.body.c_str());
  ASSERT_FALSE(body.HasParseError()) << request.body;
  ASSERT_TRUE(body["user_id"].IsUint64());
  EXPECT_GE(body["user_id"].GetUint64(), 1u);
  EXPECT_LE(body["user_id"].GetUint64(), 50u);
  EXPECT_STREQ(body["order_id"].GetString(), "r1-7-0");
  ASSERT_TRUE(body["item_ids"].IsArray());
  ASSERT_EQ(body["item_ids"].Size(), 4u);
  for (const auto& item : body["item_ids"].GetArray()) {
    EXPECT_GE(item.GetUint64(), 1u);
    EXPECT_LE(item.GetUint64(), 1000u);
  }
  ASSERT_TRUE(body["total_amount"].IsNumber());
  EXPECT_GE(body["total_amount"].GetDouble(), 1.0);
}

TEST_F(RequestBuilderTest, OrderIdsNeverRepeatWithinOrAcrossStreams) {
  RequestBuilder a(url_, shape_, products_, 1), b(url_, shape_, products_, 11);
  std::set<std::string> ids;
  std::string out;
  for (int i = 0; i < 200; ++i) {
    for (RequestBuilder* builder : {&a, &b}) {
      builder->create(random_, out);
      rapidjson::Document body;
      body.Parse(split(out).body.c_str());
      EXPECT_TRUE(ids.insert(body["order_id"].GetString()).second) << body["order_id"].GetString();
    }
  }
  // Stream 1's 11th order must not be stream 11's first ("r1-1-11" vs "r1-11-1").
  EXPECT_EQ(ids.size(), 400u);
}

TEST_F(RequestBuilderTest, StatusReadsASeededOrder) {
  RequestBuilder builder(url_, shape_, products_, 0);
  std::string out;
  std::set<std::string> targets;
  for (int i = 0; i < 200; ++i) {
    builder.status(random_, out);
    const ParsedRequest request = split(out);
    ASSERT_TRUE(request.request_line.starts_with("GET /orders/r1-s")) << request.request_line;
    ASSERT_TRUE(request.request_line.ends_with(" HTTP/1.1"));
    targets.insert(request.request_line);
  }
  EXPECT_EQ(targets.size(), 10u);  // every seed is read, and nothing else
  builder.status(random_, out);
  const std::string first_seed =
      "GET /orders/" + RequestBuilder::seed_order_id("r1", 0) + " HTTP/1.1";
  EXPECT_TRUE(targets.count(first_seed));
}

TEST_F(RequestBuilderTest, SeedCreatesTheOrderStatusReadsFind) {
  RequestBuilder builder(url_, shape_, products_, 3);
  std::string out;
  builder.build(RequestKind::kSeed, 9, random_, out);
  rapidjson::Document body;
  body.Parse(split(out).body.c_str());
  EXPECT_EQ(std::string(body["order_id"].GetString()), RequestBuilder::seed_order_id("r1", 9));
  EXPECT_EQ(RequestBuilder::seed_order_id("r1", 9), "r1-s9");
}

TEST_F(RequestBuilderTest, PopulateAsksForTheConfiguredCount) {
  RequestBuilder builder(url_, shape_, products_, 0);
  std::string out;
  builder.build(RequestKind::kPopulate, 0, random_, out);
  const ParsedRequest request = split(out);
  EXPECT_EQ(request.request_line, "POST /orders/populate HTTP/1.1");
  EXPECT_EQ(request.body, R"({"total_entries":250})");
}

TEST_F(RequestBuilderTest, PathPrefixAndIpv6HostAreUsed) {
  const ServerUrl url{"::1", "9000", "/v2"};
  RequestBuilder builder(url, shape_, products_, 0);
  std::string out;
  builder.create(random_, out);
  EXPECT_TRUE(out.starts_with("POST /v2/orders/ HTTP/1.1\r\nHost: [::1]:9000\r\n"));
  builder.status(random_, out);
  EXPECT_TRUE(out.starts_with("GET /v2/orders/r1-s"));
}

TEST_F(RequestBuilderTest, BuildingReusesTheBufferOnceGrown) {
  RequestBuilder builder(url_, shape_, products_, 0);
  std::string out;
  out.reserve(1024);
  const char* storage = out.data();
  for (int i = 0; i < 1000; ++i) {
    builder.build(i % 3 == 0   ? RequestKind::kCreate
                  : i % 3 == 1 ? RequestKind::kStatus
                               : RequestKind::kPopulate,
                  i, random_, out);
    ASSERT_EQ(out.data(), storage) << "the request buffer was reallocated";
  }
}

}  // namespace
}  // namespace orderd::loadgen
