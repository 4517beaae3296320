#include "net/home_page.h"

namespace orderd::net {
namespace {

// Kept as one literal so it can be read and edited as the HTML it is.
constexpr std::string_view kPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orderd shop</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  form { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; margin-bottom: 1.5rem; }
  label { display: block; margin: 0.4rem 0; }
  input, select { margin-left: 0.4rem; }
  .row { margin: 0.3rem 0; }
  pre { background: #f4f4f4; padding: 0.6rem; white-space: pre-wrap; min-height: 1.2rem; }
  .error { color: #a00; }
</style>
</head>
<body>
<h1>orderd shop</h1>

<form id="register">
  <h2>Register customer</h2>
  <label>Name <input name="name" required maxlength="200"></label>
  <label>Email <input name="email" type="email" required maxlength="254"></label>
  <label>Phone number <input name="phone_number" maxlength="32"></label>
  <button type="submit">Register</button>
  <pre aria-live="polite"></pre>
</form>

<form id="order">
  <h2>Place order</h2>
  <label>Customer id <input name="customer_id" type="number" min="1" required></label>
  <div id="items">
    <div class="row">Product id <input class="product" type="number" min="1" required>
      Quantity <input class="quantity" type="number" min="1" value="1" required></div>
  </div>
  <button type="button" id="add-item">Add product</button>
  <button type="submit">Place order</button>
  <pre aria-live="polite"></pre>
</form>

<form id="status">
  <h2>Update order status</h2>
  <label>Order id <input name="order_id" type="number" min="1" required></label>
  <label>Status
    <select name="status">
      <option>shipped</option><option>delivered</option>
      <option>returned</option><option>cancelled</option><option>completed</option>
    </select></label>
  <button type="submit">Update</button>
  <pre aria-live="polite"></pre>
</form>

<script>
"use strict";
async function send(form, method, path, body) {
  const out = form.querySelector("pre");
  out.className = "";
  out.textContent = "...";
  try {
    const response = await fetch(path, {
      method: method,
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)
    });
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
    out.className = response.ok ? "" : "error";
    out.textContent = response.status + " " + response.statusText + "\n" + shown;
  } catch (e) {
    out.className = "error";
    out.textContent = String(e);
  }
}

document.getElementById("register").addEventListener("submit", (event) => {
  event.preventDefault();
  const f = event.target;
  const e = f.elements;  // f.name would be the form's own name
  const body = {name: e.name.value, email: e.email.value};
  if (e.phone_number.value !== "") body.phone_number = e.phone_number.value;
  send(f, "POST", "/register_customer", body);
});

document.getElementById("add-item").addEventListener("click", () => {
  const rows = document.getElementById("items");
  const row = rows.firstElementChild.cloneNode(true);
  row.querySelector(".product").value = "";
  row.querySelector(".quantity").value = "1";
  rows.appendChild(row);
});

document.getElementById("order").addEventListener("submit", (event) => {
  event.preventDefault();
  const f = event.target;
  const items = [];
  for (const row of document.querySelectorAll("#items .row")) {
    items.push({product_id: Number(row.querySelector(".product").value),
                quantity: Number(row.querySelector(".quantity").value)});
  }
  send(f, "POST", "/place_order",
       {customer_id: Number(f.elements.customer_id.value), items: items});
});

document.getElementById("status").addEventListener("submit", (event) => {
  event.preventDefault();
  const f = event.target;
  send(f, "PATCH", "/update_order_status",
       {order_id: Number(f.elements.order_id.value), status: f.elements.status.value});
});
</script>
</body>
</html>
)html";

}  // namespace

std::string_view home_page_html() { return kPage; }

void home_page(RequestContext& ctx) {
  ctx.response->status = 200;
  ctx.response->content_type = kHtmlContentType;
  ctx.response->body = kPage;
}

}  // namespace orderd::net
