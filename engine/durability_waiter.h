// Acknowledge-when-durable, as the engine's clients see it. Every change the
// engine reports to its EventSink gets a DurableToken; a DurabilityWaiter
// says when the change behind a token is durable, or that it never will be.
// The journal (persistence::Durability) implements it; the HTTP layer holds
// each response that reports a change until its waiter says so, and needs
// nothing else from the storage to do that.
//
// Thread safety: implementations allow every method from any thread at once.
// Lifetimes: a waiter outlives every completion it was given (it calls them).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "engine/event_sink.h"

namespace orderd {

class DurabilityWaiter {
 public:
  // `error` is empty once the change is durable; otherwise it says why the
  // change never will be, and is never empty. It is valid only during the
  // call: copy what you keep.
  using Completion = std::function<void(std::string_view error)>;

  virtual ~DurabilityWaiter() = default;

  // Calls `done` exactly once: when the change with `token` is durable, or
  // once it is known never to be. If that is known already (token 0, a change
  // already durable, a failed journal) `done` runs now on the calling thread;
  // otherwise later on a thread of the implementation's, where it must be
  // short and must not block (hand the work to your own thread).
  virtual void on_durable(DurableToken token, Completion done) = 0;

  // A token that covers every change made so far: for changes whose calls
  // return no token (Catalog::add, Catalog::restock), wait for this after the
  // call returns.
  virtual DurableToken last_token() const = 0;

  // Empty while changes can still be made durable; otherwise the error that
  // stopped that. Sticky: once non-empty it stays so, and every later
  // on_durable() completes with an error. Allocates only for the error text.
  virtual std::string sticky_error() const = 0;

  // Room for more changes: false while the changes made so far wait for a
  // disk that has fallen behind, so that a caller refuses new ones instead
  // of letting them pile up in memory. Lock-free.
  virtual bool has_room() const { return true; }
  // Blocks until there is room or `deadline` passes; returns has_room().
  // For threads that may block. A false return counts as a refused write.
  virtual bool wait_for_room(std::chrono::steady_clock::time_point /*deadline*/) {
    return has_room();
  }
};

// Blocks the calling thread until the change with `token` is durable or never
// will be; returns the error, empty on success. For threads that may block,
// never an event loop. Allocates only what the waiter does and the error text.
std::string wait_until_durable(DurabilityWaiter& waiter, DurableToken token);

}  // namespace orderd
