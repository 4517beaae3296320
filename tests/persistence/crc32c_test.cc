#include "persistence/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace orderd::persistence::crc32c {
namespace {

TEST(Crc32cTest, MatchesTheStandardCheckValue) {
  EXPECT_EQ(value("123456789"), 0xE3069283u);
  EXPECT_EQ(extend_portable(0, "123456789", 9), 0xE3069283u);
}

// The test vectors of RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32cTest, MatchesTheIscsiTestVectors) {
  char buf[32];
  std::memset(buf, 0, sizeof buf);
  EXPECT_EQ(value(buf, sizeof buf), 0x8A9136AAu);
  std::memset(buf, 0xFF, sizeof buf);
  EXPECT_EQ(value(buf, sizeof buf), 0x62A8AB43u);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
  EXPECT_EQ(value(buf, sizeof buf), 0x46DD794Eu);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
  EXPECT_EQ(value(buf, sizeof buf), 0x113FDB5Cu);
}

TEST(Crc32cTest, EmptyInputIsZero) { EXPECT_EQ(value("", 0), 0u); }

TEST(Crc32cTest, HardwareAndTableAgreeOnEveryLengthAndAlignment) {
  std::mt19937_64 rng(42);
  std::string data(300, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (std::size_t offset = 0; offset < 9; ++offset) {
    for (std::size_t length = 0; offset + length <= data.size(); length += 7) {
      EXPECT_EQ(value(data.data() + offset, length),
                extend_portable(0, data.data() + offset, length))
          << "offset " << offset << " length " << length;
    }
  }
  // Which of the two the library uses here, for the test report.
  RecordProperty("hardware_crc32", hardware_accelerated() ? "yes" : "no");
}

TEST(Crc32cTest, ExtendEqualsTheValueOfTheConcatenation) {
  std::string a = "hello ", b = "world, in several pieces";
  EXPECT_EQ(extend(value(a), b.data(), b.size()), value(a + b));
}

TEST(Crc32cTest, MaskChangesTheValueAndUnmaskRestoresIt) {
  std::uint32_t crc = value("foo");
  EXPECT_NE(mask(crc), crc);
  EXPECT_NE(mask(mask(crc)), crc);
  EXPECT_EQ(unmask(mask(crc)), crc);
  EXPECT_EQ(unmask(unmask(mask(mask(crc)))), crc);
}

}  // namespace
}  // namespace orderd::persistence::crc32c
