#include "persistence/reporter.h"

#include <cstdio>

namespace orderd::persistence {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

Reporter stderr_reporter() {
  return [](Severity severity, const std::string& message) {
    std::string_view name = severity_name(severity);
    // One fprintf per line: stdio locks the stream, so lines never interleave.
    std::fprintf(stderr, "orderd persistence %.*s: %s\n", static_cast<int>(name.size()),
                 name.data(), message.c_str());
  };
}

}  // namespace orderd::persistence
