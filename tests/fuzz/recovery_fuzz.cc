// Fuzz target: a data directory holding one journal segment (sealed:
// record_sealer.h), recovered into an empty engine. Recovery succeeds or
// fails with a status, never more; and it is idempotent: recovering again
// what the first recovery left (it may have cut a torn tail) cuts nothing
// more and rebuilds the same state.
#include <cstddef>
#include <cstdint>
#include <string>

#include "persistence/data_files.h"
#include "persistence/recovery.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_engine.h"
#include "tests/fuzz/memory_file_system.h"
#include "tests/fuzz/record_sealer.h"

namespace {

constexpr const char* kDir = "/data";

struct Recovered {
  orderd::persistence::Status status;
  orderd::persistence::RecoveryResult result;
  std::uint64_t digest = 0;
};

Recovered recover(orderd::fuzz::MemoryFileSystem& fs) {
  Recovered r;
  const auto engine = orderd::fuzz::make_fuzz_engine();
  orderd::persistence::RecoveryOptions options;
  options.now = orderd::fuzz::kFuzzClock;
  r.status = orderd::persistence::recover(fs, kDir, options, *engine, &r.result);
  if (r.status.ok()) r.digest = engine->state_digest(orderd::fuzz::kFuzzClock);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  orderd::fuzz::MemoryFileSystem fs;
  const std::string segment = std::string(kDir) + "/" + orderd::persistence::journal_file_name(1);
  fs.files()[segment] = orderd::fuzz::sealed_file(data, size);
  const Recovered first = recover(fs);
  if (!first.status.ok()) {
    FUZZ_CHECK(!first.status.to_string().empty(), "a failure without a message");
    return 0;
  }
  const Recovered second = recover(fs);
  FUZZ_CHECK(second.status.ok(), "the second recovery failed: %s",
             second.status.to_string().c_str());
  FUZZ_CHECK(second.result.truncated_bytes == 0, "the second recovery cut %llu more bytes",
             static_cast<unsigned long long>(second.result.truncated_bytes));
  FUZZ_CHECK(second.digest == first.digest, "the second recovery rebuilt another state");
  FUZZ_CHECK(second.result.next_seq == first.result.next_seq, "next_seq %llu then %llu",
             static_cast<unsigned long long>(first.result.next_seq),
             static_cast<unsigned long long>(second.result.next_seq));
  return 0;
}
