#include "engine/event_tee.h"

#include <gtest/gtest.h>

#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using testing::RecordingSink;
using Kind = RecordingSink::Kind;

std::vector<Kind> kinds_of(const RecordingSink& sink) {
  std::vector<Kind> out;
  for (const auto& e : sink.events()) out.push_back(e.kind);
  return out;
}

TEST(EventTeeTest, EveryEventReachesBothSinksAndTheFirstOnesPositionsAreAnswered) {
  RecordingSink journal, views;
  // The second sink numbers from elsewhere, so a position shows whose it is.
  for (int i = 0; i < 50; ++i) views.customer_added(CustomerInfo{});
  EventTee tee(journal, views);
  EngineConfig config;
  config.workers = 1;
  config.capacity = 1000;
  config.max_products = 8;
  Engine engine(config);
  engine.set_event_sink(&tee);
  ASSERT_EQ(engine.catalog().add(1, "p", 100, 10), AddProductResult::kAdded);
  ASSERT_EQ(engine.catalog().restock(1, 5), RestockResult::kRestocked);
  CustomerInfo customer;
  customer.name = "Ada";
  customer.email = "ada@example.com";
  customer.member_since = wall_clock_micros();
  auto registered = engine.register_customer(customer);
  ASSERT_TRUE(registered && registered->ok());
  EXPECT_EQ(registered->durable_token, 3u);
  engine.start();
  std::vector<ItemRequest> items = {{1, 1}};
  const SubmitResult submitted = engine.submit({"o-1", registered->id, items, 100});
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(submitted.durable_token, 4u);
  ASSERT_TRUE(
      testing::wait_until([&] { return engine.get("o-1")->status == OrderStatus::kCompleted; }));
  OrderDetails details;
  details.customer_email = "ada@example.com";
  ASSERT_TRUE(engine.update_details("o-1", details, "add the email").ok());
  IdempotencyStore& store = engine.idempotency();
  ASSERT_EQ(store.begin("key", 1, wall_clock_micros()).outcome, BeginOutcome::kStarted);
  store.finish("key", 201, "{}", "", wall_clock_micros());
  const RevokeResult revoked = engine.revoke_token("jti-1", wall_clock_micros() + 60'000'000);
  ASSERT_TRUE(revoked.newly_revoked());
  EXPECT_EQ(revoked.durable_token, 8u) << "the first sink's position";
  engine.stop();

  // Idempotency replies are not in RecordingSink's log; all else is, in order.
  const std::vector<Kind> expected = {
      Kind::kProductAdded,  Kind::kRestocked,     Kind::kCustomerAdded, Kind::kAccepted,
      Kind::kStatusChanged, Kind::kStatusChanged, Kind::kUpdated,       Kind::kTokenRevoked};
  EXPECT_EQ(kinds_of(journal), expected);
  std::vector<Kind> second = kinds_of(views);
  second.erase(second.begin(), second.begin() + 50);
  EXPECT_EQ(second, expected);
  EXPECT_EQ(views.events().back().token_id, "jti-1");
}

// A sink that counts idempotency records, which RecordingSink does not keep.
class ReplyCounter final : public EventSink {
 public:
  DurableToken order_accepted(const Order&) override { return 0; }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return 0; }
  DurableToken order_updated(const Order&) override { return 0; }
  DurableToken customer_added(const CustomerInfo&) override { return 0; }
  DurableToken product_added(const ProductInfo&) override { return 0; }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return 0; }
  DurableToken idempotency_recorded(std::string_view, std::uint64_t, unsigned, std::string_view,
                                    std::string_view, Micros) override {
    return ++replies;
  }
  DurableToken token_revoked(std::string_view, Micros) override { return 100 + ++revocations; }
  int replies = 0;
  int revocations = 0;
};

TEST(EventTeeTest, IdempotencyRepliesAndRevocationsReachBothSinks) {
  ReplyCounter first, second;
  EventTee tee(first, second);
  EXPECT_EQ(tee.idempotency_recorded("k", 1, 200, "{}", "", 5), 1u);
  EXPECT_EQ(tee.token_revoked("jti", 5), 101u);
  EXPECT_EQ(tee.token_revoked("jti-2", 5), 102u);
  EXPECT_EQ(second.replies, 1);
  EXPECT_EQ(second.revocations, 2);
}

}  // namespace
}  // namespace orderd
