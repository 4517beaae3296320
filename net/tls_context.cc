#include "net/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace orderd::net {

namespace ssl = boost::asio::ssl;

namespace {

// The only cipher suites offered for TLS 1.2: ECDHE key exchange (forward
// secrecy) with AES-GCM or ChaCha20-Poly1305.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// A certificate chain or a key is a few kilobytes; more is another file
// given by mistake (or /dev/zero), refused rather than read to the end.
constexpr std::size_t kMaxPemBytes = 1 << 20;

// The whole file, read here rather than by OpenSSL so that a missing or
// unreadable file is reported as such, with the system's reason, not as a
// PEM routine's error.
std::string read_pem_file(const std::string& path, const char* what) {
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error("cannot read the TLS " + std::string(what) + " file '" + path +
                             "': " + why);
  };
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) fail(std::strerror(errno));
  std::string text;
  char block[16 << 10];
  std::size_t n = 0;
  while (text.size() <= kMaxPemBytes && (n = std::fread(block, 1, sizeof block, file)) > 0) {
    text.append(block, n);
  }
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) fail(std::strerror(read_errno));  // a directory, an I/O error
  if (text.size() > kMaxPemBytes) fail("larger than 1 MiB, so not a PEM file");
  return text;
}

// No passphrase can be typed into a server: an encrypted key fails to load
// instead of OpenSSL prompting on the terminal.
int no_passphrase(char*, int, int, void*) { return 0; }

// The first private key in `pem` (PKCS#8, or the traditional RSA and EC
// forms), or null. The caller frees it.
EVP_PKEY* parse_private_key(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  return key;
}

}  // namespace

TlsContext::TlsContext(const std::string& cert_file, const std::string& key_file)
    : context_(std::make_unique<ssl::context>(ssl::context::tls_server)) {
  SSL_CTX* ctx = context_->native_handle();
  // TLS 1.0 and 1.1 are deprecated (RFC 8996); SSL 3 and older are broken.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Compression leaks secrets through lengths (CRIME); renegotiation is a
  // way to make the server do handshakes over and over, and HTTP/1.1 never
  // needs it. TLS 1.3 has neither.
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    ERR_clear_error();
    throw std::runtime_error("this OpenSSL knows none of the TLS 1.2 ciphers orderd offers");
  }
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);  // for anything encrypted in the chain
  const std::string cert = read_pem_file(cert_file, "certificate");
  const std::string key = read_pem_file(key_file, "key");
  boost::system::error_code ec;
  context_->use_certificate_chain(boost::asio::buffer(cert), ec);
  if (ec) {
    ERR_clear_error();
    // Not PEM at all says nothing more than "PEM lib"; anything else (a key
    // too small for OpenSSL's security level, say) is worth repeating.
    const bool not_pem = ec.value() == static_cast<int>(ERR_R_PEM_LIB);
    throw std::runtime_error("cannot use the TLS certificate file '" + cert_file +
                             "': " + (not_pem ? std::string() : ec.message() + ": ") +
                             "expected a PEM certificate, followed by its chain if any");
  }
  // The key is parsed here, not by use_private_key, so that a key of another
  // certificate is reported as that rather than as a failure to load.
  EVP_PKEY* private_key = parse_private_key(key);
  if (private_key == nullptr) {
    ERR_clear_error();
    throw std::runtime_error("cannot use the TLS key file '" + key_file +
                             "': expected an unencrypted PEM private key");
  }
  const bool matches = X509_check_private_key(SSL_CTX_get0_certificate(ctx), private_key) == 1;
  const bool used = matches && SSL_CTX_use_PrivateKey(ctx, private_key) == 1;
  EVP_PKEY_free(private_key);
  ERR_clear_error();
  if (!matches) {
    throw std::runtime_error("the TLS key in '" + key_file +
                             "' is not the private key of the certificate in '" + cert_file + "'");
  }
  if (!used) throw std::runtime_error("OpenSSL refused the TLS key in '" + key_file + "'");
}

TlsContext::~TlsContext() = default;

}  // namespace orderd::net
