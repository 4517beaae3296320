// Where persistence tells its owner what it found and did: torn tails cut,
// snapshots skipped, I/O errors. LevelDB's log::Reader::Reporter plays the
// same role; the owner decides where messages go (a log, stderr, a test).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace orderd::persistence {

enum class Severity { kInfo, kWarning, kError };

std::string_view severity_name(Severity s);

// Called from whichever thread noticed (recovery, the journal writer, the
// snapshot thread); implementations must be thread-safe and quick.
using Reporter = std::function<void(Severity, const std::string& message)>;

// Writes "orderd persistence <severity>: <message>" lines to stderr.
Reporter stderr_reporter();

}  // namespace orderd::persistence
