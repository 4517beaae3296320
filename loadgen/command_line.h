// orderload's command line: every flag, its help text, and the exit codes.
#pragma once

#include <iosfwd>
#include <optional>

#include "loadgen/run_options.h"

namespace orderd::loadgen {

inline constexpr int kExitUsage = 2;  // a bad flag or value

struct CommandLine {
  RunOptions options;
  // Set when the program should exit at once: 0 after --help, kExitUsage
  // after a bad flag or value (the message went to `err`).
  std::optional<int> exit_code;
};

CommandLine parse_command_line(int argc, const char* const* argv, std::ostream& out,
                               std::ostream& err);

}  // namespace orderd::loadgen
