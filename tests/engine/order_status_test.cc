#include "engine/order_status.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace orderd {
namespace {

using S = OrderStatus;

const S kAll[] = {S::kPending, S::kProcessing, S::kCompleted, S::kRejected, S::kCancelled};

TEST(OrderStatusTest, EveryPairIsLegalExactlyWhenTheLifecycleSaysSo) {
  const std::set<std::pair<S, S>> legal = {
      {S::kPending, S::kProcessing}, {S::kProcessing, S::kCompleted},
      {S::kPending, S::kCancelled},  {S::kProcessing, S::kCancelled},
      {S::kPending, S::kRejected},   {S::kProcessing, S::kRejected},
  };
  for (S from : kAll) {
    for (S to : kAll) {
      EXPECT_EQ(is_legal_transition(from, to), legal.count({from, to}) == 1)
          << status_name(from) << " -> " << status_name(to);
    }
  }
}

TEST(OrderStatusTest, TerminalStatesHaveNoWayOut) {
  EXPECT_FALSE(is_terminal(S::kPending));
  EXPECT_FALSE(is_terminal(S::kProcessing));
  EXPECT_TRUE(is_terminal(S::kCompleted));
  EXPECT_TRUE(is_terminal(S::kRejected));
  EXPECT_TRUE(is_terminal(S::kCancelled));
}

TEST(OrderStatusTest, NoStateMayTransitionToItself) {
  for (S s : kAll) EXPECT_FALSE(is_legal_transition(s, s)) << status_name(s);
}

TEST(OrderStatusTest, OnlyPendingAndProcessingAreInFlight) {
  for (S s : kAll) {
    EXPECT_EQ(is_in_flight(s), s == S::kPending || s == S::kProcessing) << status_name(s);
  }
}

TEST(OrderStatusTest, NamesRoundTripCaseInsensitively) {
  for (S s : kAll) {
    EXPECT_EQ(parse_status(status_name(s)), s);
  }
  EXPECT_EQ(parse_status("completed"), S::kCompleted);
  EXPECT_EQ(parse_status("PENDING"), S::kPending);
  EXPECT_EQ(parse_status("shipped"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
  EXPECT_EQ(status_name(S::kProcessing), "Processing");
}

}  // namespace
}  // namespace orderd
