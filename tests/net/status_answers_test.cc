#include "net/status_answers.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "net/request_context.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;

// A RequestContext over the fixture's Api, answering into `response`.
class StatusAnswersTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    ctx = std::make_unique<RequestContext>(*api);
    ctx->response = &response;
  }

  // The response body, parsed.
  rapidjson::Document answer() const {
    rapidjson::Document d;
    const std::string body(response.body);
    d.Parse(body.c_str());
    EXPECT_FALSE(d.HasParseError()) << body;
    return d;
  }

  // Parses `body` as the request's flat JSON object.
  bool parse(std::string body) {
    buffer = std::move(body);
    HttpRequest request;
    request.body = std::span<char>(buffer.data(), buffer.size());
    return ctx->parse_body(request);
  }

  HttpResponse response;
  std::unique_ptr<RequestContext> ctx;
  std::string buffer;
};

// --- spelled_status ------------------------------------------------------------

TEST(SpelledStatusTest, EachSpellingNamesEveryStatus) {
  EXPECT_EQ(spelled_status(OrderStatus::kShipped, StatusSpelling::kCapitalized), "Shipped");
  EXPECT_EQ(spelled_status(OrderStatus::kShipped, StatusSpelling::kLowercase), "shipped");
  EXPECT_EQ(spelled_status(OrderStatus::kShipped, StatusSpelling::kConfirmed), "shipped");
  EXPECT_EQ(spelled_status(OrderStatus::kCompleted, StatusSpelling::kCapitalized), "Completed");
  EXPECT_EQ(spelled_status(OrderStatus::kCompleted, StatusSpelling::kLowercase), "completed");
  EXPECT_EQ(spelled_status(OrderStatus::kCompleted, StatusSpelling::kConfirmed), "confirmed");
  for (std::size_t i = 0; i < kOrderStatusCount; ++i) {
    const auto s = static_cast<OrderStatus>(i);
    const std::string capitalized(spelled_status(s, StatusSpelling::kCapitalized));
    std::string lower = capitalized;
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    EXPECT_EQ(spelled_status(s, StatusSpelling::kLowercase), lower);
    // Every spelling reads back as the same status.
    for (auto spelling :
         {StatusSpelling::kCapitalized, StatusSpelling::kLowercase, StatusSpelling::kConfirmed}) {
      EXPECT_EQ(parse_status(spelled_status(s, spelling)), s) << capitalized;
    }
  }
}

// --- read_status ---------------------------------------------------------------

TEST_F(StatusAnswersTest, ReadStatusAcceptsAnyCaseAndTheAliases) {
  ASSERT_TRUE(parse(R"({"status": "SHIPPED"})"));
  EXPECT_EQ(read_status(*ctx, "status"), OrderStatus::kShipped);
  ASSERT_TRUE(parse(R"({"status": "canceled"})"));
  EXPECT_EQ(read_status(*ctx, "status"), OrderStatus::kCancelled);
  ASSERT_TRUE(parse(R"({"to": "confirmed"})"));
  EXPECT_EQ(read_status(*ctx, "to"), OrderStatus::kCompleted);
}

TEST_F(StatusAnswersTest, ReadStatusAnswers400NamingTheFieldAndTheNames) {
  ASSERT_TRUE(parse(R"({"status": "Teleported"})"));
  EXPECT_FALSE(read_status(*ctx, "status"));
  EXPECT_EQ(response.status, 400u);
  EXPECT_STREQ(answer()["error"].GetString(),
               "status must be one of Pending, Processing, Completed (or confirmed), Shipped, "
               "Delivered, Returned, Cancelled (or canceled), Rejected; got 'Teleported'");

  ASSERT_TRUE(parse(R"({})"));
  EXPECT_FALSE(read_status(*ctx, "status"));
  EXPECT_EQ(response.status, 400u);
  EXPECT_STREQ(answer()["error"].GetString(), "status is required");

  ASSERT_TRUE(parse(R"({"status": 3})"));
  EXPECT_FALSE(read_status(*ctx, "status"));
  EXPECT_STREQ(answer()["error"].GetString(), "status must be a string");

  ASSERT_TRUE(parse(R"({"status": ""})"));
  EXPECT_FALSE(read_status(*ctx, "status"));
  EXPECT_EQ(response.status, 400u);

  // Longer than any status name (32 bytes at most).
  ASSERT_TRUE(parse(R"({"status": ")" + std::string(33, 'x') + R"("})"));
  EXPECT_FALSE(read_status(*ctx, "status"));
  EXPECT_EQ(response.status, 400u);
}

// --- refused_change_message ------------------------------------------------------

