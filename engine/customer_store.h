// Customers: registered ones, and the implicit ones that plain orders name
// by user id alone. Looked up by id, by email (case-insensitive, unique) and
// by an external reference such as "cust_123" (unique).
//
// Ids are what orders carry as user_id. A registration takes the next id
// above every id seen; an order for an unknown user id creates a bare,
// implicit customer with that id (not reported to the sink: replaying the
// order recreates it identically).
//
// Thread safety: every method may be called from any thread. Registration
// is serialized by one mutex; lookups by id take only their shard's lock, so
// the order hot path (ensure) never waits behind a registration on another
// shard.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/restore_result.h"
#include "engine/types.h"

namespace orderd {

class EventSink;

using CustomerId = UserId;

struct CustomerInfo {
  CustomerId id = 0;
  std::string external_ref;  // "cust_123"; may be empty
  std::string name;          // the full name; "first last" when only those were given
  std::string first_name;
  std::string last_name;
  std::string email;  // may be empty only for implicit customers
  std::string phone;
  std::string city;
  Micros member_since = 0;
  bool implicit = false;  // created by an order, never registered
  // The customer's password, already hashed by the auth layer (an Argon2id
  // hash in PHC string form, "$argon2id$v=19$m=..."); empty: no password.
  // Opaque here: the engine never sees a password. Kept and journaled like
  // every other field, but never to be shown: no response, no log line.
  std::string password_hash;

  friend bool operator==(const CustomerInfo&, const CustomerInfo&) = default;
};

enum class AddCustomerError {
  kNone,
  kEmailTaken,
  kReferenceTaken,
  kIdTaken,  // only when the caller chose the id
};

struct AddCustomerResult {
  AddCustomerError error = AddCustomerError::kNone;
  CustomerId id = 0;
  std::uint64_t durable_token = 0;  // the sink's position of the record (0: none)
  bool ok() const { return error == AddCustomerError::kNone; }
};

class CustomerStore {
 public:
  CustomerStore();
  ~CustomerStore();
  CustomerStore(const CustomerStore&) = delete;
  CustomerStore& operator=(const CustomerStore&) = delete;

  // Registers `customer` (its id, if 0, is assigned; member_since must be
  // set) and reports it to the sink while the registration lock is held, so
  // records of one email or id arrive in the order they were decided, and
  // before it is visible, so its record precedes that of any order naming it.
  AddCustomerResult add(CustomerInfo customer) EXCLUDES(registry_mutex_);

  // The implicit customer for a plain order's user id: creates it with
  // `member_since` = `at` if no customer has the id, and moves an implicit
  // customer's `member_since` back to `at` if that is earlier, so it is the
  // earliest order's whatever order the calls come in. Cheap when it exists
  // and is not younger than `at`.
  void ensure(CustomerId id, Micros at) EXCLUDES(registry_mutex_);

  std::optional<CustomerInfo> get(CustomerId id) const;
  std::optional<CustomerInfo> find_by_email(std::string_view email) const EXCLUDES(registry_mutex_);
  std::optional<CustomerInfo> find_by_reference(std::string_view ref) const
      EXCLUDES(registry_mutex_);
  // Customers with id > `after`, ascending, at most `limit`.
  std::vector<CustomerInfo> list(CustomerId after, std::size_t limit) const
      EXCLUDES(registry_mutex_);
  std::size_t size() const EXCLUDES(registry_mutex_);

  void set_event_sink(EventSink* sink) { sink_.store(sink, std::memory_order_release); }

  // Recovery: inserts a recorded customer as it is; kAlreadyApplied if the
  // id exists with the same fields, kInconsistent if with others.
  RestoreResult restore(const CustomerInfo& customer) EXCLUDES(registry_mutex_);

  // Visits every customer in id order; fn returns false to stop.
  void for_each(const std::function<bool(const CustomerInfo&)>& fn) const EXCLUDES(registry_mutex_);

 private:
  struct Shard;
  static constexpr std::size_t kShards = 64;
  Shard& shard_for(CustomerId id) const;
  // Whether the indexes would take `customer`: the error if one refuses it.
  AddCustomerError check_locked(const CustomerInfo& customer) const REQUIRES(registry_mutex_);
  // Inserts a customer check_locked() accepted into the indexes.
  void publish_locked(CustomerInfo customer) REQUIRES(registry_mutex_);
  // check_locked(), then publish_locked() if it passed.
  AddCustomerError insert_locked(CustomerInfo customer) REQUIRES(registry_mutex_);

  std::unique_ptr<Shard[]> shards_;
  std::atomic<EventSink*> sink_{nullptr};

  mutable Mutex registry_mutex_;  // taken before a shard's lock, if both are
  std::map<CustomerId, bool> ids_ GUARDED_BY(registry_mutex_);  // every id, for paging
  std::unordered_map<std::string, CustomerId> by_email_ GUARDED_BY(registry_mutex_);  // lowercased
  std::unordered_map<std::string, CustomerId> by_reference_ GUARDED_BY(registry_mutex_);
  CustomerId next_id_ GUARDED_BY(registry_mutex_) = 1;
};

// The email as it is compared: ASCII letters lowercased.
std::string normalized_email(std::string_view email);

}  // namespace orderd
