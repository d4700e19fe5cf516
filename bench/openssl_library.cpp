// OpenSSL's side of the TLS benchmark: libssl with memory BIOs, configured to do the same work
// as keel — TLS 1.3 only, one suite, X25519, the client verifying the chain and the host name.
// Two settings differ from OpenSSL's defaults, both to keep the work equal, not to slow it:
// the server issues no session tickets and keeps no session cache (keel's server does neither
// yet; tickets would cost OpenSSL an extra encryption and message per handshake).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "tls_library.hpp"

namespace keel::bench {
namespace {

bool report(const char* what) {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  std::fprintf(stderr, "OpenSSL: %s: %s\n", what, reason);
  ERR_clear_error();
  return false;
}

[[noreturn]] void fatal(const std::string& what) {
  report(what.c_str());
  std::exit(1);
}

struct SslDeleter {
  void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

struct CtxDeleter {
  void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxDeleter>;

/// An SSL object with a memory BIO for what it receives and one for what it sends.
struct Endpoint {
  SslPtr ssl;
  BIO* in = nullptr;   // owned by ssl
  BIO* out = nullptr;  // owned by ssl
};

Endpoint make_endpoint(SSL_CTX* ctx) {
  Endpoint endpoint{SslPtr(SSL_new(ctx))};
  endpoint.in = BIO_new(BIO_s_mem());
  endpoint.out = BIO_new(BIO_s_mem());
  SSL_set_bio(endpoint.ssl.get(), endpoint.in, endpoint.out);
  return endpoint;
}

void take_output(const Endpoint& from, Wire& wire) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(from.out, &data);
  if (size > 0) {
    wire.insert(wire.end(), data, data + size);
    (void)BIO_reset(from.out);
  }
}

bool put_input(const Endpoint& to, ByteView bytes) {
  return bytes.empty() || BIO_write(to.in, bytes.data(), static_cast<int>(bytes.size())) ==
                              static_cast<int>(bytes.size());
}

/// Runs the handshake as far as it goes; false on a failure (not on "wants more input").
bool step(const Endpoint& endpoint) {
  const int rc = SSL_do_handshake(endpoint.ssl.get());
  if (rc == 1) {
    return true;
  }
  const int error = SSL_get_error(endpoint.ssl.get(), rc);
  return error == SSL_ERROR_WANT_READ || report("SSL_do_handshake");
}

class OpenSslPair final : public ConnectedPair {
 public:
  OpenSslPair(Endpoint client, Endpoint server)
      : client_(std::move(client)), server_(std::move(server)) {}

  bool send(ByteView data, Wire& wire) override {
    while (!data.empty()) {
      const int piece = static_cast<int>(std::min(data.size(), kWriteSize));
      if (SSL_write(client_.ssl.get(), data.data(), piece) != piece) {
        return report("SSL_write");
      }
      take_output(client_, wire);
      data = data.subspan(static_cast<std::size_t>(piece));
    }
    return true;
  }

  bool receive(const Wire& wire, MutableByteView out) override {
    constexpr std::size_t kNetworkRead = 65536;  // what one recv() would bring
    std::size_t filled = 0;
    for (std::size_t at = 0; at < wire.size(); at += kNetworkRead) {
      if (!put_input(server_,
                     ByteView(wire).subspan(at, std::min(kNetworkRead, wire.size() - at)))) {
        return report("BIO_write");
      }
      while (filled < out.size()) {
        const int n = SSL_read(server_.ssl.get(), out.data() + filled,
                               static_cast<int>(std::min(out.size() - filled, kWriteSize)));
        if (n <= 0) {
          if (SSL_get_error(server_.ssl.get(), n) != SSL_ERROR_WANT_READ) {
            return report("SSL_read");
          }
          break;
        }
        filled += static_cast<std::size_t>(n);
      }
    }
    return filled == out.size();
  }

  void drop_client() override { client_.ssl.reset(); }
  void drop_server() override { server_.ssl.reset(); }

