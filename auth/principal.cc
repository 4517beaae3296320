#include "auth/principal.h"

namespace orderd::auth {

std::optional<Role> parse_role(std::string_view name) {
  if (name == "customer") return Role::kCustomer;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view role_name(Role role) { return role == Role::kAdmin ? "admin" : "customer"; }

}  // namespace orderd::auth
