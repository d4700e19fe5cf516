#include "tls13/server.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <utility>
#include <variant>

#include "core/try.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/negotiation.hpp"
#include "msg/certificate.hpp"
#include "msg/certificate_request.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/extensions.hpp"
#include "msg/finished.hpp"
#include "msg/tls12_messages.hpp"
#include "msg/types.hpp"
#include "tls12/server.hpp"
#include "tls13/encrypted_extensions.hpp"
#include "tls13/established.hpp"
#include "tls13/resumption.hpp"

namespace keel::tls13 {
namespace {

using handshake::HandshakeMessage;
using msg::HandshakeType;

// The states of the server (docs/design.md, rule 3).

struct ExpectClientHello {};

struct ExpectSecondClientHello {
  msg::ClientHello first;
  handshake::Suite13 suite;
  NamedGroup group{};
  Bytes cookie;
};

/// What the server holds once its flight is sent: the client's handshake secret (for its
/// Finished) and the master secret (for the resumption secret after it).
struct FlightSent {
  handshake::Suite13 suite;
  Secret client_handshake;
  handshake::MasterSecret master;
  ApplicationSecrets secrets;  // client, server and exporter so far
};

struct ExpectClientCertificate {
  FlightSent flight;
};

struct ExpectClientCertificateVerify {
  FlightSent flight;
  std::unique_ptr<crypto::PublicKey> peer_key;
};

/// 0-RTT accepted (§4.2.10): the client's early data, read with the early key, up to
/// `allowance` more bytes, then its EndOfEarlyData.
struct ExpectEndOfEarlyData {
  FlightSent flight;
  std::size_t allowance = 0;
};

struct ExpectClientFinished {
  FlightSent flight;
  /// Present when the client authenticated: the proof its signature verified.
  std::optional<handshake::HandshakeSignatureVerified> signature_verified;
};

/// The client does not offer TLS 1.3 (or the server turned it off): the rest is TLS 1.2's
/// (tls12/server.hpp).
struct Tls12 {
  std::unique_ptr<tls12::Server> server;
};

struct Complete {};
struct Failed {};

using State = std::variant<ExpectClientHello, ExpectSecondClientHello, ExpectClientCertificate,
                           ExpectClientCertificateVerify, ExpectEndOfEarlyData,
                           ExpectClientFinished, Tls12, Complete, Failed>;

/// A credential and the scheme it signs with.
struct Presentation {
  const Credential* credential;
  SignatureScheme scheme;
};

class ServerHandshake final : public Handshake {
 public:
  explicit ServerHandshake(ServerSettings settings) : settings_(std::move(settings)) {}

  Result<void> start(Channel& channel) override {
    channel.set_key_log(settings_.key_log);
    return {};
  }

  Result<void> handle(Channel& channel, const HandshakeMessage& message) override {
    State state = std::exchange(state_, Failed{});
    KEEL_TRY_ASSIGN(state_, std::visit(
                                [&](auto&& current) -> Result<State> {
                                  return on(std::forward<decltype(current)>(current), channel,
                                            message);
                                },
                                std::move(state)));
    return {};
  }

  Result<void> handle_change_cipher_spec(Channel& channel) override {
    if (auto* tls12 = std::get_if<Tls12>(&state_)) {
      auto handled = tls12->server->handle_change_cipher_spec(channel);
      if (!handled.ok()) {
        state_ = Failed{};
      }
      return handled;
    }
    return Handshake::handle_change_cipher_spec(channel);
  }

  Result<void> accept_early_data(std::size_t size) override {
    auto* early = std::get_if<ExpectEndOfEarlyData>(&state_);
    if (early == nullptr) {
      return Handshake::accept_early_data(size);
    }
    if (size > early->allowance) {
      // §4.2.10: "If the server receives more than max_early_data_size bytes of 0-RTT
      // data, it SHOULD abort the connection with an "unexpected_message" alert."
      state_ = Failed{};
      return Error(Errc::unexpected_message, "more 0-RTT data than max_early_data");
    }
    early->allowance -= size;
    return {};
  }

