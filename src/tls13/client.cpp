#include "tls13/client.hpp"

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

#include "core/try.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/negotiation.hpp"
#include "msg/certificate.hpp"
#include "msg/certificate_request.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/encrypted_extensions.hpp"
#include "msg/extensions.hpp"
#include "msg/finished.hpp"
#include "msg/tls12_messages.hpp"
#include "msg/types.hpp"
#include "tls12/client.hpp"
#include "tls13/encrypted_extensions.hpp"
#include "tls13/established.hpp"
#include "tls13/resumption.hpp"
#include "tls13/server_hello_check.hpp"

namespace keel::tls13 {
namespace {

using handshake::HandshakeMessage;
using msg::HandshakeType;

// The states of the client, each holding what the next step needs (docs/design.md, rule 3).

struct NotStarted {};

struct ExpectServerHello {
  msg::ClientHello sent;
  std::vector<std::unique_ptr<crypto::KeyShare>> shares;
  std::optional<RetryRequest> retry;                // the HelloRetryRequest answered, if any
  std::optional<handshake::EarlySecret> psk_early;  // a session offered: its early secret
};

/// Proof that the server resumed the session offered (it chose our PSK, whose binder only a
/// holder of the session's secret could make): it authenticates instead of a certificate
/// (RFC 8446 §2.2).
struct SessionResumed {};

/// The handshake traffic secrets, from ServerHello on.
struct HandshakeKeys {
  handshake::Suite13 suite;
  handshake::HandshakeSecret secret;
  Secret client;
  Secret server;
};

struct ExpectEncryptedExtensions {
  msg::ClientHello sent;
  HandshakeKeys keys;
  std::optional<SessionResumed> resumed;
};

struct ExpectCertificateOrRequest {
  msg::ClientHello sent;
  HandshakeKeys keys;
};

/// A CertificateRequest (§4.3.2): the schemes the server accepts for our CertificateVerify.
struct ClientAuthRequest {
  std::vector<SignatureScheme> schemes;
};

struct ExpectCertificate {
  msg::ClientHello sent;
  HandshakeKeys keys;
  std::optional<ClientAuthRequest> request;
};

struct ExpectCertificateVerify {
  msg::ClientHello sent;
  HandshakeKeys keys;
  std::optional<ClientAuthRequest> request;
  x509::VerifiedPeer peer;
  std::unique_ptr<crypto::PublicKey> peer_key;
};

struct ExpectFinished {
  msg::ClientHello sent;
  HandshakeKeys keys;
  std::optional<ClientAuthRequest> request;
  /// How the server authenticated: a certificate's signature, or the session resumed.
  std::variant<handshake::HandshakeSignatureVerified, SessionResumed> server_authenticated;
};

/// 0-RTT data offered in the first ClientHello (§4.2.10).
struct EarlyData {
  std::size_t room = 0;  // bytes that may still be sent: 0 once the server answered
  std::size_t sent = 0;
  bool write_key = true;  // the write key is still the early one
};

/// The server chose TLS 1.2: the rest is its client's (tls12/client.hpp).
struct Tls12 {
  std::unique_ptr<tls12::Client> client;
};

struct Complete {};
struct Failed {};

using State = std::variant<NotStarted, ExpectServerHello, ExpectEncryptedExtensions,
                           ExpectCertificateOrRequest, ExpectCertificate, ExpectCertificateVerify,
                           ExpectFinished, Tls12, Complete, Failed>;

Result<std::vector<SignatureScheme>> offered_schemes(const msg::ClientHello& hello) {
  const Bytes* data = msg::find(hello.extensions, msg::ExtensionType::signature_algorithms);
  if (data == nullptr) {
    return std::vector<SignatureScheme>{};
  }
  return msg::decode_signature_schemes(*data);
}

class ClientHandshake final : public Handshake {
 public:
  explicit ClientHandshake(ClientSettings settings) : settings_(std::move(settings)) {
    negotiated_.server_name = settings_.offer.server_name;
  }

