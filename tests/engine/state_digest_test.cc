#include "engine/state_digest.h"

#include <gtest/gtest.h>

#include <set>

namespace orderd {
namespace {

TEST(StateHasherTest, OrderOfInputsMattersAndEqualInputsAgree) {
  StateHasher a, b, c;
  a.add(1);
  a.add(2);
  b.add(1);
  b.add(2);
  c.add(2);
  c.add(1);
  EXPECT_EQ(a.value(), b.value());
  EXPECT_NE(a.value(), c.value());
}

TEST(StateHasherTest, StringsAreLengthDelimited) {
  StateHasher a, b;
  a.add(std::string_view("ab"));
  a.add(std::string_view("c"));
  b.add(std::string_view("a"));
  b.add(std::string_view("bc"));
  EXPECT_NE(a.value(), b.value());
}

TEST(StateHasherTest, SmallInputsGiveDistinctValues) {
  std::set<std::uint64_t> seen;
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    StateHasher h;
    h.add(i);
    seen.insert(h.value());
  }
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(StateDigestTest, ProductDigestCoversEveryStockField) {
  ProductInfo p{1, "a", 100, 5, 10, 0, 3, 2, 0, {}};
  const std::uint64_t reference = digest_of(p);
  for (std::int64_t ProductInfo::*field :
       {&ProductInfo::price, &ProductInfo::available, &ProductInfo::initial,
        &ProductInfo::restocked, &ProductInfo::held, &ProductInfo::consumed}) {
    ProductInfo changed = p;
    changed.*field += 1;
    EXPECT_NE(digest_of(changed), reference);
  }
}

TEST(StateDigestTest, CustomerDigestCoversEveryField) {
  const CustomerInfo c{.id = 7,
                       .external_ref = "cust_7",
                       .name = "Ada Lovelace",
                       .first_name = "Ada",
                       .last_name = "Lovelace",
                       .email = "ada@example.com",
                       .phone = "+44 1",
                       .city = "London",
                       .member_since = 1000,
                       .implicit = false,
                       .password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2E$aGE"};
  const std::uint64_t reference = digest_of(c);
  for (std::string CustomerInfo::*field :
       {&CustomerInfo::external_ref, &CustomerInfo::name, &CustomerInfo::first_name,
        &CustomerInfo::last_name, &CustomerInfo::email, &CustomerInfo::phone, &CustomerInfo::city,
        &CustomerInfo::password_hash}) {
    CustomerInfo changed = c;
    (changed.*field) += "x";
    EXPECT_NE(digest_of(changed), reference);
  }
  CustomerInfo changed = c;
  changed.member_since += 1;
  EXPECT_NE(digest_of(changed), reference);
  changed = c;
  changed.implicit = true;
  EXPECT_NE(digest_of(changed), reference);
}

TEST(StateDigestTest, RevocationDigestCoversTheIdAndTheExpiry) {
  const std::uint64_t reference = digest_of(RevokedToken{"jti-1", 1000});
  EXPECT_EQ(digest_of(RevokedToken{"jti-1", 1000}), reference);
  EXPECT_NE(digest_of(RevokedToken{"jti-2", 1000}), reference);
  EXPECT_NE(digest_of(RevokedToken{"jti-1", 1001}), reference);
}

}  // namespace
}  // namespace orderd
