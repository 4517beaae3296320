#include "auth/password_hash.h"

#include <sodium.h>

#include <mutex>
#include <new>
#include <stdexcept>

namespace orderd::auth {
namespace {

// OWASP's Argon2id baseline: 19 MiB, two passes, one lane.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  });
}

}  // namespace

std::string_view password_problem(std::string_view password) {
  if (password.size() < kMinPasswordBytes) return "must be at least 8 bytes";
  if (password.size() > kMaxPasswordBytes) return "must be at most 128 bytes";
  return {};
}

std::string hash_password(std::string_view password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  init_sodium();
  // crypto_pwhash_str_verify reads a NUL-terminated string of bounded length.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char terminated[crypto_pwhash_STRBYTES] = {};
  hash.copy(terminated, hash.size());
  return crypto_pwhash_str_verify(terminated, password.data(), password.size()) == 0;
}

void burn_password_check(std::string_view password) {
  static const std::string decoy = hash_password("not-a-password-of-anyone");
  (void)verify_password(decoy, password);
}

}  // namespace orderd::auth
