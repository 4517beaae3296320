// The server side of TLS: a certificate chain and its private key read from
// PEM files into an OpenSSL context, with only TLS 1.2 and 1.3 allowed, no
// compression, no renegotiation and, for TLS 1.2, only forward-secret AEAD
// ciphers (TLS 1.3's suites all are).
//
// The header is plain C++ so that including it costs nothing: the Asio SSL
// headers stay in tls_context.cc and http_connection.cc, which use the
// context itself.
//
// Thread safety: built once before the server starts; afterwards only
// read, by every I/O thread's connections at once (OpenSSL allows that).
#pragma once

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace orderd::net {

class TlsContext {
 public:
  // Reads both files. Throws std::runtime_error, naming the file and what is
  // wrong with it, if one cannot be read, is not PEM of the right kind, the
  // key is protected by a passphrase (nothing would be there to type it),
  // or the key is not the certificate's.
  TlsContext(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  boost::asio::ssl::context& native() { return *context_; }

 private:
  std::unique_ptr<boost::asio::ssl::context> context_;
};

}  // namespace orderd::net
