#include "net/order_document.h"

#include <optional>
#include <string_view>
#include <utility>

#include "engine/order_number.h"

namespace orderd::net {
namespace {

void write_string_or_null(JsonWriter& w, std::string_view key, std::string_view value) {
  write_key(w, key);
  if (value.empty()) {
    w.Null();
  } else {
    write_string(w, value);
  }
}

void write_money_or_null(JsonWriter& w, std::string_view key, bool known, Cents amount) {
  if (known) {
    write_money_field(w, key, amount);
  } else {
    write_key(w, key);
    w.Null();
  }
}

void write_shipping_address(JsonWriter& w, const Address* a) {
  write_key(w, "shipping_address");
  if (a == nullptr || a->empty()) {
    w.Null();
  } else {
    w.StartObject();
    write_field(w, "line1", a->line1);
    write_string_or_null(w, "line2", a->line2);
    write_field(w, "city", a->city);
    write_field(w, "state", a->state);
    write_field(w, "postal_code", a->postal_code);
    write_field(w, "country", a->country);
    w.EndObject();
  }
  // Seed 001 shows the same address as flat columns.
  const Address none;
  const Address& flat = a != nullptr ? *a : none;
  write_string_or_null(w, "shipping_address_line1", flat.line1);
  write_string_or_null(w, "shipping_address_line2", flat.line2);
  write_string_or_null(w, "shipping_city", flat.city);
  write_string_or_null(w, "shipping_state", flat.state);
  write_string_or_null(w, "shipping_postal_code", flat.postal_code);
  write_string_or_null(w, "shipping_country", flat.country);
}

void write_billing_address(JsonWriter& w, const Address* a) {
  write_key(w, "billing_address");
  if (a == nullptr || a->empty()) {
    w.Null();
    return;
  }
  w.StartObject();
  write_field(w, "street", a->line1);
  if (!a->line2.empty()) write_field(w, "line2", a->line2);
  write_field(w, "city", a->city);
  write_field(w, "state", a->state);
  write_field(w, "postal_code", a->postal_code);
  write_field(w, "country", a->country);
  w.EndObject();
}

void write_payment(JsonWriter& w, const PaymentInfo* p) {
  write_key(w, "payment_info");
  if (p == nullptr || p->empty()) {
    w.Null();
    return;
  }
  w.StartObject();
  write_string_or_null(w, "method", p->method);
  write_string_or_null(w, "status", p->status);
  write_string_or_null(w, "last_four_digits", p->last_four);
  w.EndObject();
}

}  // namespace

void write_product_ref(JsonWriter& w, const Catalog& catalog, ProductId id) {
  std::optional<ProductInfo> p = catalog.get(id);
  if (p && !p->sku.empty()) {
    write_string(w, p->sku);
  } else {
    w.Uint64(id);
  }
}

void write_order_document(JsonWriter& w, const OrderSnapshot& o, const CustomerInfo* customer,
                          const Catalog& catalog, StatusSpelling spelling) {
  const OrderDetails* d = o.details ? &*o.details : nullptr;
  const Micros created = o.timestamp(OrderTimestamp::kCreated);
  // Managed orders are priced at acceptance, plain ones once processed.
  const bool priced = d != nullptr || o.timestamp(OrderTimestamp::kCompleted) != 0 ||
                      o.timestamp(OrderTimestamp::kRejected) != 0;

  w.StartObject();
  write_field(w, "id", o.client_id);
  write_field(w, "order_id", o.seq);
  write_field(w, "order_number", format_order_number(o.seq, created));
  write_key(w, "customer_id");
  if (customer != nullptr && !customer->external_ref.empty()) {
    write_string(w, customer->external_ref);
  } else {
    w.Uint64(o.user_id);
  }
  write_field(w, "user_id", o.user_id);
  std::string_view email = d != nullptr ? std::string_view(d->customer_email) : std::string_view();
  if (email.empty() && customer != nullptr) email = customer->email;
  write_string_or_null(w, "customer_email", email);
  write_key(w, "status");
  write_status(w, o.status, spelling);

  write_key(w, "items");
  w.StartArray();
  for (const OrderItem& item : o.items) {
    std::optional<ProductInfo> p = catalog.get(item.product_id);
    w.StartObject();
    write_key(w, "product_id");
    if (p && !p->sku.empty()) {
      write_string(w, p->sku);
    } else {
      w.Uint64(item.product_id);
    }
    write_string_or_null(w, "product_name", p ? std::string_view(p->name) : std::string_view());
    write_field(w, "quantity", item.quantity);
    const Cents line = item.unit_price * static_cast<Cents>(item.quantity);
    write_money_or_null(w, "unit_price", priced, item.unit_price);
    write_money_or_null(w, "total_price", priced, line);
    write_money_or_null(w, "subtotal", priced, line);
    w.EndObject();
  }
  w.EndArray();

  write_money_or_null(w, "subtotal", priced, o.catalog_subtotal);
  write_money_or_null(w, "discount_amount", priced, o.discount);
  write_money_field(w, "tax_amount", d != nullptr ? d->tax : 0);
  write_money_field(w, "shipping_amount", d != nullptr ? d->shipping : 0);
  write_money_field(w, "total_amount", d != nullptr ? o.grand_total() : o.client_total);
  write_field(w, "currency", d != nullptr ? std::string_view(d->currency) : kDefaultCurrency);

  write_shipping_address(w, d != nullptr ? &d->shipping_address : nullptr);
  write_billing_address(w, d != nullptr ? &d->billing_address : nullptr);
  write_payment(w, d != nullptr ? &d->payment : nullptr);
  write_key(w, "metadata");
  if (d != nullptr && !d->metadata.empty()) {
    // Checked to be one JSON object when it was accepted.
    w.RawValue(d->metadata.data(), d->metadata.size(), rapidjson::kObjectType);
  } else {
    w.Null();
  }

  write_field(w, "version", std::uint64_t{o.version()});
  write_timestamp_or_null_field(w, "created_at", created);
  write_timestamp_or_null_field(w, "order_date", created);
  write_timestamp_or_null_field(w, "updated_at", o.updated_at());
  constexpr std::pair<OrderTimestamp, std::string_view> kStages[] = {
      {OrderTimestamp::kProcessingStarted, "processing_started_at"},
      {OrderTimestamp::kCompleted, "completed_at"},
      {OrderTimestamp::kRejected, "rejected_at"},
      {OrderTimestamp::kShipped, "shipped_at"},
      {OrderTimestamp::kDelivered, "delivered_at"},
      {OrderTimestamp::kReturned, "returned_at"},
      {OrderTimestamp::kCancelled, "cancelled_at"},
  };
  for (auto [stage, name] : kStages) {
    if (Micros at = o.timestamp(stage); at != 0) write_timestamp_or_null_field(w, name, at);
  }
  if (!o.reason.empty()) write_field(w, "reason", o.reason);
  w.EndObject();
}

}  // namespace orderd::net
