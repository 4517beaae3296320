#include "engine/customer_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

CustomerInfo customer(std::string email, std::string ref = {}) {
  CustomerInfo c;
  c.name = "Ada Lovelace";
  c.email = std::move(email);
  c.external_ref = std::move(ref);
  c.member_since = 1'700'000'000'000'000;
  return c;
}

TEST(CustomerStoreTest, RegistrationAssignsIncreasingIdsAndReportsEachToTheSink) {
  CustomerStore store;
  testing::RecordingSink sink;
  store.set_event_sink(&sink);
  AddCustomerResult a = store.add(customer("a@example.com"));
  AddCustomerResult b = store.add(customer("b@example.com"));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.id, 1u);
  EXPECT_EQ(b.id, 2u);
  EXPECT_GT(b.durable_token, a.durable_token);
  ASSERT_EQ(sink.events().size(), 2u);
  EXPECT_EQ(sink.events()[1].customer_id, 2u);
  EXPECT_EQ(store.get(2)->email, "b@example.com");
}

TEST(CustomerStoreTest, EmailsAreUniqueWhateverTheirCase) {
  CustomerStore store;
  ASSERT_TRUE(store.add(customer("Ada@Example.com")).ok());
  EXPECT_EQ(store.add(customer("ada@EXAMPLE.com")).error, AddCustomerError::kEmailTaken);
  ASSERT_TRUE(store.find_by_email("ADA@example.COM"));
  EXPECT_EQ(store.find_by_email("ada@example.com")->email, "Ada@Example.com");
  EXPECT_EQ(store.size(), 1u);
}

TEST(CustomerStoreTest, ExternalReferencesAreUniqueAndFindTheirCustomer) {
  CustomerStore store;
  AddCustomerResult r = store.add(customer("a@example.com", "cust_123"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(store.add(customer("b@example.com", "cust_123")).error,
            AddCustomerError::kReferenceTaken);
  EXPECT_EQ(store.find_by_reference("cust_123")->id, r.id);
  EXPECT_FALSE(store.find_by_reference("cust_124"));
}

TEST(CustomerStoreTest, AnOrdersUserIdCreatesAnImplicitCustomerOnceAndRegistrationSkipsItsId) {
  CustomerStore store;
  testing::RecordingSink sink;
  store.set_event_sink(&sink);
  store.ensure(5, 1000);
  store.ensure(5, 2000);
  auto c = store.get(5);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->implicit);
  EXPECT_EQ(c->member_since, 1000);
  EXPECT_TRUE(sink.events().empty());  // replaying the orders recreates it
  AddCustomerResult r = store.add(customer("a@example.com"));
  EXPECT_EQ(r.id, 6u);
}

TEST(CustomerStoreTest, ListingPagesByIdInOrder) {
  CustomerStore store;
  for (int i = 0; i < 5; ++i) store.add(customer("c" + std::to_string(i) + "@example.com"));
  auto first = store.list(0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, 1u);
  EXPECT_EQ(first[1].id, 2u);
  auto rest = store.list(2, 10);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.back().id, 5u);
}

TEST(CustomerStoreTest, RestoreAcceptsARepeatAndRefusesAContradiction) {
  CustomerStore store;
  CustomerInfo c = customer("a@example.com");
  c.id = 9;
  EXPECT_EQ(store.restore(c), RestoreResult::kApplied);
  EXPECT_EQ(store.restore(c), RestoreResult::kAlreadyApplied);
  c.name = "someone else";
  EXPECT_EQ(store.restore(c), RestoreResult::kInconsistent);
  EXPECT_EQ(store.add(customer("b@example.com")).id, 10u);
}

TEST(CustomerStoreTest, APasswordHashIsKeptAsGivenAndPartOfTheCustomer) {
  CustomerStore store;
  CustomerInfo c = customer("a@example.com");
  c.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA";
  const AddCustomerResult added = store.add(c);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(store.get(added.id)->password_hash, c.password_hash);
  EXPECT_EQ(store.find_by_email("A@example.com")->password_hash, c.password_hash);
  ASSERT_TRUE(store.add(customer("b@example.com")).ok());
  EXPECT_EQ(store.find_by_email("b@example.com")->password_hash, "") << "none given: none";
  // Recovery compares it like every other field.
  CustomerStore recovered;
  c.id = added.id;
  EXPECT_EQ(recovered.restore(c), RestoreResult::kApplied);
  EXPECT_EQ(recovered.restore(c), RestoreResult::kAlreadyApplied);
  c.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$b3RoZXI$b3RoZXI";
  EXPECT_EQ(recovered.restore(c), RestoreResult::kInconsistent);
}

TEST(CustomerStoreTest, ConcurrentRegistrationsOfOneEmailLetExactlyOneIn) {
  CustomerStore store;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (store.add(customer("same" + std::to_string(i) + "@example.com")).ok()) ++accepted;
        store.ensure(static_cast<CustomerId>(10'000 + i), i);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 200);
  std::set<CustomerId> ids;
  for (int i = 0; i < 200; ++i) {
    auto c = store.find_by_email("same" + std::to_string(i) + "@example.com");
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->implicit);
    ids.insert(c->id);
  }
  EXPECT_EQ(ids.size(), 200u);
}

}  // namespace
}  // namespace orderd
