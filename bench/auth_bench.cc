// What authenticating a request costs: a full signature check (a token seen
// for the first time on this thread), a cache hit (the same token again),
// and a hit after a revocation of another token (one set lookup), against
// the Argon2id hash of a login, for scale.
#include <benchmark/benchmark.h>

#include <memory>

#include "auth/authenticator.h"
#include "auth/password_hash.h"
#include "auth/token_issuer.h"

namespace {

using namespace orderd;

const std::string kSecret(32, 's');

struct Setup {
  TokenRevocations revocations;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::string header;

  Setup() {
    auth::JwtConfig config;
    config.secret = kSecret;
    std::string error;
    authenticator = std::make_unique<auth::Authenticator>(
        auth::TokenVerifier::create(config, &error), revocations);
    auth::TokenRequest request;
    request.role = auth::Role::kAdmin;
    request.subject = "ops";
    request.now = wall_clock_micros();
    header = "Bearer " + auth::issue_token(kSecret, request, &error)->token;
  }
};

void BM_VerifyTokenUncached(benchmark::State& state) {
  Setup s;
  for (auto _ : state) {
    auth::VerifiedTokenCache cache(1);
    benchmark::DoNotOptimize(s.authenticator->authenticate(s.header, wall_clock_micros(), cache));
  }
}
BENCHMARK(BM_VerifyTokenUncached);

void BM_AuthenticateCachedToken(benchmark::State& state) {
  Setup s;
  auth::VerifiedTokenCache cache;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.authenticator->authenticate(s.header, wall_clock_micros(), cache));
  }
}
BENCHMARK(BM_AuthenticateCachedToken);

void BM_AuthenticateCachedTokenAfterRevocations(benchmark::State& state) {
  Setup s;
  auth::VerifiedTokenCache cache;
  Micros later = wall_clock_micros() + Micros{3600} * 1'000'000;
  std::uint64_t n = 0;
  for (auto _ : state) {
    // Every request sees a new epoch: the slow path of a hit.
    state.PauseTiming();
    (void)s.revocations.revoke("other-" + std::to_string(n++), later, wall_clock_micros());
    state.ResumeTiming();
    benchmark::DoNotOptimize(s.authenticator->authenticate(s.header, wall_clock_micros(), cache));
  }
}
BENCHMARK(BM_AuthenticateCachedTokenAfterRevocations);

void BM_HashPassword(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(auth::hash_password("correct horse battery"));
}
BENCHMARK(BM_HashPassword)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
