// `orderd token`: issues a token for an operator (or a customer) from the
// command line, signed with the same secret the server verifies with:
//
//   orderd token --role admin --subject alice --ttl 1h
//
// The secret comes from --jwt-secret-file, ORDERD_JWT_SECRET_FILE or
// ORDERD_JWT_SECRET, as for the server. Prints the token on stdout and its
// id (to revoke it by) and expiry on stderr.
#pragma once

#include <iosfwd>

namespace orderd::app {

// argv[0] is "token". Returns the process's exit code.
int run_token_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace orderd::app