  std::unique_ptr<Session> take_established() override {
    if (auto* tls12 = std::get_if<Tls12>(&state_)) {
      if (auto established = tls12->server->take_established()) {
        state_ = Complete{};
        return established;
      }
      return nullptr;
    }
    return std::move(established_);
  }
  [[nodiscard]] const Negotiated& negotiated() const noexcept override { return negotiated_; }

 private:
  Rng& rng(Channel& channel) const {
    return settings_.rng != nullptr ? *settings_.rng : channel.provider_rng();
  }

  static Result<State> on(Complete&& /*state*/, Channel& /*channel*/,
                          const HandshakeMessage& message) {
    return unexpected(message, "nothing (the handshake is complete)");
  }
  static Result<State> on(Failed&& /*state*/, Channel& /*channel*/,
                          const HandshakeMessage& /*message*/) {
    return Error(Errc::connection_closed, "the handshake failed earlier");
  }

  Result<State> hand_over_to_tls12(Channel& channel, const HandshakeMessage& message,
                                   const msg::ClientHello& hello) {
    tls12::ServerContext context = *settings_.tls12;
    context.credentials = settings_.credentials;
    context.alpn = settings_.alpn;
    context.client_verifier = settings_.client_verifier;
    context.key_policy = settings_.key_policy;
    context.client_auth = settings_.client_auth == ClientAuth::none ? tls12::ClientAuth12::none
                          : settings_.client_auth == ClientAuth::optional
                              ? tls12::ClientAuth12::optional
                              : tls12::ClientAuth12::required;
    context.speaks_tls13 = settings_.tls13;
    context.ticket_keys = settings_.ticket_keys;
    context.issue_tickets = settings_.session_tickets > 0;
    context.ticket_lifetime = settings_.ticket_lifetime;
    context.session_ids = settings_.session_ids;
    context.clock = settings_.clock;
    context.rng = settings_.rng;
    context.negotiated = &negotiated_;
    KEEL_TRY_ASSIGN(auto server,
                    tls12::Server::start(std::move(context), hello, message.whole, channel));
    return Tls12{std::move(server)};
  }

  static Result<State> on(Tls12&& state, Channel& channel, const HandshakeMessage& message) {
    KEEL_TRY(state.server->handle(channel, message));
    return std::move(state);
  }

  Result<State> on(ExpectClientHello&& /*state*/, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::client_hello) {
      return unexpected(message, "ClientHello");
    }
    KEEL_TRY_ASSIGN(auto hello, msg::ClientHello::decode(message.body));
    KEEL_TRY_ASSIGN(const auto offered, tls12::offered_versions(hello));
    if (settings_.tls12 && offered.tls12 && (!offered.tls13 || !settings_.tls13)) {
      return hand_over_to_tls12(channel, message, hello);
    }
    if (!settings_.tls13) {
      return Error(Errc::protocol_version, "the client does not offer TLS 1.2");
    }
    KEEL_TRY_ASSIGN(auto choice, check_client_hello(hello, settings_.preferences));
    channel.set_client_random(hello.random);
    KEEL_TRY_ASSIGN(channel.transcript(),
                    handshake::Transcript::with_hash(channel.provider(), choice.suite.hash));
    // §5: change_cipher_spec may arrive from the first ClientHello until the client's Finished.
    channel.records().allow_change_cipher_spec(true);
    if (choice.group.share) {
      return respond(channel, message, hello, choice);
    }
    KEEL_TRY(channel.transcript().add(message.whole));
    if (msg::find(hello.extensions, msg::ExtensionType::early_data) != nullptr) {
      // §4.2.10: after a HelloRetryRequest the client's 0-RTT records are skipped.
      channel.records().skip_early_data(early_data_skip_budget());
    }

    // §4.1.4: no share for a group the server accepts — ask for one.
    Bytes cookie(settings_.cookie_size);
    if (!cookie.empty()) {
      KEEL_TRY(rng(channel).fill(cookie));
    }
    std::optional<ByteView> cookie_view;
    if (!cookie.empty()) {
      cookie_view = ByteView(cookie);
    }
    KEEL_TRY_ASSIGN(auto retry, build_hello_retry_request(hello, choice.suite.id,
                                                          choice.group.group, cookie_view));
    KEEL_TRY_ASSIGN(auto encoded, retry.encode());
    KEEL_TRY(channel.transcript().replace_with_message_hash());
    KEEL_TRY(channel.send_handshake(encoded));
    KEEL_TRY(send_change_cipher_spec_once(channel, hello));
    negotiated_.hello_retry_request = true;
    return ExpectSecondClientHello{std::move(hello), choice.suite, choice.group.group,
                                   std::move(cookie)};
  }

