#include "demo/demo_shop.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "base/random.h"

namespace orderd::demo {
namespace {

constexpr Micros kSecond = 1'000'000;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = 24 * kHour;

constexpr std::array<std::string_view, 16> kFirstNames = {
    "Olivia", "Liam",  "Emma",  "Noah",  "Ava",   "Elijah", "Sophia", "James",
    "Mia",    "Lucas", "Amara", "Kenji", "Priya", "Mateo",  "Zoe",    "Omar"};
constexpr std::array<std::string_view, 16> kLastNames = {
    "Smith", "Garcia", "Chen",  "Okafor",   "Schmidt", "Rossi",     "Tanaka", "Nguyen",
    "Brown", "Silva",  "Patel", "Kowalski", "Haddad",  "Johansson", "Kim",    "Dubois"};
struct City {
  std::string_view name;
  std::string_view state;
  std::string_view postal_code;
};
constexpr std::array<City, 8> kCities = {{{"New York", "NY", "10001"},
                                          {"Seattle", "WA", "98101"},
                                          {"Austin", "TX", "73301"},
                                          {"Chicago", "IL", "60601"},
                                          {"Denver", "CO", "80202"},
                                          {"Boston", "MA", "02108"},
                                          {"Miami", "FL", "33101"},
                                          {"Portland", "OR", "97201"}}};
constexpr std::array<std::string_view, 6> kStreets = {"Main St",  "Oak Ave",  "Pine St",
                                                      "Maple Dr", "Cedar Ln", "Elm St"};

constexpr CustomerId kSeedCustomer = 123;

CustomerInfo demo_customer(CustomerId id, Random& random, Micros now) {
  CustomerInfo c;
  c.id = id;
  c.external_ref = "cust_" + std::to_string(id);
  if (id == kSeedCustomer) {
    c.first_name = "John";
    c.last_name = "Doe";
    c.email = "john.doe@example.com";
    c.city = "New York";
  } else {
    c.first_name = kFirstNames[random.below(kFirstNames.size())];
    c.last_name = kLastNames[random.below(kLastNames.size())];
    std::string local = c.first_name + "." + c.last_name + std::to_string(id);
    std::transform(local.begin(), local.end(), local.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    c.email = local + "@example.com";
    c.city = kCities[random.below(kCities.size())].name;
  }
  c.name = c.first_name + " " + c.last_name;
  c.phone = "+1-555-" + std::to_string(1000 + id % 9000);
  c.member_since = now - 400 * kDay + static_cast<Micros>(random.below(30 * kDay));
  return c;
}

const City& city_named(std::string_view name) {
  for (const City& c : kCities) {
    if (c.name == name) return c;
  }
  return kCities[0];
}

// The statuses orders end in, weighted roughly like a shop's history.
OrderStatus demo_status(Random& random) {
  const std::uint64_t r = random.below(100);
  if (r < 45) return OrderStatus::kDelivered;
  if (r < 57) return OrderStatus::kShipped;
  if (r < 67) return OrderStatus::kCompleted;
  if (r < 78) return OrderStatus::kCancelled;
  if (r < 84) return OrderStatus::kReturned;
  if (r < 87) return OrderStatus::kRejected;
  if (r < 92) return OrderStatus::kProcessing;
  return OrderStatus::kPending;
}

OrderStatus seed_status(OrderSeq seq, OrderStatus drawn) {
  switch (seq) {
    case 1:
    case 123:
    case 125:
      return OrderStatus::kCompleted;
    case 124:
      return OrderStatus::kShipped;
    default:
      return drawn;
  }
}

// Stamps the path to `status` from `created`, each stage a plausible while
// after the last; stops (and lowers the status) where the next would be
// later than `now`.
void stamp_path(OrderSnapshot& o, OrderStatus status, Micros created, Micros now, Random& random) {
  using S = OrderStatus;
  auto after = [&](Micros base, Micros lo, Micros hi) {
    return base + lo + static_cast<Micros>(random.below(static_cast<std::uint64_t>(hi - lo)));
  };
  std::vector<std::pair<S, Micros>> path = {{S::kPending, created}};
  auto go = [&](S s, Micros lo, Micros hi) {
    path.emplace_back(s, after(path.back().second, lo, hi));
  };
  const bool early_cancel = status == S::kCancelled && random.below(2) == 0;
  if (status != S::kPending) go(S::kProcessing, kSecond, 30 * kSecond);
  if (status == S::kRejected) go(S::kRejected, kSecond, 10 * kSecond);
  const bool completes =
      status != S::kPending && status != S::kProcessing && status != S::kRejected && !early_cancel;
  if (completes) go(S::kCompleted, kMinute, 10 * kMinute);
  if (status == S::kShipped || status == S::kDelivered || status == S::kReturned) {
    go(S::kShipped, 6 * kHour, 2 * kDay);
  }
  if (status == S::kDelivered || status == S::kReturned) go(S::kDelivered, kDay, 7 * kDay);
  if (status == S::kReturned) go(S::kReturned, 2 * kDay, 20 * kDay);
  if (status == S::kCancelled) go(S::kCancelled, 10 * kMinute, kDay);
  // Cut what lies in the future; a cancelled or rejected end is all or nothing.
  while (path.size() > 1 && path.back().second >= now) path.pop_back();
  o.status = path.back().first;
  for (auto [s, at] : path) o.at[timestamp_index(reached_at(s))] = at;
  if (o.status == S::kCancelled) o.reason = "customer changed their mind";
  if (o.status == S::kReturned) o.reason = "did not fit";
  if (o.status == S::kRejected) o.reason = "payment declined";
}

OrderSnapshot demo_order(OrderSeq seq, const CustomerInfo& customer, Micros created, Micros now,
                         const Catalog& catalog, Random& random) {
  OrderSnapshot o;
  o.user_id = customer.id;
  const std::size_t products =
      std::max<std::size_t>(1, std::min<std::size_t>(catalog.size(), 1000));
  const std::size_t lines = 1 + random.below(4);
  Cents subtotal = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    const ProductId id = 1 + random.below(products);
    if (std::any_of(o.items.begin(), o.items.end(),
                    [id](const OrderItem& item) { return item.product_id == id; })) {
      continue;
    }
    // Now and then a bulk order, which earns the volume discount.
    const std::uint32_t quantity = random.below(20) == 0
                                       ? 11 + static_cast<std::uint32_t>(random.below(10))
                                       : 1 + static_cast<std::uint32_t>(random.below(3));
    o.items.push_back({id, quantity, 0});
    subtotal += catalog.price_of(id).value_or(0) * quantity;
  }
  OrderDetails d;
  d.customer_email = customer.email;
  const City& city = city_named(customer.city);
  Address a;
  a.line1 = std::to_string(1 + random.below(999)) + " " +
            std::string(kStreets[random.below(kStreets.size())]);
  a.city = city.name;
  a.state = city.state;
  a.postal_code = city.postal_code;
  a.country = "US";
  d.shipping_address = a;
  d.billing_address = a;
  d.tax = subtotal * 8 / 100;
  d.shipping = subtotal >= 5000 ? 0 : 599;
  const bool card = random.below(4) != 0;
  d.payment.method = card ? "credit_card" : "paypal";
  if (card) d.payment.last_four = std::to_string(1000 + random.below(9000));
  stamp_path(o, seed_status(seq, demo_status(random)), created, now, random);
  d.payment.status = o.status == OrderStatus::kPending    ? "pending"
                     : o.status == OrderStatus::kRejected ? "declined"
                     : o.status == OrderStatus::kReturned ? "refunded"
                                                          : "paid";
  o.details = std::move(d);
  return o;
}

}  // namespace

DemoShopResult load_demo_shop(Engine& engine, const DemoShopOptions& options) {
  DemoShopResult result;
  const Micros now = options.now != 0 ? options.now : wall_clock_micros();
  Random random(options.seed);
  std::vector<CustomerInfo> customers;
  for (CustomerId id = 1; id <= options.customers; ++id) {
    CustomerInfo c = demo_customer(id, random, now);
    auto added = engine.register_customer(c);
    if (!added || !added->ok()) {
      result.error = "cannot register demo customer " + std::to_string(id);
      return result;
    }
    customers.push_back(std::move(c));
    ++result.customers;
  }
  if (customers.empty()) return result;
  // Orders in creation order over the last year, so sequence follows time.
  const Micros year = 365 * kDay;
  for (OrderSeq seq = 1; seq <= options.orders; ++seq) {
    const Micros slot = year / static_cast<Micros>(options.orders);
    const Micros created =
        now - year + slot * static_cast<Micros>(seq - 1) + static_cast<Micros>(random.below(slot));
    const CustomerInfo& customer =
        seq == 123 || seq == 789
            ? customers[std::min<std::size_t>(kSeedCustomer, customers.size()) - 1]
            : customers[random.below(customers.size())];
    SubmitResult r =
        engine.import_order(demo_order(seq, customer, created, now, engine.catalog(), random));
    if (!r.ok()) {
      result.error = "cannot import demo order " + std::to_string(seq) + ": " + r.message;
      return result;
    }
    ++result.orders;
  }
  return result;
}

}  // namespace orderd::demo
