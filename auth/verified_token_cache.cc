#include "auth/verified_token_cache.h"

#include <functional>

namespace orderd::auth {

VerifiedTokenCache::VerifiedTokenCache(std::size_t slots) : slots_(slots == 0 ? 1 : slots) {}

VerifiedTokenCache::Entry& VerifiedTokenCache::slot_for(std::string_view token) {
  return slots_[std::hash<std::string_view>{}(token) % slots_.size()];
}

VerifiedTokenCache::Entry* VerifiedTokenCache::find(std::string_view token, Micros now,
                                                    Micros leeway_micros) {
  Entry& e = slot_for(token);
  if (!e.used || e.token != token) return nullptr;
  if (now > e.principal.expires_at + leeway_micros) {
    e.used = false;
    return nullptr;
  }
  return &e;
}

VerifiedTokenCache::Entry& VerifiedTokenCache::insert(std::string_view token,
                                                      const Principal& principal,
                                                      std::uint64_t revocation_epoch) {
  Entry& e = slot_for(token);
  e.token.assign(token);
  e.principal = principal;
  e.revocation_epoch = revocation_epoch;
  e.used = true;
  return e;
}

}  // namespace orderd::auth