  Result<State> on(ExpectSecondClientHello&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::client_hello) {
      return unexpected(message, "ClientHello");
    }
    KEEL_TRY_ASSIGN(auto hello, msg::ClientHello::decode(message.body));
    KEEL_TRY_ASSIGN(const auto offered, tls12::offered_versions(hello));
    if (settings_.tls12 && offered.tls12 && (!offered.tls13 || !settings_.tls13)) {
      return hand_over_to_tls12(channel, message, hello);
    }
    if (!settings_.tls13) {
      return Error(Errc::protocol_version, "the client does not offer TLS 1.2");
    }
    KEEL_TRY_ASSIGN(auto choice, check_client_hello(hello, settings_.preferences));
    // §4.1.2: the second ClientHello is the first with the key share replaced and the cookie
    // added; keel checks what its answer depends on.
    if (hello.random != state.first.random ||
        hello.legacy_session_id != state.first.legacy_session_id) {
      return Error(Errc::illegal_parameter, "the second ClientHello changed its random or id");
    }
    if (choice.suite.id != state.suite.id) {
      return Error(Errc::illegal_parameter, "the second ClientHello changed the cipher suite");
    }
    if (!choice.group.share || choice.group.group != state.group) {
      return Error(Errc::illegal_parameter,
                   "the second ClientHello has no key share for " + to_string(state.group));
    }
    const bool cookie_echoed =
        state.cookie.empty() ? !choice.cookie.has_value() : choice.cookie == state.cookie;
    if (!cookie_echoed) {
      return Error(Errc::illegal_parameter, "the second ClientHello's cookie is not ours");
    }
    return respond(channel, message, hello, choice);
  }

  /// §D.4: in middlebox compatibility mode the server sends one change_cipher_spec right
  /// after its first handshake message.
  Result<void> send_change_cipher_spec_once(Channel& channel, const msg::ClientHello& hello) {
    if (hello.legacy_session_id.empty() || change_cipher_spec_sent_) {
      return {};
    }
    change_cipher_spec_sent_ = true;
    return channel.send_change_cipher_spec();
  }

  Result<Presentation> choose_credential(const ClientHelloChoice& choice) const {
    const auto can_sign = [&](const Credential& credential) -> std::optional<SignatureScheme> {
      auto scheme =
          handshake::choose_signature_scheme(choice.signature_schemes, credential.key().type());
      if (!scheme.ok()) {
        return std::nullopt;
      }
      return scheme.value();
    };
    // By name first, then any: a client that asks for a name the server does not have still
    // gets the default certificate and decides for itself.
    for (const bool by_name : {true, false}) {
      for (const auto& credential : settings_.credentials) {
        if (by_name && !(choice.server_name && credential->covers(*choice.server_name))) {
          continue;
        }
        if (auto scheme = can_sign(*credential)) {
          return Presentation{credential.get(), *scheme};
        }
      }
    }
    return Error(Errc::handshake_failure,
                 "no certificate whose key signs with a scheme the client offered");
  }

  [[nodiscard]] TimePoint now() const {
    return settings_.clock != nullptr ? settings_.clock->now() : SystemClock().now();
  }

