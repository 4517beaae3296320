#include "loadgen/run_options.h"

#include <cmath>
#include <random>

#include "base/duration.h"
#include "base/random.h"

namespace orderd::loadgen {

std::string validate(const RunOptions& o) {
  using namespace std::chrono_literals;
  if (o.url.host.empty()) return "the URL has no host";
  if (o.connections == 0) return "--connections must be at least 1";
  if (o.threads == 0) return "--threads must be at least 1";
  if (o.requests && *o.requests == 0) return "--requests must be at least 1";
  if (!o.requests && o.duration <= 0ns) return "--duration must be positive";
  if (!(o.rate >= 0) || !std::isfinite(o.rate)) return "--rate must be a positive number";
  if (o.warmup < 0ns) return "--warmup must not be negative";
  if (o.timeout <= 0ns) return "--timeout must be positive";
  if (o.users == 0) return "--users must be at least 1";
  if (o.products == 0) return "--products must be at least 1";
  if (o.items_per_order == 0) return "--items must be at least 1";
  if (!(o.zipf >= 0) || !std::isfinite(o.zipf)) return "--zipf must be 0 or more";
  if (o.create_percent > 100) return "--mix must add up to 100";
  if (needs_seeded_orders(o.workload) && o.seed_orders == 0) {
    return "--seed-orders must be at least 1 for the status and mixed workloads";
  }
  if (o.populate_entries == 0) return "--populate-entries must be at least 1";
  for (char c : o.run_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
      return "--run-id may hold only 0-9 and a-z";
    }
  }
  return "";
}

std::optional<std::chrono::nanoseconds> parse_run_duration(std::string_view text,
                                                           std::string* error) {
  constexpr DurationLimits kLimits{.bare_number_unit = std::chrono::seconds(1)};
  return parse_duration(text, error, kLimits);
}

std::string make_run_id() {
  std::random_device device;
  std::uint64_t mix =
      (std::uint64_t{device()} << 32) ^ device() ^
      static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  std::uint64_t value = Random::splitmix64(mix);
  constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(8, '0');
  for (char& c : id) {
    c = kDigits[value % kDigits.size()];
    value /= kDigits.size();
  }
  return id;
}

}  // namespace orderd::loadgen
