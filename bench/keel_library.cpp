// keel's side of the TLS benchmark, through the public API (keel/connection.hpp) only.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <keel/keel.hpp>

#include "tls_library.hpp"

namespace keel::bench {
namespace {

bool report(const char* what, const Error& error) {
  std::fprintf(stderr, "keel: %s: %s\n", what, error.message().c_str());
  return false;
}

/// Appends what `from` has to send to `wire`.
void take_output(Connection& from, Wire& wire) {
  const ByteView out = from.pending_output();
  wire.insert(wire.end(), out.begin(), out.end());
  from.consume_output(out.size());
}

class KeelPair final : public ConnectedPair {
 public:
  KeelPair(Connection client, Connection server)
      : client_(std::move(client)), server_(std::move(server)) {}

  bool send(ByteView data, Wire& wire) override {
    while (!data.empty()) {
      const ByteView piece = data.first(std::min(data.size(), kWriteSize));
      if (auto written = client_->write(piece); !written.ok()) {
        return report("write", written.error());
      }
      take_output(*client_, wire);
      data = data.subspan(piece.size());
    }
    return true;
  }

  bool receive(const Wire& wire, MutableByteView out) override {
    constexpr std::size_t kNetworkRead = 65536;  // what one recv() would bring
    std::size_t filled = 0;
    for (std::size_t at = 0; at < wire.size(); at += kNetworkRead) {
      const ByteView chunk = ByteView(wire).subspan(at, std::min(kNetworkRead, wire.size() - at));
      // keel's bulk receive: records are decrypted straight into the application's buffer.
      auto n = server_->feed_and_read(chunk, out.subspan(filled));
      if (!n.ok()) {
        return report("feed_and_read", n.error());
      }
      filled += *n;
    }
    while (server_->readable() > 0 && filled < out.size()) {
      auto n = server_->read(out.subspan(filled));
      if (!n.ok()) {
        return report("read", n.error());
      }
      filled += *n;
    }
    return filled == out.size();
  }

  void drop_client() override { client_.reset(); }
  void drop_server() override { server_.reset(); }

 private:
  std::optional<Connection> client_;
  std::optional<Connection> server_;
};

class KeelLibrary final : public TlsLibrary {
 public:
  KeelLibrary(std::shared_ptr<const ClientConfig> client,
              std::shared_ptr<const ServerConfig> server, std::string host)
      : client_(std::move(client)), server_(std::move(server)), host_(std::move(host)) {}

  [[nodiscard]] std::string name() const override { return "keel"; }

  std::unique_ptr<ConnectedPair> handshake(SideTimes& times) override {
    std::optional<Connection> client;
    std::optional<Connection> server;
    {
      const ScopedTimer timed(times.client);
      auto made = Connection::client(client_, host_);
      if (!made.ok()) {
        report("client", made.error());
        return nullptr;
      }
      client.emplace(std::move(made).value());
      take_output(*client, wire_);
    }
    {
      const ScopedTimer timed(times.server);
      auto made = Connection::server(server_);
      if (!made.ok()) {
        report("server", made.error());
        return nullptr;
      }
      server.emplace(std::move(made).value());
    }
    // ClientHello → server flight → client's Finished: three deliveries complete it.
    for (int flight = 0; flight < 3; ++flight) {
      Connection& from = flight % 2 == 0 ? *client : *server;
      Connection& to = flight % 2 == 0 ? *server : *client;
      double& from_time = flight % 2 == 0 ? times.client : times.server;
      double& to_time = flight % 2 == 0 ? times.server : times.client;
      if (flight > 0) {
        const ScopedTimer timed(from_time);
        take_output(from, wire_);
      }
      const ScopedTimer timed(to_time);
      const auto fed = to.feed(wire_);
      wire_.clear();
      if (!fed.ok()) {
        report("handshake", fed.error());
        return nullptr;
      }
    }
    if (!client->is_handshake_complete() || !server->is_handshake_complete() ||
        !client->negotiated().peer_verified) {
      std::fprintf(stderr, "keel: the handshake did not complete\n");
      return nullptr;
    }
    return std::make_unique<KeelPair>(std::move(*client), std::move(*server));
  }

 private:
  std::shared_ptr<const ClientConfig> client_;
  std::shared_ptr<const ServerConfig> server_;
  std::string host_;
  Wire wire_;
};

CipherSuite cipher_suite(Suite suite) {
  switch (suite) {
    case Suite::aes_128_gcm:
      return CipherSuite::TLS_AES_128_GCM_SHA256;
    case Suite::aes_256_gcm:
      return CipherSuite::TLS_AES_256_GCM_SHA384;
    case Suite::chacha20_poly1305:
      return CipherSuite::TLS_CHACHA20_POLY1305_SHA256;
  }
  return CipherSuite::TLS_AES_128_GCM_SHA256;
}

template <class T>
T value_or_exit(Result<T> result, const std::string& what) {
  if (!result.ok()) {
    std::fprintf(stderr, "keel: %s: %s\n", what.c_str(), result.error().message().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

}  // namespace

std::unique_ptr<TlsLibrary> make_keel(const ChainFiles& chain, Suite suite) {
  auto client = std::make_shared<ClientConfig>();
  client->trust_anchors =
      value_or_exit(TrustAnchors::from_pem_file(chain.root_pem), chain.root_pem);
  client->cipher_suites = {cipher_suite(suite)};
  client->groups = {NamedGroup::x25519};
  auto server = std::make_shared<ServerConfig>();
  server->certificates.push_back(
      value_or_exit(CertifiedKey::from_pem_files(chain.chain_pem, chain.key_pem), chain.chain_pem));
  server->cipher_suites = {cipher_suite(suite)};
  server->groups = {NamedGroup::x25519};
  return std::make_unique<KeelLibrary>(std::move(client), std::move(server), chain.host);
}

}  // namespace keel::bench
