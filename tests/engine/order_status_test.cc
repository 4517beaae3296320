#include "engine/order_status.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

namespace orderd {
namespace {

using S = OrderStatus;

const S kAll[] = {S::kPending,   S::kProcessing, S::kCompleted, S::kRejected,
                  S::kCancelled, S::kShipped,    S::kDelivered, S::kReturned};

static_assert(std::size(kAll) == kOrderStatusCount);

const std::set<std::pair<S, S>> kWorkerMoves = {
    {S::kPending, S::kProcessing},
    {S::kProcessing, S::kCompleted},
    {S::kPending, S::kRejected},
    {S::kProcessing, S::kRejected},
};

// Confirming (moving to Completed) is the clients' too; from Pending it is
// made as the two moves through Processing.
const std::set<std::pair<S, S>> kClientMoves = {
    {S::kPending, S::kCompleted},    {S::kProcessing, S::kCompleted}, {S::kPending, S::kCancelled},
    {S::kProcessing, S::kCancelled}, {S::kCompleted, S::kCancelled},  {S::kCompleted, S::kShipped},
    {S::kShipped, S::kDelivered},    {S::kDelivered, S::kReturned},
};

TEST(OrderStatusTest, EveryPairIsLegalExactlyWhenTheLifecycleSaysSo) {
  for (S from : kAll) {
    for (S to : kAll) {
      const bool by_worker = kWorkerMoves.count({from, to}) == 1;
      const bool by_client = kClientMoves.count({from, to}) == 1;
      EXPECT_EQ(is_legal_transition(from, to), by_worker || by_client)
          << status_name(from) << " -> " << status_name(to);
      EXPECT_EQ(is_client_transition(from, to), by_client)
          << status_name(from) << " -> " << status_name(to);
    }
  }
}

TEST(OrderStatusTest, EveryPairHasTheDocumentedStockEffect) {
  const std::map<std::pair<S, S>, StockEffect> effects = {
      {{S::kProcessing, S::kCompleted}, StockEffect::kConsume},
      {{S::kPending, S::kCompleted}, StockEffect::kConsume},
      {{S::kPending, S::kRejected}, StockEffect::kRelease},
      {{S::kProcessing, S::kRejected}, StockEffect::kRelease},
      {{S::kPending, S::kCancelled}, StockEffect::kRelease},
      {{S::kProcessing, S::kCancelled}, StockEffect::kRelease},
      {{S::kCompleted, S::kCancelled}, StockEffect::kGiveBack},
      {{S::kDelivered, S::kReturned}, StockEffect::kGiveBack},
  };
  for (S from : kAll) {
    for (S to : kAll) {
      auto it = effects.find({from, to});
      EXPECT_EQ(stock_effect(from, to), it == effects.end() ? StockEffect::kNone : it->second)
          << status_name(from) << " -> " << status_name(to);
    }
  }
}

TEST(OrderStatusTest, ClientNextStatusesListTheClientMovesInEnumOrder) {
  EXPECT_EQ(client_next_statuses(S::kPending), (std::vector<S>{S::kCompleted, S::kCancelled}));
  EXPECT_EQ(client_next_statuses(S::kProcessing), (std::vector<S>{S::kCompleted, S::kCancelled}));
  EXPECT_EQ(client_next_statuses(S::kCompleted), (std::vector<S>{S::kCancelled, S::kShipped}));
  EXPECT_EQ(client_next_statuses(S::kShipped), std::vector<S>{S::kDelivered});
  EXPECT_EQ(client_next_statuses(S::kDelivered), std::vector<S>{S::kReturned});
  EXPECT_TRUE(client_next_statuses(S::kReturned).empty());
  EXPECT_TRUE(client_next_statuses(S::kCancelled).empty());
}

TEST(OrderStatusTest, TerminalStatesHaveNoWayOut) {
  const std::set<S> terminal = {S::kRejected, S::kCancelled, S::kReturned};
  for (S s : kAll) EXPECT_EQ(is_terminal(s), terminal.count(s) == 1) << status_name(s);
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
  EXPECT_EQ(parse_status("shipped"), S::kShipped);
  EXPECT_EQ(parse_status("Delivered"), S::kDelivered);
  EXPECT_EQ(parse_status("returned"), S::kReturned);
  EXPECT_EQ(parse_status("ship"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
  EXPECT_EQ(status_name(S::kProcessing), "Processing");
}

TEST(OrderStatusTest, TheSeedsOtherSpellingsParseToTheirStatus) {
  EXPECT_EQ(parse_status("canceled"), S::kCancelled);
  EXPECT_EQ(parse_status("Canceled"), S::kCancelled);
  EXPECT_EQ(parse_status("cancelled"), S::kCancelled);
  EXPECT_EQ(parse_status("confirmed"), S::kCompleted);
  EXPECT_EQ(parse_status("CONFIRMED"), S::kCompleted);
  EXPECT_EQ(status_name(S::kCancelled), "Cancelled");
  EXPECT_EQ(status_name(S::kCompleted), "Completed");
}

}  // namespace
}  // namespace orderd