StatusUpdateResult refusal(StatusUpdateError error, OrderStatus status = OrderStatus::kShipped,
                           std::uint32_t version = 0) {
  StatusUpdateResult r;
  r.error = error;
  r.status = status;
  r.version = version;
  return r;
}

TEST(RefusedChangeMessageTest, NamesTheOrderAndWhy) {
  constexpr auto kCap = StatusSpelling::kCapitalized;
  EXPECT_EQ(refused_change_message("125", OrderStatus::kShipped,
                                   refusal(StatusUpdateError::kNotFound), kCap),
            "Order 125 not found");

  StatusUpdateResult illegal = refusal(StatusUpdateError::kIllegalTransition);
  illegal.allowed = {OrderStatus::kDelivered};
  EXPECT_EQ(refused_change_message("7", OrderStatus::kCancelled, illegal, kCap),
            "Order 7 cannot move from Shipped to Cancelled (allowed: Delivered)");
  illegal.allowed = {OrderStatus::kCancelled, OrderStatus::kShipped};
  illegal.status = OrderStatus::kCompleted;
  EXPECT_EQ(
      refused_change_message("7", OrderStatus::kReturned, illegal, StatusSpelling::kLowercase),
      "Order 7 cannot move from completed to returned (allowed: cancelled, shipped)");
  EXPECT_EQ(refused_change_message("7", OrderStatus::kPending, illegal, StatusSpelling::kConfirmed),
            "Order 7 cannot move from confirmed to pending (allowed: cancelled, shipped)");
  StatusUpdateResult terminal =
      refusal(StatusUpdateError::kIllegalTransition, OrderStatus::kReturned);
  EXPECT_EQ(refused_change_message("9", OrderStatus::kShipped, terminal, kCap),
            "Order 9 cannot move from Returned to Shipped (allowed: none)");

  EXPECT_EQ(refused_change_message(
                "3", OrderStatus::kShipped,
                refusal(StatusUpdateError::kVersionMismatch, OrderStatus::kCompleted, 4), kCap),
            "Order 3 is at version 4, not the one If-Match names");
  EXPECT_EQ(refused_change_message("3", OrderStatus::kShipped,
                                   refusal(StatusUpdateError::kNotEditable), kCap),
            "Order 3: tax, shipping and currency are fixed when the order is placed, and the "
            "shipping address once it has shipped");
  EXPECT_EQ(refused_change_message("3", OrderStatus::kShipped,
                                   refusal(StatusUpdateError::kUnavailable), kCap),
            "Order 3 cannot change now: writes are refused");
  EXPECT_EQ(refused_change_message("3", OrderStatus::kShipped,
                                   refusal(StatusUpdateError::kUnchanged), kCap),
            "Order 3 unchanged");
}

// --- answer_refused_change -------------------------------------------------------

TEST_F(StatusAnswersTest, NotFoundIs404) {
  answer_refused_change(*ctx, "5", refusal(StatusUpdateError::kNotFound),
                        StatusSpelling::kCapitalized);
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(response.body, R"({"error":"Order not found"})");
  EXPECT_EQ(response.etag, "");
}

TEST_F(StatusAnswersTest, IllegalTransitionIs409WithTheStatusAndTheAllowedMoves) {
  StatusUpdateResult r = refusal(StatusUpdateError::kIllegalTransition, OrderStatus::kCompleted);
  r.allowed = {OrderStatus::kCancelled, OrderStatus::kShipped};
  answer_refused_change(*ctx, "5", r, StatusSpelling::kConfirmed);
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(response.body, R"({"error":"illegal status transition","status":"confirmed",)"
                           R"("allowed":["cancelled","shipped"]})");
  EXPECT_EQ(response.etag, "");
}

TEST_F(StatusAnswersTest, VersionMismatchIs412WithTheCurrentVersionAndItsETag) {
  answer_refused_change(*ctx, "5",
                        refusal(StatusUpdateError::kVersionMismatch, OrderStatus::kShipped, 7),
                        StatusSpelling::kLowercase);
  EXPECT_EQ(response.status, 412u);
  EXPECT_EQ(response.body,
            R"({"error":"the order changed: its version is not the one If-Match names",)"
            R"("status":"shipped","version":7})");
  EXPECT_EQ(response.etag, R"("7")");
}

TEST_F(StatusAnswersTest, NotEditableAndUnchangedAre409) {
  answer_refused_change(*ctx, "5", refusal(StatusUpdateError::kNotEditable),
                        StatusSpelling::kLowercase);
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(std::string(answer()["error"].GetString()).rfind("Order 5: tax, shipping", 0), 0u);
  answer_refused_change(*ctx, "5", refusal(StatusUpdateError::kUnchanged),
                        StatusSpelling::kLowercase);
  EXPECT_EQ(response.status, 409u);
  EXPECT_STREQ(answer()["error"].GetString(), "Order 5 unchanged");
}

