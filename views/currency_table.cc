#include "views/currency_table.h"

namespace orderd::views {

namespace {
constexpr std::string_view kNoCurrency = "XXX";
}

CurrencyTable::CurrencyTable() {
  codes_[0].store(pack("USD"), std::memory_order_relaxed);
  used_.store(1, std::memory_order_release);
}

std::uint32_t CurrencyTable::pack(std::string_view code) {
  if (code.size() != 3) code = kNoCurrency;
  return std::uint32_t{static_cast<unsigned char>(code[0])} |
         std::uint32_t{static_cast<unsigned char>(code[1])} << 8 |
         std::uint32_t{static_cast<unsigned char>(code[2])} << 16;
}

int CurrencyTable::find(std::string_view code) const {
  const std::uint32_t packed = pack(code);
  const std::size_t used = used_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < used; ++i) {
    if (codes_[i].load(std::memory_order_relaxed) == packed) return static_cast<int>(i);
  }
  return -1;
}

std::uint8_t CurrencyTable::slot_of(std::string_view code) {
  if (const int found = find(code); found >= 0) return static_cast<std::uint8_t>(found);
  MutexLock lock(assign_mutex_);
  if (const int found = find(code); found >= 0) return static_cast<std::uint8_t>(found);
  const std::size_t used = used_.load(std::memory_order_relaxed);
  if (used == kCurrencySlots) {
    // The last slot becomes the shared one.
    codes_[kCurrencySlots - 1].store(pack(kNoCurrency), std::memory_order_relaxed);
    return kCurrencySlots - 1;
  }
  codes_[used].store(pack(code), std::memory_order_relaxed);
  used_.store(used + 1, std::memory_order_release);
  return static_cast<std::uint8_t>(used);
}

std::string CurrencyTable::code_of(std::uint8_t slot) const {
  if (slot >= used_.load(std::memory_order_acquire)) return {};
  const std::uint32_t packed = codes_[slot].load(std::memory_order_relaxed);
  return {static_cast<char>(packed & 0xff), static_cast<char>((packed >> 8) & 0xff),
          static_cast<char>((packed >> 16) & 0xff)};
}

}  // namespace orderd::views
