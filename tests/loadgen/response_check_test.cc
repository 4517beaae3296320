#include "loadgen/response_check.h"

#include <gtest/gtest.h>

namespace orderd::loadgen {
namespace {

TEST(ResponseCheckTest, SuccessfulAnswersOfEachKindPass) {
  ResponseChecker checker;
  EXPECT_EQ(checker.check(RequestKind::kCreate, 201,
                          R"({"message": "Order created", "order_id": "ORD003"})"),
            ResponseVerdict::kOk);
  EXPECT_EQ(checker.check(RequestKind::kSeed, 201,
                          R"({"order_id":"x"})"
                          "\n"),
            ResponseVerdict::kOk);
  EXPECT_EQ(checker.check(RequestKind::kStatus, 200,
                          R"({"order_id":"x","status":"Completed","completed_at":null,)"
                          R"("item_ids":"101,102","total_amount":59.99})"),
            ResponseVerdict::kOk);
  EXPECT_EQ(checker.check(RequestKind::kPopulate, 201,
                          R"({"batch_id":"f3402fae","errors":[],"failure_count":0,)"
                          R"("success_count":4,"total_entries":4})"),
            ResponseVerdict::kOk);
}

TEST(ResponseCheckTest, WrongStatusIsReportedBeforeTheBody) {
  ResponseChecker checker;
  EXPECT_EQ(checker.check(RequestKind::kCreate, 409, R"({"error":"duplicate"})"),
            ResponseVerdict::kUnexpectedStatus);
  EXPECT_EQ(checker.check(RequestKind::kStatus, 404, R"({"error":"Order not found"})"),
            ResponseVerdict::kUnexpectedStatus);
  EXPECT_EQ(checker.check(RequestKind::kCreate, 200, R"({"order_id":"x"})"),
            ResponseVerdict::kUnexpectedStatus);
  EXPECT_EQ(checker.check(RequestKind::kCreate, 503, ""), ResponseVerdict::kUnexpectedStatus);
}

TEST(ResponseCheckTest, MalformedOrIncompleteBodiesFail) {
  ResponseChecker checker;
  const char* bad[] = {
      "",                                // empty
      "created",                         // not JSON
      R"({"order_id":"x")",              // truncated
      R"({"order_id":"x"} trailing)",    // junk after the document
      R"(["order_id"])",                 // not an object
      R"({"message":"Order created"})",  // the field is missing
      R"({"nested":{"order_id":"x"}})",  // only at the top level counts
  };
  for (const char* body : bad) {
    EXPECT_EQ(checker.check(RequestKind::kCreate, 201, body), ResponseVerdict::kBadBody) << body;
  }
}

TEST(ResponseCheckTest, BodyIsReadWithinItsBounds) {
  // The view stops before the closing brace: the checker must not read past it.
  const std::string buffer = R"({"order_id":"x"})";
  ResponseChecker checker;
  EXPECT_EQ(checker.check(RequestKind::kCreate, 201, std::string_view(buffer).substr(0, 15)),
            ResponseVerdict::kBadBody);
  EXPECT_EQ(checker.check(RequestKind::kCreate, 201, buffer), ResponseVerdict::kOk);
}

TEST(ResponseCheckTest, ExpectedStatusByKind) {
  EXPECT_EQ(expected_status(RequestKind::kCreate), 201u);
  EXPECT_EQ(expected_status(RequestKind::kSeed), 201u);
  EXPECT_EQ(expected_status(RequestKind::kPopulate), 201u);
  EXPECT_EQ(expected_status(RequestKind::kStatus), 200u);
}

}  // namespace
}  // namespace orderd::loadgen
