#include "net/admin_routes.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/net/durable_server_fixture.h"
#include "tests/net/server_test_util.h"

namespace orderd::net {
namespace {

using testing::get_request;
using testing::order_json;
using testing::post_request;

using AdminRoutesTest = testing::DurableServerFixture;

TEST_F(AdminRoutesTest, SnapshotIsWrittenAndDescribed) {
  start();
  auto c = connect();
  ASSERT_EQ(c->request(post_request("/orders", order_json("S-1")))->status, 201u);
  auto r = c->request(post_request("/admin/snapshot", ""));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201u) << r->body;
  EXPECT_NE(r->body.find("\"orders\":1"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"products\":20"), std::string::npos) << r->body;
  const auto start = r->body.find("\"file\":\"") + 8;
  const std::string file = r->body.substr(start, r->body.find('"', start) - start);
  EXPECT_TRUE(std::filesystem::exists(dir.file(file))) << file;
  EXPECT_EQ(durability->stats().snapshots_written, 1u);
}

TEST_F(AdminRoutesTest, SnapshotTakesOnlyPost) {
  start();
  auto r = connect()->request(get_request("/admin/snapshot"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405u);
  EXPECT_EQ(r->header("allow"), "POST");
}

TEST_F(AdminRoutesTest, SnapshotFailureIsReported) {
  start();
  fs.set_rename_fault(EIO);
  auto r = connect()->request(post_request("/admin/snapshot", ""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u) << r->body;
  EXPECT_NE(r->body.find("snapshot failed"), std::string::npos) << r->body;
}

using AdminWithoutDurabilityTest = testing::ServerFixture;

TEST_F(AdminWithoutDurabilityTest, SnapshotNeedsDurableStorage) {
  start();
  auto r = connect()->request(post_request("/admin/snapshot", ""));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409u);
  EXPECT_NE(r->body.find("\"error\""), std::string::npos);
}

}  // namespace
}  // namespace orderd::net
