// The public Connection (keel/connection.hpp): builds a handshake from a config and forwards
// to the engine.
#include <algorithm>
#include <string>

#include <keel/connection.hpp>

#include "connection/engine.hpp"
#include "connection/with_provider.hpp"
#include "core/hex.hpp"
#include "core/try.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/key_schedule12.hpp"
#include "handshake/negotiation.hpp"
#include "msg/new_session_ticket.hpp"
#include "session/client_ticket.hpp"
#include "tls12/server.hpp"
#include "tls13/client.hpp"
#include "tls13/server.hpp"
#include "x509/certificate_verifier.hpp"
#include "x509/hostname.hpp"

namespace keel {
namespace {

tls13::KeyLog key_log_lines(const KeyLogCallback& callback) {
  if (!callback) {
    return {};
  }
  return [callback](std::string_view label, ByteView client_random, ByteView secret) {
    std::string line(label);
    line += ' ';
    line += to_hex(client_random);
    line += ' ';
    line += to_hex(secret);
    callback(line);
  };
}

Result<Connection> started(crypto::Provider& provider, std::unique_ptr<tls13::Handshake> handshake,
                           std::size_t max_handshake_message) {
  auto engine =
      std::make_unique<connection::Engine>(provider, std::move(handshake), max_handshake_message);
  KEEL_TRY(engine->start());
  return Connection(std::move(engine));
}

}  // namespace

Result<Connection> Connection::client(const std::shared_ptr<const ClientConfig>& config,
                                      std::string_view server_name) {
  return connection::client_with(crypto::default_provider(), config, server_name);
}

Result<Connection> Connection::client(const ClientConfig& config, std::string_view server_name) {
  return client(std::make_shared<const ClientConfig>(config), server_name);
}

Result<Connection> Connection::server(const std::shared_ptr<const ServerConfig>& config) {
  return connection::server_with(crypto::default_provider(), config);
}

Result<Connection> Connection::server(const ServerConfig& config) {
  return server(std::make_shared<const ServerConfig>(config));
}

Result<Connection> connection::client_with(crypto::Provider& provider,
                                           const std::shared_ptr<const ClientConfig>& config,
                                           std::string_view server_name, const Clock* clock) {
  if (config == nullptr) {
    return Error(Errc::invalid_argument, "no client config");
  }
  if (config->min_version > config->max_version) {
    return Error(Errc::invalid_argument, "min_version is above max_version");
  }
  tls13::ClientSettings settings;
  settings.clock = clock;
  // A version is offered when the config allows it and enables one of its suites; only
  // suites keel speaks in the versions offered go out, whatever the config lists.
  const bool allow13 = config->max_version == ProtocolVersion::tls13;
  const bool allow12 = config->min_version == ProtocolVersion::tls12;
  settings.offer.tls13 = false;
  settings.offer.tls12 = false;
  for (const CipherSuite suite : config->cipher_suites) {
    const bool is13 = allow13 && handshake::tls13_suite(suite).has_value();
    const bool is12 = allow12 && handshake::tls12_suite(suite).has_value();
    if (is13 || is12) {
      settings.offer.cipher_suites.push_back(suite);
    }
    settings.offer.tls13 = settings.offer.tls13 || is13;
    settings.offer.tls12 = settings.offer.tls12 || is12;
  }
  if (settings.offer.cipher_suites.empty()) {
    return Error(Errc::invalid_argument, "no cipher suite of the versions allowed is enabled");
  }
  settings.offer.groups = config->groups;
  const auto supported = settings.offer.tls12 ? handshake::tls12_signature_schemes()
                                              : handshake::tls13_signature_schemes();
  for (const SignatureScheme scheme : config->signature_schemes) {
    if (std::ranges::find(supported, scheme) != supported.end()) {
      settings.offer.signature_schemes.push_back(scheme);
    }
  }
  if (settings.offer.signature_schemes.empty()) {
    return Error(Errc::invalid_argument, "no signature scheme keel supports is enabled");
  }
  settings.offer.alpn = config->alpn;
  if (auto address = x509::parse_ip_address(server_name)) {
    // RFC 6066 §3: no server_name for an address; the certificate must name the address.
    settings.ip_address = std::move(address);
  } else {
    auto name = x509::normalize_dns_name(server_name);
    if (!name.ok()) {
      return std::move(name).error().prepend("server name");
    }
    settings.offer.server_name = std::move(name).value();
  }
  if (config->verify_server) {
    std::shared_ptr<const x509::TrustStore> store;
    if (config->trust_anchors) {
      store = config->trust_anchors->store();
    } else {
      KEEL_TRY_ASSIGN(auto system, TrustAnchors::system());
      store = system.store();
    }
    settings.verifier = std::make_shared<const x509::X509CertificateVerifier>(std::move(store));
  }
  if (config->certificate) {
    settings.credential = config->certificate->credential();
  }
  if (const auto& cache = config->session_cache) {
    const std::string name(server_name);
    if (auto session = cache->take(name, clock != nullptr ? clock->now() : SystemClock().now())) {
      settings.resume = session->shared_ticket();
    }
    settings.early_data = config->early_data;
    settings.on_ticket = [cache, name](session::ClientTicket ticket) {
      cache->store(name,
                   ClientSession(std::make_shared<const session::ClientTicket>(std::move(ticket))));
    };
  }
  settings.key_log = key_log_lines(config->key_log);
  return started(provider, tls13::make_client_handshake(std::move(settings)),
                 handshake::Joiner::kDefaultMaxMessage);
}

Result<Connection> connection::server_with(crypto::Provider& provider,
                                           const std::shared_ptr<const ServerConfig>& config,
                                           const Clock* clock) {
  if (config == nullptr) {
    return Error(Errc::invalid_argument, "no server config");
  }
  if (config->certificates.empty()) {
    return Error(Errc::invalid_argument, "a server needs at least one certificate");
  }
  if (config->min_version > config->max_version) {
    return Error(Errc::invalid_argument, "min_version is above max_version");
  }
  tls13::ServerSettings settings;
  settings.clock = clock;
  // Each version chooses among its own suites; a version with none enabled is not spoken.
  tls12::ServerContext tls12;
  for (const CipherSuite suite : config->cipher_suites) {
    if (handshake::tls13_suite(suite)) {
      settings.preferences.cipher_suites.push_back(suite);
    } else if (handshake::tls12_suite(suite)) {
      tls12.suites.push_back(suite);
    }
  }
  settings.tls13 =
      config->max_version == ProtocolVersion::tls13 && !settings.preferences.cipher_suites.empty();
  if (config->min_version == ProtocolVersion::tls12 && !tls12.suites.empty()) {
    tls12.groups = config->groups;
    settings.tls12 = std::move(tls12);
  }
  if (!settings.tls13 && !settings.tls12) {
    return Error(Errc::invalid_argument, "no cipher suite of the versions allowed is enabled");
  }
  settings.preferences.groups = config->groups;
  settings.alpn = config->alpn;
  for (const auto& certificate : config->certificates) {
    settings.credentials.push_back(certificate.credential());
  }
  switch (config->client_authentication) {
    case ClientAuthentication::none:
      settings.client_auth = tls13::ClientAuth::none;
      break;
    case ClientAuthentication::optional:
      settings.client_auth = tls13::ClientAuth::optional;
      break;
    case ClientAuthentication::required:
      settings.client_auth = tls13::ClientAuth::required;
      break;
  }
  if (settings.client_auth != tls13::ClientAuth::none) {
    if (!config->client_trust_anchors) {
      return Error(Errc::invalid_argument,
                   "client authentication needs client_trust_anchors to verify against");
    }
    settings.client_verifier = std::make_shared<const x509::X509CertificateVerifier>(
        config->client_trust_anchors->store());
  }
  if (config->ticket_keys) {
    if (config->ticket_lifetime.count() <= 0 ||
        config->ticket_lifetime > std::chrono::seconds(msg::NewSessionTicket::kMaxLifetime)) {
      return Error(Errc::invalid_argument, "ticket_lifetime must be between 1 s and 7 days");
    }
    settings.ticket_keys = config->ticket_keys->ring();
    settings.session_tickets = config->session_tickets;
    settings.ticket_lifetime = static_cast<std::uint32_t>(config->ticket_lifetime.count());
    settings.max_early_data = config->max_early_data;
  }
  if (config->session_id_cache) {
    settings.session_ids = config->session_id_cache->cache();
    settings.replay_guard = config->session_id_cache->replay_guard();
  }
  settings.key_log = key_log_lines(config->key_log);
  return started(provider, tls13::make_server_handshake(std::move(settings)),
                 config->max_handshake_message);
}

Connection::Connection(std::unique_ptr<connection::Engine> engine) : engine_(std::move(engine)) {}
Connection::Connection(Connection&& other) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept = default;
Connection::~Connection() = default;

Result<void> Connection::feed(ByteView bytes) {
  return engine_->feed(bytes);
}
Result<std::size_t> Connection::feed_and_read(ByteView bytes, MutableByteView out) {
  return engine_->feed_and_read(bytes, out);
}

Result<void> Connection::feed_end_of_stream() {
  return engine_->feed_end_of_stream();
}
ByteView Connection::pending_output() const noexcept {
  return engine_->pending_output();
}
void Connection::consume_output(std::size_t n) noexcept {
  engine_->consume_output(n);
}
Result<std::size_t> Connection::read(MutableByteView out) {
  return engine_->read(out);
}
std::size_t Connection::readable() const noexcept {
  return engine_->readable();
}
bool Connection::peer_closed() const noexcept {
  return engine_->peer_closed();
}
Result<void> Connection::write(ByteView data) {
  return engine_->write(data);
}
Result<void> Connection::close() {
  return engine_->close();
}
bool Connection::close_sent() const noexcept {
  return engine_->close_sent();
}
Result<void> Connection::update_keys(bool request_peer) {
  return engine_->update_keys(request_peer);
}
Result<void> Connection::export_keying_material(std::string_view label, ByteView context,
                                                MutableByteView out) const {
  return engine_->export_keying_material(label, context, out);
}
bool Connection::is_handshake_complete() const noexcept {
  return engine_->handshake_complete();
}
const Negotiated& Connection::negotiated() const noexcept {
  return engine_->negotiated();
}
const std::optional<Error>& Connection::error() const noexcept {
  return engine_->error();
}
std::size_t Connection::early_data_received() const noexcept {
  return engine_->early_data_received();
}

std::size_t Connection::early_data_sent() const noexcept {
  return engine_->early_data_sent();
}
std::size_t Connection::session_tickets_received() const noexcept {
  return engine_->session_tickets_received();
}

}  // namespace keel
