#include "auth/token_verifier.h"

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <rapidjson/document.h>
#include <sodium.h>

#include <cmath>
#include <vector>

namespace orderd::auth {

struct TokenVerifier::PublicKey {
  std::string pem;
  jwt_alg_t alg = JWT_ALG_NONE;  // RS256 or ES256, by the key's type
};

namespace {

// The base64url text of a JWT part, decoded; false when it is not base64url.
bool decode_part(std::string_view part, std::string& out) {
  out.resize(part.size());  // decoding only shrinks
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), part.data(),
                        part.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != part.data() + part.size()) {
    return false;
  }
  out.resize(length);
  return true;
}

// Strict UTF-8, as libjwt's own parser is: a signed token whose JSON only
// RapidJSON's lenient default accepted would fail in jwt_decode() and be
// misreported as badly signed.
bool parse_object(const std::string& json, rapidjson::Document& doc) {
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  return !doc.HasParseError() && doc.IsObject();
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// A NumericDate claim as microseconds: absent is nullopt through `present`,
// present but not a finite number in range is a malformed token. The range
// ends in the year 33658, whose microseconds still fit in an int64 with
// room for the leeway.
bool read_date(const rapidjson::Value& claims, const char* name, bool& present, Micros& out) {
  const rapidjson::Value* v = member(claims, name);
  present = v != nullptr;
  if (!present) return true;
  if (!v->IsNumber()) return false;
  const double seconds = v->GetDouble();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e12) return false;
  out = static_cast<Micros>(seconds * 1e6);
  return true;
}

bool audience_matches(const rapidjson::Value* aud, const std::string& expected) {
  if (aud == nullptr) return false;
  if (aud->IsString()) return expected == aud->GetString();
  if (!aud->IsArray()) return false;
  for (const auto& each : aud->GetArray()) {
    if (each.IsString() && expected == each.GetString()) return true;
  }
  return false;
}

// A customer's subject is their id: decimal digits, no sign, no leading zero.
CustomerId parse_customer_id(std::string_view subject) {
  if (subject.empty() || subject.size() > 16 || subject[0] == '0') return 0;
  CustomerId id = 0;
  for (char c : subject) {
    if (c < '0' || c > '9') return 0;
    id = id * 10 + static_cast<CustomerId>(c - '0');
  }
  return id;
}

std::unique_ptr<TokenVerifier::PublicKey> load_public_key(const std::string& pem,
                                                          std::string* error);

}  // namespace

std::string_view token_error_message(TokenError error) {
  switch (error) {
    case TokenError::kNone:
      return "";
    case TokenError::kMalformed:
      return "the token is malformed";
    case TokenError::kAlgorithmRefused:
      return "the token's signing algorithm is not accepted";
    case TokenError::kBadSignature:
      return "the token's signature is invalid";
    case TokenError::kExpired:
      return "the token has expired";
    case TokenError::kNotYetValid:
      return "the token is not valid yet";
    case TokenError::kBadClaims:
      return "the token's claims are missing or invalid";
    case TokenError::kRevoked:
      return "the token has been revoked";
  }
  return "the token is invalid";
}

TokenVerifier::TokenVerifier(JwtConfig config, std::unique_ptr<PublicKey> key)
    : config_(std::move(config)), public_key_(std::move(key)) {}

TokenVerifier::~TokenVerifier() = default;

std::unique_ptr<TokenVerifier> TokenVerifier::create(JwtConfig config, std::string* error) {
  if (config.secret.empty() && config.public_key_pem.empty()) {
    *error = "JWT authentication needs a secret (HS256) or a public key (RS256, ES256)";
    return nullptr;
  }
  if (!config.secret.empty() && config.secret.size() < kMinSecretBytes) {
    *error = "the JWT secret must be at least 32 bytes (e.g. openssl rand -hex 32)";
    return nullptr;
  }
  std::unique_ptr<PublicKey> key;
  if (!config.public_key_pem.empty()) {
    key = load_public_key(config.public_key_pem, error);
    if (key == nullptr) return nullptr;
  }
  return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(config), std::move(key)));
}