 private:
  Endpoint client_;
  Endpoint server_;
};

class OpenSslLibrary final : public TlsLibrary {
 public:
  OpenSslLibrary(CtxPtr client, CtxPtr server, std::string host)
      : client_(std::move(client)), server_(std::move(server)), host_(std::move(host)) {}

  [[nodiscard]] std::string name() const override { return "OpenSSL"; }

  std::unique_ptr<ConnectedPair> handshake(SideTimes& times) override {
    Endpoint client;
    Endpoint server;
    {
      const ScopedTimer timed(times.client);
      client = make_endpoint(client_.get());
      SSL_set_connect_state(client.ssl.get());
      // SSL_set_tlsext_host_name(), without the macro's C cast.
      SSL_ctrl(client.ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               host_.data());
      SSL_set1_host(client.ssl.get(), host_.c_str());
      if (!step(client)) {
        return nullptr;
      }
      take_output(client, wire_);
    }
    {
      const ScopedTimer timed(times.server);
      server = make_endpoint(server_.get());
      SSL_set_accept_state(server.ssl.get());
    }
    for (int flight = 0; flight < 3; ++flight) {
      const Endpoint& from = flight % 2 == 0 ? client : server;
      const Endpoint& to = flight % 2 == 0 ? server : client;
      double& from_time = flight % 2 == 0 ? times.client : times.server;
      double& to_time = flight % 2 == 0 ? times.server : times.client;
      if (flight > 0) {
        const ScopedTimer timed(from_time);
        take_output(from, wire_);
      }
      const ScopedTimer timed(to_time);
      const bool ok = put_input(to, wire_) && step(to);
      wire_.clear();
      if (!ok) {
        return nullptr;
      }
    }
    if (SSL_is_init_finished(client.ssl.get()) != 1 ||
        SSL_is_init_finished(server.ssl.get()) != 1 ||
        SSL_get_verify_result(client.ssl.get()) != X509_V_OK) {
      std::fprintf(stderr, "OpenSSL: the handshake did not complete\n");
      return nullptr;
    }
    return std::make_unique<OpenSslPair>(std::move(client), std::move(server));
  }

 private:
  CtxPtr client_;
  CtxPtr server_;
  std::string host_;
  Wire wire_;
};

const char* suite_name(Suite suite) {
  switch (suite) {
    case Suite::aes_128_gcm:
      return "TLS_AES_128_GCM_SHA256";
    case Suite::aes_256_gcm:
      return "TLS_AES_256_GCM_SHA384";
    case Suite::chacha20_poly1305:
      return "TLS_CHACHA20_POLY1305_SHA256";
  }
  return "";
}

CtxPtr make_ctx(const SSL_METHOD* method, Suite suite) {
  CtxPtr ctx(SSL_CTX_new(method));
  int groups[] = {NID_X25519};
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_ciphersuites(ctx.get(), suite_name(suite)) != 1 ||
      SSL_CTX_set1_groups(ctx.get(), groups, 1) != 1) {
    fatal("SSL_CTX_new");
  }
  return ctx;
}

}  // namespace

std::unique_ptr<TlsLibrary> make_openssl(const ChainFiles& chain, Suite suite) {
  CtxPtr client = make_ctx(TLS_client_method(), suite);
  SSL_CTX_set_verify(client.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(client.get(), chain.root_pem.c_str(), nullptr) != 1) {
    fatal(chain.root_pem);
  }
  CtxPtr server = make_ctx(TLS_server_method(), suite);
  if (SSL_CTX_use_certificate_chain_file(server.get(), chain.chain_pem.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(server.get(), chain.key_pem.c_str(), SSL_FILETYPE_PEM) != 1) {
    fatal(chain.chain_pem);
  }
  SSL_CTX_set_num_tickets(server.get(), 0);
  SSL_CTX_set_session_cache_mode(server.get(), SSL_SESS_CACHE_OFF);
  return std::make_unique<OpenSslLibrary>(std::move(client), std::move(server), chain.host);
}

}  // namespace keel::bench
