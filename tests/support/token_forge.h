// Tokens of every kind a client might send, good and bad, for the auth
// tests: signed with a secret or a private key generated for the test, or
// forged (alg "none", tampered, re-signed with another algorithm).
#pragma once

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace orderd::testing {

inline std::string base64url(std::string_view bytes) {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init");
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

// header.payload with no signature, as "alg": "none" tokens are.
inline std::string unsigned_token(std::string_view header_json, std::string_view claims_json) {
  return base64url(header_json) + "." + base64url(claims_json) + ".";
}

// `claims_json` signed by libjwt with `alg` and `key` (a secret, or a
// private key's PEM).
inline std::string signed_token(jwt_alg_t alg, std::string_view key,
                                const std::string& claims_json) {
  jwt_t* jwt = nullptr;
  if (jwt_new(&jwt) != 0) throw std::runtime_error("jwt_new");
  if (jwt_add_grants_json(jwt, claims_json.c_str()) != 0 ||
      jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    jwt_free(jwt);
    throw std::runtime_error("jwt setup");
  }
  char* encoded = jwt_encode_str(jwt);
  jwt_free(jwt);
  if (encoded == nullptr) throw std::runtime_error("jwt_encode_str");
  std::string token(encoded);
  std::free(encoded);
  return token;
}

struct KeyPair {
  std::string private_pem, public_pem;
};

// "RSA" (2048 bits) or "EC" (P-256), made fresh.
inline KeyPair generate_key_pair(std::string_view type) {
  EVP_PKEY* pkey = type == "RSA" ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  if (pkey == nullptr) throw std::runtime_error("key generation");
  auto to_pem = [pkey](bool private_part) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (private_part) {
      PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PUBKEY(bio, pkey);
    }
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return pem;
  };
  KeyPair pair{to_pem(true), to_pem(false)};
  EVP_PKEY_free(pkey);
  return pair;
}

// Claims as JSON, times in seconds since the epoch.
inline std::string claims(std::string_view sub, std::string_view role, long exp,
                          std::string_view extra = "") {
  std::string json = "{\"sub\":\"" + std::string(sub) + "\",\"role\":\"" + std::string(role) +
                     "\",\"exp\":" + std::to_string(exp);
  if (!extra.empty()) json += "," + std::string(extra);
  return json + "}";
}

}  // namespace orderd::testing