  Result<void> start(Channel& channel) override {
    if (!std::holds_alternative<NotStarted>(state_)) {
      return Error(Errc::internal, "the handshake has started already");
    }
    state_ = Failed{};
    Rng& random = rng(channel);
    KEEL_TRY(random.fill(randoms_.random));
    KEEL_TRY(random.fill(randoms_.session_id));
    if (settings_.grease) {
      KEEL_TRY(random.fill(randoms_.grease));
    }
    ExpectServerHello next;
    const std::size_t count = settings_.offer.tls13 ? std::min(settings_.key_shares,
                                                               settings_.offer.groups.size())
                                                    : 0;  // TLS 1.2 exchanges keys later
    for (std::size_t i = 0; i < count; ++i) {
      KEEL_TRY_ASSIGN(auto share, channel.provider().generate_key_share(settings_.offer.groups[i],
                                                                        rng(channel)));
      next.shares.push_back(std::move(share));
    }
    KEEL_TRY_ASSIGN(next.sent, client_hello(channel, next.shares, std::nullopt, next.psk_early));
    KEEL_TRY_ASSIGN(auto encoded, next.sent.encode());
    channel.set_client_random(next.sent.random);
    channel.set_key_log(settings_.key_log);
    // §5.1: legacy_record_version "MAY also be 0x0301" for the initial ClientHello, which
    // old middleboxes expect.
    channel.records().set_plaintext_version(0x0301);
    KEEL_TRY(channel.send_handshake(encoded));
    KEEL_TRY(channel.flush());
    channel.records().set_plaintext_version(0x0303);
    // §5: the server may send change_cipher_spec from its ServerHello until our Finished.
    channel.records().allow_change_cipher_spec(true);
    if (msg::find(next.sent.extensions, msg::ExtensionType::early_data) != nullptr) {
      KEEL_TRY(start_early_data(channel, next));
    }
    state_ = std::move(next);
    return {};
  }

  [[nodiscard]] std::size_t early_data_room() const noexcept override {
    return early_ ? early_->room : 0;
  }
  void early_data_sent(std::size_t size) noexcept override {
    if (early_) {
      const std::size_t counted = std::min(size, early_->room);
      early_->room -= counted;
      early_->sent += counted;
    }
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
      auto handled = tls12->client->handle_change_cipher_spec(channel);
      if (!handled.ok()) {
        state_ = Failed{};
      }
      return handled;
    }
    return Handshake::handle_change_cipher_spec(channel);
  }

