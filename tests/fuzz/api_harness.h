// The API as the fuzz targets drive it: an engine holding the demo shop
// (customers, orders in every status, a catalog), the read models, an Api
// and one handler, and the properties every answer must hold:
//   - no server error but 503 (a client can never cause a 500);
//   - a JSON answer is valid JSON, and a 4xx one is {"error": "..."};
//   - an answer of 4xx changed nothing: the engine reported no change to
//     the journal's stream, and (checked on every `digest_every`th such
//     answer, as it costs a walk over every order) its state digest is
//     the same as before.
// Workers are paused, so nothing changes between two requests but what
// the requests do. The engine is rebuilt once it holds many more orders,
// which keeps each run's cost flat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "net/http_message.h"

namespace orderd::fuzz {

class ApiHarness {
 public:
  // digest_every: 1 checks the digest after every 4xx answer.
  explicit ApiHarness(std::size_t digest_every);
  // The one a fuzz target keeps for its whole run: digest every 64th 4xx.
  static ApiHarness& shared();
  ~ApiHarness();

  // Answers `request` (again with may_block if the handler asks for a
  // blocking thread) and checks the properties above; aborts if one breaks.
  void answer(net::HttpRequest request);

 private:
  struct State;
  void rebuild();
  std::unique_ptr<State> state_;
  std::size_t digest_every_;
  std::size_t client_errors_ = 0;
};

}  // namespace orderd::fuzz
