// RFC 8448 §3 (a simple 1-RTT handshake), §4 (the resumed 0-RTT handshake) and §5
// (HelloRetryRequest), replayed whole through keel's client and server engines: with the
// RFC's randoms and ephemeral keys injected, every record each side sends must be the RFC's
// bytes, and every secret it derives the RFC's values.
//
// The seams: the RFC's ClientHellos offer what keel would not (ffdhe groups, SHA-1 and DSA
// schemes, a TLS 1.2 session ticket), so the client's hello is replaced by the RFC's (in §4
// without its pre_shared_key, which keel appends with its own binder from the session §3's
// ticket made); in §4 the server opens the RFC's ticket through ServerSettings::open_ticket
// (it was sealed under the RFC server's key); the RFC's server certificate is a self-signed
// RSA-1024 one that keel's policy rightly refuses, so the client is given a verifier that
// accepts it (and RSA-1024 keys for this test); RSA-PSS signatures are randomized, so the
// server signs through a key that checks it is asked to sign exactly what the RFC's server
// signed and answers with the RFC's signature.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "connection/engine.hpp"
#include "msg/certificate.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"
#include "msg/new_session_ticket.hpp"
#include "session/client_ticket.hpp"
#include "session/replay_guard.hpp"
#include "session/session_state.hpp"
#include "support/rfc8448.hpp"
#include "support/test_util.hpp"
#include "tls13/client.hpp"
#include "tls13/server.hpp"
#include "x509/certificate.hpp"

namespace keel::test {
namespace {

using rfc8448::step;

crypto::Provider& provider() {
  return crypto::default_provider();
}

crypto::KeyPolicy rfc_key_policy() {
  crypto::KeyPolicy policy;
  policy.min_rsa_bits = 1024;  // the RFC's keys; keel's default refuses them
  return policy;
}

/// Hands out the RFC's values in the order the engine draws them; any other draw fails.
class ScriptedRng final : public Rng {
 public:
  void push(Bytes bytes) { script_.push_back(std::move(bytes)); }
  [[nodiscard]] bool finished() const { return next_ == script_.size(); }

  Result<void> fill(MutableByteView out) override {
    if (next_ == script_.size() || script_[next_].size() != out.size()) {
      ADD_FAILURE() << "unscripted draw of " << out.size() << " random bytes";
      return Error(Errc::internal, "unscripted random draw");
    }
    std::copy(script_[next_].begin(), script_[next_].end(), out.begin());
    ++next_;
    return {};
  }

 private:
  std::vector<Bytes> script_;
  std::size_t next_ = 0;
};

/// Accepts the server's certificate as it is (the replay's only trust decision), noting the
/// name the client asked about.
class AcceptingVerifier final : public x509::CertificateVerifier {
 public:
  mutable std::optional<std::string> asked_for;

  Result<x509::VerifiedPeer> verify(const x509::PeerCertificates& peer) const override {
    asked_for = peer.dns_name;
    auto leaf = x509::Certificate::parse(peer.chain.front());
    if (!leaf.ok())
      return std::move(leaf).error();
    std::vector<x509::Certificate> path;
    path.push_back(std::move(leaf).value());
    return x509::VerifiedPeer(std::move(path));
  }
};

/// The RFC server's key, as far as the replay needs it: it "signs" by checking that the content
/// is what the RFC's server signed (the RFC's signature verifies over it) and returning that
/// signature.
class RfcServerKey final : public crypto::PrivateKey {
 public:
  RfcServerKey(Bytes spki, Bytes signature)
      : spki_(std::move(spki)), signature_(std::move(signature)) {}

