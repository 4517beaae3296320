// Fuzz target: snapshot files (sealed: record_sealer.h). A file that
// verifies loads into an empty engine or is refused with a status, and a
// loaded one holds exactly the orders and products the verification
// counted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "persistence/snapshot.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_engine.h"
#include "tests/fuzz/record_sealer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = orderd::fuzz::sealed_file(data, size);
  orderd::persistence::SnapshotSummary summary;
  if (!orderd::persistence::verify_snapshot(file, &summary).ok()) return 0;
  const auto engine = orderd::fuzz::make_fuzz_engine();
  orderd::persistence::SnapshotLoadResult result;
  const orderd::persistence::Status loaded =
      orderd::persistence::load_snapshot(file, *engine, orderd::fuzz::kFuzzClock, &result);
  if (!loaded.ok()) {
    FUZZ_CHECK(!loaded.to_string().empty(), "a refusal without a message");
    return 0;
  }
  std::uint64_t orders = 0;
  engine->for_each_order([&](const orderd::Order&) {
    ++orders;
    return true;
  });
  FUZZ_CHECK(orders == summary.orders, "loaded %llu orders, verified %llu",
             static_cast<unsigned long long>(orders),
             static_cast<unsigned long long>(summary.orders));
  FUZZ_CHECK(engine->catalog().size() == summary.products, "loaded %zu products, verified %llu",
             engine->catalog().size(), static_cast<unsigned long long>(summary.products));
  FUZZ_CHECK(
      result.idempotency_restored + result.idempotency_expired <= summary.idempotency_replies,
      "more replies restored than verified");
  return 0;
}
