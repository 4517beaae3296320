// What a recovery-time restore call did. Recovery replays a journal whose
// first records may already be reflected in the snapshot it started from, so
// "already applied" is a normal answer, not an error.
#pragma once

#include <string_view>

namespace orderd {

enum class RestoreResult {
  kApplied,
  kAlreadyApplied,  // the state already holds this change: nothing done
  kUnknownOrder,
  kUnknownProduct,
  kInconsistent,  // the change contradicts the state (a damaged or foreign log)
  kInvalid,       // the data itself is out of range
};

std::string_view restore_result_name(RestoreResult r);

}  // namespace orderd
