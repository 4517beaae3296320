#include "demo/populate.h"

#include <gtest/gtest.h>

#include <set>

#include "demo/demo_catalog.h"

namespace orderd::demo {
namespace {

#ifndef ORDERD_TEST_SCALE_DIVISOR
#define ORDERD_TEST_SCALE_DIVISOR 1
#endif

class PopulateTest : public ::testing::Test {
 protected:
  void start(DemoCatalogOptions demo, std::size_t capacity = 1'000'000) {
    EngineConfig config;
    config.workers = 2;
    config.capacity = capacity;
    config.max_products = 2048;
    engine = std::make_unique<Engine>(config);
    add_demo_catalog(engine->catalog(), demo);
    engine->start();
  }
  std::unique_ptr<Engine> engine;
};

TEST_F(PopulateTest, CreatesNumberedOrdersFromCatalogProducts) {
  start({10, 1'000'000});
  auto producer = engine->make_producer();
  PopulateRequest request;
  request.total_entries = 500;
  request.batch_id = "batch";
  PopulateResult r = populate_orders(*engine, &producer, request);
  EXPECT_EQ(r.success_count, 500u);
  EXPECT_EQ(r.failure_count, 0u);
  EXPECT_TRUE(r.errors.empty());
  for (int n : {1, 250, 500}) {
    auto o = engine->get("batch-" + std::to_string(n));
    ASSERT_TRUE(o.has_value()) << n;
    EXPECT_GE(o->user_id, 1u);
    EXPECT_LE(o->user_id, 10'000u);
    EXPECT_GE(o->unit_count(), 1u);
    EXPECT_LE(o->unit_count(), 5u);
    Cents expected = 0;
    for (const auto& item : o->items) {
      EXPECT_GE(item.product_id, 1u);
      EXPECT_LE(item.product_id, 10u);
      expected += demo_price(item.product_id) * item.quantity;
    }
    EXPECT_EQ(o->client_total, expected);
  }
  EXPECT_FALSE(engine->get("batch-501").has_value());
}

TEST_F(PopulateTest, CountsFailuresAndCapsErrorStrings) {
  start({3, 1'000'000}, /*capacity=*/1'000'000);
  auto producer = engine->make_producer();
  PopulateRequest request;
  request.total_entries = 40;
  request.batch_id = "dup";
  request.max_errors = 5;
  ASSERT_EQ(populate_orders(*engine, &producer, request).success_count, 40u);
  PopulateResult again = populate_orders(*engine, &producer, request);
  EXPECT_EQ(again.success_count, 0u);
  EXPECT_EQ(again.failure_count, 40u);
  ASSERT_EQ(again.errors.size(), 5u);
  EXPECT_EQ(again.errors[0].rfind("dup-1: ", 0), 0u) << again.errors[0];
}

TEST_F(PopulateTest, EmptyCatalogTriesNothing) {
  start({0, 0});
  PopulateRequest request;
  request.total_entries = 10;
  request.batch_id = "x";
  PopulateResult r = populate_orders(*engine, nullptr, request);
  EXPECT_TRUE(r.catalog_empty);
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(PopulateTest, StopFlagEndsTheRunAndCountsTheRest) {
  start({5, 1'000'000});
  std::atomic<bool> stop{true};
  PopulateRequest request;
  request.total_entries = 100;
  request.batch_id = "s";
  PopulateResult r = populate_orders(*engine, nullptr, request, &stop);
  EXPECT_EQ(r.success_count, 0u);
  EXPECT_EQ(r.failure_count, 100u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "s-1: server is shutting down");
}

TEST_F(PopulateTest, OneHundredThousandOrdersTakeWellUnderAMinute) {
  start({1000, 1'000'000'000});
  auto producer = engine->make_producer();
  PopulateRequest request;
  request.total_entries = 100'000 / ORDERD_TEST_SCALE_DIVISOR;
  request.batch_id = "big";
  auto t0 = std::chrono::steady_clock::now();
  PopulateResult r = populate_orders(*engine, &producer, request);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.success_count, request.total_entries);
  EXPECT_LT(elapsed, std::chrono::seconds(30));
}

TEST(RandomBatchIdTest, IsEightHexDigitsAndVaries) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = random_batch_id();
    ASSERT_EQ(id.size(), 8u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 95u);
}

}  // namespace
}  // namespace orderd::demo