VerifyResult TokenVerifier::verify(std::string_view token, Micros now) const {
  VerifyResult result;
  auto fail = [&result](TokenError e) {
    result.error = e;
    return result;
  };
  if (token.empty() || token.size() > kMaxTokenBytes) return fail(TokenError::kMalformed);
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return fail(TokenError::kMalformed);
  }
  std::string header_json, claims_json;
  rapidjson::Document header, claims;
  if (!decode_part(token.substr(0, dot1), header_json) || !parse_object(header_json, header) ||
      !decode_part(token.substr(dot1 + 1, dot2 - dot1 - 1), claims_json) ||
      !parse_object(claims_json, claims)) {
    return fail(TokenError::kMalformed);
  }
  const rapidjson::Value* alg = member(header, "alg");
  if (alg == nullptr || !alg->IsString()) return fail(TokenError::kMalformed);
  const std::string_view alg_name(alg->GetString(), alg->GetStringLength());

  // The key decides the algorithm; the token only names one.
  jwt_alg_t expected = JWT_ALG_NONE;
  const std::string* key = nullptr;
  if (alg_name == "HS256" && has_secret()) {
    expected = JWT_ALG_HS256;
    key = &config_.secret;
  } else if (public_key_ != nullptr &&
             ((alg_name == "RS256" && public_key_->alg == JWT_ALG_RS256) ||
              (alg_name == "ES256" && public_key_->alg == JWT_ALG_ES256))) {
    expected = public_key_->alg;
    key = &public_key_->pem;
  } else {
    return fail(TokenError::kAlgorithmRefused);
  }
  const std::string terminated(token);
  jwt_t* jwt = nullptr;
  const int rc =
      jwt_decode(&jwt, terminated.c_str(), reinterpret_cast<const unsigned char*>(key->data()),
                 static_cast<int>(key->size()));
  const bool signed_as_expected = rc == 0 && jwt != nullptr && jwt_get_alg(jwt) == expected;
  jwt_free(jwt);
  if (!signed_as_expected) return fail(TokenError::kBadSignature);

  const auto leeway = static_cast<Micros>(config_.leeway.count()) * 1'000'000;
  bool has_exp = false, has_nbf = false, has_iat = false;
  Micros exp = 0, nbf = 0, iat = 0;
  if (!read_date(claims, "exp", has_exp, exp) || !read_date(claims, "nbf", has_nbf, nbf) ||
      !read_date(claims, "iat", has_iat, iat) || !has_exp) {
    return fail(TokenError::kBadClaims);
  }
  if (now > exp + leeway) return fail(TokenError::kExpired);
  if ((has_nbf && nbf > now + leeway) || (has_iat && iat > now + leeway)) {
    return fail(TokenError::kNotYetValid);
  }
  const rapidjson::Value* sub = member(claims, "sub");
  const rapidjson::Value* role = member(claims, "role");
  const rapidjson::Value* jti = member(claims, "jti");
  if (sub == nullptr || !sub->IsString() || sub->GetStringLength() == 0 ||
      sub->GetStringLength() > 128 || role == nullptr || !role->IsString() ||
      (jti != nullptr && (!jti->IsString() || jti->GetStringLength() > 128))) {
    return fail(TokenError::kBadClaims);
  }
  const std::optional<Role> parsed_role =
      parse_role(std::string_view(role->GetString(), role->GetStringLength()));
  if (!parsed_role) return fail(TokenError::kBadClaims);
  if (!config_.issuer.empty()) {
    const rapidjson::Value* iss = member(claims, "iss");
    if (iss == nullptr || !iss->IsString() || config_.issuer != iss->GetString()) {
      return fail(TokenError::kBadClaims);
    }
  }
  if (!config_.audience.empty() && !audience_matches(member(claims, "aud"), config_.audience)) {
    return fail(TokenError::kBadClaims);
  }
  Principal& p = result.principal;
  p.role = *parsed_role;
  p.subject.assign(sub->GetString(), sub->GetStringLength());
  if (p.role == Role::kCustomer) {
    p.customer_id = parse_customer_id(p.subject);
    if (p.customer_id == 0) return fail(TokenError::kBadClaims);
  }
  if (jti != nullptr) p.token_id.assign(jti->GetString(), jti->GetStringLength());
  p.expires_at = exp;
  return result;
}

namespace {

std::unique_ptr<TokenVerifier::PublicKey> load_public_key(const std::string& pem,
                                                          std::string* error) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = bio == nullptr ? nullptr : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) {
    *error = "the JWT public key is not a PEM public key (-----BEGIN PUBLIC KEY-----)";
    return nullptr;
  }
  auto key = std::make_unique<TokenVerifier::PublicKey>();
  key->pem = pem;
  if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(pkey) < 2048) {
      *error = "the JWT public key is an RSA key shorter than 2048 bits";
      key.reset();
    } else {
      key->alg = JWT_ALG_RS256;
    }
  } else if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &length) == 1 &&
        std::string_view(group, length) == "prime256v1") {
      key->alg = JWT_ALG_ES256;
    } else {
      *error = "the JWT public key is an EC key not on P-256 (ES256 needs P-256)";
      key.reset();
    }
  } else {
    *error = "the JWT public key is neither RSA (RS256) nor EC P-256 (ES256)";
    key.reset();
  }
  EVP_PKEY_free(pkey);
  return key;
}

}  // namespace

}  // namespace orderd::auth
