// Human order numbers, "ORD-20260121-00A3F9": the creation date (UTC) and
// the order's sequence number in base 36. Derived, never stored: unique
// because sequence numbers are, and found in O(1) through the sequence index.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace orderd {

// At least six base-36 digits, more once seq reaches 36^6.
std::string format_order_number(OrderSeq seq, Micros created_at);

// The sequence number an order number names, if it is well formed. The
// caller checks the date against the order found (the number must be the
// order's own, not just any date with its sequence).
std::optional<OrderSeq> order_number_seq(std::string_view number);

}  // namespace orderd
