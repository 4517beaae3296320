#include "engine/pricing.h"

namespace orderd {

Price price_items(std::span<const OrderItem> items) {
  Price p;
  std::uint64_t units = 0;
  for (const auto& item : items) {
    p.subtotal += item.unit_price * static_cast<Cents>(item.quantity);
    units += item.quantity;
  }
  if (units >= kVolumeDiscountMinUnits) p.discount = p.subtotal * kVolumeDiscountPercent / 100;
  return p;
}

}  // namespace orderd
