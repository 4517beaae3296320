// Responses that report a change are sent only once the change is durable,
// and never when it could not be made so.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "tests/net/durable_server_fixture.h"

namespace orderd::net {
namespace {

using testing::get_request;
using testing::order_json;
using testing::post_request;

using DurableResponsesTest = testing::DurableServerFixture;

TEST_F(DurableResponsesTest, CreatedIsSentOnlyOnceTheOrderIsSynced) {
  start();
  auto c = connect();
  // Paused workers journal no transitions, so the acceptance is the last record.
  engine->pause_workers();
  const std::uint64_t syncs_before = fs.syncs();
  auto r = c->request(post_request("/orders", order_json("D-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
  // By the time the client hears 201 the record is synced.
  EXPECT_GT(fs.syncs(), syncs_before);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  engine->resume_workers();
}

TEST_F(DurableResponsesTest, AcknowledgedOrdersAreThereAfterAPowerLoss) {
  start();
  auto c = connect();
  for (int i = 0; i < 20; ++i) {
    auto r = c->request(post_request("/orders", order_json("P-" + std::to_string(i))));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201u);
  }
  stop();
  fs.drop_unsynced_data();
  start();
  c = connect();
  for (int i = 0; i < 20; ++i) {
    auto r = c->request(get_request("/orders/P-" + std::to_string(i)));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u) << i;
  }
}

TEST_F(DurableResponsesTest, PipelinedCreatesAreAnsweredInOrder) {
  start();
  auto c = connect();
  std::string batch;
  for (int i = 0; i < 10; ++i)
    batch += post_request("/orders", order_json("Q-" + std::to_string(i)));
  batch += get_request("/orders/Q-9");
  ASSERT_TRUE(c->send(batch));
  for (int i = 0; i < 10; ++i) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201u);
    EXPECT_NE(r->body.find("\"Q-" + std::to_string(i) + "\""), std::string::npos) << r->body;
  }
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(DurableResponsesTest, ASyncFailureIsA503AndLaterWritesAreRefused) {
  start();
  auto c = connect();
  ASSERT_EQ(c->request(post_request("/orders", order_json("OK-1")))->status, 201u);
  fs.set_sync_fault(EIO);
  auto r = c->request(post_request("/orders", order_json("LOST-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("\"error\""), std::string::npos);
  // From here on writes are refused at once; reads keep working.
  r = c->request(post_request("/orders", order_json("LOST-2")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  r = c->request(post_request("/api/v1/products", R"({"id":40,"name":"n","price":1,"stock":1})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  r = c->request(get_request("/orders/OK-1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  r = c->request(get_request("/health/ready"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("\"reason\""), std::string::npos) << r->body;
  EXPECT_EQ(c->request(get_request("/health"))->status, 200u);
}

TEST_F(DurableResponsesTest, AWriteFailureIsA503) {
  start();
  auto c = connect();
  fs.set_write_fault(persistence::testing::FaultInjectionFileSystem::WriteFault::kError, ENOSPC);
  auto r = c->request(post_request("/orders", order_json("FULL-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_NE(r->body.find("space"), std::string::npos) << r->body;
}

TEST_F(DurableResponsesTest, CatalogChangesAreDurableBeforeTheAnswer) {
  start();
  auto c = connect();
  auto r = c->request(
      post_request("/api/v1/products", R"({"id":50,"name":"Lamp","price":12.5,"stock":7})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201u);
  r = c->request(post_request("/api/v1/products/50/restock", R"({"quantity":3})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  stop();
  fs.drop_unsynced_data();
  start();
  c = connect();
  r = c->request(get_request("/api/v1/products/50"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_NE(r->body.find("\"available\":10"), std::string::npos) << r->body;
}

TEST_F(DurableResponsesTest, PopulateAnswersOnceItsOrdersAreDurable) {
  start();
  auto c = connect();
  engine->pause_workers();
  auto r = c->request(post_request("/orders/populate", R"({"total_entries":50,"batch_id":"b1"})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201u);
  EXPECT_GE(durability->durable_token(), durability->last_token());
  engine->resume_workers();
}

TEST_F(DurableResponsesTest, NeverPolicyStillAnswers) {
  start(persistence::FsyncPolicy::never());
  auto c = connect();
  auto r = c->request(post_request("/orders", order_json("N-1")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
}

}  // namespace
}  // namespace orderd::net
