#include "loadgen/workload.h"

#include <charconv>

namespace orderd::loadgen {
namespace {

std::optional<unsigned> parse_percent(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > 100) return std::nullopt;
  return value;
}

}  // namespace

std::string_view workload_name(Workload workload) {
  switch (workload) {
    case Workload::kCreate:
      return "create";
    case Workload::kStatus:
      return "status";
    case Workload::kMixed:
      return "mixed";
    case Workload::kPopulate:
      return "populate";
  }
  return "?";
}

std::optional<Workload> parse_workload(std::string_view text) {
  for (Workload w : {Workload::kCreate, Workload::kStatus, Workload::kMixed, Workload::kPopulate}) {
    if (text == workload_name(w)) return w;
  }
  return std::nullopt;
}

std::string_view request_kind_name(RequestKind kind) {
  switch (kind) {
    case RequestKind::kCreate:
      return "create";
    case RequestKind::kStatus:
      return "status";
    case RequestKind::kPopulate:
      return "populate";
    case RequestKind::kSeed:
      return "seed";
  }
  return "?";
}

std::optional<unsigned> parse_create_percent(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return parse_percent(text);
  const auto create = parse_percent(text.substr(0, slash));
  const auto status = parse_percent(text.substr(slash + 1));
  if (!create || !status || *create + *status != 100) return std::nullopt;
  return create;
}

bool needs_seeded_orders(Workload workload) {
  return workload == Workload::kStatus || workload == Workload::kMixed;
}

RequestMix::RequestMix(Workload workload, unsigned create_percent)
    : workload_(workload), create_percent_(create_percent > 100 ? 100 : create_percent) {}

RequestKind RequestMix::next(Random& random) const {
  switch (workload_) {
    case Workload::kCreate:
      return RequestKind::kCreate;
    case Workload::kStatus:
      return RequestKind::kStatus;
    case Workload::kPopulate:
      return RequestKind::kPopulate;
    case Workload::kMixed:
      return random.below(100) < create_percent_ ? RequestKind::kCreate : RequestKind::kStatus;
  }
  return RequestKind::kCreate;
}

}  // namespace orderd::loadgen
