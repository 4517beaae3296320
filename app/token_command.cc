#include "app/token_command.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <ostream>

#include "app/options.h"
#include "auth/token_issuer.h"
#include "base/duration.h"
#include "net/time_format.h"

namespace orderd::app {

int run_token_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"orderd token: issues a JWT signed with the server's HS256 secret.", "orderd token"};
  std::string role_text = "admin", subject, secret, secret_file, issuer, audience;
  std::chrono::seconds ttl{3600};
  app.add_option("--role", role_text, "admin or customer")->capture_default_str();
  app.add_option("--subject", subject,
                 "Who the token names: an operator's name, or a customer's id")
      ->required();
  app.add_option_function<std::string>(
         "--ttl",
         [&ttl](const std::string& text) {
           std::string why;
           const auto d = parse_duration(text, &why,
                                         {.min = std::chrono::seconds(1),
                                          .max = std::chrono::hours(720),
                                          .step = std::chrono::seconds(1)});
           if (!d) throw CLI::ValidationError("--ttl", why);
           ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
         },
         "Lifetime, e.g. 15m, 1h, 24h")
      ->default_str("1h");
  app.add_option("--jwt-secret", secret, "The HS256 secret")->envname("ORDERD_JWT_SECRET");
  app.add_option("--jwt-secret-file", secret_file, "File holding the HS256 secret")
      ->envname("ORDERD_JWT_SECRET_FILE");
  app.add_option("--jwt-issuer", issuer, "Sets \"iss\"")->envname("ORDERD_JWT_ISSUER");
  app.add_option("--jwt-audience", audience, "Sets \"aud\"")->envname("ORDERD_JWT_AUDIENCE");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err);
  }
  std::string error;
  if (!secret_file.empty() && !read_key_file(secret_file, secret, error)) {
    err << "orderd token: --jwt-secret-file: " << error << "\n";
    return 2;
  }
  if (secret.empty()) {
    err << "orderd token: no secret: pass --jwt-secret-file or set ORDERD_JWT_SECRET_FILE "
           "or ORDERD_JWT_SECRET, as for the server\n";
    return 2;
  }
  const std::optional<auth::Role> role = auth::parse_role(role_text);
  if (!role) {
    err << "orderd token: --role must be admin or customer, got '" << role_text << "'\n";
    return 2;
  }
  auth::TokenRequest request;
  request.role = *role;
  request.subject = subject;
  request.ttl = ttl;
  request.now = wall_clock_micros();
  request.issuer = issuer;
  request.audience = audience;
  const std::optional<auth::IssuedToken> issued = auth::issue_token(secret, request, &error);
  if (!issued) {
    err << "orderd token: " << error << "\n";
    return 2;
  }
  out << issued->token << "\n";
  char expires[net::kIso8601Chars];
  const std::size_t n = net::format_iso8601(issued->expires_at, expires);
  err << "token id (jti) " << issued->token_id << ", expires " << std::string_view(expires, n)
      << "\n";
  return 0;
}

}  // namespace orderd::app