  /// The ServerHello and the rest of the server's flight, for a ClientHello (`message`, not
  /// yet in the transcript) the server answers: resuming a session from a ticket the client
  /// offers if one qualifies (§2.2: no certificate then), in full otherwise.
  Result<State> respond(Channel& channel, const HandshakeMessage& message,
                        const msg::ClientHello& hello, const ClientHelloChoice& choice) {
    const auto& suite = choice.suite;
    const auto& provider = channel.provider();
    auto& transcript = channel.transcript();
    std::optional<Resumed> resumed;
    if (settings_.open_ticket || settings_.ticket_keys) {
      const TimePoint at = now();
      const TicketOpener ring = [&](ByteView ticket) {
        return settings_.ticket_keys->open(provider, at, ticket);
      };
      KEEL_TRY_ASSIGN(resumed,
                      accept_psk(provider, settings_.open_ticket ? settings_.open_ticket : ring, at,
                                 choice, message.whole, transcript));
    }
    if (resumed && settings_.client_auth == ClientAuth::required && !resumed->state.peer_verified) {
      resumed.reset();  // a session without a client certificate, where one is now required
    }
    KEEL_TRY(transcript.add(message.whole));
    std::optional<Presentation> presentation;
    if (!resumed) {
      KEEL_TRY_ASSIGN(presentation, choose_credential(choice));
    }
    KEEL_TRY_ASSIGN(auto alpn, select_alpn(choice.alpn, settings_.alpn));
    // 0-RTT (§4.2.10): the client's early data is read with a key from its ClientHello.
    const bool early_offered =
        msg::find(hello.extensions, msg::ExtensionType::early_data) != nullptr;
    std::optional<Secret> client_early;
    if (early_offered && resumed && accepts_early_data(*resumed, choice, alpn)) {
      KEEL_TRY_ASSIGN(auto hello_hash, transcript.hash());
      KEEL_TRY_ASSIGN(client_early, resumed->early.client_early_traffic_secret(hello_hash.view()));
      channel.log_secret("CLIENT_EARLY_TRAFFIC_SECRET", client_early->view());
    }

    // ServerHello, then the handshake keys.
    KEEL_TRY_ASSIGN(auto shared_secret,
                    send_server_hello(channel, hello, choice,
                                      resumed ? std::optional(resumed->index) : std::nullopt));
    std::optional<handshake::EarlySecret> early;
    if (resumed) {
      early.emplace(std::move(resumed->early));
    } else {
      KEEL_TRY_ASSIGN(early, handshake::EarlySecret::without_psk(provider, suite.hash));
    }
    KEEL_TRY_ASSIGN(auto secret, std::move(*early).advance(shared_secret.view()));
    KEEL_TRY_ASSIGN(auto hello_hash, transcript.hash());
    KEEL_TRY_ASSIGN(auto client_handshake, secret.client_traffic_secret(hello_hash.view()));
    KEEL_TRY_ASSIGN(auto server_handshake, secret.server_traffic_secret(hello_hash.view()));
    channel.log_secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", client_handshake.view());
    channel.log_secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", server_handshake.view());
    KEEL_TRY(channel.set_write_secret(suite, server_handshake.view()));
    if (client_early) {
      KEEL_TRY(channel.set_read_secret(suite, client_early->view()));
    } else {
      KEEL_TRY(channel.set_read_secret(suite, client_handshake.view()));
      if (early_offered) {
        channel.records().skip_early_data(early_data_skip_budget());  // rejected: skipped
      }
    }

    negotiated_.cipher_suite = suite.id;
    negotiated_.group = choice.group.group;
    negotiated_.alpn = alpn;
    negotiated_.server_name = choice.server_name;
    if (resumed) {
      negotiated_.resumed = true;
      negotiated_.peer_certificates = std::move(resumed->state.peer_certificates);
      negotiated_.peer_verified = resumed->state.peer_verified;
    }

    // EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify, Finished.
    KEEL_TRY(send_encrypted_extensions(channel, choice, alpn, client_early.has_value()));
    if (presentation) {
      // §4.3.2: a server authenticating with a PSK sends no CertificateRequest either.
      if (settings_.client_auth != ClientAuth::none) {
        KEEL_TRY(send_certificate_request(channel));
      }
      KEEL_TRY(send_certificate(channel, *presentation));
    }
    KEEL_TRY_ASSIGN(auto before_finished, transcript.hash());
    KEEL_TRY_ASSIGN(auto verify_data,
                    handshake::finished_verify_data(provider, suite.hash, server_handshake.view(),
                                                    before_finished.view()));
    const ByteView data = verify_data.view();
    KEEL_TRY_ASSIGN(auto finished, msg::Finished{Bytes(data.begin(), data.end())}.encode());
    KEEL_TRY(channel.send_handshake(finished));

    // §7.1: the application secrets hash the transcript through the server's Finished.
    KEEL_TRY_ASSIGN(auto server_finished_hash, transcript.hash());
    KEEL_TRY_ASSIGN(auto master, std::move(secret).advance());
    KEEL_TRY_ASSIGN(auto secrets,
                    derive_application_secrets(master, server_finished_hash.view(), channel));
    KEEL_TRY(channel.set_write_secret(suite, secrets.server.view()));

    FlightSent flight{suite, std::move(client_handshake), std::move(master), std::move(secrets)};
    if (presentation && settings_.client_auth != ClientAuth::none) {
      return ExpectClientCertificate{std::move(flight)};
    }
    if (client_early) {
      negotiated_.early_data_accepted = true;
      return ExpectEndOfEarlyData{std::move(flight), settings_.max_early_data};
    }
    return ExpectClientFinished{std::move(flight), std::nullopt};
  }