  std::unique_ptr<Session> take_established() override {
    if (auto* tls12 = std::get_if<Tls12>(&state_)) {
      if (auto established = tls12->client->take_established()) {
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

  [[nodiscard]] TimePoint now() const {
    return settings_.clock != nullptr ? settings_.clock->now() : SystemClock().now();
  }

  /// The ClientHello (first, or second after a HelloRetryRequest that chose `retry_hash`),
  /// offering the session to resume if it suits: then `psk_early` holds its early secret.
  Result<msg::ClientHello> client_hello(
      Channel& channel, const std::vector<std::unique_ptr<crypto::KeyShare>>& shares,
      const std::optional<RetryAnswer>& retry, std::optional<handshake::EarlySecret>& psk_early,
      std::optional<crypto::HashAlg> retry_hash = std::nullopt) {
    std::vector<msg::KeyShareEntry> entries;
    for (const auto& share : shares) {
      const ByteView key = share->public_key();
      entries.push_back({share->group(), Bytes(key.begin(), key.end())});
    }
    KEEL_TRY_ASSIGN(auto hello, build_client_hello(settings_.offer, randoms_, entries, retry));
    psk_early.reset();
    const auto& resume = settings_.resume;
    const TimePoint at = now();
    // §4.1.4: after a HelloRetryRequest, only a PSK of the hash it chose.
    const auto resume_suite = resume ? handshake::tls13_suite(resume->state.suite) : std::nullopt;
    const bool offer_session = resume_suite &&
                               may_offer(*resume, settings_.offer, unix_seconds(at)) &&
                               (!retry_hash || resume_suite->hash == *retry_hash);
    if (offer_session && !retry && may_send_early_data(*resume)) {
      hello.extensions.push_back({static_cast<std::uint16_t>(msg::ExtensionType::early_data), {}});
    }
    if (settings_.rewrite_client_hello) {
      settings_.rewrite_client_hello(hello);
    }
    if (!retry && resume && may_offer12(*resume, unix_seconds(at))) {
      // RFC 5077 §3.4 / RFC 5246 §7.4.1.2: the ticket in session_ticket, or the session's id.
      for (auto& extension : hello.extensions) {
        if (extension.is(msg::ExtensionType::session_ticket)) {
          extension.data = resume->ticket;
        }
      }
      if (resume->ticket.empty()) {
        hello.legacy_session_id = resume->session_id;
      }
    }
    if (offer_session) {
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
      KEEL_TRY_ASSIGN(psk_early,
                      offer_psk(channel.provider(), hello, *resume,
                                static_cast<std::uint64_t>(std::max<std::int64_t>(ms, 0)),
                                channel.transcript()));
    }
    return hello;
  }

  /// §4.2.10: early data may go with a TLS 1.3 session whose tickets allow it, in the first
  /// ClientHello only, when the protocol it was for (if any) is offered again — the server
  /// accepts it only with the session's ALPN.
  [[nodiscard]] bool may_send_early_data(const session::ClientTicket& ticket) const {
    const auto& alpn = ticket.state.alpn;
    return settings_.early_data && ticket.state.version == ProtocolVersion::tls13 &&
           ticket.state.max_early_data > 0 &&
           (!alpn || std::ranges::find(settings_.offer.alpn, *alpn) != settings_.offer.alpn.end());
  }

  /// After a ClientHello that offered early data: §D.4's change_cipher_spec comes right
  /// after it, then the application's early data under client_early_traffic_secret (§7.1:
  /// Derive-Secret(early secret, "c e traffic", ClientHello)).
  Result<void> start_early_data(Channel& channel, const ExpectServerHello& state) {
    const auto suite = handshake::tls13_suite(settings_.resume->state.suite);
    if (!suite || !state.psk_early) {
      return Error(Errc::internal, "early data offered without a session");
    }
    KEEL_TRY(send_change_cipher_spec_once(channel, state.sent));
    KEEL_TRY_ASSIGN(const auto hello_hash,
                    channel.transcript().hash_with(channel.provider(), suite->hash, {}));
    KEEL_TRY_ASSIGN(const Secret secret,
                    state.psk_early->client_early_traffic_secret(hello_hash.view()));
    channel.log_secret("CLIENT_EARLY_TRAFFIC_SECRET", secret.view());
    KEEL_TRY(channel.set_write_secret(*suite, secret.view()));
    early_ = EarlyData{.room = settings_.resume->state.max_early_data};
    return {};
  }

  /// Whether a TLS 1.2 session may be offered: TLS 1.2 offered with the session's suite, the
  /// same server name, within its lifetime.
  [[nodiscard]] bool may_offer12(const session::ClientTicket& ticket, std::uint64_t now) const {
    const auto& state = ticket.state;
    const auto& offer = settings_.offer;
    return state.version == ProtocolVersion::tls12 && offer.tls12 &&
           state.server_name == offer.server_name && state.valid_at(now) &&
           std::ranges::find(offer.cipher_suites, state.suite) != offer.cipher_suites.end();
  }

  /// §D.4: in middlebox compatibility mode (a non-empty legacy_session_id) the client sends
  /// one change_cipher_spec, before its second flight (or its second ClientHello).
  Result<void> send_change_cipher_spec_once(Channel& channel, const msg::ClientHello& sent) {
    if (sent.legacy_session_id.empty() || change_cipher_spec_sent_) {
      return {};
    }
    change_cipher_spec_sent_ = true;
    return channel.send_change_cipher_spec();
  }

  static Result<State> on(NotStarted&& /*state*/, Channel& /*channel*/,
                          const HandshakeMessage& message) {
    return unexpected(message, "nothing (the handshake has not started)");
  }
  static Result<State> on(Complete&& /*state*/, Channel& /*channel*/,
                          const HandshakeMessage& message) {
    return unexpected(message, "nothing (the handshake is complete)");
  }
  static Result<State> on(Failed&& /*state*/, Channel& /*channel*/,
                          const HandshakeMessage& /*message*/) {
    return Error(Errc::connection_closed, "the handshake failed earlier");
  }

  Result<State> on(ExpectServerHello&& state, Channel& channel, const HandshakeMessage& message) {
    if (message.type != HandshakeType::server_hello) {
      return unexpected(message, "ServerHello");
    }
    KEEL_TRY_ASSIGN(auto hello, msg::ServerHello::decode(message.body));
    if (early_) {
      early_->room = 0;  // the server has answered: what is written now waits for the handshake
    }
    if (hello.is_hello_retry_request()) {
      return on_retry(std::move(state), channel, message, hello);
    }
    // RFC 8446 §4.1.3: a ServerHello without supported_versions chose TLS 1.2 or below. Only
    // a first ServerHello may (a HelloRetryRequest already chose TLS 1.3).
    if (settings_.offer.tls12 && !state.retry &&
        msg::find(hello.extensions, msg::ExtensionType::supported_versions) == nullptr) {
      if (early_) {
        // §D.3: "A client that attempts to send 0-RTT data MUST fail a connection if it
        // receives a ServerHello with TLS 1.2 or older."
        return Error(Errc::protocol_version,
                     "a TLS 1.2 ServerHello after 0-RTT data (RFC 8446 §D.3: connect again "
                     "without early data)");
      }
      return hand_over_to_tls12(std::move(state), channel, message, hello);
    }

    KEEL_TRY_ASSIGN(auto accepted, check_server_hello(state.sent, hello));
    if (state.retry && accepted.suite.id != state.retry->suite.id) {
      // §4.1.4: "the client MUST check that the cipher suite ... is the same" as in the
      // HelloRetryRequest.
      return Error(Errc::illegal_parameter, "ServerHello.cipher_suite differs from the retry's");
    }
    auto& transcript = channel.transcript();
    if (!transcript.selected()) {
      KEEL_TRY(transcript.select(channel.provider(), accepted.suite.hash));
    }
    KEEL_TRY(transcript.add(message.whole));

    const auto share = std::ranges::find_if(
        state.shares, [&](const auto& s) { return s->group() == accepted.group; });
    if (share == state.shares.end()) {
      return Error(Errc::illegal_parameter, "ServerHello.key_share: a group with no share sent");
    }
    KEEL_TRY_ASSIGN(auto shared_secret, (*share)->agree(accepted.server_share));
    std::optional<SessionResumed> resumed;
    std::optional<handshake::EarlySecret> early;
    if (accepted.psk_identity) {
      // check_server_hello found the identity among those offered: ours.
      const auto ticket_suite =
          state.psk_early ? handshake::tls13_suite(settings_.resume->state.suite) : std::nullopt;
      if (!ticket_suite || ticket_suite->hash != accepted.suite.hash) {
        // §4.2.11: the client MUST check the server "selected a cipher suite indicating a
        // Hash associated with the PSK".
        return Error(Errc::illegal_parameter, "ServerHello: a PSK with another suite's hash");
      }
      early.emplace(std::move(*state.psk_early));
      resumed = SessionResumed{};
      negotiated_.resumed = true;
      negotiated_.peer_certificates = settings_.resume->state.peer_certificates;
      negotiated_.peer_verified = settings_.resume->state.peer_verified;
    } else {
      KEEL_TRY_ASSIGN(early,
                      handshake::EarlySecret::without_psk(channel.provider(), accepted.suite.hash));
    }
    KEEL_TRY_ASSIGN(auto secret, std::move(*early).advance(shared_secret.view()));
    KEEL_TRY_ASSIGN(auto hello_hash, transcript.hash());
    KEEL_TRY_ASSIGN(auto client, secret.client_traffic_secret(hello_hash.view()));
    KEEL_TRY_ASSIGN(auto server, secret.server_traffic_secret(hello_hash.view()));
    channel.log_secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", client.view());
    channel.log_secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", server.view());
    KEEL_TRY(channel.set_read_secret(accepted.suite, server.view()));
    if (!early_ || !early_->write_key) {
      KEEL_TRY(send_change_cipher_spec_once(channel, state.sent));
      KEEL_TRY(channel.set_write_secret(accepted.suite, client.view()));
    }  // else the early key writes on until EncryptedExtensions say whether the data is taken

    negotiated_.cipher_suite = accepted.suite.id;
    negotiated_.group = accepted.group;
    return ExpectEncryptedExtensions{
        std::move(state.sent),
        HandshakeKeys{accepted.suite, std::move(secret), std::move(client), std::move(server)},
        resumed};
  }

  Result<State> hand_over_to_tls12(ExpectServerHello&& state, Channel& channel,
                                   const HandshakeMessage& message, const msg::ServerHello& hello) {
    tls12::ClientContext context{
        .verify_server = [this](std::span<const ByteView> chain,
                                std::span<const ByteView> ocsp) -> Result<x509::VerifiedPeer> {
          std::vector<ByteView> responses(ocsp.begin(), ocsp.end());
          return verify_server(chain, responses);
        },
        .key_policy = settings_.key_policy,
        .credential = settings_.credential,
        .resume = settings_.resume && settings_.resume->state.version == ProtocolVersion::tls12
                      ? settings_.resume
                      : nullptr,
        .on_ticket = settings_.on_ticket,
        .clock = settings_.clock,
        .rng = settings_.rng,
        .negotiated = &negotiated_,
    };
    KEEL_TRY_ASSIGN(auto client, tls12::Client::start(std::move(context), state.sent, hello,
                                                      message.whole, channel));
    return Tls12{std::move(client)};
  }

  static Result<State> on(Tls12&& state, Channel& channel, const HandshakeMessage& message) {
    KEEL_TRY(state.client->handle(channel, message));
    return std::move(state);
  }

  Result<State> on_retry(ExpectServerHello&& state, Channel& channel,
                         const HandshakeMessage& message, const msg::ServerHello& hello) {
    if (state.retry) {
      // §4.1.4: "If a client receives a second HelloRetryRequest in the same connection ...,
      // it MUST abort the handshake with an "unexpected_message" alert."
      return Error(Errc::unexpected_message, "a second HelloRetryRequest");
    }
    KEEL_TRY_ASSIGN(auto retry, check_hello_retry_request(state.sent, hello));
    if (early_ && early_->write_key) {
      // §4.2.10: a HelloRetryRequest rejects early data; the second ClientHello is plaintext.
      KEEL_TRY(channel.clear_write_secret());
      early_->write_key = false;
    }
    auto& transcript = channel.transcript();
    KEEL_TRY(transcript.select(channel.provider(), retry.suite.hash));
    KEEL_TRY(transcript.replace_with_message_hash());
    KEEL_TRY(transcript.add(message.whole));

    if (retry.group) {
      KEEL_TRY_ASSIGN(auto share,
                      channel.provider().generate_key_share(*retry.group, rng(channel)));
      state.shares.clear();
      state.shares.push_back(std::move(share));
    }
    RetryAnswer answer;
    if (retry.cookie) {
      answer.cookie = ByteView(*retry.cookie);
    }
    std::optional<handshake::EarlySecret> psk_early;
    KEEL_TRY_ASSIGN(auto second,
                    client_hello(channel, state.shares, answer, psk_early, retry.suite.hash));
    KEEL_TRY_ASSIGN(auto encoded, second.encode());
    KEEL_TRY(send_change_cipher_spec_once(channel, state.sent));
    KEEL_TRY(channel.send_handshake(encoded));
    negotiated_.hello_retry_request = true;
    return ExpectServerHello{std::move(second), std::move(state.shares), std::move(retry),
                             std::move(psk_early)};
  }

  Result<State> on(ExpectEncryptedExtensions&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::encrypted_extensions) {
      return unexpected(message, "EncryptedExtensions");
    }
    KEEL_TRY_ASSIGN(auto received, msg::EncryptedExtensions::decode(message.body));
    KEEL_TRY_ASSIGN(auto extensions, check_encrypted_extensions(state.sent, received));
    negotiated_.alpn = extensions.alpn;
    if (extensions.record_size_limit) {
      // RFC 8449 §4: in TLS 1.3 the limit counts the inner content type byte.
      channel.records().set_max_fragment(
          std::min<std::size_t>(record::kMaxPlaintext, *extensions.record_size_limit - 1U));
    }
    KEEL_TRY(channel.transcript().add(message.whole));
    KEEL_TRY(answer_early_data(channel, state, extensions.early_data_accepted));
    if (state.resumed) {
      // §2.2: a resumed handshake has no Certificate, and §4.3.2 no CertificateRequest.
      return ExpectFinished{std::move(state.sent), std::move(state.keys), std::nullopt,
                            *state.resumed};
    }
    return ExpectCertificateOrRequest{std::move(state.sent), std::move(state.keys)};
  }

  /// §4.2.10: EncryptedExtensions accept the early data (the early key writes on, until
  /// EndOfEarlyData) or, without early_data, reject it: the handshake key writes from now on,
  /// and the data is sent again after the handshake — only if the session's ALPN protocol was
  /// chosen again, as §4.2.10 requires ("MUST NOT automatically resend early data unless the
  /// negotiated connection selects the same ALPN protocol").
  Result<void> answer_early_data(Channel& channel, const ExpectEncryptedExtensions& state,
                                 bool accepted) {
    if (!early_) {
      return {};
    }
    if (accepted) {
      if (!state.resumed) {
        return Error(Errc::illegal_parameter,
                     "EncryptedExtensions accept early data without resuming the session");
      }
      negotiated_.early_data_accepted = true;
      return {};
    }
    if (early_->write_key) {
      KEEL_TRY(channel.set_write_secret(state.keys.suite, state.keys.client.view()));
      early_->write_key = false;
    }
    const auto& session_alpn = settings_.resume->state.alpn;
    if (early_->sent > 0 && negotiated_.alpn != session_alpn) {
      return Error(Errc::handshake_failure,
                   "the server rejected the 0-RTT data and chose ALPN \"" +
                       negotiated_.alpn.value_or("") + "\", not the session's \"" +
                       session_alpn.value_or("") + "\": the data is not sent again");
    }
    return {};
  }

  Result<State> on(ExpectCertificateOrRequest&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type == HandshakeType::certificate) {
      return on(ExpectCertificate{std::move(state.sent), std::move(state.keys), std::nullopt},
                channel, message);
    }
    if (message.type != HandshakeType::certificate_request) {
      return unexpected(message, "CertificateRequest or Certificate");
    }
    KEEL_TRY_ASSIGN(auto request, msg::CertificateRequest::decode(message.body));
    // §4.3.2: the context "SHALL be zero length unless used for the post-handshake
    // authentication exchanges".
    if (!request.certificate_request_context.empty()) {
      return Error(Errc::illegal_parameter, "CertificateRequest.certificate_request_context");
    }
    const Bytes* schemes = msg::find(request.extensions, msg::ExtensionType::signature_algorithms);
    if (schemes == nullptr) {
      return Error(Errc::missing_extension, "CertificateRequest without signature_algorithms");
    }
    KEEL_TRY_ASSIGN(auto accepted, msg::decode_signature_schemes(*schemes));
    KEEL_TRY(channel.transcript().add(message.whole));
    return ExpectCertificate{std::move(state.sent), std::move(state.keys),
                             ClientAuthRequest{std::move(accepted)}};
  }

  Result<State> on(ExpectCertificate&& state, Channel& channel, const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate) {
      return unexpected(message, "Certificate");
    }
    KEEL_TRY_ASSIGN(auto received, msg::CertificateMessage::decode(message.body));
    if (!received.certificate_request_context.empty()) {
      return Error(Errc::illegal_parameter, "Certificate.certificate_request_context");
    }
    // §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST abort
    // the handshake with a "decode_error" alert."
    if (received.certificate_list.empty()) {
      return Error(Errc::malformed, "the server's Certificate is empty");
    }
    std::vector<ByteView> ocsp;
    KEEL_TRY(check_entry_extensions(state.sent, received, ocsp));

    std::vector<ByteView> chain;
    negotiated_.peer_certificates.clear();
    for (const auto& entry : received.certificate_list) {
      chain.emplace_back(entry.cert_data);
      negotiated_.peer_certificates.push_back(entry.cert_data);
    }
    KEEL_TRY_ASSIGN(auto peer, verify_server(chain, ocsp));
    KEEL_TRY_ASSIGN(auto key,
                    channel.provider().parse_public_key(peer.leaf_spki(), settings_.key_policy));
    KEEL_TRY(channel.transcript().add(message.whole));
    return ExpectCertificateVerify{std::move(state.sent), std::move(state.keys),
                                   std::move(state.request), std::move(peer), std::move(key)};
  }

