// Order pricing: catalog prices and the volume discount.
#pragma once

#include <span>

#include "engine/order.h"

namespace orderd {

// Orders of more than this many units (sum of quantities) get the discount.
inline constexpr std::uint64_t kVolumeDiscountMinUnits = 11;
inline constexpr int kVolumeDiscountPercent = 10;

struct Price {
  Cents subtotal = 0;
  Cents discount = 0;
  Cents total() const { return subtotal - discount; }
};

// Sums unit_price * quantity and applies the volume discount, rounding the
// discount down to a whole cent so the customer is never charged a fraction.
Price price_items(std::span<const OrderItem> items);

}  // namespace orderd
