#include "engine/state_digest.h"

#include <cstring>

namespace orderd {
namespace {

// The MurmurHash3 finalizer: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

void StateHasher::add(std::uint64_t value) {
  state_ = mix(state_ + value * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL);
}

void StateHasher::add(std::string_view bytes) {
  add(bytes.size());
  while (!bytes.empty()) {
    std::uint64_t word = 0;
    std::size_t n = bytes.size() < sizeof word ? bytes.size() : sizeof word;
    std::memcpy(&word, bytes.data(), n);
    add(word);
    bytes.remove_prefix(n);
  }
}

std::uint64_t StateHasher::value() const { return mix(state_ ^ 0x5BE0CD19137E2179ULL); }

std::uint64_t digest_of(const OrderSnapshot& o) {
  StateHasher h;
  h.add(o.seq);
  h.add(o.client_id);
  h.add(o.user_id);
  h.add(static_cast<std::uint64_t>(o.client_total));
  h.add(o.items.size());
  for (const auto& item : o.items) {
    h.add(item.product_id);
    h.add(item.quantity);
    h.add(static_cast<std::uint64_t>(item.unit_price));
  }
  h.add(static_cast<std::uint64_t>(o.catalog_subtotal));
  h.add(static_cast<std::uint64_t>(o.discount));
  h.add(static_cast<std::uint64_t>(o.status));
  for (Micros t : o.at) h.add(static_cast<std::uint64_t>(t));
  h.add(o.reason);
  h.add(o.details.has_value());
  if (o.details) {
    const OrderDetails& d = *o.details;
    for (std::string_view text :
         {std::string_view(d.customer_email), std::string_view(d.currency),
          std::string_view(d.metadata), std::string_view(d.payment.method),
          std::string_view(d.payment.status), std::string_view(d.payment.last_four)}) {
      h.add(text);
    }
    h.add(static_cast<std::uint64_t>(d.tax));
    h.add(static_cast<std::uint64_t>(d.shipping));
    for (const Address* a : {&d.shipping_address, &d.billing_address}) {
      for (const std::string* f :
           {&a->line1, &a->line2, &a->city, &a->state, &a->postal_code, &a->country}) {
        h.add(*f);
      }
    }
  }
  h.add(o.notes.size());
  for (const OrderNote& n : o.notes) {
    h.add(static_cast<std::uint64_t>(n.at));
    h.add(n.version);
    h.add(static_cast<std::uint64_t>(n.change));
    h.add(static_cast<std::uint64_t>(n.status));
    h.add(n.note);
  }
  return h.value();
}

std::uint64_t digest_of(const CustomerInfo& c) {
  StateHasher h;
  h.add(c.id);
  for (const std::string* f : {&c.external_ref, &c.name, &c.first_name, &c.last_name, &c.email,
                               &c.phone, &c.city, &c.password_hash}) {
    h.add(*f);
  }
  h.add(static_cast<std::uint64_t>(c.member_since));
  h.add(c.implicit);
  return h.value();
}

std::uint64_t digest_of(const RevokedToken& t) {
  StateHasher h;
  h.add(t.id);
  h.add(static_cast<std::uint64_t>(t.expires_at));
  return h.value();
}

std::uint64_t digest_of(const ProductInfo& p) {
  StateHasher h;
  h.add(p.id);
  h.add(p.name);
  h.add(p.sku);
  for (std::int64_t v :
       {p.price, p.available, p.initial, p.restocked, p.held, p.consumed, p.returned}) {
    h.add(static_cast<std::uint64_t>(v));
  }
  return h.value();
}

}  // namespace orderd
