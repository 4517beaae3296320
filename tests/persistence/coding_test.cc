#include "persistence/coding.h"

#include <gtest/gtest.h>

#include <limits>

namespace orderd::persistence {
namespace {

TEST(CodingTest, IntegersAreLittleEndian) {
  std::string out;
  put_u32(&out, 0x04030201u);
  put_u64(&out, 0x0807060504030201ull);
  put_u16(&out, 0x0201);
  ASSERT_EQ(out.size(), 14u);
  EXPECT_EQ(out.substr(0, 4), std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(out.substr(4, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(out.substr(12), std::string("\x01\x02", 2));
}

TEST(CodingTest, ValuesRoundTrip) {
  std::string out;
  put_u8(&out, 0xAB);
  put_u16(&out, 0xFFFF);
  put_u32(&out, 0xDEADBEEF);
  put_u64(&out, std::numeric_limits<std::uint64_t>::max());
  put_i64(&out, -42);
  put_i64(&out, std::numeric_limits<std::int64_t>::min());
  put_string(&out, "text");
  put_string(&out, "");
  Decoder in(out);
  std::uint8_t u8;
  std::uint16_t u16;
  std::uint32_t u32;
  std::uint64_t u64;
  std::int64_t i64a, i64b;
  std::string_view s1, s2;
  ASSERT_TRUE(in.get_u8(&u8) && in.get_u16(&u16) && in.get_u32(&u32) && in.get_u64(&u64) &&
              in.get_i64(&i64a) && in.get_i64(&i64b) && in.get_string(&s1) && in.get_string(&s2));
  EXPECT_EQ(u8, 0xAB);
  EXPECT_EQ(u16, 0xFFFF);
  EXPECT_EQ(u32, 0xDEADBEEFu);
  EXPECT_EQ(u64, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(i64a, -42);
  EXPECT_EQ(i64b, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(s1, "text");
  EXPECT_EQ(s2, "");
  EXPECT_TRUE(in.done());
}

TEST(CodingTest, ShortInputFailsAndStaysFailed) {
  std::string out;
  put_u32(&out, 7);
  Decoder in(std::string_view(out).substr(0, 3));
  std::uint32_t v = 99;
  EXPECT_FALSE(in.get_u32(&v));
  EXPECT_EQ(v, 99u) << "a failed read leaves its output alone";
  std::uint8_t b = 0;
  EXPECT_FALSE(in.get_u8(&b)) << "a decoder that failed once stays failed";
  EXPECT_TRUE(in.failed());
  EXPECT_FALSE(in.done());
}

// Each width needs all of its bytes: one short fails and writes nothing.
template <typename T, typename Get>
void expect_one_byte_short_fails(Get get) {
  const std::string bytes(sizeof(T) - 1, '\x7f');
  Decoder in(bytes);
  T v = 99;
  EXPECT_FALSE((in.*get)(&v)) << sizeof(T) << " bytes";
  EXPECT_EQ(v, T{99});
  EXPECT_TRUE(in.failed());
}

TEST(CodingTest, EveryWidthNeedsAllItsBytes) {
  expect_one_byte_short_fails<std::uint16_t>(&Decoder::get_u16);
  expect_one_byte_short_fails<std::uint32_t>(&Decoder::get_u32);
  expect_one_byte_short_fails<std::uint64_t>(&Decoder::get_u64);
  expect_one_byte_short_fails<std::int64_t>(&Decoder::get_i64);
}

TEST(CodingTest, StringLongerThanItsInputFails) {
  std::string out;
  put_u32(&out, 100);  // claims 100 bytes
  out += "short";
  Decoder in(out);
  std::string_view s;
  EXPECT_FALSE(in.get_string(&s));
}

TEST(CodingTest, TrailingBytesMeanNotDone) {
  std::string out;
  put_u8(&out, 1);
  put_u8(&out, 2);
  Decoder in(out);
  std::uint8_t b;
  ASSERT_TRUE(in.get_u8(&b));
  EXPECT_FALSE(in.done());
  EXPECT_EQ(in.remaining(), 1u);
}

}  // namespace
}  // namespace orderd::persistence
