// Engines with traffic, for the persistence tests: a small catalog and a
// mix of orders that end Completed, Rejected and Cancelled, with restocks,
// and completed orders moved on through the rest of the lifecycle.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/support/wait_until.h"

namespace orderd::persistence::testing {

using orderd::testing::expect_stock_invariant;
using orderd::testing::wait_until;

inline EngineConfig small_engine_config() {
  EngineConfig c;
  c.workers = 2;
  c.capacity = 200'000;
  c.max_products = 64;
  c.max_order_total = 20'000;  // large orders are rejected while processing
  return c;
}

// For tests that build thousands of engines: a small queue is quick to make.
inline EngineConfig tiny_engine_config() {
  EngineConfig c = small_engine_config();
  c.capacity = 1000;
  c.order_shards = 4;
  return c;
}

inline constexpr ProductId kProducts = 8;

inline void add_products(Engine& engine, std::int64_t stock = 1'000'000) {
  for (ProductId id = 1; id <= kProducts; ++id) {
    ASSERT_EQ(engine.catalog().add(id, "product " + std::to_string(id), 100 * id, stock),
              AddProductResult::kAdded);
  }
}

// Submits `count` orders named prefix<first>, prefix<first + 1>, ...: one
// to three items, every 5th cancelled right away, every 11th restocking a
// product first. Returns the accepted ones' durable tokens (0 for refused
// orders).
inline std::vector<DurableToken> submit_orders(Engine& engine, const std::string& prefix, int count,
                                               std::uint64_t seed = 1, int first = 0) {
  std::vector<DurableToken> tokens;
  auto producer = engine.make_producer();
  std::uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (int i = first; i < first + count; ++i) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    std::vector<ItemRequest> items;
    std::size_t n = 1 + (rng >> 61) % 3;
    for (std::size_t k = 0; k < n; ++k) {
      items.push_back({1 + (rng >> (8 * k + 3)) % kProducts,
                       static_cast<std::uint32_t>(1 + (rng >> (8 * k)) % 20)});
    }
    if (i % 11 == 0) engine.catalog().restock(1 + i % kProducts, 5);
    std::string id = prefix + std::to_string(i);
    auto r = engine.submit({id, static_cast<UserId>(i % 97), items, 1000 + i}, &producer);
    tokens.push_back(r.ok() ? r.durable_token : 0);
    if (r.ok() && i % 5 == 0) engine.cancel(id, "changed my mind");
  }
  return tokens;
}

// Moves the Completed orders among prefix<first> ... prefix<first + count - 1>
// on by turns: Shipped; Shipped and Delivered; through to Returned;
// Cancelled after completing. Returns the moves' durable tokens.
inline std::vector<DurableToken> move_completed_orders_on(Engine& engine, const std::string& prefix,
                                                          int count, int first = 0) {
  using S = OrderStatus;
  static const std::vector<S> kPaths[] = {
      {S::kShipped},
      {S::kShipped, S::kDelivered},
      {S::kShipped, S::kDelivered, S::kReturned},
      {S::kCancelled},
  };
  std::vector<DurableToken> tokens;
  for (int i = first; i < first + count; ++i) {
    const std::string id = prefix + std::to_string(i);
    auto order = engine.get(id);
    if (!order || order->status != S::kCompleted) continue;
    for (S to : kPaths[i % 4]) {
      auto r = engine.update_status(id, to, to == S::kReturned ? "did not fit" : "");
      EXPECT_TRUE(r.ok()) << id << " -> " << status_name(to);
      tokens.push_back(r.durable_token);
    }
  }
  return tokens;
}

// Products with SKUs, ids kSkuProductBase + 1 ... + kSkuProducts, priced
// 250, 500, 750 and 1000: what managed orders name.
inline constexpr ProductId kSkuProductBase = 100;
inline constexpr ProductId kSkuProducts = 4;

inline void add_sku_products(Engine& engine, std::int64_t stock = 1'000'000) {
  for (ProductId k = 1; k <= kSkuProducts; ++k) {
    const ProductId id = kSkuProductBase + k;
    ASSERT_EQ(engine.catalog().add(id, "sku product " + std::to_string(id), 250 * k, stock,
                                   "sku-" + std::to_string(id)),
              AddProductResult::kAdded);
  }
}

// Details with every field set, varied by `i`.
inline OrderDetails managed_details(const std::string& email, int i) {
  OrderDetails d;
  d.customer_email = email;
  d.currency = i % 2 ? "EUR" : "USD";
  d.tax = 100 + i;
  d.shipping = 500;
  d.shipping_address = {"1 Main St", i % 3 ? "" : "Apt " + std::to_string(i), "Springfield",
                        "IL",        "6270" + std::to_string(i % 10),         "US"};
  d.billing_address = d.shipping_address;
  d.payment = {"credit_card", "pending", "4242"};
  d.metadata = std::string(R"({"gift":)") + (i % 2 ? "true" : "false") + "}";
  return d;
}

// The hash the auth layer would keep for customer `i`'s password: every
// other customer has one.
inline std::string password_hash_of(int i) {
  if (i % 2 == 1) return "";
  return "$argon2id$v=19$m=65536,t=3,p=4$c2FsdC0" + std::to_string(i) +
         "$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
}

