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
              std::shared_ptr<const ServerConfig> server, std::string host, bool resume)
      : client_(std::move(client)),
        server_(std::move(server)),
        host_(std::move(host)),
        resume_(resume) {}

  [[nodiscard]] std::string name() const override { return "keel"; }

  std::unique_ptr<ConnectedPair> handshake(SideTimes& times) override {
    if (resume_ && !primed_) {
      primed_ = true;
      SideTimes ignored;  // the first session, from a full handshake, untimed
      if (handshake(ignored) == nullptr) {
        return nullptr;
      }
      resuming_ = true;
    }
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
    const bool quiet = exchange_until_quiet([&](bool from_client) -> std::optional<bool> {
      Connection& from = from_client ? *client : *server;
      Connection& to = from_client ? *server : *client;
      {
        const ScopedTimer timed(from_client ? times.client : times.server);
        take_output(from, wire_);
      }
      if (wire_.empty()) {
        return false;
      }
      const ScopedTimer timed(from_client ? times.server : times.client);
      const auto fed = to.feed(wire_);
      wire_.clear();
      if (!fed.ok()) {
        report("handshake", fed.error());
        return std::nullopt;
      }
      return true;
    });
    if (!quiet || !client->is_handshake_complete() || !server->is_handshake_complete() ||
        !client->negotiated().peer_verified || client->negotiated().resumed != resuming_) {
      std::fprintf(stderr, "keel: the handshake did not complete%s\n",
                   resuming_ ? " as a resumption" : "");
      return nullptr;
    }
    return std::make_unique<KeelPair>(std::move(*client), std::move(*server));
  }

 private:
  std::shared_ptr<const ClientConfig> client_;
  std::shared_ptr<const ServerConfig> server_;
  std::string host_;
  bool resume_;
  bool primed_ = false;    // the first session is made (or being made)
  bool resuming_ = false;  // every handshake from now on resumes
  Wire wire_;
};

template <class T>
T value_or_exit(Result<T> result, const std::string& what) {
  if (!result.ok()) {
    std::fprintf(stderr, "keel: %s: %s\n", what.c_str(), result.error().message().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

}  // namespace

std::unique_ptr<TlsLibrary> make_keel(const ChainFiles& chain, const Workload& workload) {
  const auto suite = cipher_suite_from_name(suite_name(chain, workload));
  if (!suite) {
    std::fprintf(stderr, "keel: no suite %s\n", suite_name(chain, workload).c_str());
    std::exit(1);
  }
  const ProtocolVersion version =
      workload.protocol == Protocol::tls13 ? ProtocolVersion::tls13 : ProtocolVersion::tls12;
  auto client = std::make_shared<ClientConfig>();
  client->trust_anchors =
      value_or_exit(TrustAnchors::from_pem_file(chain.root_pem), chain.root_pem);
  client->cipher_suites = {*suite};
  client->groups = {NamedGroup::x25519};
  if (workload.protocol == Protocol::tls12) {
    client->groups.push_back(NamedGroup::secp256r1);  // as OpenSSL's client must list it
  }
  client->min_version = version;
  client->max_version = version;
  auto server = std::make_shared<ServerConfig>();
  server->certificates.push_back(
      value_or_exit(CertifiedKey::from_pem_files(chain.chain_pem, chain.key_pem), chain.chain_pem));
  server->cipher_suites = {*suite};
  server->groups = {NamedGroup::x25519};
  server->min_version = version;
  server->max_version = version;
  if (workload.resume) {
    server->session_tickets = 1;
    server->session_id_cache.reset();  // tickets only, as on OpenSSL's side
  } else {
    client->session_cache = nullptr;
    server->session_tickets = 0;
    server->ticket_keys.reset();
    server->session_id_cache.reset();
  }
  return std::make_unique<KeelLibrary>(std::move(client), std::move(server), chain.host,
                                       workload.resume);
}

}  // namespace keel::bench