  /// §4.4.2: extensions in a CertificateEntry answer the ClientHello's; keel asks only for
  /// status_request, which belongs to the end-entity's entry (§4.4.2.1).
  static Result<void> check_entry_extensions(const msg::ClientHello& sent,
                                             const msg::CertificateMessage& received,
                                             std::vector<ByteView>& ocsp) {
    const bool asked = msg::find(sent.extensions, msg::ExtensionType::status_request) != nullptr;
    for (std::size_t i = 0; i < received.certificate_list.size(); ++i) {
      for (const auto& extension : received.certificate_list[i].extensions) {
        if (!extension.is(msg::ExtensionType::status_request) || !asked || i != 0) {
          return Error(Errc::unsupported_extension,
                       "Certificate entry " + std::to_string(i) + ": extension " +
                           std::to_string(extension.type) + " was not asked for here");
        }
        KEEL_TRY_ASSIGN(auto status, msg::decode_certificate_status(extension.data));
        (void)status;
        ocsp.emplace_back(extension.data);
      }
    }
    return {};
  }

  Result<x509::VerifiedPeer> verify_server(std::span<const ByteView> chain,
                                           std::vector<ByteView>& ocsp) {
    if (settings_.verifier == nullptr) {
      // Not verifying was the application's explicit choice; the signature is still checked.
      KEEL_TRY_ASSIGN(auto leaf, x509::Certificate::parse(chain.front()));
      std::vector<x509::Certificate> path;
      path.push_back(std::move(leaf));
      return x509::VerifiedPeer(std::move(path));
    }
    // The OCSP responses inside their CertificateStatus wrappers.
    std::vector<Bytes> responses;
    for (const ByteView status : ocsp) {
      KEEL_TRY_ASSIGN(auto response, msg::decode_certificate_status(status));
      responses.push_back(std::move(response));
    }
    std::vector<ByteView> response_views(responses.begin(), responses.end());
    const SystemClock system_clock;
    const Clock& clock = settings_.clock != nullptr ? *settings_.clock : system_clock;
    x509::PeerCertificates peer{
        .chain = chain,
        .ocsp_responses = response_views,
        .purpose = x509::Purpose::server_auth,
        .dns_name = settings_.offer.server_name,
        .ip_address = settings_.ip_address,
        .time = std::chrono::floor<std::chrono::seconds>(clock.now()),
    };
    KEEL_TRY_ASSIGN(auto verified, settings_.verifier->verify(peer));
    negotiated_.peer_verified = true;
    return verified;
  }

