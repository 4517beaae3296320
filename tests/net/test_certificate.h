// Self-signed certificates made while a test runs (nothing secret is kept
// in the tree): a key and a certificate for CN=localhost, valid for a day,
// written as PEM files.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace orderd::net::testing {

enum class KeyType { kEcP256, kRsa2048 };

// Writes a new key to `key_path` (encrypted with `passphrase` when one is
// given) and a certificate for it to `cert_path`.
inline void write_self_signed(const std::string& cert_path, const std::string& key_path,
                              KeyType type = KeyType::kEcP256, const char* passphrase = nullptr) {
  EVP_PKEY* key = type == KeyType::kEcP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) throw std::runtime_error("cannot make a test key");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24L * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());

  std::FILE* key_file = std::fopen(key_path.c_str(), "wb");
  std::FILE* cert_file = std::fopen(cert_path.c_str(), "wb");
  bool written = key_file != nullptr && cert_file != nullptr;
  if (written && passphrase != nullptr) {
    written = PEM_write_PrivateKey(key_file, key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                   const_cast<char*>(passphrase)) == 1;
  } else if (written) {
    written = PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  }
  written = written && PEM_write_X509(cert_file, cert) == 1;
  if (key_file != nullptr) std::fclose(key_file);
  if (cert_file != nullptr) std::fclose(cert_file);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!written) throw std::runtime_error("cannot write the test certificate");
}

}  // namespace orderd::net::testing
