#include "net/tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tests/net/test_certificate.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::net {
namespace {

using persistence::testing::TempDir;
using testing::KeyType;
using testing::write_self_signed;

// What TlsContext throws for these files; empty if it accepts them.
std::string refusal(const std::string& cert, const std::string& key) {
  try {
    TlsContext context(cert, key);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(TlsContextTest, AcceptsAMatchingCertificateAndKeyOfEitherKind) {
  TempDir dir;
  write_self_signed(dir.file("ec.pem"), dir.file("ec.key"), KeyType::kEcP256);
  write_self_signed(dir.file("rsa.pem"), dir.file("rsa.key"), KeyType::kRsa2048);
  EXPECT_EQ(refusal(dir.file("ec.pem"), dir.file("ec.key")), "");
  EXPECT_EQ(refusal(dir.file("rsa.pem"), dir.file("rsa.key")), "");
}

TEST(TlsContextTest, AllowsOnlyTls12AndLaterWithoutCompressionOrRenegotiation) {
  TempDir dir;
  write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
  TlsContext context(dir.file("cert.pem"), dir.file("key.pem"));
  SSL_CTX* ctx = context.native().native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(ctx), 0);  // the newest this OpenSSL has
  EXPECT_NE(SSL_CTX_get_options(ctx) & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_NE(SSL_CTX_get_options(ctx) & SSL_OP_NO_RENEGOTIATION, 0u);
  // TLS 1.2 offers only ECDHE with an AEAD cipher.
  SSL* ssl = SSL_new(ctx);
  ASSERT_NE(ssl, nullptr);
  STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(ssl);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    if (std::string_view(SSL_CIPHER_get_version(cipher)) == "TLSv1.3") continue;
    const std::string name = SSL_CIPHER_get_name(cipher);
    EXPECT_TRUE(name.starts_with("ECDHE-")) << name;
    EXPECT_TRUE(SSL_CIPHER_is_aead(cipher)) << name;
  }
  SSL_free(ssl);
}

TEST(TlsContextTest, AMissingOrUnreadableFileIsNamedWithTheSystemsReason) {
  TempDir dir;
  write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
  const std::string no_cert = refusal(dir.file("nothing.pem"), dir.file("key.pem"));
  EXPECT_NE(no_cert.find("certificate file '" + dir.file("nothing.pem") + "'"), std::string::npos)
      << no_cert;
  EXPECT_NE(no_cert.find("No such file or directory"), std::string::npos) << no_cert;
  const std::string no_key = refusal(dir.file("cert.pem"), dir.file("nothing.key"));
  EXPECT_NE(no_key.find("key file '" + dir.file("nothing.key") + "'"), std::string::npos) << no_key;
  const std::string directory = refusal(dir.path(), dir.file("key.pem"));
  EXPECT_NE(directory.find("Is a directory"), std::string::npos) << directory;
}

TEST(TlsContextTest, MalformedPemIsRefusedNamingTheFile) {
  TempDir dir;
  write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
  write_file(dir.file("junk.pem"), "not a certificate\n");
  write_file(dir.file("empty.pem"), "");
  write_file(dir.file("bad64.pem"),
             "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
  for (const char* name : {"junk.pem", "empty.pem", "bad64.pem"}) {
    const std::string cert = refusal(dir.file(name), dir.file("key.pem"));
    EXPECT_NE(cert.find("certificate file '" + dir.file(name) + "'"), std::string::npos) << cert;
    const std::string key = refusal(dir.file("cert.pem"), dir.file(name));
    EXPECT_NE(key.find("key file '" + dir.file(name) + "'"), std::string::npos) << key;
    EXPECT_NE(key.find("expected an unencrypted PEM private key"), std::string::npos) << key;
  }
  // The two files given the wrong way round.
  EXPECT_NE(refusal(dir.file("key.pem"), dir.file("cert.pem")), "");
}

TEST(TlsContextTest, AKeyOfAnotherCertificateIsRefusedNamingBoth) {
  TempDir dir;
  write_self_signed(dir.file("a.pem"), dir.file("a.key"));
  write_self_signed(dir.file("b.pem"), dir.file("b.key"));
  write_self_signed(dir.file("rsa.pem"), dir.file("rsa.key"), KeyType::kRsa2048);
  for (const char* other : {"b.key", "rsa.key"}) {
    const std::string why = refusal(dir.file("a.pem"), dir.file(other));
    EXPECT_NE(why.find("is not the private key of the certificate"), std::string::npos) << why;
    EXPECT_NE(why.find(dir.file(other)), std::string::npos) << why;
    EXPECT_NE(why.find(dir.file("a.pem")), std::string::npos) << why;
  }
}

TEST(TlsContextTest, AKeyBehindAPassphraseIsRefusedWithoutAPrompt) {
  TempDir dir;
  write_self_signed(dir.file("cert.pem"), dir.file("key.pem"), KeyType::kEcP256, "secret");
  const std::string why = refusal(dir.file("cert.pem"), dir.file("key.pem"));
  EXPECT_NE(why.find("expected an unencrypted PEM private key"), std::string::npos) << why;
}

TEST(TlsContextTest, AHugeFileIsNotReadToTheEnd) {
  TempDir dir;
  write_self_signed(dir.file("cert.pem"), dir.file("key.pem"));
  write_file(dir.file("huge.pem"), std::string((1 << 20) + 1, 'x'));
  const std::string why = refusal(dir.file("huge.pem"), dir.file("key.pem"));
  EXPECT_NE(why.find("larger than 1 MiB"), std::string::npos) << why;
}

}  // namespace
}  // namespace orderd::net