  Result<State> on(ExpectCertificateVerify&& state, Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate_verify) {
      return unexpected(message, "CertificateVerify");
    }
    KEEL_TRY_ASSIGN(auto verify, msg::CertificateVerify::decode(message.body));
    KEEL_TRY_ASSIGN(auto offered, offered_schemes(state.sent));
    KEEL_TRY_ASSIGN(auto hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto verified, handshake::verify_handshake_signature(
                                       *state.peer_key, verify.algorithm, offered,
                                       handshake::Signer::server, hash.view(), verify.signature));
    negotiated_.peer_signature_scheme = verify.algorithm;
    KEEL_TRY(channel.transcript().add(message.whole));
    return ExpectFinished{std::move(state.sent), std::move(state.keys), std::move(state.request),
                          verified};
  }

  Result<State> on(ExpectFinished&& state, Channel& channel, const HandshakeMessage& message) {
    if (message.type != HandshakeType::finished) {
      return unexpected(message, "Finished");
    }
    const auto& suite = state.keys.suite;
    const auto& provider = channel.provider();
    auto& transcript = channel.transcript();
    KEEL_TRY_ASSIGN(auto finished,
                    msg::Finished::decode(message.body, crypto::digest_size(suite.hash)));
    KEEL_TRY_ASSIGN(auto before_finished, transcript.hash());
    KEEL_TRY_ASSIGN(auto finished_verified,
                    handshake::verify_finished(provider, suite.hash, state.keys.server.view(),
                                               before_finished.view(), finished.verify_data));
    (void)state.server_authenticated;  // held since CertificateVerify or the ServerHello
    KEEL_TRY(transcript.add(message.whole));

    // §7.1: the application secrets hash the transcript through the server's Finished.
    KEEL_TRY_ASSIGN(auto server_finished_hash, transcript.hash());
    KEEL_TRY_ASSIGN(auto master, std::move(state.keys.secret).advance());
    KEEL_TRY_ASSIGN(auto secrets,
                    derive_application_secrets(master, server_finished_hash.view(), channel));
    KEEL_TRY(channel.set_read_secret(suite, secrets.server.view()));
    channel.records().allow_change_cipher_spec(false);
    if (early_ && early_->write_key) {
      // §4.5: the accepted early data ends with EndOfEarlyData, under the early key.
      KEEL_TRY_ASSIGN(const auto end, msg::encode_empty(HandshakeType::end_of_early_data));
      KEEL_TRY(channel.send_handshake(end));
      KEEL_TRY(channel.set_write_secret(suite, state.keys.client.view()));
      early_->write_key = false;
    }

    if (state.request) {
      KEEL_TRY(send_client_certificate(channel, *state.request));
    }
    KEEL_TRY_ASSIGN(auto before_client_finished, transcript.hash());
    KEEL_TRY_ASSIGN(auto verify_data,
                    handshake::finished_verify_data(provider, suite.hash, state.keys.client.view(),
                                                    before_client_finished.view()));
    const ByteView data = verify_data.view();
    KEEL_TRY_ASSIGN(auto encoded, msg::Finished{Bytes(data.begin(), data.end())}.encode());
    KEEL_TRY(channel.send_handshake(encoded));
    KEEL_TRY_ASSIGN(auto client_finished_hash, transcript.hash());
    KEEL_TRY_ASSIGN(secrets.resumption,
                    master.resumption_master_secret(client_finished_hash.view()));
    KEEL_TRY(channel.set_write_secret(suite, secrets.client.view()));
    established_ = std::make_unique<Established>(Side::client, suite, std::move(secrets),
                                                 finished_verified, ticket_sink(suite));
    return Complete{};
  }

