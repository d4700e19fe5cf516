// Fuzzes the TLS engine from the network side: arbitrary bytes fed, in arbitrary chunks, to a
// server (as if from a client) or to a client that has sent its ClientHello (as if from a
// server). The first byte of an input picks the case:
//   bit 0     a client (else a server)
//   bit 1     client: resuming a session with 0-RTT data sent; server: asks for a certificate
//   bit 2     the transparent provider (transparent_provider.hpp): records in the clear, all
//             keys zero, handshake signatures trusted — so a recorded handshake replays and a
//             mutated one reaches every state; else the real provider
//   bits 4-7  bytes per feed: 1 + 17 * n
// Nothing may crash, hang or leak; after a failure the connection stays failed and sends
// nothing more.
//
// Seeds: with KEEL_FUZZ_WRITE_SEEDS=DIR set, the target records real keel-to-keel handshakes
// over the transparent provider (TLS 1.3 and 1.2, HelloRetryRequest, client certificates,
// resumption with 0-RTT, KeyUpdate, application data and close_notify), writes what each side
// received to DIR as inputs, and exits. scripts/fuzz does this before each run: the clock is
// fixed when the process starts, so recorded tickets stay fresh for the run.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/session.hpp>

#include "connection/with_provider.hpp"
#include "transparent_provider.hpp"

