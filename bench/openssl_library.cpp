// OpenSSL's side of the TLS benchmark: libssl with memory BIOs, configured to do the same work
// as keel — one version, one suite, X25519, the client verifying the chain and the host name.
// Settings that differ from OpenSSL's defaults keep the work equal, not slow it: for full
// handshakes the server issues no session tickets and keeps no session cache (as keel's is
// configured there); for resumed ones it issues one ticket per handshake (TLS 1.3) and keeps
// no session-id cache, and the client resumes the session of the handshake before — the same
// work keel's client and server do.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
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

/// Runs the handshake as far as it goes, and once it is complete reads what follows it (a
/// TLS 1.3 ticket); false on a failure (not on "wants more input").
bool step(const Endpoint& endpoint) {
  SSL* ssl = endpoint.ssl.get();
  if (SSL_is_init_finished(ssl) != 1) {
    const int rc = SSL_do_handshake(ssl);
    if (rc != 1) {
      return SSL_get_error(ssl, rc) == SSL_ERROR_WANT_READ || report("SSL_do_handshake");
    }
  }
  std::uint8_t byte = 0;
  const int rc = SSL_read(ssl, &byte, 1);
  return rc <= 0 && SSL_get_error(ssl, rc) == SSL_ERROR_WANT_READ;  // nothing but tickets
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

struct SessionDeleter {
  void operator()(SSL_SESSION* session) const noexcept { SSL_SESSION_free(session); }
};
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionDeleter>;

class OpenSslLibrary final : public TlsLibrary {
 public:
  OpenSslLibrary(CtxPtr client, CtxPtr server, std::string host, bool resume)
      : client_(std::move(client)),
        server_(std::move(server)),
        host_(std::move(host)),
        resume_(resume) {}

  [[nodiscard]] std::string name() const override { return "OpenSSL"; }

  std::unique_ptr<ConnectedPair> handshake(SideTimes& times) override {
    if (resume_ && !session_ && !priming_) {
      priming_ = true;
      SideTimes ignored;  // the first session, from a full handshake, untimed
      const bool made = handshake(ignored) != nullptr && session_ != nullptr;
      priming_ = false;
      if (!made) {
        return nullptr;
      }
    }
    const bool resuming = session_ != nullptr;
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
      if (resuming && SSL_set_session(client.ssl.get(), session_.get()) != 1) {
        report("SSL_set_session");
        return nullptr;
      }
      if (!step(client)) {
        return nullptr;
      }
    }
    {
      const ScopedTimer timed(times.server);
      server = make_endpoint(server_.get());
      SSL_set_accept_state(server.ssl.get());
    }
    const bool quiet = exchange_until_quiet([&](bool from_client) -> std::optional<bool> {
      const Endpoint& from = from_client ? client : server;
      const Endpoint& to = from_client ? server : client;
      {
        const ScopedTimer timed(from_client ? times.client : times.server);
        take_output(from, wire_);
      }
      if (wire_.empty()) {
        return false;
      }
      const ScopedTimer timed(from_client ? times.server : times.client);
      const bool ok = put_input(to, wire_) && step(to);
      wire_.clear();
      if (!ok) {
        return std::nullopt;
      }
      return true;
    });
    if (!quiet || SSL_is_init_finished(client.ssl.get()) != 1 ||
        SSL_is_init_finished(server.ssl.get()) != 1 ||
        SSL_get_verify_result(client.ssl.get()) != X509_V_OK ||
        (SSL_session_reused(client.ssl.get()) == 1) != resuming) {
      std::fprintf(stderr, "OpenSSL: the %s handshake did not complete%s\n",
                   SSL_get_version(client.ssl.get()), resuming ? " as a resumption" : "");
      return nullptr;
    }
    if (resume_) {
      const ScopedTimer timed(times.client);  // the client keeps the session it was given
      session_.reset(SSL_get1_session(client.ssl.get()));
      // As if closed with close_notify: SSL_free() of a connection that was not marks its
      // session not resumable.
      SSL_set_shutdown(client.ssl.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    }
    return std::make_unique<OpenSslPair>(std::move(client), std::move(server));
  }

 private:
  CtxPtr client_;
  CtxPtr server_;
  std::string host_;
  bool resume_;
  bool priming_ = false;  // the first session is being made
  SessionPtr session_;
  Wire wire_;
};

/// OpenSSL's name of a TLS 1.2 suite ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" →
/// "ECDHE-ECDSA-AES128-GCM-SHA256").
std::string openssl_name12(const std::string& iana) {
  const bool ecdsa = iana.find("ECDSA") != std::string::npos;
  const std::string prefix = ecdsa ? "ECDHE-ECDSA-" : "ECDHE-RSA-";
  if (iana.find("AES_128") != std::string::npos) {
    return prefix + "AES128-GCM-SHA256";
  }
  if (iana.find("AES_256") != std::string::npos) {
    return prefix + "AES256-GCM-SHA384";
  }
  return prefix + "CHACHA20-POLY1305";
}

CtxPtr make_ctx(const SSL_METHOD* method, const ChainFiles& chain, const Workload& workload) {
  CtxPtr ctx(SSL_CTX_new(method));
  // TLS 1.2's supported groups also name the curves an ECDSA certificate may use (RFC 8422
  // §5.1.1): P-256 is listed for the chain, X25519 first for the key exchange.
  int groups[] = {NID_X25519, NID_X9_62_prime256v1};
  const long group_count = workload.protocol == Protocol::tls13 ? 1 : 2;
  const std::string suite = suite_name(chain, workload);
  const int version = workload.protocol == Protocol::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), version) != 1 ||
      SSL_CTX_set1_groups(ctx.get(), groups, group_count) != 1) {
    fatal("SSL_CTX_new");
  }
  const bool suite_set =
      workload.protocol == Protocol::tls13
          ? SSL_CTX_set_ciphersuites(ctx.get(), suite.c_str()) == 1
          : SSL_CTX_set_cipher_list(ctx.get(), openssl_name12(suite).c_str()) == 1;
  if (!suite_set) {
    fatal(suite);
  }
  return ctx;
}

}  // namespace

std::unique_ptr<TlsLibrary> make_openssl(const ChainFiles& chain, const Workload& workload) {
  CtxPtr client = make_ctx(TLS_client_method(), chain, workload);
  SSL_CTX_set_verify(client.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(client.get(), chain.root_pem.c_str(), nullptr) != 1) {
    fatal(chain.root_pem);
  }
  CtxPtr server = make_ctx(TLS_server_method(), chain, workload);
  if (SSL_CTX_use_certificate_chain_file(server.get(), chain.chain_pem.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(server.get(), chain.key_pem.c_str(), SSL_FILETYPE_PEM) != 1) {
    fatal(chain.chain_pem);
  }
  SSL_CTX_set_session_cache_mode(server.get(), SSL_SESS_CACHE_OFF);
  if (workload.resume) {
    SSL_CTX_set_num_tickets(server.get(), 1);
  } else {
    SSL_CTX_set_num_tickets(server.get(), 0);
    SSL_CTX_set_options(server.get(), SSL_OP_NO_TICKET);
  }
  return std::make_unique<OpenSslLibrary>(std::move(client), std::move(server), chain.host,
                                          workload.resume);
}

}  // namespace keel::bench