  /// Turns each NewSessionTicket into a session for `settings_.on_ticket`, with what a
  /// resumption restores (the server's name, certificates and ALPN).
  [[nodiscard]] TicketSink ticket_sink(const handshake::Suite13& suite) const {
    if (!settings_.on_ticket ||
        negotiated_.peer_certificates.size() > session::SessionState::kMaxPeerCertificates) {
      return {};
    }
    return [sink = settings_.on_ticket, clock = settings_.clock, suite = suite.id,
            negotiated = negotiated_](const msg::NewSessionTicket& received, Secret psk) {
      // §4.6.1: "A value of zero indicates that the ticket should be discarded immediately."
      if (received.ticket_lifetime == 0) {
        return;
      }
      session::ClientTicket ticket;
      ticket.ticket = received.ticket;
      auto& state = ticket.state;
      state.version = ProtocolVersion::tls13;
      state.suite = suite;
      state.secret = std::move(psk);
      state.created = unix_seconds(clock != nullptr ? clock->now() : SystemClock().now());
      state.lifetime = received.ticket_lifetime;
      state.age_add = received.ticket_age_add;
      // §4.2.10: the early data the server would take on this ticket (a malformed extension
      // leaves it at none).
      if (const Bytes* early = msg::find(received.extensions, msg::ExtensionType::early_data)) {
        auto size = msg::decode_max_early_data(*early);
        state.max_early_data = size.ok() ? size.value() : 0;
      }
      state.server_name = negotiated.server_name;
      state.alpn = negotiated.alpn;
      state.peer_certificates = negotiated.peer_certificates;
      state.peer_verified = negotiated.peer_verified;
      sink(std::move(ticket));
    };
  }

