// Fuzz target: bearer tokens (HS256). With the first byte even, the rest
// is a token as a client sends it: whatever the verifier accepts must
// carry the HMAC-SHA256 of its first two parts under the secret (checked
// here with OpenSSL, apart from the verifier's own code) and a subject.
// With it odd, the rest is a header and a claims JSON separated by a
// newline, which this target signs correctly, so that the claims checks
// behind the signature are reached: when such a token is accepted, its
// claims are an object and its subject and role are their "sub" and "role".
// (Refusals are not judged: libjwt refuses some well-signed headers, such
// as a "typ" other than JWT, and those are reported as badly signed.)
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "auth/token_verifier.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using orderd::auth::TokenError;

const std::string kSecret = "fuzzing-secret-of-at-least-32-bytes!";
// Inside every token's validity when "exp" is far ahead: 2027-01-15.
constexpr orderd::Micros kNow = 1'800'000'000'000'000;

const orderd::auth::TokenVerifier& verifier() {
  static const std::unique_ptr<orderd::auth::TokenVerifier> v = [] {
    std::string error;
    orderd::auth::JwtConfig config;
    config.secret = kSecret;
    auto created = orderd::auth::TokenVerifier::create(config, &error);
    FUZZ_CHECK(created != nullptr, "verifier: %s", error.c_str());
    return created;
  }();
  return *v;
}

std::string base64url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const unsigned char c : bytes) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kAlphabet[(bits >> count) & 63];
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
  return out;
}

std::string hmac_sha256(std::string_view signed_part) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
       &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

void check_client_token(std::string_view token) {
  const orderd::auth::VerifyResult result = verifier().verify(token, kNow);
  if (result.error != TokenError::kNone) {
    FUZZ_CHECK(!orderd::auth::token_error_message(result.error).empty(), "no message");
    return;
  }
  const std::size_t last_dot = token.rfind('.');
  FUZZ_CHECK(last_dot != std::string_view::npos, "accepted a token without parts");
  FUZZ_CHECK(token.substr(last_dot + 1) == base64url(hmac_sha256(token.substr(0, last_dot))),
             "accepted a token not signed with the secret: %.*s", static_cast<int>(token.size()),
             token.data());
  FUZZ_CHECK(!result.principal.subject.empty(), "accepted a token without a subject");
}

void check_signed_claims(std::string_view rest) {
  const std::size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return;
  const std::string header(rest.substr(0, newline));
  const std::string claims(rest.substr(newline + 1));
  const std::string signed_part = base64url(header) + "." + base64url(claims);
  const std::string token = signed_part + "." + base64url(hmac_sha256(signed_part));
  const orderd::auth::VerifyResult result = verifier().verify(token, kNow);
  if (result.error != TokenError::kNone) return;
  rapidjson::Document json;
  json.Parse(claims.c_str(), claims.size());
  FUZZ_CHECK(!json.HasParseError() && json.IsObject(), "accepted claims that are not an object");
  FUZZ_CHECK(json.HasMember("sub") && json["sub"].IsString() &&
                 result.principal.subject ==
                     std::string_view(json["sub"].GetString(), json["sub"].GetStringLength()),
             "the subject is not the claims' sub");
  FUZZ_CHECK(json.HasMember("role") && json["role"].IsString() &&
                 orderd::auth::role_name(result.principal.role) == json["role"].GetString(),
             "the role is not the claims' role");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > orderd::auth::kMaxTokenBytes) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    check_client_token(rest);
  } else {
    check_signed_claims(rest);
  }
  return 0;
}