  /// §4.1.3: the ServerHello with a new key share in the group chosen (and, resuming, the
  /// PSK's index), then §D.4's change_cipher_spec if the client is in compatibility mode.
  /// Returns the (EC)DHE shared secret.
  Result<Secret> send_server_hello(Channel& channel, const msg::ClientHello& hello,
                                   const ClientHelloChoice& choice,
                                   std::optional<std::uint16_t> psk_index) {
    KEEL_TRY_ASSIGN(auto share,
                    channel.provider().generate_key_share(choice.group.group, rng(channel)));
    msg::Random random{};
    KEEL_TRY(rng(channel).fill(random));
    const ByteView public_key = share->public_key();
    const msg::KeyShareEntry server_share{choice.group.group,
                                          Bytes(public_key.begin(), public_key.end())};
    const Bytes* key_share = msg::find(hello.extensions, msg::ExtensionType::key_share);
    if (key_share == nullptr) {
      return Error(Errc::missing_extension, "ClientHello.key_share");
    }
    KEEL_TRY_ASSIGN(auto client_shares, msg::decode_client_shares(*key_share));
    if (*choice.group.share >= client_shares.size()) {
      return Error(Errc::internal, "the chosen key share is not in the ClientHello");
    }
    KEEL_TRY_ASSIGN(auto shared_secret,
                    share->agree(client_shares[*choice.group.share].key_exchange));
    KEEL_TRY_ASSIGN(auto server_hello,
                    build_server_hello(hello, random, choice.suite.id, server_share, psk_index));
    KEEL_TRY_ASSIGN(auto encoded, server_hello.encode());
    KEEL_TRY(channel.send_handshake(encoded));
    KEEL_TRY(send_change_cipher_spec_once(channel, hello));
    return shared_secret;
  }

  /// §4.3.1: EncryptedExtensions, and the client's record_size_limit applied from now on.
  Result<void> send_encrypted_extensions(Channel& channel, const ClientHelloChoice& choice,
                                         const std::optional<std::string>& alpn,
                                         bool early_data_accepted) {
    const ServerExtensions extensions{
        .supported_groups = settings_.advertised_groups,
        .alpn = alpn,
        .server_name_used = choice.server_name.has_value(),
        .record_size_limit = settings_.record_size_limit,
        .early_data_accepted = early_data_accepted,
    };
    KEEL_TRY_ASSIGN(auto encrypted_extensions, build_encrypted_extensions(extensions));
    KEEL_TRY_ASSIGN(auto encoded, encrypted_extensions.encode());
    KEEL_TRY(channel.send_handshake(encoded));
    if (choice.record_size_limit) {
      // RFC 8449 §4: the client's limit counts the inner content type byte.
      channel.records().set_max_fragment(
          std::min<std::size_t>(record::kMaxPlaintext, *choice.record_size_limit - 1U));
    }
    return {};
  }

  /// Certificate and CertificateVerify (§4.4.2, §4.4.3).
  static Result<void> send_certificate(Channel& channel, const Presentation& presentation) {
    KEEL_TRY(channel.send_handshake(presentation.credential->certificate_message()));
    KEEL_TRY_ASSIGN(auto certificate_hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto signature,
                    handshake::sign_handshake(presentation.credential->key(), presentation.scheme,
                                              handshake::Signer::server, certificate_hash.view()));
    KEEL_TRY_ASSIGN(auto encoded,
                    (msg::CertificateVerify{presentation.scheme, std::move(signature)}.encode()));
    return channel.send_handshake(encoded);
  }

