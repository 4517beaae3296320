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

}  // namespace
}  // namespace orderd::persistence
