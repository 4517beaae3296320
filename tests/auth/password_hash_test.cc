#include "auth/password_hash.h"

#include <gtest/gtest.h>

namespace orderd::auth {
namespace {

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const std::string hash = hash_password("correct horse battery");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(hash, ""));
}

TEST(PasswordHash, SaltsEveryHash) {
  EXPECT_NE(hash_password("same password"), hash_password("same password"));
}

TEST(PasswordHash, AMalformedHashMatchesNothing) {
  EXPECT_FALSE(verify_password("", "anything1"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "anything1"));
  EXPECT_FALSE(verify_password(std::string(1000, '$'), "anything1"));
}

TEST(PasswordHash, StatesTheLengthPolicy) {
  EXPECT_FALSE(password_problem("1234567").empty());
  EXPECT_TRUE(password_problem("12345678").empty());
  EXPECT_TRUE(password_problem(std::string(kMaxPasswordBytes, 'a')).empty());
  EXPECT_FALSE(password_problem(std::string(kMaxPasswordBytes + 1, 'a')).empty());
}

TEST(PasswordHash, BurningACheckMatchesNothingAndReturns) { burn_password_check("whatever-it-is"); }

}  // namespace
}  // namespace orderd::auth
