#include "persistence/journal_sink.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "persistence/record_codec.h"
#include "tests/persistence/engine_fixture.h"
#include "tests/persistence/journal_test_util.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::persistence {
namespace {

using format::RecordType;

TEST(JournalSinkTest, EngineEventsBecomeRecordsInLifecycleOrder) {
  testing::TempDir dir;
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(posix_file_system(), dir.path(), 1, {}, &journal).ok());
  JournalSink sink(*journal);
  Engine engine(testing::small_engine_config());
  engine.set_event_sink(&sink);
  testing::add_products(engine);
  engine.start();
  std::vector<DurableToken> tokens;
  std::thread other([&] { testing::submit_orders(engine, "b", 300, 2); });
  tokens = testing::submit_orders(engine, "a", 300, 1);
  other.join();
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());

  auto records = testing::read_journal(dir.path());
  std::map<std::string, std::vector<OrderStatus>> lifecycle;
  std::map<std::string, std::uint64_t> accepted_at;
  std::map<ProductId, std::uint64_t> product_added_at;
  std::map<ProductId, std::int64_t> restocked;
  for (const auto& r : records) {
    switch (static_cast<RecordType>(r.type)) {
      case RecordType::kProductAdded: {
        ProductInfo p;
        ASSERT_TRUE(decode_product(r.payload, &p));
        product_added_at[p.id] = r.seq;
        break;
      }
      case RecordType::kProductRestocked: {
        RestockRecord restock;
        ASSERT_TRUE(decode_restock(r.payload, &restock));
        restocked[restock.product_id] += restock.quantity;
        EXPECT_EQ(restock.restocked_total, restocked[restock.product_id]);
        break;
      }
      case RecordType::kOrderAccepted: {
        OrderSnapshot o;
        ASSERT_TRUE(decode_order(r.payload, &o));
        EXPECT_EQ(o.status, OrderStatus::kPending);
        EXPECT_GT(o.timestamp(OrderTimestamp::kCreated), 0);
        for (const auto& item : o.items) EXPECT_LT(product_added_at.at(item.product_id), r.seq);
        EXPECT_TRUE(lifecycle[o.client_id].empty()) << "accepted first";
        lifecycle[o.client_id].push_back(OrderStatus::kPending);
        accepted_at[o.client_id] = r.seq;
        break;
      }
      case RecordType::kOrderStatusChanged: {
        OrderTransition t;
        std::vector<Cents> prices;
        ASSERT_TRUE(decode_status_change(r.payload, &t, &prices));
        auto& states = lifecycle[std::string(t.client_id)];
        ASSERT_FALSE(states.empty()) << t.client_id << " changed before it was accepted";
        EXPECT_TRUE(is_legal_transition(states.back(), t.to)) << t.client_id;
        states.push_back(t.to);
        break;
      }
      default:
        ADD_FAILURE() << "unexpected record type " << int(r.type);
    }
  }
  EXPECT_EQ(lifecycle.size(), 600u);
  for (auto& [id, states] : lifecycle) EXPECT_FALSE(is_in_flight(states.back())) << id;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(tokens[i], accepted_at.at("a" + std::to_string(i)))
        << "submit's token is its acceptance record";
  }
  EXPECT_FALSE(restocked.empty());
}

TEST(JournalSinkTest, RegistrationsUpdatesAndClientNotesBecomeTheRecordsTheirTokensName) {
  testing::TempDir dir;
  std::unique_ptr<JournalWriter> journal;
  ASSERT_TRUE(JournalWriter::open(posix_file_system(), dir.path(), 1, {}, &journal).ok());
  JournalSink sink(*journal);
  Engine engine(testing::small_engine_config());
  engine.set_event_sink(&sink);
  testing::add_sku_products(engine);
  engine.start();

  CustomerInfo customer;
  customer.external_ref = "cust_1";
  customer.name = "Ada Lovelace";
  customer.email = "ada@example.com";
  customer.member_since = 1234;
  auto registered = engine.register_customer(customer);
  ASSERT_TRUE(registered && registered->ok());
  customer.id = registered->id;

  OrderDetails details = testing::managed_details(customer.email, 1);
  std::vector<ItemRequest> items = {{testing::kSkuProductBase + 1, 2}};
  OrderRequest request{"managed", customer.id, items, 0};
  request.details = &details;
  auto submitted = engine.submit(request);
  ASSERT_TRUE(submitted.ok());
  details.payment.status = "paid";
  auto updated = engine.update_details("managed", details, "paid by card");
  ASSERT_TRUE(updated.ok());
  auto cancelled = engine.update_status("managed", OrderStatus::kCancelled, "not needed");
  ASSERT_TRUE(cancelled.ok());
  ASSERT_TRUE(testing::wait_until_quiet(engine));
  engine.stop();
  ASSERT_TRUE(journal->close().ok());

  std::map<std::uint64_t, testing::ReadRecord> by_seq;
  for (auto& r : testing::read_journal(dir.path())) by_seq[r.seq] = r;
  const auto& added = by_seq.at(registered->durable_token);
  ASSERT_EQ(added.type, static_cast<std::uint8_t>(RecordType::kCustomerAdded));
  CustomerInfo c;
  ASSERT_TRUE(decode_customer(added.payload, &c));
  EXPECT_EQ(c, customer);

  const auto& accepted = by_seq.at(submitted.durable_token);
  EXPECT_LT(added.seq, accepted.seq) << "the customer before the order naming it";
  OrderSnapshot o;
  ASSERT_TRUE(decode_order(accepted.payload, &o));
  ASSERT_TRUE(o.details.has_value());
  EXPECT_EQ(o.details->payment.status, "pending");
  EXPECT_TRUE(o.notes.empty());

  const auto& update = by_seq.at(updated.durable_token);
  ASSERT_EQ(update.type, static_cast<std::uint8_t>(RecordType::kOrderUpdated));
  OrderUpdateRecord u;
  ASSERT_TRUE(decode_order_update(update.payload, &u));
  EXPECT_EQ(u.client_id, "managed");
  EXPECT_EQ(u.details, details);
  EXPECT_EQ(u.note, "paid by card");
  const OrderSnapshot live = *engine.get("managed");
  ASSERT_EQ(live.notes.size(), 2u);
  EXPECT_EQ(u.at, live.notes[0].at);

  const auto& cancel = by_seq.at(cancelled.durable_token);
  ASSERT_EQ(cancel.type, static_cast<std::uint8_t>(RecordType::kOrderStatusChanged));
  OrderTransition t;
  std::vector<Cents> prices;
  ASSERT_TRUE(decode_status_change(cancel.payload, &t, &prices));
  EXPECT_EQ(t.to, OrderStatus::kCancelled);
  EXPECT_TRUE(t.by_client);
  EXPECT_EQ(t.reason, "not needed");
  EXPECT_EQ(t.at, live.notes[1].at);
}

}  // namespace
}  // namespace orderd::persistence
