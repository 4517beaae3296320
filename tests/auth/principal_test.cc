#include "auth/principal.h"

#include <gtest/gtest.h>

namespace orderd::auth {
namespace {

TEST(Principal, RolesReadAndPrintExactly) {
  EXPECT_EQ(parse_role("customer"), Role::kCustomer);
  EXPECT_EQ(parse_role("admin"), Role::kAdmin);
  EXPECT_FALSE(parse_role("Admin"));
  EXPECT_FALSE(parse_role(""));
  EXPECT_EQ(role_name(Role::kAdmin), "admin");
  EXPECT_EQ(role_name(Role::kCustomer), "customer");
}

}  // namespace
}  // namespace orderd::auth