  static Result<void> send_certificate_request(Channel& channel) {
    KEEL_TRY_ASSIGN(auto schemes,
                    msg::encode_signature_schemes(handshake::tls13_signature_schemes()));
    msg::CertificateRequest request;
    request.extensions.push_back(
        {static_cast<std::uint16_t>(msg::ExtensionType::signature_algorithms), std::move(schemes)});
    KEEL_TRY_ASSIGN(auto encoded, request.encode());
    return channel.send_handshake(encoded);
  }

  Result<State> on(ExpectClientCertificate&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate) {
      return unexpected(message, "Certificate");
    }
    KEEL_TRY_ASSIGN(auto received, msg::CertificateMessage::decode(message.body));
    if (!received.certificate_request_context.empty()) {
      return Error(Errc::illegal_parameter, "Certificate.certificate_request_context");
    }
    for (const auto& entry : received.certificate_list) {
      // keel's CertificateRequest asks for no extensions (§4.4.2).
      if (!entry.extensions.empty()) {
        return Error(Errc::unsupported_extension, "client Certificate entry with extensions");
      }
    }
    KEEL_TRY(channel.transcript().add(message.whole));
    if (received.certificate_list.empty()) {
      // §4.4.2.4: without a certificate the server "MAY at its discretion either continue
      // the handshake without client authentication, or abort the handshake with a
      // "certificate_required" alert".
      if (settings_.client_auth == ClientAuth::required) {
        return Error(Errc::certificate_required, "the client sent no certificate");
      }
      return ExpectClientFinished{std::move(state.flight), std::nullopt};
    }
    std::vector<ByteView> chain;
    for (const auto& entry : received.certificate_list) {
      chain.emplace_back(entry.cert_data);
      negotiated_.peer_certificates.push_back(entry.cert_data);
    }
    if (settings_.client_verifier == nullptr) {
      return Error(Errc::internal, "client authentication without a verifier");
    }
    KEEL_TRY_ASSIGN(auto verified,
                    x509::verify_client_chain(*settings_.client_verifier, chain, now()));
    negotiated_.peer_verified = true;
    KEEL_TRY_ASSIGN(
        auto key, channel.provider().parse_public_key(verified.leaf_spki(), settings_.key_policy));
    return ExpectClientCertificateVerify{std::move(state.flight), std::move(key)};
  }

  Result<State> on(ExpectClientCertificateVerify&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate_verify) {
      return unexpected(message, "CertificateVerify");
    }
    KEEL_TRY_ASSIGN(auto verify, msg::CertificateVerify::decode(message.body));
    KEEL_TRY_ASSIGN(auto hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto verified,
                    handshake::verify_handshake_signature(
                        *state.peer_key, verify.algorithm, handshake::tls13_signature_schemes(),
                        handshake::Signer::client, hash.view(), verify.signature));
    negotiated_.peer_signature_scheme = verify.algorithm;
    KEEL_TRY(channel.transcript().add(message.whole));
    return ExpectClientFinished{std::move(state.flight), verified};
  }

  /// §4.2.10: EndOfEarlyData ends the early data; the client's handshake key reads on.
  static Result<State> on(ExpectEndOfEarlyData&& state, Channel& channel,
                          const HandshakeMessage& message) {
    if (message.type != HandshakeType::end_of_early_data) {
      return unexpected(message, "EndOfEarlyData");
    }
    KEEL_TRY(msg::decode_empty(HandshakeType::end_of_early_data, message.body));
    KEEL_TRY(channel.transcript().add(message.whole));
    KEEL_TRY(channel.set_read_secret(state.flight.suite, state.flight.client_handshake.view()));
    return ExpectClientFinished{std::move(state.flight), std::nullopt};
  }

  /// Whether to accept the client's 0-RTT data on a resumed session (§4.2.10, §8): turned on,
  /// the first PSK offered, a ticket that allows it with the same suite and ALPN, no
  /// HelloRetryRequest, a ticket age the server expects within the replay window (§8.3), and
  /// a ClientHello the replay guard has not seen (§8.2).
  bool accepts_early_data(const Resumed& resumed, const ClientHelloChoice& choice,
                          const std::optional<std::string>& alpn) {
    const auto& state = resumed.state;
    if (settings_.max_early_data == 0 || !settings_.replay_guard || resumed.index != 0 ||
        negotiated_.hello_retry_request || state.max_early_data == 0 ||
        state.suite != choice.suite.id || state.alpn != alpn || !choice.psks) {
      return false;
    }
    // §4.2.11.1: the client's view of the ticket's age, in milliseconds, against the server's.
    const std::uint32_t client_age_ms =
        choice.psks->identities.front().obfuscated_ticket_age - state.age_add;
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
    const auto server_age_ms = now_ms - static_cast<std::int64_t>(state.created) * 1000;
    const auto window_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(session::ReplayGuard::kWindow)
            .count();
    if (std::abs(server_age_ms - static_cast<std::int64_t>(client_age_ms)) > window_ms) {
      return false;
    }
    return settings_.replay_guard->admit(choice.psks->binders.front(), now());
  }

  /// How much rejected 0-RTT data is skipped (§4.2.10: "up to the configured
  /// max_early_data_size"), with room for each record's overhead; 16 KiB when 0-RTT is off,
  /// for clients holding a ticket from a server of the fleet that allows it.
  [[nodiscard]] std::size_t early_data_skip_budget() const {
    constexpr std::size_t kMinimum = 16384;
    return std::max<std::size_t>(settings_.max_early_data, kMinimum) + kMinimum;
  }

  Result<State> on(ExpectClientFinished&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::finished) {
      return unexpected(message, "Finished");
    }
    auto& flight = state.flight;
    KEEL_TRY_ASSIGN(auto finished,
                    msg::Finished::decode(message.body, crypto::digest_size(flight.suite.hash)));
    KEEL_TRY_ASSIGN(auto before_finished, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto finished_verified,
                    handshake::verify_finished(channel.provider(), flight.suite.hash,
                                               flight.client_handshake.view(),
                                               before_finished.view(), finished.verify_data));
    KEEL_TRY(channel.transcript().add(message.whole));
    KEEL_TRY_ASSIGN(auto client_finished_hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(flight.secrets.resumption,
                    flight.master.resumption_master_secret(client_finished_hash.view()));
    KEEL_TRY(channel.set_read_secret(flight.suite, flight.secrets.client.view()));
    channel.records().allow_change_cipher_spec(false);
    KEEL_TRY(issue_tickets(channel, flight));
    established_ = std::make_unique<Established>(Side::server, flight.suite,
                                                 std::move(flight.secrets), finished_verified);
    return Complete{};
  }

  /// §4.6.1: tickets for the session just made (carrying what a resumption restores).
  Result<void> issue_tickets(Channel& channel, const FlightSent& flight) {
    if (!settings_.ticket_keys || settings_.session_tickets == 0 ||
        negotiated_.peer_certificates.size() > session::SessionState::kMaxPeerCertificates) {
      return {};
    }
    session::SessionState session;
    session.version = ProtocolVersion::tls13;
    session.suite = flight.suite.id;
    session.server_name = negotiated_.server_name;
    session.alpn = negotiated_.alpn;
    session.peer_certificates = negotiated_.peer_certificates;
    session.peer_verified = negotiated_.peer_verified;
    const TicketPolicy policy{settings_.ticket_keys.get(), settings_.session_tickets,
                              settings_.ticket_lifetime, settings_.max_early_data};
    return send_tickets(channel, rng(channel), now(), policy, flight.suite,
                        flight.secrets.resumption.view(), session);
  }

  ServerSettings settings_;
  State state_;
  bool change_cipher_spec_sent_ = false;
  Negotiated negotiated_;
  std::unique_ptr<Established> established_;
};

}  // namespace

std::unique_ptr<Handshake> make_server_handshake(ServerSettings settings) {
  return std::make_unique<ServerHandshake>(std::move(settings));
}

}  // namespace keel::tls13
