// An EventSink for tests: keeps every event, numbered in call order.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "engine/event_sink.h"

namespace orderd::testing {

class RecordingSink final : public EventSink {
 public:
  enum class Kind {
    kAccepted,
    kStatusChanged,
    kProductAdded,
    kRestocked,
    kUpdated,
    kCustomerAdded,
    kTokenRevoked
  };

  struct Event {
    Kind kind = Kind::kAccepted;
    DurableToken token = 0;
    std::string client_id;
    OrderStatus from = OrderStatus::kPending;
    OrderStatus to = OrderStatus::kPending;
    Micros at = 0;
    std::string reason;
    Cents catalog_subtotal = 0;
    ProductId product_id = 0;
    std::int64_t quantity = 0;
    std::int64_t restocked_total = 0;
    bool by_client = false;
    std::uint64_t customer_id = 0;
    std::string token_id;  // with kTokenRevoked; `at` is its expiry
  };

  DurableToken order_accepted(const Order& order) override {
    Event e;
    e.kind = Kind::kAccepted;
    e.client_id = order.client_id;
    e.to = order.status.load();
    e.at = order.at[timestamp_index(OrderTimestamp::kCreated)];
    return add(std::move(e));
  }
  DurableToken order_status_changed(const Order& order, OrderStatus from, bool by_client) override {
    Event e;
    e.kind = Kind::kStatusChanged;
    e.by_client = by_client;
    e.client_id = order.client_id;
    e.from = from;
    e.to = order.status.load();
    e.at = order.at[timestamp_index(reached_at(e.to))];
    e.reason = order.reason();
    e.catalog_subtotal = order.catalog_subtotal;
    return add(std::move(e));
  }
  DurableToken order_updated(const Order& order) override {
    Event e;
    e.kind = Kind::kUpdated;
    e.client_id = order.client_id;
    e.to = order.status.load();
    e.at = order.extras->notes.back().at;
    e.reason = order.extras->notes.back().note;
    return add(std::move(e));
  }
  DurableToken customer_added(const CustomerInfo& customer) override {
    Event e;
    e.kind = Kind::kCustomerAdded;
    e.customer_id = customer.id;
    e.at = customer.member_since;
    return add(std::move(e));
  }
  DurableToken product_added(const ProductInfo& product) override {
    Event e;
    e.kind = Kind::kProductAdded;
    e.product_id = product.id;
    e.quantity = product.initial;
    return add(std::move(e));
  }
  DurableToken product_restocked(ProductId id, std::int64_t quantity,
                                 std::int64_t restocked_total) override {
    Event e;
    e.kind = Kind::kRestocked;
    e.product_id = id;
    e.quantity = quantity;
    e.restocked_total = restocked_total;
    return add(std::move(e));
  }

  DurableToken token_revoked(std::string_view jti, Micros expires_at) override {
    Event e;
    e.kind = Kind::kTokenRevoked;
    e.token_id = jti;
    e.at = expires_at;
    return add(std::move(e));
  }

  std::vector<Event> events() const {
    std::lock_guard guard(mutex_);
    return events_;
  }
  std::vector<Event> events_of(const std::string& client_id) const {
    std::vector<Event> out;
    for (auto& e : events()) {
      if (e.client_id == client_id) out.push_back(e);
    }
    return out;
  }

 private:
  DurableToken add(Event e) {
    std::lock_guard guard(mutex_);
    e.token = ++last_token_;
    events_.push_back(std::move(e));
    return last_token_;
  }

  mutable std::mutex mutex_;
  std::vector<Event> events_;
  DurableToken last_token_ = 0;
};

}  // namespace orderd::testing
