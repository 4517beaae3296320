#include "net/admin_routes.h"

#include <future>
#include <utility>

#include "persistence/durability.h"

namespace orderd::net {

HandleOutcome take_snapshot(RequestContext& ctx, const HttpRequest& request) {
  persistence::Durability* durability = ctx.api.storage();
  if (durability == nullptr) {
    ctx.error(409, "snapshots need durable storage, and this server runs without it");
    return HandleOutcome::kDone;
  }
  if (!request.may_block) return HandleOutcome::kNeedsBlockingThread;
  // Written by the background snapshot thread, which runs at a lower CPU
  // priority than request handling; this blocking thread only waits.
  std::promise<std::pair<persistence::Status, persistence::SnapshotInfo>> written;
  durability->request_snapshot(
      [&written](const persistence::Status& status, const persistence::SnapshotInfo& info) {
        written.set_value({status, info});
      });
  const auto [s, info] = written.get_future().get();
  if (!s.ok()) {
    ctx.message.assign("snapshot failed: ");
    ctx.message.append(s.to_string());
    ctx.error(s.is_io_error() ? 503 : 500, ctx.message);
    return HandleOutcome::kDone;
  }
  JsonWriter& w = ctx.begin(201);
  w.StartObject();
  write_field(w, "file", info.file);
  write_field(w, "orders", info.orders);
  write_field(w, "products", info.products);
  write_field(w, "bytes", info.bytes);
  write_field(w, "covers_through_seq", info.replay_from_seq == 0 ? 0 : info.replay_from_seq - 1);
  write_seconds_field(w, "duration_seconds", info.total_micros);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
