#include "engine/restore_result.h"

namespace orderd {

std::string_view restore_result_name(RestoreResult r) {
  switch (r) {
    case RestoreResult::kApplied:
      return "applied";
    case RestoreResult::kAlreadyApplied:
      return "already applied";
    case RestoreResult::kUnknownOrder:
      return "unknown order";
    case RestoreResult::kUnknownProduct:
      return "unknown product";
    case RestoreResult::kInconsistent:
      return "inconsistent with the state";
    case RestoreResult::kInvalid:
      return "invalid";
  }
  return "unknown";
}

}  // namespace orderd