  /// §4.4.2: the client's Certificate (empty if it has none the server accepts) and, if not
  /// empty, its CertificateVerify.
  Result<void> send_client_certificate(Channel& channel, const ClientAuthRequest& request) {
    msg::CertificateMessage certificate;
    std::optional<SignatureScheme> scheme;
    if (settings_.credential != nullptr) {
      auto chosen =
          handshake::choose_signature_scheme(request.schemes, settings_.credential->key().type());
      if (chosen.ok()) {
        scheme = chosen.value();
        for (const auto& der : settings_.credential->chain()) {
          certificate.certificate_list.push_back({der, {}});
        }
      }
    }
    KEEL_TRY_ASSIGN(auto encoded, certificate.encode());
    KEEL_TRY(channel.send_handshake(encoded));
    if (!scheme) {
      return {};
    }
    KEEL_TRY_ASSIGN(auto hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto signature,
                    handshake::sign_handshake(settings_.credential->key(), *scheme,
                                              handshake::Signer::client, hash.view()));
    KEEL_TRY_ASSIGN(auto verify, (msg::CertificateVerify{*scheme, std::move(signature)}.encode()));
    return channel.send_handshake(verify);
  }

  ClientSettings settings_;
  State state_;
  ClientHelloRandoms randoms_;
  bool change_cipher_spec_sent_ = false;
  std::optional<EarlyData> early_;  // 0-RTT data offered
  Negotiated negotiated_;
  std::unique_ptr<Established> established_;
};

}  // namespace

std::unique_ptr<Handshake> make_client_handshake(ClientSettings settings) {
  return std::make_unique<ClientHandshake>(std::move(settings));
}

}  // namespace keel::tls13
