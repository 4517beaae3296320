#include "engine/customer_store.h"

#include <algorithm>

#include "engine/event_sink.h"

namespace orderd {

struct CustomerStore::Shard {
  mutable SharedMutex mutex;
  std::unordered_map<CustomerId, CustomerInfo> customers GUARDED_BY(mutex);
};

std::string normalized_email(std::string_view email) {
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

CustomerStore::CustomerStore() : shards_(std::make_unique<Shard[]>(kShards)) {}

CustomerStore::~CustomerStore() = default;

CustomerStore::Shard& CustomerStore::shard_for(CustomerId id) const {
  return shards_[(id * 0x9E3779B97F4A7C15ULL) >> 58];
}

AddCustomerError CustomerStore::check_locked(const CustomerInfo& customer) const {
  std::string email = normalized_email(customer.email);
  if (!email.empty() && by_email_.contains(email)) return AddCustomerError::kEmailTaken;
  if (!customer.external_ref.empty() && by_reference_.contains(customer.external_ref)) {
    return AddCustomerError::kReferenceTaken;
  }
  Shard& shard = shard_for(customer.id);
  ReaderMutexLock lock(shard.mutex);
  if (shard.customers.contains(customer.id)) return AddCustomerError::kIdTaken;
  return AddCustomerError::kNone;
}

void CustomerStore::publish_locked(CustomerInfo customer) {
  std::string email = normalized_email(customer.email);
  if (!email.empty()) by_email_.emplace(std::move(email), customer.id);
  if (!customer.external_ref.empty()) by_reference_.emplace(customer.external_ref, customer.id);
  ids_.emplace(customer.id, true);
  next_id_ = std::max(next_id_, customer.id + 1);
  const CustomerId id = customer.id;
  Shard& shard = shard_for(id);
  MutexLock lock(shard.mutex);
  shard.customers.emplace(id, std::move(customer));
}

AddCustomerError CustomerStore::insert_locked(CustomerInfo customer) {
  if (AddCustomerError e = check_locked(customer); e != AddCustomerError::kNone) return e;
  publish_locked(std::move(customer));
  return AddCustomerError::kNone;
}

AddCustomerResult CustomerStore::add(CustomerInfo customer) {
  AddCustomerResult result;
  MutexLock lock(registry_mutex_);
  const bool chosen = customer.id != 0;
  while (true) {
    if (!chosen) customer.id = next_id_;
    result.error = check_locked(customer);
    // An implicit customer took the next id meanwhile: try the one after.
    if (result.error == AddCustomerError::kIdTaken && !chosen) {
      next_id_ = customer.id + 1;
      continue;
    }
    break;
  }
  if (!result.ok()) return result;
  result.id = customer.id;
  // Reported before it is visible, so that its record precedes the record of
  // any order naming it: replay would otherwise create the id as an implicit
  // customer first. Every insert holds registry_mutex_, so nothing can take
  // the id or email meanwhile.
  if (EventSink* sink = sink_.load(std::memory_order_acquire)) {
    result.durable_token = sink->customer_added(customer);
  }
  publish_locked(std::move(customer));
  return result;
}

void CustomerStore::ensure(CustomerId id, Micros at) {
  Shard& shard = shard_for(id);
  {
    ReaderMutexLock lock(shard.mutex);
    auto it = shard.customers.find(id);
    if (it != shard.customers.end() && (!it->second.implicit || it->second.member_since <= at)) {
      return;
    }
  }
  MutexLock lock(registry_mutex_);
  {
    MutexLock shard_lock(shard.mutex);
    auto it = shard.customers.find(id);
    if (it != shard.customers.end()) {
      // An implicit customer is as old as the earliest order naming it,
      // whichever of them got here first: a function of the orders alone, so
      // replaying them in any order (a snapshot's is not the live one)
      // recreates it exactly.
      if (it->second.implicit) it->second.member_since = std::min(it->second.member_since, at);
      return;
    }
  }
  CustomerInfo implicit;
  implicit.id = id;
  implicit.member_since = at;
  implicit.implicit = true;
  publish_locked(std::move(implicit));  // registry_mutex_ held: the id is still free
}

std::optional<CustomerInfo> CustomerStore::get(CustomerId id) const {
  Shard& shard = shard_for(id);
  ReaderMutexLock lock(shard.mutex);
  auto it = shard.customers.find(id);
  if (it == shard.customers.end()) return std::nullopt;
  return it->second;
}

std::optional<CustomerInfo> CustomerStore::find_by_email(std::string_view email) const {
  CustomerId id = 0;
  {
    MutexLock lock(registry_mutex_);
    auto it = by_email_.find(normalized_email(email));
    if (it == by_email_.end()) return std::nullopt;
    id = it->second;
  }
  return get(id);
}

std::optional<CustomerInfo> CustomerStore::find_by_reference(std::string_view ref) const {
  CustomerId id = 0;
  {
    MutexLock lock(registry_mutex_);
    auto it = by_reference_.find(std::string(ref));
    if (it == by_reference_.end()) return std::nullopt;
    id = it->second;
  }
  return get(id);
}

std::vector<CustomerInfo> CustomerStore::list(CustomerId after, std::size_t limit) const {
  std::vector<CustomerId> ids;
  {
    MutexLock lock(registry_mutex_);
    for (auto it = ids_.upper_bound(after); it != ids_.end() && ids.size() < limit; ++it) {
      ids.push_back(it->first);
    }
  }
  std::vector<CustomerInfo> out;
  out.reserve(ids.size());
  for (CustomerId id : ids) {
    if (auto c = get(id)) out.push_back(std::move(*c));
  }
  return out;
}

std::size_t CustomerStore::size() const {
  MutexLock lock(registry_mutex_);
  return ids_.size();
}

RestoreResult CustomerStore::restore(const CustomerInfo& customer) {
  if (customer.id == 0) return RestoreResult::kInvalid;
  MutexLock lock(registry_mutex_);
  if (auto existing = get(customer.id)) {
    return *existing == customer ? RestoreResult::kAlreadyApplied : RestoreResult::kInconsistent;
  }
  return insert_locked(customer) == AddCustomerError::kNone ? RestoreResult::kApplied
                                                            : RestoreResult::kInconsistent;
}

void CustomerStore::for_each(const std::function<bool(const CustomerInfo&)>& fn) const {
  CustomerId after = 0;
  while (true) {
    std::vector<CustomerInfo> page = list(after, 1024);
    if (page.empty()) return;
    for (const CustomerInfo& c : page) {
      if (!fn(c)) return;
    }
    after = page.back().id;
  }
}

}  // namespace orderd
