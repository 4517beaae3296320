#include "engine/order_number.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

constexpr Micros kJan21 = 1'768'953'600'000'000;  // 2026-01-21T00:00:00Z

TEST(OrderNumberTest, HoldsTheCreationDateAndTheSequenceInBase36) {
  EXPECT_EQ(format_order_number(1, kJan21), "ORD-20260121-000001");
  EXPECT_EQ(format_order_number(36, kJan21 + 86'399'999'999), "ORD-20260121-000010");
  EXPECT_EQ(format_order_number(2'176'782'335, kJan21), "ORD-20260121-ZZZZZZ");
  EXPECT_EQ(format_order_number(2'176'782'336, kJan21), "ORD-20260121-1000000");
}

TEST(OrderNumberTest, ParsingGivesBackTheSequenceInAnyCase) {
  for (OrderSeq seq : {OrderSeq{1}, OrderSeq{123}, OrderSeq{99'999'999}, OrderSeq{1} << 40}) {
    EXPECT_EQ(order_number_seq(format_order_number(seq, kJan21)), seq);
  }
  EXPECT_EQ(order_number_seq("ORD-20260121-00003f"), 36 * 3 + 15);
}

TEST(OrderNumberTest, MalformedNumbersNameNoSequence) {
  for (const char* bad : {"", "ORD-", "ORD-2026012-000001", "ORD-20260121000001",
                          "ORD-20260121-00001", "ORD-2026O121-000001", "ORD-20260121-0000-1",
                          "XRD-20260121-000001", "ORD-20260121-1234567890123"}) {
    EXPECT_FALSE(order_number_seq(bad)) << bad;
  }
}

}  // namespace
}  // namespace orderd
