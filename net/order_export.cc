#include "net/order_export.h"

#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"
#include "engine/order_number.h"
#include "net/json_output.h"
#include "net/order_document.h"
#include "net/status_answers.h"
#include "net/time_format.h"
#include "views/order_views.h"

namespace orderd::net {
namespace {

constexpr std::size_t kBatch = 256;            // orders looked up per step
constexpr std::size_t kRowsPerStep = 1 << 16;  // rows read per step at most

// RFC 4180: a field with a comma, quote or line break is quoted, its
// quotes doubled.
void append_csv_text(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_csv_money(std::string& out, Cents amount) {
  char text[32];
  out.append(text, format_scaled_decimal(amount, 2, text));
}

void append_csv_instant(std::string& out, Micros at) {
  if (at == 0) return;
  char text[kIso8601Chars];
  out.append(text, format_iso8601(at, text));
}

class OrderExport final : public BodyStream {
 public:
  OrderExport(const Engine& engine, const views::OrderViews& views,
              const views::OrderFilter& filter, ExportFormat format)
      : engine_(engine), views_(views), filter_(filter), format_(format) {
    if (filter_.customer) customer_orders_ = views_.orders_of(*filter_.customer);
  }

  bool next(std::string& out) override {
    if (format_ == ExportFormat::kCsv && !header_sent_) {
      out.append(kCsvHeader);
      header_sent_ = true;
    }
    while (out.size() < kStreamPieceBytes) {
      if (batch_position_ == batch_.size()) {
        if (source_done_) return false;
        batch_.clear();
        batch_position_ = 0;
        source_done_ = !(filter_.customer ? next_of_customer() : next_of_all());
        continue;
      }
      append_order(out, batch_[batch_position_++]);
    }
    return !(source_done_ && batch_position_ == batch_.size());
  }

 private:
  // The next batch of matching seqs; false once none are left after it.
  bool next_of_all() {
    after_ = views_.next_matching(filter_, after_, kBatch, kRowsPerStep, batch_);
    return after_ != 0;
  }
  bool next_of_customer() {
    while (position_ < customer_orders_.size() && batch_.size() < kBatch) {
      const OrderSeq seq = customer_orders_[position_++];
      if (views_.matches(seq, filter_)) batch_.push_back(seq);
    }
    return position_ < customer_orders_.size();
  }

  void append_order(std::string& out, OrderSeq seq) {
    const std::optional<OrderSnapshot> o = engine_.get(OrderKey::by_seq(seq));
    if (!o) return;
    std::optional<CustomerInfo> customer;
    if (o->user_id != 0) customer = engine_.customers().get(o->user_id);
    if (format_ == ExportFormat::kJsonLines) {
      json_.Clear();
      writer_.Reset(json_);
      write_order_document(writer_, *o, customer ? &*customer : nullptr, engine_.catalog(),
                           StatusSpelling::kLowercase);
      out.append(json_.GetString(), json_.GetSize());
      out.push_back('\n');
      return;
    }
    append_csv_row(out, *o, customer ? &*customer : nullptr);
  }

  void append_csv_row(std::string& out, const OrderSnapshot& o, const CustomerInfo* customer) {
    const OrderDetails* d = o.details ? &*o.details : nullptr;
    out.append(std::to_string(o.seq)).push_back(',');
    append_csv_text(out, o.client_id);
    out.push_back(',');
    out.append(format_order_number(o.seq, o.timestamp(OrderTimestamp::kCreated))).push_back(',');
    out.append(std::to_string(o.user_id)).push_back(',');
    if (customer != nullptr && !customer->external_ref.empty()) {
      append_csv_text(out, customer->external_ref);
    } else if (o.user_id != 0) {
      out.append(std::to_string(o.user_id));
    }
    out.push_back(',');
    out.append(spelled_status(o.status, StatusSpelling::kLowercase)).push_back(',');
    append_csv_text(out, d != nullptr ? std::string_view(d->currency) : kDefaultCurrency);
    out.push_back(',');
    out.append(std::to_string(o.unit_count())).push_back(',');
    append_csv_money(out, o.catalog_subtotal);
    out.push_back(',');
    append_csv_money(out, d != nullptr ? d->tax : 0);
    out.push_back(',');
    append_csv_money(out, d != nullptr ? d->shipping : 0);
    out.push_back(',');
    append_csv_money(out, o.discount);
    out.push_back(',');
    append_csv_money(out, d != nullptr ? o.grand_total() : o.client_total);
    out.push_back(',');
    append_csv_instant(out, o.timestamp(OrderTimestamp::kCreated));
    out.push_back(',');
    append_csv_instant(out, o.updated_at());
    out.push_back(',');
    if (d != nullptr) append_csv_text(out, d->shipping_address.city);
    out.push_back('\n');
  }

  const Engine& engine_;
  const views::OrderViews& views_;
  const views::OrderFilter filter_;
  const ExportFormat format_;
  bool header_sent_ = false;
  OrderSeq after_ = 0;
  std::vector<OrderSeq> customer_orders_;
  std::size_t position_ = 0;
  std::vector<OrderSeq> batch_;  // matches found, written up to batch_position_
  std::size_t batch_position_ = 0;
  bool source_done_ = false;  // no matches beyond batch_
  JsonBuffer json_;
  JsonWriter writer_;
};

}  // namespace

std::shared_ptr<BodyStream> make_order_export(const Engine& engine, const views::OrderViews& views,
                                              const views::OrderFilter& filter,
                                              ExportFormat format) {
  return std::make_shared<OrderExport>(engine, views, filter, format);
}

}  // namespace orderd::net
