#include "net/home_page.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using HomePageTest = testing::ApiFixture;

TEST_F(HomePageTest, ServesHtmlWithTheThreeForms) {
  auto r = get("/");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* part : {"/register_customer", "/place_order", "/update_order_status",
                           "id=\"register\"", "id=\"order\"", "id=\"status\"", "</html>"}) {
    EXPECT_NE(r.body.find(part), std::string::npos) << part;
  }
  // No external assets: nothing is loaded from elsewhere.
  EXPECT_EQ(r.body.find("src="), std::string::npos);
  EXPECT_EQ(r.body.find("href="), std::string::npos);
}

TEST_F(HomePageTest, AnswersWhileStartingUp) {
  api->begin_startup("recovering");
  EXPECT_EQ(get("/").status, 200u);
  EXPECT_EQ(call(HttpMethod::kHead, "/").status, 200u);
}

}  // namespace
}  // namespace orderd::net
