#include "loadgen/workload.h"

#include <gtest/gtest.h>

namespace orderd::loadgen {
namespace {

TEST(WorkloadTest, NamesRoundTrip) {
  for (Workload w : {Workload::kCreate, Workload::kStatus, Workload::kMixed, Workload::kPopulate}) {
    EXPECT_EQ(parse_workload(workload_name(w)), w);
  }
  EXPECT_FALSE(parse_workload("Create"));
  EXPECT_FALSE(parse_workload(""));
}

TEST(WorkloadTest, MixRatioParses) {
  EXPECT_EQ(parse_create_percent("80/20"), 80u);
  EXPECT_EQ(parse_create_percent("0/100"), 0u);
  EXPECT_EQ(parse_create_percent("100/0"), 100u);
  EXPECT_EQ(parse_create_percent("65"), 65u);
  EXPECT_FALSE(parse_create_percent("80/30"));
  EXPECT_FALSE(parse_create_percent("80/"));
  EXPECT_FALSE(parse_create_percent("-1/101"));
  EXPECT_FALSE(parse_create_percent("101"));
  EXPECT_FALSE(parse_create_percent("eighty/20"));
}

TEST(WorkloadTest, OnlyReadingWorkloadsNeedSeeds) {
  EXPECT_TRUE(needs_seeded_orders(Workload::kStatus));
  EXPECT_TRUE(needs_seeded_orders(Workload::kMixed));
  EXPECT_FALSE(needs_seeded_orders(Workload::kCreate));
  EXPECT_FALSE(needs_seeded_orders(Workload::kPopulate));
}

TEST(WorkloadTest, MixedFollowsTheRatio) {
  const RequestMix mix(Workload::kMixed, 80);
  Random random(11);
  int creates = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) {
    const RequestKind kind = mix.next(random);
    ASSERT_TRUE(kind == RequestKind::kCreate || kind == RequestKind::kStatus);
    creates += kind == RequestKind::kCreate;
  }
  EXPECT_NEAR(creates / double(kDraws), 0.8, 0.01);
}

TEST(WorkloadTest, SingleKindWorkloadsNeverVary) {
  Random random(1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(RequestMix(Workload::kCreate, 0).next(random), RequestKind::kCreate);
    EXPECT_EQ(RequestMix(Workload::kStatus, 100).next(random), RequestKind::kStatus);
    EXPECT_EQ(RequestMix(Workload::kPopulate, 50).next(random), RequestKind::kPopulate);
  }
  EXPECT_EQ(RequestMix(Workload::kMixed, 0).next(random), RequestKind::kStatus);
  EXPECT_EQ(RequestMix(Workload::kMixed, 100).next(random), RequestKind::kCreate);
}

}  // namespace
}  // namespace orderd::loadgen
