// The engine's EventSink, implemented by appending journal records: each
// engine event becomes one record (see record_codec.h), numbered inside the
// call, so per-order record order is the engine's lifecycle order.
//
// Cost per event: encoding into a per-thread buffer (no allocation once
// warm), one CRC of the payload, and JournalWriter::append (a short lock and
// a copy). No I/O, no waiting.
//
// Thread safety: as EventSink; the writer must outlive the sink.
#pragma once

#include "engine/event_sink.h"
#include "persistence/journal_writer.h"

namespace orderd::persistence {

class JournalSink final : public EventSink {
 public:
  explicit JournalSink(JournalWriter& journal) : journal_(journal) {}

  DurableToken order_accepted(const Order& order) override REQUIRES(order.lock);
  DurableToken order_status_changed(const Order& order, OrderStatus from, bool by_client) override
      REQUIRES(order.lock);
  DurableToken order_updated(const Order& order) override REQUIRES(order.lock);
  DurableToken customer_added(const CustomerInfo& customer) override;
  DurableToken product_added(const ProductInfo& product) override;
  DurableToken product_restocked(ProductId id, std::int64_t quantity,
                                 std::int64_t restocked_total) override;
  // Records nothing (returns 0) for a key or status the store's restore()
  // would refuse, which the store's callers never pass.
  DurableToken idempotency_recorded(std::string_view key, std::uint64_t fingerprint,
                                    unsigned status, std::string_view body, std::string_view etag,
                                    Micros created_at) override;
  // Records nothing (returns 0) for what TokenRevocations::restore would
  // refuse, which the engine never passes.
  DurableToken token_revoked(std::string_view jti, Micros expires_at) override;

 private:
  JournalWriter& journal_;
};

}  // namespace orderd::persistence
