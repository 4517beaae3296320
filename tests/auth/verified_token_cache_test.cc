#include "auth/verified_token_cache.h"

#include <gtest/gtest.h>

namespace orderd::auth {
namespace {

Principal expiring_at(Micros exp) {
  Principal p;
  p.subject = "1";
  p.customer_id = 1;
  p.expires_at = exp;
  return p;
}

TEST(VerifiedTokenCache, FindsWhatWasInsertedUntilItExpires) {
  VerifiedTokenCache cache(8);
  cache.insert("token-a", expiring_at(1000), 7);
  ASSERT_NE(cache.find("token-a", 999, 0), nullptr);
  EXPECT_EQ(cache.find("token-a", 999, 0)->revocation_epoch, 7u);
  EXPECT_NE(cache.find("token-a", 1500, 600), nullptr);
  EXPECT_EQ(cache.find("token-a", 1001, 0), nullptr);
  EXPECT_EQ(cache.find("token-a", 999, 0), nullptr);  // dropped once expired
}

TEST(VerifiedTokenCache, ComparesTheWholeToken) {
  VerifiedTokenCache cache(1);  // every token shares the slot
  cache.insert("token-a", expiring_at(1000), 0);
  EXPECT_EQ(cache.find("token-b", 0, 0), nullptr);
  EXPECT_EQ(cache.find("token-", 0, 0), nullptr);
  cache.insert("token-b", expiring_at(1000), 0);
  EXPECT_EQ(cache.find("token-a", 0, 0), nullptr);
  EXPECT_NE(cache.find("token-b", 0, 0), nullptr);
}

}  // namespace
}  // namespace orderd::auth
