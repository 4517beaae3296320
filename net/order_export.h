// GET /api/v1/orders/export's body: every order a listing filter takes, in
// acceptance order, as JSON lines (one order document per line, as the
// listing shows it) or CSV (a header row, then one row per order), sent as
// a stream (body_stream.h): a piece of about kStreamPieceBytes at a time,
// so ten million orders are exported with one piece in memory.
//
// An order changed while the export runs is written as it is when its turn
// comes; orders accepted meanwhile are included if the export has not yet
// passed their place.
#pragma once

#include <memory>
#include <string_view>

#include "engine/engine.h"
#include "net/body_stream.h"
#include "views/order_query.h"

namespace orderd::views {
class OrderViews;
}

namespace orderd::net {

enum class ExportFormat { kJsonLines, kCsv };

inline constexpr std::string_view kJsonLinesContentType = "application/x-ndjson";
inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8";

// The CSV columns, in order.
inline constexpr std::string_view kCsvHeader =
    "order_id,id,order_number,user_id,customer_id,status,currency,units,subtotal,tax_amount,"
    "shipping_amount,discount_amount,total_amount,created_at,updated_at,shipping_city\n";

// `engine` and `views` must outlive the stream (they outlive every
// connection).
std::shared_ptr<BodyStream> make_order_export(const Engine& engine, const views::OrderViews& views,
                                              const views::OrderFilter& filter,
                                              ExportFormat format);

}  // namespace orderd::net
