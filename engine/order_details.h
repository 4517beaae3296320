// What a managed order carries beyond its items: addresses, payment, the
// amounts added to the items' price, and its client change log. Kept out of
// line (Order::extras) so that a plain seed-004 order pays one null pointer
// for all of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/order_status.h"
#include "engine/types.h"

namespace orderd {

struct Address {
  std::string line1;  // street
  std::string line2;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;

  bool empty() const {
    return line1.empty() && line2.empty() && city.empty() && state.empty() && postal_code.empty() &&
           country.empty();
  }
  friend bool operator==(const Address&, const Address&) = default;
};

// Never a card number: the API refuses one before it reaches the engine.
struct PaymentInfo {
  std::string method;     // "credit_card", "paypal", ...
  std::string status;     // "pending", "paid", ...
  std::string last_four;  // the card's last four digits, or empty

  bool empty() const { return method.empty() && status.empty() && last_four.empty(); }
  friend bool operator==(const PaymentInfo&, const PaymentInfo&) = default;
};

// The currency used when an order names none.
inline constexpr std::string_view kDefaultCurrency = "USD";

struct OrderDetails {
  std::string customer_email;
  std::string currency{kDefaultCurrency};  // ISO 4217 code; amounts are its minor units
  Cents tax = 0;
  Cents shipping = 0;
  Address shipping_address;
  Address billing_address;
  PaymentInfo payment;
  std::string metadata;  // a JSON object's text, as the client sent it (bounded by the API)

  friend bool operator==(const OrderDetails&, const OrderDetails&) = default;
};

// A change a client made to an order, with the version it produced. The
// workers' moves (into Processing, Completed, Rejected) and the creation are
// not logged: their instants are the order's timestamps (order_history.h).
enum class OrderChange : std::uint8_t {
  kStatus,   // a client moved the order to `status`
  kUpdated,  // a client replaced the order's details
};

struct OrderNote {
  Micros at = 0;
  std::uint32_t version = 0;
  OrderChange change = OrderChange::kStatus;
  OrderStatus status = OrderStatus::kPending;  // the status after the change
  std::string note;                            // why, as the client said; may be empty

  friend bool operator==(const OrderNote&, const OrderNote&) = default;
};

}  // namespace orderd