// What clients of the order-management API do, `count` times over, with
// orders named prefix<i> and prefix-plain<i> (needs add_products and
// add_sku_products; the workers run again when it returns): registers a
// customer (every other one with a password hash) and submits a managed
// order for it while the workers are paused; confirms some from Pending
// (Pending -> Processing -> Completed, one in eight over the order limit
// and so Rejected by the client's confirmation), cancels others with a
// note, updates the details of every third with a note; then, once the
// rest are processed, ships, delivers and returns the completed ones with
// notes, updates some again after shipping, and makes plain orders managed
// by an update.
inline void run_managed_traffic(Engine& engine, const std::string& prefix, int count) {
  engine.pause_workers();
  std::vector<OrderDetails> details;
  for (int i = 0; i < count; ++i) {
    CustomerInfo customer;
    customer.external_ref = "cust_" + prefix + std::to_string(i);
    customer.first_name = "Ada";
    customer.last_name = "Buyer " + std::to_string(i);
    customer.name = customer.first_name + " " + customer.last_name;
    customer.email = prefix + std::to_string(i) + "@Example.com";
    customer.phone = i % 2 ? "+1 555 0100" : "";
    customer.city = "Springfield";
    customer.member_since = wall_clock_micros();
    customer.password_hash = password_hash_of(i);
    auto registered = engine.register_customer(customer);
    ASSERT_TRUE(registered && registered->ok()) << i;

    details.push_back(managed_details(customer.email, i));
    const ProductId product = kSkuProductBase + 1 + static_cast<ProductId>(i % kSkuProducts);
    std::vector<ItemRequest> items = {{product, static_cast<std::uint32_t>(1 + i % 3)}};
    if (i % 8 == 1) items = {{kSkuProductBase + kSkuProducts, 30}};  // over the order limit
    if (i % 5 == 0) items[0].expected_price = 250 * static_cast<Cents>(items[0].product_id % 100);
    const std::string id = prefix + std::to_string(i);
    OrderRequest request{id, registered->id, items, 0};
    request.details = &details.back();
    ASSERT_TRUE(engine.submit(request).ok()) << i;
    // A plain order of the same customer.
    std::vector<ItemRequest> plain = {{1 + static_cast<ProductId>(i % kProducts), 1}};
    ASSERT_TRUE(
        engine.submit({prefix + "-plain" + std::to_string(i), registered->id, plain, 100}).ok());
  }
  for (int i = 0; i < count; ++i) {
    const std::string id = prefix + std::to_string(i);
    if (i % 4 == 1) {
      StatusChange confirm{OrderStatus::kCompleted, "confirmed by phone", 0, std::nullopt};
      EXPECT_TRUE(engine.update_status(id, confirm).ok()) << id;
    } else if (i % 4 == 2) {
      EXPECT_TRUE(engine.update_status(id, OrderStatus::kCancelled, "ordered twice").ok()) << id;
    }
    if (i % 3 == 0) {
      OrderDetails d = details[static_cast<std::size_t>(i)];
      d.billing_address.line1 = "2 Side St";
      d.payment.status = "authorized";
      d.metadata = R"({"gift":true,"wrap":"blue"})";
      EXPECT_TRUE(engine.update_details(id, d, "new billing address").ok()) << id;
    }
  }
  engine.resume_workers();
  ASSERT_TRUE(wait_until([&] { return engine.counters().in_flight == 0; }));
  using S = OrderStatus;
  for (int i = 0; i < count; ++i) {
    const std::string id = prefix + std::to_string(i);
    if (engine.get(id)->status != S::kCompleted) continue;
    EXPECT_TRUE(engine.update_status(id, S::kShipped, "left the warehouse").ok()) << id;
    if (i % 2 == 0) {
      OrderDetails d = *engine.get(id)->details;
      d.payment.status = "paid";
      EXPECT_TRUE(engine.update_details(id, d, "").ok()) << id;
    }
    if (i % 3 != 2) {
      EXPECT_TRUE(engine.update_status(id, S::kDelivered, "signed by J.").ok()) << id;
    }
    if (i % 3 == 0) {
      EXPECT_TRUE(engine.update_status(id, S::kReturned, "damaged").ok()) << id;
    }
  }
  for (int i = 0; i < count; i += 4) {
    const std::string id = prefix + "-plain" + std::to_string(i);
    OrderDetails d;  // a plain order's currency, tax and shipping, with addresses
    d.customer_email = prefix + std::to_string(i) + "@example.com";
    d.shipping_address = managed_details(d.customer_email, i).shipping_address;
    EXPECT_TRUE(engine.update_details(id, d, "add the address").ok()) << id;
  }
}

// Waits until no order is Pending or Processing; returns whether that happened
// within `timeout`.
[[nodiscard]] inline bool wait_until_quiet(
    const Engine& engine, std::chrono::seconds timeout = std::chrono::seconds(60)) {
  return wait_until([&] { return engine.counters().in_flight == 0; }, timeout);
}

}  // namespace orderd::persistence::testing
