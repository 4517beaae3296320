#include "persistence/journal_sink.h"

#include <string>

#include "persistence/record_codec.h"

namespace orderd::persistence {
namespace {

// One encoding buffer per thread, reused: no allocation once it has grown.
std::string& scratch() {
  thread_local std::string buffer;
  buffer.clear();
  return buffer;
}

}  // namespace

DurableToken JournalSink::order_accepted(const Order& order) {
  std::string& payload = scratch();
  encode_order(order, &payload);
  return journal_.append(format::RecordType::kOrderAccepted, payload);
}

DurableToken JournalSink::order_status_changed(const Order& order, OrderStatus /*from*/,
                                               bool by_client) {
  std::string& payload = scratch();
  encode_status_change(order, by_client, &payload);
  return journal_.append(format::RecordType::kOrderStatusChanged, payload);
}

DurableToken JournalSink::order_updated(const Order& order) {
  std::string& payload = scratch();
  encode_order_update(order, &payload);
  return journal_.append(format::RecordType::kOrderUpdated, payload);
}

DurableToken JournalSink::customer_added(const CustomerInfo& customer) {
  std::string& payload = scratch();
  encode_customer(customer, &payload);
  return journal_.append(format::RecordType::kCustomerAdded, payload);
}

DurableToken JournalSink::product_added(const ProductInfo& product) {
  std::string& payload = scratch();
  encode_product(product, &payload);
  return journal_.append(format::RecordType::kProductAdded, payload);
}

DurableToken JournalSink::product_restocked(ProductId id, std::int64_t quantity,
                                            std::int64_t restocked_total) {
  std::string& payload = scratch();
  encode_restock({id, quantity, restocked_total}, &payload);
  return journal_.append(format::RecordType::kProductRestocked, payload);
}

DurableToken JournalSink::idempotency_recorded(std::string_view key, std::uint64_t fingerprint,
                                               unsigned status, std::string_view body,
                                               std::string_view etag, Micros created_at) {
  // A record recovery would refuse as malformed would stop every later start.
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes || status < 100 || status > 599) {
    return 0;
  }
  std::string& payload = scratch();
  encode_idempotency_reply({key, fingerprint, status, body, etag, created_at}, &payload);
  return journal_.append(format::RecordType::kIdempotencyReply, payload);
}

DurableToken JournalSink::token_revoked(std::string_view jti, Micros expires_at) {
  // A record recovery would refuse as malformed would stop every later start.
  if (!valid_token_id(jti) || expires_at <= 0) return 0;
  std::string& payload = scratch();
  encode_revocation({jti, expires_at}, &payload);
  return journal_.append(format::RecordType::kTokenRevoked, payload);
}

}  // namespace orderd::persistence
