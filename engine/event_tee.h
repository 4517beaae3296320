// One stream of changes, two consumers: every event goes to `first` (the
// journal, whose positions are what responses wait for) and then to
// `second` (the read models), on the same thread under the same lock, so
// both see each order's changes in the same order. The positions returned
// are `first`'s.
#pragma once

#include "engine/event_sink.h"

namespace orderd {

class EventTee final : public EventSink {
 public:
  EventTee(EventSink& first, EventSink& second) : first_(first), second_(second) {}

  DurableToken order_accepted(const Order& order) override REQUIRES(order.lock) {
    const DurableToken t = first_.order_accepted(order);
    second_.order_accepted(order);
    return t;
  }
  DurableToken order_status_changed(const Order& order, OrderStatus from, bool by_client) override
      REQUIRES(order.lock) {
    const DurableToken t = first_.order_status_changed(order, from, by_client);
    second_.order_status_changed(order, from, by_client);
    return t;
  }
  DurableToken order_updated(const Order& order) override REQUIRES(order.lock) {
    const DurableToken t = first_.order_updated(order);
    second_.order_updated(order);
    return t;
  }
  DurableToken customer_added(const CustomerInfo& customer) override {
    const DurableToken t = first_.customer_added(customer);
    second_.customer_added(customer);
    return t;
  }
  DurableToken product_added(const ProductInfo& product) override {
    const DurableToken t = first_.product_added(product);
    second_.product_added(product);
    return t;
  }
  DurableToken product_restocked(ProductId id, std::int64_t quantity,
                                 std::int64_t restocked_total) override {
    const DurableToken t = first_.product_restocked(id, quantity, restocked_total);
    second_.product_restocked(id, quantity, restocked_total);
    return t;
  }
  DurableToken idempotency_recorded(std::string_view key, std::uint64_t fingerprint,
                                    unsigned status, std::string_view body, std::string_view etag,
                                    Micros created_at) override {
    const DurableToken t =
        first_.idempotency_recorded(key, fingerprint, status, body, etag, created_at);
    second_.idempotency_recorded(key, fingerprint, status, body, etag, created_at);
    return t;
  }
  DurableToken token_revoked(std::string_view jti, Micros expires_at) override {
    const DurableToken t = first_.token_revoked(jti, expires_at);
    second_.token_revoked(jti, expires_at);
    return t;
  }

 private:
  EventSink& first_;
  EventSink& second_;
};

}  // namespace orderd
