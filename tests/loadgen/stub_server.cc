#include "tests/loadgen/stub_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <rapidjson/document.h>

#include <functional>

namespace orderd::loadgen::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct StubServer::State {
  explicit State(StubBehaviour b) : behaviour(b) {}
  StubBehaviour behaviour;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
};

class StubServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(StubServer& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->answer();
                     });
  }

 private:
  void answer() {
    const StubBehaviour& b = server_.state_->behaviour;
    const std::uint64_t number = ++server_.requests_;
    if (number == b.stall_at) std::this_thread::sleep_for(b.stall);
    if (number == b.hang_up_at) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.close();
      return;
    }
    ++answered_;
    response_ = {};
    response_.version(11);
    response_.set(http::field::content_type, "application/json");
    fill_response(b);
    const bool close = b.close_after > 0 && answered_ >= b.close_after;
    response_.keep_alive(!close && request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (close) {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->read();
                      });
  }

  void fill_response(const StubBehaviour& b) {
    const std::string target(request_.target());
    if (b.forced_status != 0) {
      response_.result(b.forced_status);
      response_.set(http::field::content_type, "text/plain");
      response_.body() = "forced";
      return;
    }
    if (request_.method() == http::verb::post && target.ends_with("/orders/populate")) {
      ++server_.populates_;
      response_.result(201);
      response_.body() =
          R"({"batch_id":"b","total_entries":100,"success_count":100,"failure_count":0,"errors":[]})";
      return;
    }
    if (request_.method() == http::verb::post && target.ends_with("/orders/")) {
      ++server_.creates_;
      rapidjson::Document body;
      body.Parse(request_.body().c_str());
      if (body.HasParseError() || !body.IsObject() || !body.HasMember("order_id") ||
          !body["order_id"].IsString()) {
        response_.result(400);
        response_.body() = R"({"error":"bad body"})";
        return;
      }
      const std::string id = body["order_id"].GetString();
      {
        std::lock_guard lock(server_.ids_mutex_);
        if (!server_.ids_.insert(id).second) ++server_.duplicates_;
      }
      response_.result(b.create_status);
      response_.body() = b.create_status == 201
                             ? R"({"message":"Order created","order_id":")" + id + "\"}"
                             : std::string(R"({"error":"refused by the stub"})");
      return;
    }
    constexpr std::string_view kStatusPrefix = "/orders/";
    if (request_.method() == http::verb::get && target.starts_with(kStatusPrefix)) {
      ++server_.status_reads_;
      const std::string id = target.substr(kStatusPrefix.size());
      bool known = false;
      {
        std::lock_guard lock(server_.ids_mutex_);
        known = server_.ids_.count(id) > 0;
      }
      if (!known) ++server_.unknown_reads_;
      response_.result(known ? 200 : 404);
      response_.body() = known ? R"({"order_id":")" + id + R"(","status":"Completed"})"
                               : std::string(R"({"error":"Order not found"})");
      return;
    }
    response_.result(404);
    response_.body() = R"({"error":"no such route"})";
  }

  StubServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  unsigned answered_ = 0;
};

namespace {

void accept_loop(tcp::acceptor& acceptor, const std::function<void(tcp::socket)>& on_socket) {
  acceptor.async_accept([&acceptor, &on_socket](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed: the server is stopping
    on_socket(std::move(socket));
    accept_loop(acceptor, on_socket);
  });
}

}  // namespace

StubServer::StubServer(StubBehaviour behaviour) : state_(std::make_unique<State>(behaviour)) {
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  port_ = state_->acceptor.local_endpoint().port();
  thread_ = std::thread([this] {
    const std::function<void(tcp::socket)> on_socket = [this](tcp::socket socket) {
      ++accepted_;
      std::make_shared<Session>(*this, std::move(socket))->read();
    };
    accept_loop(state_->acceptor, on_socket);
    state_->io.run();
  });
}

StubServer::~StubServer() {
  state_->io.stop();
  thread_.join();
}

std::set<std::string> StubServer::created_ids() const {
  std::lock_guard lock(ids_mutex_);
  return ids_;
}

std::uint64_t StubServer::duplicate_ids() const {
  std::lock_guard lock(ids_mutex_);
  return duplicates_;
}

}  // namespace orderd::loadgen::testing