  [[nodiscard]] crypto::KeyType type() const noexcept override { return crypto::KeyType::rsa; }
  [[nodiscard]] std::size_t bits() const noexcept override { return 1024; }
  [[nodiscard]] Result<Bytes> public_key_spki() const override { return spki_; }
  [[nodiscard]] Result<Bytes> sign(crypto::SignatureAlgorithm alg,
                                   ByteView message) const override {
    auto key = provider().parse_public_key(spki_, rfc_key_policy());
    if (!key.ok())
      return std::move(key).error();
    auto verified = (*key)->verify(alg, message, signature_);
    if (!verified.ok())
      return std::move(verified).error().prepend("not what the RFC signed");
    return signature_;
  }
  [[nodiscard]] Result<Secret> pkcs8() const override {
    return Error(Errc::not_supported, "the replay's key has no private part");
  }

 private:
  Bytes spki_;
  Bytes signature_;
};

Bytes take_output(connection::Engine& engine) {
  Bytes out(engine.pending_output().begin(), engine.pending_output().end());
  engine.consume_output(out.size());
  return out;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

msg::ClientHello rfc_client_hello(const std::string& section, int nth) {
  const Bytes message = step(section, "client", "construct a ClientHello", nth)["ClientHello"];
  auto hello = msg::ClientHello::decode(ByteView(message).subspan(4));
  EXPECT_TRUE(hello.ok());
  return std::move(hello).value();
}

/// The secret of a derive-secret step of the RFC.
Bytes derived(const std::string& section, const std::string& label) {
  return step(section, "server", "derive secret \"tls13 " + label + "\"")["expanded"];
}

/// The RFC's server credential of a section: its certificate, and a key answering with its
/// CertificateVerify signature.
std::shared_ptr<const tls13::Credential> rfc_credential(const std::string& section) {
  const Bytes certificate = step(section, "server", "construct a Certificate")["Certificate"];
  auto message = msg::CertificateMessage::decode(ByteView(certificate).subspan(4));
  EXPECT_TRUE(message.ok());
  Bytes der = message->certificate_list.at(0).cert_data;
  auto leaf = x509::Certificate::parse(der);
  EXPECT_TRUE(leaf.ok());
  const Bytes verify =
      step(section, "server", "construct a CertificateVerify")["CertificateVerify"];
  auto signature = msg::CertificateVerify::decode(ByteView(verify).subspan(4));
  EXPECT_TRUE(signature.ok());
  auto key = std::make_shared<const RfcServerKey>(Bytes(leaf->spki().begin(), leaf->spki().end()),
                                                  signature->signature);
  auto credential = tls13::Credential::make({der}, key);
  EXPECT_TRUE(credential.ok()) << credential.error().message();
  return std::make_shared<const tls13::Credential>(std::move(credential).value());
}

using KeyLogEntries = std::vector<std::pair<std::string, Bytes>>;

tls13::KeyLog recorder(KeyLogEntries& entries) {
  return [&entries](std::string_view label, ByteView /*random*/, ByteView secret) {
    entries.emplace_back(std::string(label), Bytes(secret.begin(), secret.end()));
  };
}

void expect_logged(const KeyLogEntries& entries, const std::string& section) {
  const KeyLogEntries expected = {
      {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", derived(section, "c hs traffic")},
      {"SERVER_HANDSHAKE_TRAFFIC_SECRET", derived(section, "s hs traffic")},
      {"CLIENT_TRAFFIC_SECRET_0", derived(section, "c ap traffic")},
      {"SERVER_TRAFFIC_SECRET_0", derived(section, "s ap traffic")},
      {"EXPORTER_SECRET", derived(section, "exp master")},
  };
  EXPECT_EQ(entries, expected);
}

tls13::ClientSettings replay_client_settings(ScriptedRng& rng,
                                             std::shared_ptr<AcceptingVerifier> verifier) {
  tls13::ClientSettings settings;
  settings.offer.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  settings.offer.groups = {NamedGroup::x25519};
  settings.offer.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256};
  settings.offer.server_name = "server";  // the RFC's server_name
  settings.grease = false;
  settings.rng = &rng;
  settings.verifier = std::move(verifier);
  settings.key_policy = rfc_key_policy();
  return settings;
}

TEST(Rfc8448Replay, Section3Client) {
  ScriptedRng rng;
  rng.push(Bytes(32));  // random and legacy_session_id: the RFC's hello replaces them
  rng.push(Bytes(32));
  rng.push(step("3", "client", "create an ephemeral x25519")["private key"]);
  auto verifier = std::make_shared<AcceptingVerifier>();
  auto settings = replay_client_settings(rng, verifier);
  settings.rewrite_client_hello = [](msg::ClientHello& hello) { hello = rfc_client_hello("3", 1); };
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine client(provider(), tls13::make_client_handshake(std::move(settings)));
  ASSERT_TRUE(client.start().ok());
  EXPECT_EQ(take_output(client), step("3", "client", "send handshake record")["complete record"]);

  ASSERT_TRUE(client.feed(step("3", "server", "send handshake record", 1)["complete record"]).ok());
  auto flight = client.feed(step("3", "server", "send handshake record", 2)["complete record"]);
  ASSERT_TRUE(flight.ok()) << flight.error().message();
  ASSERT_TRUE(client.handshake_complete());
  EXPECT_TRUE(rng.finished());
  EXPECT_EQ(verifier->asked_for, "server");
  EXPECT_EQ(take_output(client),
            step("3", "client", "send handshake record", 2)["complete record"]);
  expect_logged(logged, "3");

  // The NewSessionTicket is kept for the application.
  ASSERT_TRUE(client.feed(step("3", "server", "send handshake record", 3)["complete record"]).ok());
  EXPECT_EQ(client.session_tickets_received(), 1U);

  // Application data both ways, then close_notify both ways.
  const auto& sent = step("3", "client", "send application_data");
  ASSERT_TRUE(client.write(sent["payload"]).ok());
  EXPECT_EQ(take_output(client), sent["complete record"]);
  const auto& received = step("3", "server", "send application_data");
  ASSERT_TRUE(client.feed(received["complete record"]).ok());
  Bytes data(client.readable());
  ASSERT_TRUE(client.read(data).ok());
  EXPECT_EQ(data, received["payload"]);
  ASSERT_TRUE(client.close().ok());
  EXPECT_EQ(take_output(client), step("3", "client", "send alert")["complete record"]);
  ASSERT_TRUE(client.feed(step("3", "server", "send alert")["complete record"]).ok());
  EXPECT_TRUE(client.peer_closed());
  EXPECT_TRUE(client.feed_end_of_stream().ok());
}

/// The session §3's NewSessionTicket makes, as keel's client keeps it: received at `created`
/// (in seconds since 1970), its PSK the RFC's "tls13 resumption" secret.
std::shared_ptr<const session::ClientTicket> section3_session(std::uint64_t created) {
  const Bytes message = step("3", "server", "construct a NewSessionTicket")["NewSessionTicket"];
  auto received = msg::NewSessionTicket::decode(ByteView(message).subspan(4));
  EXPECT_TRUE(received.ok());
  auto early =
      msg::decode_max_early_data(*msg::find(received->extensions, msg::ExtensionType::early_data));
  EXPECT_TRUE(early.ok());
  session::ClientTicket ticket;
  ticket.ticket = received->ticket;
  auto& state = ticket.state;
  state.version = ProtocolVersion::tls13;
  state.suite = CipherSuite::TLS_AES_128_GCM_SHA256;
  state.secret = Secret::copy_of(
      step("3", "server", "generate resumption secret \"tls13 resumption\"")["expanded"]);
  state.created = created;
  state.lifetime = received->ticket_lifetime;
  state.age_add = received->ticket_age_add;
  state.max_early_data = early.value();
  state.server_name = "server";
  return std::make_shared<const session::ClientTicket>(std::move(ticket));
}

/// §4's ClientHello without its pre_shared_key extension (keel's client adds its own). The
/// whole message is the record's payload (the RFC's "construct" step stops before the binders).
msg::ClientHello section4_hello_without_psk() {
  const Bytes message = step("4", "client", "send handshake record")["payload"];
  auto decoded = msg::ClientHello::decode(ByteView(message).subspan(4));
  EXPECT_TRUE(decoded.ok());
  msg::ClientHello hello = std::move(decoded).value();
  EXPECT_TRUE(!hello.extensions.empty() &&
              hello.extensions.back().is(msg::ExtensionType::pre_shared_key));
  hello.extensions.pop_back();
  return hello;
}

TEST(Rfc8448Replay, Section4ResumedZeroRttClient) {
  ScriptedRng rng;
  rng.push(Bytes(32));
  rng.push(Bytes(32));
  rng.push(step("4", "client", "create an ephemeral x25519")["private key"]);
  auto verifier = std::make_shared<AcceptingVerifier>();
  auto settings = replay_client_settings(rng, verifier);
  settings.offer.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  // The RFC's obfuscated_ticket_age is age_add + 6: the ticket is 6 ms old, as keel counts
  // (from the end of the second it arrived in).
  constexpr std::uint64_t kReceived = 1'500'000'000;
  settings.resume = section3_session(kReceived);
  const FixedClock clock(TimePoint(std::chrono::seconds(kReceived + 1)) +
                         std::chrono::milliseconds(6));
  settings.clock = &clock;
  settings.early_data = true;
  settings.rewrite_client_hello = [](msg::ClientHello& hello) {
    hello = section4_hello_without_psk();
  };
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine client(provider(), tls13::make_client_handshake(std::move(settings)));
  ASSERT_TRUE(client.start().ok());
  EXPECT_EQ(take_output(client), step("4", "client", "send handshake record")["complete record"]);
  // The early data goes at once, under the client early traffic key.
  const auto& early = step("4", "client", "send application_data", 1);
  ASSERT_TRUE(client.write(early["payload"]).ok());
  EXPECT_EQ(take_output(client), early["complete record"]);
  EXPECT_EQ(client.early_data_sent(), early["payload"].size());

  ASSERT_TRUE(client.feed(step("4", "server", "send handshake record", 1)["complete record"]).ok());
  auto flight = client.feed(step("4", "server", "send handshake record", 2)["complete record"]);
  ASSERT_TRUE(flight.ok()) << flight.error().message();
  ASSERT_TRUE(client.handshake_complete());
  EXPECT_TRUE(rng.finished());
  EXPECT_TRUE(client.negotiated().resumed);
  EXPECT_TRUE(client.negotiated().early_data_accepted);
  EXPECT_EQ(verifier->asked_for, std::nullopt);  // no certificate in a resumed handshake
  // EndOfEarlyData under the early key, then Finished under the handshake key.
  EXPECT_EQ(take_output(client),
            concat(step("4", "client", "send handshake record", 2)["complete record"],
                   step("4", "client", "send handshake record", 3)["complete record"]));
  KeyLogEntries expected = {
      {"CLIENT_EARLY_TRAFFIC_SECRET",
       step("4", "client", "derive secret \"tls13 c e traffic\"")["expanded"]}};
  expect_logged(KeyLogEntries(logged.begin() + 1, logged.end()), "4");
  EXPECT_EQ(KeyLogEntries(logged.begin(), logged.begin() + 1), expected);

  const auto& sent = step("4", "client", "send application_data", 2);
  ASSERT_TRUE(client.write(sent["payload"]).ok());
  EXPECT_EQ(take_output(client), sent["complete record"]);
  const auto& received = step("4", "server", "send application_data");
  ASSERT_TRUE(client.feed(received["complete record"]).ok());
  Bytes data(client.readable());
  ASSERT_TRUE(client.read(data).ok());
  EXPECT_EQ(data, received["payload"]);
  ASSERT_TRUE(client.close().ok());
  EXPECT_EQ(take_output(client), step("4", "client", "send alert")["complete record"]);
  ASSERT_TRUE(client.feed(step("4", "server", "send alert")["complete record"]).ok());
  EXPECT_TRUE(client.peer_closed());
}

/// The groups the RFC's server lists in §3's and §4's EncryptedExtensions: x25519, the NIST
/// curves and the RFC 7919 groups.
const std::vector<NamedGroup> kSection3And4Groups = {
    NamedGroup::x25519,           NamedGroup::secp256r1,        NamedGroup::secp384r1,
    NamedGroup::secp521r1,        static_cast<NamedGroup>(256), static_cast<NamedGroup>(257),
    static_cast<NamedGroup>(258), static_cast<NamedGroup>(259), static_cast<NamedGroup>(260)};

tls13::ServerSettings replay_server_settings(ScriptedRng& rng, const std::string& section) {
  tls13::ServerSettings settings;
  settings.preferences.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  settings.credentials = {rfc_credential(section)};
  settings.record_size_limit = 0x4001;  // as the RFC's server announces
  settings.key_policy = rfc_key_policy();
  settings.rng = &rng;
  return settings;
}

/// The random of a ServerHello message (after the 4-byte header and legacy_version).
Bytes server_random(const std::string& section, int nth = 1) {
  const Bytes hello = step(section, "server", "construct a ServerHello", nth)["ServerHello"];
  return {hello.begin() + 6, hello.begin() + 38};
}

TEST(Rfc8448Replay, Section3Server) {
  ScriptedRng rng;
  rng.push(step("3", "server", "create an ephemeral x25519")["private key"]);
  rng.push(server_random("3"));
  auto settings = replay_server_settings(rng, "3");
  settings.preferences.groups = {NamedGroup::x25519};
  settings.advertised_groups = kSection3And4Groups;
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine server(provider(), tls13::make_server_handshake(std::move(settings)));
  ASSERT_TRUE(server.start().ok());
  auto hello = server.feed(step("3", "client", "send handshake record")["complete record"]);
  ASSERT_TRUE(hello.ok()) << hello.error().message();
  EXPECT_EQ(take_output(server),
            concat(step("3", "server", "send handshake record", 1)["complete record"],
                   step("3", "server", "send handshake record", 2)["complete record"]));
  EXPECT_TRUE(rng.finished());

  auto finished = server.feed(step("3", "client", "send handshake record", 2)["complete record"]);
  ASSERT_TRUE(finished.ok()) << finished.error().message();
  ASSERT_TRUE(server.handshake_complete());
  expect_logged(logged, "3");
  // (The RFC's server then sends a NewSessionTicket: resumption is not part of keel yet, so
  // its records from here on carry other sequence numbers; the client's still open.)
  const auto& received = step("3", "client", "send application_data");
  ASSERT_TRUE(server.feed(received["complete record"]).ok());
  Bytes data(server.readable());
  ASSERT_TRUE(server.read(data).ok());
  EXPECT_EQ(data, received["payload"]);
  ASSERT_TRUE(server.feed(step("3", "client", "send alert")["complete record"]).ok());
  EXPECT_TRUE(server.peer_closed());
}

TEST(Rfc8448Replay, Section4ResumedZeroRttServer) {
  ScriptedRng rng;
  rng.push(step("4", "server", "create an ephemeral x25519")["private key"]);
  rng.push(server_random("4"));
  auto settings = replay_server_settings(rng, "3");
  settings.preferences.groups = {NamedGroup::x25519};
  settings.advertised_groups = kSection3And4Groups;
  // The session §3's ticket holds, as the RFC's server would have sealed it; the client's
  // age (6 ms) is within the window of the server's view.
  constexpr std::uint64_t kIssued = 1'500'000'000;
  const auto issued = section3_session(kIssued - 1);  // the client's view is a second behind
  session::SessionState state;
  state.version = ProtocolVersion::tls13;
  state.suite = issued->state.suite;
  state.secret = Secret::copy_of(issued->state.secret.view());
  state.created = kIssued;
  state.lifetime = issued->state.lifetime;
  state.age_add = issued->state.age_add;
  state.max_early_data = issued->state.max_early_data;
  state.server_name = "server";
  state.peer_verified = false;
  auto encoded_state = state.encode();
  ASSERT_TRUE(encoded_state.ok());
  const Bytes rfc_ticket = issued->ticket;
  const Bytes sealed(encoded_state->view().begin(), encoded_state->view().end());
  settings.open_ticket = [rfc_ticket, sealed](ByteView ticket) -> std::optional<Secret> {
    if (!std::ranges::equal(ticket, rfc_ticket)) {
      return std::nullopt;
    }
    return Secret::copy_of(sealed);
  };
  const FixedClock clock(TimePoint(std::chrono::seconds(kIssued)) + std::chrono::milliseconds(6));
  settings.clock = &clock;
  settings.max_early_data = state.max_early_data;
  settings.replay_guard = std::make_shared<session::ReplayGuard>();
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine server(provider(), tls13::make_server_handshake(std::move(settings)));
  ASSERT_TRUE(server.start().ok());
  auto hello = server.feed(step("4", "client", "send handshake record")["complete record"]);
  ASSERT_TRUE(hello.ok()) << hello.error().message();
  EXPECT_EQ(take_output(server),
            concat(step("4", "server", "send handshake record", 1)["complete record"],
                   step("4", "server", "send handshake record", 2)["complete record"]));
  EXPECT_TRUE(rng.finished());
  EXPECT_TRUE(server.negotiated().resumed);
  EXPECT_TRUE(server.negotiated().early_data_accepted);

  // The early data, read with the client early traffic key, comes first.
  const auto& early = step("4", "client", "send application_data", 1);
  ASSERT_TRUE(server.feed(early["complete record"]).ok());
  EXPECT_EQ(server.early_data_received(), early["payload"].size());
  // EndOfEarlyData, then the client's Finished.
  ASSERT_TRUE(server.feed(step("4", "client", "send handshake record", 2)["complete record"]).ok());
  auto finished = server.feed(step("4", "client", "send handshake record", 3)["complete record"]);
  ASSERT_TRUE(finished.ok()) << finished.error().message();
  ASSERT_TRUE(server.handshake_complete());
  const KeyLogEntries expected = {
      {"CLIENT_EARLY_TRAFFIC_SECRET",
       step("4", "client", "derive secret \"tls13 c e traffic\"")["expanded"]}};
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(KeyLogEntries(logged.begin(), logged.begin() + 1), expected);
  expect_logged(KeyLogEntries(logged.begin() + 1, logged.end()), "4");

  const auto& received = step("4", "client", "send application_data", 2);
  ASSERT_TRUE(server.feed(received["complete record"]).ok());
  Bytes data(server.readable());
  ASSERT_TRUE(server.read(data).ok());
  EXPECT_EQ(data, concat(early["payload"], received["payload"]));
  const auto& sent = step("4", "server", "send application_data");
  ASSERT_TRUE(server.write(sent["payload"]).ok());
  EXPECT_EQ(take_output(server), sent["complete record"]);
  ASSERT_TRUE(server.close().ok());
  EXPECT_EQ(take_output(server), step("4", "server", "send alert")["complete record"]);
}

TEST(Rfc8448Replay, Section5HelloRetryRequestClient) {
  ScriptedRng rng;
  rng.push(Bytes(32));
  rng.push(Bytes(32));
  rng.push(step("5", "client", "create an ephemeral x25519")["private key"]);
  rng.push(step("5", "client", "create an ephemeral P-256")["private key"]);
  auto verifier = std::make_shared<AcceptingVerifier>();
  auto settings = replay_client_settings(rng, verifier);
  settings.offer.groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  int hellos = 0;
  settings.rewrite_client_hello = [&hellos](msg::ClientHello& hello) {
    hello = rfc_client_hello("5", ++hellos);
  };
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine client(provider(), tls13::make_client_handshake(std::move(settings)));
  ASSERT_TRUE(client.start().ok());
  EXPECT_EQ(take_output(client), step("5", "client", "send handshake record")["complete record"]);
  auto retry = client.feed(step("5", "server", "send handshake record", 1)["complete record"]);
  ASSERT_TRUE(retry.ok()) << retry.error().message();
  EXPECT_EQ(take_output(client),
            step("5", "client", "send handshake record", 2)["complete record"]);

  ASSERT_TRUE(client.feed(step("5", "server", "send handshake record", 2)["complete record"]).ok());
  auto flight = client.feed(step("5", "server", "send handshake record", 3)["complete record"]);
  ASSERT_TRUE(flight.ok()) << flight.error().message();
  ASSERT_TRUE(client.handshake_complete());
  EXPECT_TRUE(rng.finished());
  EXPECT_TRUE(client.negotiated().hello_retry_request);
  EXPECT_EQ(client.negotiated().group, NamedGroup::secp256r1);
  EXPECT_EQ(take_output(client),
            step("5", "client", "send handshake record", 3)["complete record"]);
  expect_logged(logged, "5");
  ASSERT_TRUE(client.close().ok());
  EXPECT_EQ(take_output(client), step("5", "client", "send alert")["complete record"]);
  ASSERT_TRUE(client.feed(step("5", "server", "send alert")["complete record"]).ok());
  EXPECT_TRUE(client.peer_closed());
}

TEST(Rfc8448Replay, Section5HelloRetryRequestServer) {
  const Bytes retry_message = step("5", "server", "construct a ServerHello", 1)["ServerHello"];
  auto retry = msg::ServerHello::decode(ByteView(retry_message).subspan(4));
  ASSERT_TRUE(retry.ok());
  auto cookie = msg::decode_cookie(*msg::find(retry->extensions, msg::ExtensionType::cookie));
  ASSERT_TRUE(cookie.ok());

  ScriptedRng rng;
  rng.push(*cookie);
  rng.push(step("5", "server", "create an ephemeral P-256")["private key"]);
  rng.push(server_random("5", 2));
  auto settings = replay_server_settings(rng, "5");
  settings.preferences.groups = {NamedGroup::secp256r1};  // "the server, however, prefers P-256"
  settings.cookie_size = cookie->size();
  settings.advertised_groups = {NamedGroup::secp256r1, NamedGroup::secp384r1, NamedGroup::x25519};
  KeyLogEntries logged;
  settings.key_log = recorder(logged);

  connection::Engine server(provider(), tls13::make_server_handshake(std::move(settings)));
  ASSERT_TRUE(server.start().ok());
  ASSERT_TRUE(server.feed(step("5", "client", "send handshake record")["complete record"]).ok());
  EXPECT_EQ(take_output(server),
            step("5", "server", "send handshake record", 1)["complete record"]);
  auto second = server.feed(step("5", "client", "send handshake record", 2)["complete record"]);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(take_output(server),
            concat(step("5", "server", "send handshake record", 2)["complete record"],
                   step("5", "server", "send handshake record", 3)["complete record"]));
  EXPECT_TRUE(rng.finished());
  auto finished = server.feed(step("5", "client", "send handshake record", 3)["complete record"]);
  ASSERT_TRUE(finished.ok()) << finished.error().message();
  ASSERT_TRUE(server.handshake_complete());
  expect_logged(logged, "5");
  ASSERT_TRUE(server.close().ok());
  EXPECT_EQ(take_output(server), step("5", "server", "send alert")["complete record"]);
}

}  // namespace
}  // namespace keel::test