TEST_F(StatusAnswersTest, UnavailableIs503WithTheEnginesReason) {
  engine->refuse_writes("disk full");
  answer_refused_change(*ctx, "5", refusal(StatusUpdateError::kUnavailable),
                        StatusSpelling::kLowercase);
  EXPECT_EQ(response.status, 503u);
  EXPECT_STREQ(answer()["error"].GetString(), "writes are refused: disk full");
}

// --- version_etag and if_match_version ---------------------------------------------

TEST(VersionEtagTest, IsTheVersionQuoted) {
  EXPECT_EQ(version_etag(1), R"("1")");
  EXPECT_EQ(version_etag(42), R"("42")");
  EXPECT_EQ(version_etag(4294967295u), R"("4294967295")");
  // What if_match_version reads back.
  for (std::uint32_t v : {1u, 9u, 10u, 123456u, 4294967295u}) {
    EXPECT_EQ(if_match_version(version_etag(v)), v);
  }
}

TEST(IfMatchVersionTest, AbsentOrStarChecksNothing) {
  EXPECT_EQ(if_match_version(""), 0u);
  EXPECT_EQ(if_match_version("   "), 0u);
  EXPECT_EQ(if_match_version("*"), 0u);
  EXPECT_EQ(if_match_version(" * "), 0u);
}

TEST(IfMatchVersionTest, ReadsStrongTagsAndBareNumbers) {
  EXPECT_EQ(if_match_version(R"("3")"), 3u);
  EXPECT_EQ(if_match_version(R"(  "3"  )"), 3u);
  EXPECT_EQ(if_match_version("3"), 3u);
}

TEST(IfMatchVersionTest, AWeakTagNeverMatches) {
  EXPECT_EQ(if_match_version(R"(W/"3")"), std::nullopt);
  EXPECT_EQ(if_match_version(R"( W/"12" )"), std::nullopt);
  EXPECT_EQ(if_match_version("W/3"), std::nullopt);
}

TEST(IfMatchVersionTest, ATagThatIsNoVersionOfOursIsNullopt) {
  for (const char* tag : {R"("0")",
                          "0",
                          R"("")",
                          R"(")",
                          R"("abc")",
                          "abc",
                          R"("3)",
                          R"(3")",
                          R"("-1")",
                          R"("+1")",
                          R"("1.5")",
                          R"("3 ")",
                          R"(" 3")",
                          R"("4294967296")",
                          R"("99999999999999999999")",
                          R"("1", "2")",
                          R"("1",)",
                          R"(w/"3")",
                          R"(W/)",
                          R"(W/"")",
                          "**",
                          R"(*, "1")",
                          "\t\"3\""}) {
    EXPECT_EQ(if_match_version(tag), std::nullopt) << tag;
  }
}

// --- set_version_etag and expected_version -------------------------------------------

TEST_F(StatusAnswersTest, SetVersionEtagKeepsTheTagInTheContext) {
  set_version_etag(*ctx, 12);
  EXPECT_EQ(response.etag, R"("12")");
  EXPECT_EQ(response.etag.data(), ctx->etag.data());
}

TEST_F(StatusAnswersTest, ExpectedVersionReadsIfMatch) {
  ASSERT_EQ(create("A").status, 201u);
  HttpRequest request;
  EXPECT_EQ(expected_version(*ctx, request, "A", "A", StatusSpelling::kCapitalized), 0u);
  request.if_match = "*";
  EXPECT_EQ(expected_version(*ctx, request, "A", "A", StatusSpelling::kCapitalized), 0u);
  request.if_match = R"("5")";
  EXPECT_EQ(expected_version(*ctx, request, "A", "A", StatusSpelling::kCapitalized), 5u);
  EXPECT_EQ(response.body, "");  // nothing answered yet
}

TEST_F(StatusAnswersTest, ExpectedVersionOfAForeignTagAnswers412WithTheCurrentVersion) {
  engine->pause_workers();
  ASSERT_EQ(create("A").status, 201u);
  HttpRequest request;
  request.if_match = "abc";
  EXPECT_EQ(expected_version(*ctx, request, "A", "A", StatusSpelling::kCapitalized), std::nullopt);
  EXPECT_EQ(response.status, 412u);
  EXPECT_EQ(answer()["version"].GetUint(), 1u);
  EXPECT_STREQ(answer()["status"].GetString(), "Pending");
  EXPECT_EQ(response.etag, R"("1")");
  response = HttpResponse{};
  EXPECT_EQ(expected_version(*ctx, request, "B", "B", StatusSpelling::kCapitalized), std::nullopt);
  EXPECT_EQ(response.status, 404u);
  engine->resume_workers();
}

}  // namespace
}  // namespace orderd::net
