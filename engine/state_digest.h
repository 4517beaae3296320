// Hashing for Engine::state_digest(): a 64-bit digest of the state that a
// restart must reproduce, so tests can compare a live engine with a
// recovered one. Not cryptographic; built to make accidental collisions
// between different states vanishingly unlikely.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/catalog.h"
#include "engine/customer_store.h"
#include "engine/order.h"
#include "engine/token_revocations.h"

namespace orderd {

// Feeds 64-bit words and strings through a strong mixing step. Order of the
// calls matters; use a sum of per-object values where it must not.
class StateHasher {
 public:
  void add(std::uint64_t value);
  void add(std::string_view bytes);  // its length, then its bytes
  std::uint64_t value() const;

 private:
  std::uint64_t state_ = 0x6A09E667F3BCC908ULL;
};

// Every field of the order, items with their prices included.
std::uint64_t digest_of(const OrderSnapshot& order);
// Id, name, SKU, price and all six stock fields.
std::uint64_t digest_of(const ProductInfo& product);
// Every field of the customer, the password hash included.
std::uint64_t digest_of(const CustomerInfo& customer);
// The token id and its expiry.
std::uint64_t digest_of(const RevokedToken& revocation);

}  // namespace orderd
