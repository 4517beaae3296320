// When the journal calls fdatasync, and so what an acknowledgement promises.
//
//   always       every batch is synced before its records are acknowledged:
//                an acknowledged record survives a crash of the process, of
//                the OS and a power loss. The default.
//   interval:D   batches are acknowledged once written to the OS and synced
//                at most every D (1ms to 1m, in base/duration.h's grammar;
//                a bare number is milliseconds, so interval:10 and
//                interval:10ms agree): a process crash loses nothing
//                acknowledged; an OS crash or power loss can lose the last
//                D (plus one sync's duration) of acknowledged records.
//   never        acknowledged once written to the OS, synced only when a
//                segment is closed or a snapshot needs it: an OS crash or
//                power loss can lose whatever the kernel had not yet written
//                back (on Linux typically up to about 30 s).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace orderd::persistence {

struct FsyncPolicy {
  enum class Mode { kAlways, kInterval, kNever };

  Mode mode = Mode::kAlways;
  std::chrono::milliseconds interval{0};  // kInterval only; > 0

  static FsyncPolicy always() { return {}; }
  static FsyncPolicy every(std::chrono::milliseconds interval) {
    return {Mode::kInterval, interval};
  }
  static FsyncPolicy never() { return {Mode::kNever, {}}; }

  // Accepts "always", "never" and "interval:<duration>" ("interval:10ms",
  // or "interval:10" in milliseconds). On failure returns nullopt and fills
  // `error`.
  static std::optional<FsyncPolicy> parse(std::string_view text, std::string* error);
  // "always", "never" or "interval:<ms>", which parse() reads back.
  std::string to_string() const;

  // Whether a record is acknowledged only after it was synced.
  bool acknowledges_after_sync() const { return mode == Mode::kAlways; }

  friend bool operator==(const FsyncPolicy&, const FsyncPolicy&) = default;
};

}  // namespace orderd::persistence