namespace {

using keel::Bytes;
using keel::ByteView;
using keel::ClientConfig;
using keel::Connection;
using keel::ServerConfig;

std::string read_text(const std::string& name) {
  std::ifstream in(std::string(KEEL_FUZZ_DATA_DIR) + "/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class T>
T or_abort(keel::Result<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz_engine setup: %s\n", result.error().message().c_str());
    std::abort();
  }
  return std::move(result).value();
}

/// Time stands still from the process's start: tickets recorded just before a run stay within
/// their lifetime and their 0-RTT age window for all of it.
const keel::FixedClock& fixed_clock() {
  static const keel::FixedClock clock(std::chrono::system_clock::now());
  return clock;
}

keel::fuzz::TransparentProvider& transparent() {
  static keel::fuzz::TransparentProvider provider;
  return provider;
}

enum class Crypto { real, transparent };

const ServerConfig& base_server_config() {
  static const ServerConfig config = [] {
    ServerConfig made;
    made.certificates.push_back(or_abort(keel::CertifiedKey::from_pem(
        read_text("server-ecdsa-p256.pem"), read_text("server-ecdsa-p256.key"))));
    made.client_trust_anchors = or_abort(keel::TrustAnchors::from_pem(read_text("root.pem")));
    // Fixed ticket keys, so a ticket recorded by one process opens in another.
    made.ticket_keys = or_abort(keel::TicketKeys::from_text(
        "00112233445566778899aabbccddeeff "
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
        "fuzz"));
    made.max_early_data = 16384;
    return made;
  }();
  return config;
}

/// A server of its own (its session cache and 0-RTT replay record start empty each time).
std::shared_ptr<const ServerConfig> server_config(bool ask_certificate) {
  auto config = std::make_shared<ServerConfig>(base_server_config());
  config->session_id_cache = keel::ServerSessionCache();
  if (ask_certificate) {
    config->client_authentication = keel::ClientAuthentication::optional;
  }
  return config;
}

ClientConfig base_client_config() {
  ClientConfig config;
  config.trust_anchors = or_abort(keel::TrustAnchors::from_pem(read_text("root.pem")));
  return config;
}

keel::Result<Connection> make_client(Crypto crypto,
                                     const std::shared_ptr<const ClientConfig>& config) {
  if (crypto == Crypto::transparent) {
    transparent().reset();
    return keel::connection::client_with(transparent(), config, "server.test", &fixed_clock());
  }
  return Connection::client(config, "server.test");
}

keel::Result<Connection> make_server(Crypto crypto, bool ask_certificate) {
  if (crypto == Crypto::transparent) {
    transparent().reset();
    return keel::connection::server_with(transparent(), server_config(ask_certificate),
                                         &fixed_clock());
  }
  return Connection::server(server_config(ask_certificate));
}

/// Moves bytes both ways until both sides are quiet; what each received is appended to
/// `to_client` and `to_server` when given. Aborts if either side fails.
void pump(Connection& client, Connection& server, Bytes* to_client = nullptr,
          Bytes* to_server = nullptr) {
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (auto [from, to, record] :
         {std::tuple{&client, &server, to_server}, std::tuple{&server, &client, to_client}}) {
      const Bytes out(from->pending_output().begin(), from->pending_output().end());
      from->consume_output(out.size());
      if (out.empty()) {
        continue;
      }
      moved = true;
      if (record != nullptr) {
        record->insert(record->end(), out.begin(), out.end());
      }
      if (!to->feed(out).ok()) {
        std::fprintf(stderr, "fuzz_engine setup: %s\n", to->error()->message().c_str());
        std::abort();
      }
    }
    if (!moved) {
      return;
    }
  }
}

/// A session from a keel server that takes 0-RTT data, made once, over `crypto`.
const keel::ClientSession& early_data_session(Crypto crypto) {
  static const auto make = [](Crypto kind) {
    auto config = std::make_shared<ClientConfig>(base_client_config());
    config->session_cache = std::make_shared<keel::SessionCache>();
    auto client = or_abort(make_client(kind, config));
    auto server = or_abort(make_server(kind, false));
    pump(client, server);
    auto saved = config->session_cache->peek("server.test");
    if (!saved || saved->max_early_data() == 0) {
      std::abort();
    }
    return *saved;
  };
  static const keel::ClientSession real = make(Crypto::real);
  static const keel::ClientSession clear = make(Crypto::transparent);
  return crypto == Crypto::real ? real : clear;
}

/// A client that resumes early_data_session() and has sent 0-RTT data with its ClientHello.
keel::Result<Connection> early_data_client(Crypto crypto) {
  auto config = std::make_shared<ClientConfig>(base_client_config());
  config->session_cache = std::make_shared<keel::SessionCache>();
  config->session_cache->store("server.test", early_data_session(crypto));
  config->early_data = true;
  auto made = make_client(crypto, config);
  if (made.ok() && !made.value().write(Bytes{'G', 'E', 'T'}).ok()) {
    std::abort();
  }
  return made;
}

keel::Result<Connection> plain_client(Crypto crypto) {
  return make_client(crypto, std::make_shared<ClientConfig>(base_client_config()));
}

// ---------------------------------------------------------------------------------------------
// Seeds

void check_replays(const std::string& path);

/// One recorded handshake: the fuzzer's mode byte for each side and what that side received.
std::string write_seed(const std::string& dir, const std::string& name, std::uint8_t mode,
                       const Bytes& received) {
  const std::string path = dir + "/seed-" + name;
  std::ofstream out(path, std::ios::binary);
  out.put(static_cast<char>(mode | (15U << 4U)));  // 256 bytes a feed
  out.write(reinterpret_cast<const char*>(received.data()),
            static_cast<std::streamsize>(received.size()));
  return path;
}

/// Application data both ways, a KeyUpdate, and close_notify from each side.
void converse(Connection& client, Connection& server, Bytes& to_client, Bytes& to_server) {
  (void)client.write(Bytes(100, 'q'));
  (void)client.update_keys(true);
  pump(client, server, &to_client, &to_server);
  (void)server.write(Bytes(300, 'r'));
  (void)server.close();
  (void)client.close();
  pump(client, server, &to_client, &to_server);
}

/// A keel-to-keel handshake to record. A side's received bytes make a seed only where the
/// other side's config is the one the fuzzer gives it (`client_seed`: the server's tweak is
/// only what the fuzzer's client accepts as recorded).
struct Scenario {
  std::string name;
  std::function<void(ClientConfig&)> client;
  std::function<void(ServerConfig&)> server;
  bool resume = false;      // a first handshake, unrecorded, leaves a session to resume
  bool early_data = false;  // the 0-RTT session of the fuzzer's resuming client
  bool ask_certificate = false;
  bool client_seed = true;
  bool server_seed = true;
};

std::vector<Scenario> scenarios() {
  const auto none_c = [](ClientConfig&) {};
  const auto none_s = [](ServerConfig&) {};
  const auto with_certificate = [](ClientConfig& c) {
    c.certificate =
        or_abort(keel::CertifiedKey::from_pem(read_text("client.pem"), read_text("client.key")));
  };
  const auto client12 = [](ClientConfig& c) { c.max_version = keel::ProtocolVersion::tls12; };
  const auto server12 = [](ServerConfig& c) { c.max_version = keel::ProtocolVersion::tls12; };
  return {
      {"tls13", none_c, none_s},
      // The fuzzer's client has no certificate: it answers the request with an empty one and
      // takes the rest of the server's flights as recorded.
      {"tls13-client-certificate", with_certificate, none_s, false, false, true},
      {"tls13-resumed-0rtt", none_c, none_s, false, true},
      {"tls13-hrr-by-server", none_c,
       [](ServerConfig& c) { c.groups = {keel::NamedGroup::secp384r1}; }, false, false, false, true,
       false},
      {"tls13-p256-share",
       [](ClientConfig& c) {
         c.groups = {keel::NamedGroup::secp256r1, keel::NamedGroup::x25519};
       },
       none_s, false, false, false, false, true},
      {"tls12-by-server", none_c, server12, false, false, false, true, false},
      {"tls12-by-client", client12, none_s, false, false, false, false, true},
      {"tls12-client-certificate", [=](ClientConfig& c) { with_certificate(c), client12(c); },
       none_s, false, false, true, false, true},
      {"tls12-resumed", client12, none_s, true, false, false, false, true},
      {"tls13-resumed", none_c, none_s, true, false, false, false, true},
  };
}

void record_seeds(const std::string& dir) {
  constexpr std::uint8_t kClient = 1;
  constexpr std::uint8_t kVariant = 2;
  constexpr std::uint8_t kTransparent = 4;
  std::vector<std::string> seeds;
  for (const Scenario& s : scenarios()) {
    auto server_made = std::make_shared<ServerConfig>(*server_config(s.ask_certificate));
    s.server(*server_made);
    const std::shared_ptr<const ServerConfig> server_config_made = server_made;
    auto client_config = std::make_shared<ClientConfig>(base_client_config());
    s.client(*client_config);
    client_config->session_cache = std::make_shared<keel::SessionCache>();
    if (s.early_data) {
      client_config->session_cache->store("server.test", early_data_session(Crypto::transparent));
      client_config->early_data = true;
    }
    for (int round = s.resume ? 0 : 1; round < 2; ++round) {
      // Each side as the fuzzer makes it: its own provider, from a reset.
      keel::fuzz::TransparentProvider client_provider;
      keel::fuzz::TransparentProvider server_provider;
      auto client = or_abort(keel::connection::client_with(client_provider, client_config,
                                                           "server.test", &fixed_clock()));
      if (s.early_data) {
        (void)client.write(Bytes{'G', 'E', 'T'});
      }
      auto server = or_abort(
          keel::connection::server_with(server_provider, server_config_made, &fixed_clock()));
      Bytes to_client;
      Bytes to_server;
      pump(client, server, &to_client, &to_server);
      if (!client.is_handshake_complete() || !server.is_handshake_complete()) {
        std::fprintf(stderr, "fuzz_engine seeds: %s did not complete\n", s.name.c_str());
        std::abort();
      }
      converse(client, server, to_client, to_server);
      if (round == 0) {
        continue;  // only its session was wanted
      }
      if (s.client_seed) {
        const auto mode =
            static_cast<std::uint8_t>(kClient | kTransparent | (s.early_data ? kVariant : 0));
        seeds.push_back(write_seed(dir, s.name + "-to-client", mode, to_client));
      }
      if (s.server_seed) {
        const auto mode =
            static_cast<std::uint8_t>(kTransparent | (s.ask_certificate ? kVariant : 0));
        seeds.push_back(write_seed(dir, s.name + "-to-server", mode, to_server));
      }
    }
  }
  for (const std::string& seed : seeds) {
    check_replays(seed);
  }
}

/// How a run ended.
struct Outcome {
  bool failed = false;
  bool handshake_complete = false;
  bool peer_closed = false;
  std::string error;
};

/// Feeds an input (mode byte, then the peer's bytes) to the connection it asks for.
Outcome run(const std::uint8_t* data, std::size_t size) {
  const bool as_client = (data[0] & 1U) != 0;
  const bool variant = (data[0] & 2U) != 0;
  const Crypto crypto = (data[0] & 4U) != 0 ? Crypto::transparent : Crypto::real;
  const std::size_t chunk = 1 + 17 * (data[0] >> 4U);  // 1..256 bytes per feed
  auto made = !as_client ? make_server(crypto, variant)
              : variant  ? early_data_client(crypto)
                         : plain_client(crypto);
  if (!made.ok())
    std::abort();
  Connection connection = std::move(made).value();
  connection.consume_output(connection.pending_output().size());

  ByteView input(data + 1, size - 1);
  Bytes out(64);  // every other feed reads through feed_and_read() into a small buffer
  bool direct = false;
  while (!input.empty()) {
    const std::size_t n = std::min(chunk, input.size());
    direct = !direct;
    const bool fed = direct ? connection.feed_and_read(input.first(n), out).ok()
                            : connection.feed(input.first(n)).ok();
    input = input.subspan(n);
    if (!fed) {
      // Failed for good: the same error again, and nothing more to send (its one alert is
      // already queued).
      const std::size_t queued = connection.pending_output().size();
      if (connection.feed(input).ok() || !connection.error())
        std::abort();
      if (connection.write(Bytes{1}).ok())
        std::abort();
      if (connection.pending_output().size() != queued)
        std::abort();
      return {true, connection.is_handshake_complete(), false, connection.error()->message()};
    }
    connection.consume_output(connection.pending_output().size());
  }
  const bool clean_end = connection.feed_end_of_stream().ok();
  return {!clean_end, connection.is_handshake_complete(), connection.peer_closed(),
          clean_end ? "" : connection.error()->message()};
}

/// Every seed must replay to the end: the handshake, the data and close_notify.
void check_replays(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const Bytes seed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Outcome outcome = run(seed.data(), seed.size());
  if (outcome.failed || !outcome.handshake_complete || !outcome.peer_closed) {
    std::fprintf(stderr, "fuzz_engine seeds: %s does not replay: %s\n", path.c_str(),
                 outcome.error.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  if (const char* dir = std::getenv("KEEL_FUZZ_WRITE_SEEDS")) {
    record_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 0) {
    (void)run(data, size);
  }
  return 0;
}
