// Customers' passwords, kept only as Argon2id hashes (libsodium's
// crypto_pwhash_str): a salted, memory-hard hash in the PHC string form
// ("$argon2id$v=19$m=19456,t=2,p=1$..."), which carries its own
// parameters, so hashes made with other costs still verify.
//
// Hashing costs about 19 MiB and tens of milliseconds by design: call these
// on blocking threads, never on an I/O thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace orderd::auth {

inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxPasswordBytes = 128;

// Why `password` cannot be set ("must be at least 8 bytes"), or empty.
std::string_view password_problem(std::string_view password);

// The PHC string for `password` with a fresh random salt. Throws
// std::bad_alloc when the hash's memory cannot be had.
std::string hash_password(std::string_view password);

// Whether `password` matches `hash` (a string hash_password made, or any
// Argon2 PHC string). A malformed hash matches nothing.
bool verify_password(std::string_view hash, std::string_view password);

// Spends the time a verification takes, matching nothing: answering a
// login for an unknown account as slowly as for a known one keeps the
// timing from telling which accounts exist.
void burn_password_check(std::string_view password);

}  // namespace orderd::auth
