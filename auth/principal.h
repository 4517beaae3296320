// Who a request comes from, once its token is verified: a customer (whose
// subject is their customer id) or an admin (an operator, by name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/customer_store.h"
#include "engine/types.h"

namespace orderd::auth {

enum class Role : std::uint8_t { kCustomer, kAdmin };

// "customer" or "admin", exactly; anything else is no role.
std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);

struct Principal {
  Role role = Role::kCustomer;
  std::string subject;         // the token's "sub": a customer id in decimal, or an admin's name
  CustomerId customer_id = 0;  // the subject as a customer id; 0 for admins
  std::string token_id;        // the token's "jti", empty when it has none (then not revocable)
  Micros expires_at = 0;       // the token's "exp", wall clock microseconds

  bool is_admin() const { return role == Role::kAdmin; }
};

}  // namespace orderd::auth
