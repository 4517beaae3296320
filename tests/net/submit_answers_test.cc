#include "net/submit_answers.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using SubmitAnswersTest = testing::ApiFixture;

TEST_F(SubmitAnswersTest, ListsEveryIssueAndFlagsUnknownProducts) {
  RequestContext ctx(*api);
  HttpResponse response;
  ctx.response = &response;
  const std::vector<StockIssue> issues = {{5, 3, 2, false}, {999, 1, 0, true}};
  answer_stock_issues(ctx, 404, "Product 999 not found", issues);
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(response.body,
            R"({"error":"Product 999 not found","stock_issues":[)"
            R"({"product_id":5,"requested":3,"available":2},)"
            R"({"product_id":999,"requested":1,"available":0,"unknown_product":true}]})");
}

}  // namespace
}  // namespace orderd::net
