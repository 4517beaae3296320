// The engine's one outward hook: every state change that must survive a
// restart is reported to an EventSink, synchronously, on the thread that made
// it. The journal (persistence/) implements it; the engine knows nothing of
// files.
//
// Ordering: each call is made while the changed object is still locked
// (the order's lock, the product's lock, or the catalog's insert lock), after
// the change is applied. So for one order the calls arrive in lifecycle order
// (accepted before processing before completed before shipped ...), and a sink that numbers its
// records inside the call numbers them in that order too. Records of
// different orders may interleave in any order.
//
// Contract for implementations: return quickly and never block on I/O (the
// caller holds a spin lock and may be an engine worker); never call back into
// the engine; may allocate. Every method may be called from many threads at
// once.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/thread_annotations.h"
#include "engine/catalog.h"
#include "engine/customer_store.h"
#include "engine/order.h"
#include "engine/order_status.h"
#include "engine/types.h"

namespace orderd {

// A position in the sink's record stream (the journal's sequence number).
// Positions grow with every record; 0 means "no record was written".
using DurableToken = std::uint64_t;

class EventSink {
 public:
  virtual ~EventSink() = default;

  // A new order, Pending, with its stock reserved. `order.lock` is held and no
  // other thread has seen the order yet; its fields may be read freely.
  virtual DurableToken order_accepted(const Order& order) REQUIRES(order.lock) = 0;

  // The order moved from `from` to its current status (`order.status`); its
  // timestamp, reason and, for Completed and Rejected, prices are filled in.
  // `by_client`: a client made the move, and the order's last note
  // (order.extras->notes.back()) is its log entry. `order.lock` is held.
  virtual DurableToken order_status_changed(const Order& order, OrderStatus from, bool by_client)
      REQUIRES(order.lock) = 0;

  // A client replaced the order's details (order.extras->details); the last
  // note is the update's log entry. `order.lock` is held.
  virtual DurableToken order_updated(const Order& order) REQUIRES(order.lock) = 0;

  // A registered customer (never an implicit one: orders recreate those).
  // The customer store's registration lock is held.
  virtual DurableToken customer_added(const CustomerInfo& customer) = 0;

  // A product about to become visible, with its initial stock. The catalog's
  // insert lock is held, so this precedes every order that reserves it.
  virtual DurableToken product_added(const ProductInfo& product) = 0;

  // `quantity` was added to the product's stock, whose restocked total is now
  // `restocked_total`. The product's stock lock is held, so restocks of one
  // product arrive in the order they were applied.
  virtual DurableToken product_restocked(ProductId id, std::int64_t quantity,
                                         std::int64_t restocked_total) = 0;

  // A reply was stored under an idempotency key (idempotency_store.h):
  // `fingerprint` identifies the request, `status`, `body` and `etag` are
  // the reply as the front end will send it, `created_at` (wall clock) when
  // it was stored. The key's shard lock is held, so records of one key
  // arrive in the order they were stored; a later one replaces an earlier
  // one (the key was reused after its reply expired). The default records
  // nothing, for sinks that do not keep idempotency keys.
  virtual DurableToken idempotency_recorded(std::string_view /*key*/, std::uint64_t /*fingerprint*/,
                                            unsigned /*status*/, std::string_view /*body*/,
                                            std::string_view /*etag*/, Micros /*created_at*/) {
    return 0;
  }

  // The token with id `jti` is revoked until `expires_at` (wall clock):
  // newly, or until a later instant than before (token_revocations.h). The
  // id's shard lock is held, so the records of one id arrive in the order
  // they were applied; those of different ids are independent (replay keeps
  // each id's latest expiry, whatever the order). The default records
  // nothing, for sinks that keep no revocations.
  virtual DurableToken token_revoked(std::string_view /*jti*/, Micros /*expires_at*/) { return 0; }
};

}  // namespace orderd
