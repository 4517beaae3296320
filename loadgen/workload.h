// What a run asks the server to do, and the choice of each next request.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/random.h"

namespace orderd::loadgen {

enum class Workload {
  kCreate,    // POST /orders/ with new orders
  kStatus,    // GET /orders/{id} of orders seeded before the run
  kMixed,     // creates and status reads at a fixed ratio
  kPopulate,  // POST /orders/populate, many server-made orders per request
};

enum class RequestKind : std::uint8_t {
  kCreate,
  kStatus,
  kPopulate,
  kSeed,  // a create whose order a later status request reads
};
inline constexpr std::size_t kRequestKindCount = 4;

std::string_view workload_name(Workload workload);
std::optional<Workload> parse_workload(std::string_view text);
std::string_view request_kind_name(RequestKind kind);

// Percent of creates among creates and status reads, from "C/S" such as
// "80/20" (C + S must be 100) or a single "C".
std::optional<unsigned> parse_create_percent(std::string_view text);

// True if the workload reads orders and so needs orders seeded first.
bool needs_seeded_orders(Workload workload);

// Picks the kind of the next request. Cheap and allocation-free.
class RequestMix {
 public:
  // create_percent is used by kMixed only (0..100).
  RequestMix(Workload workload, unsigned create_percent);
  RequestKind next(Random& random) const;

 private:
  Workload workload_;
  unsigned create_percent_;
};

}  // namespace orderd::loadgen
