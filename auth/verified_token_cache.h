// Tokens already verified, so that a client sending the same token on every
// request pays for one signature check, not one per request. One cache per
// thread (no locks): a direct-mapped table keyed by a hash of the whole
// token, compared in full on a hit.
//
// A hit still ends at the token's expiry: entries carry "exp" and find()
// refuses them after it (plus the leeway). Revocation is the caller's
// (Authenticator): entries remember the revocation epoch they were last
// checked at.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "engine/types.h"

namespace orderd::auth {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t slots = 512);

  struct Entry {
    std::string token;
    Principal principal;
    std::uint64_t revocation_epoch = 0;
    bool used = false;
  };

  // The entry for `token`, unless absent or expired at `now` by more than
  // `leeway_micros`. The pointer is valid until the next insert().
  Entry* find(std::string_view token, Micros now, Micros leeway_micros);
  // Replaces whatever held the token's slot; the entry is valid until the
  // next insert().
  Entry& insert(std::string_view token, const Principal& principal, std::uint64_t revocation_epoch);

 private:
  Entry& slot_for(std::string_view token);

  std::vector<Entry> slots_;
};

}  // namespace orderd::auth
