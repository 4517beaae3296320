// Small integer slots for the currencies orders are in, so per-day revenue
// is a fixed array of counters instead of a map. Slot 0 is USD, the default
// currency; others are assigned as they first appear, up to kCurrencySlots.
// Once every slot is taken, further currencies share the last slot, which
// is then reported under the code "XXX" (ISO 4217's "no currency").
//
// Thread safety: lookups are lock-free; assigning a slot takes a mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/mutex.h"
#include "base/thread_annotations.h"

namespace orderd::views {

inline constexpr std::size_t kCurrencySlots = 16;

class CurrencyTable {
 public:
  CurrencyTable();

  // The slot of a three-letter code (any other text is treated as "XXX").
  std::uint8_t slot_of(std::string_view code) EXCLUDES(assign_mutex_);
  // The slot of `code` if it has one, else -1. Never assigns.
  int find(std::string_view code) const;
  // The code reported for `slot`; empty if the slot is unused.
  std::string code_of(std::uint8_t slot) const;
  std::size_t slots_used() const { return used_.load(std::memory_order_acquire); }

 private:
  static std::uint32_t pack(std::string_view code);
  std::array<std::atomic<std::uint32_t>, kCurrencySlots> codes_{};
  std::atomic<std::size_t> used_{0};
  Mutex assign_mutex_;
};

}  // namespace orderd::views
