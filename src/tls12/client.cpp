#include "tls12/client.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/try.hpp"
#include "handshake/key_schedule12.hpp"
#include "handshake/negotiation.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/extensions.hpp"
#include "msg/finished.hpp"
#include "msg/tls12_messages.hpp"
#include "msg/types.hpp"
#include "record/protection12.hpp"
#include "tls12/established.hpp"
#include "tls13/handshake.hpp"
#include "tls13/resumption.hpp"
#include "wire/reader.hpp"

namespace keel::tls12 {
namespace {

/// How long a TLS 1.2 session is kept when the server does not say (RFC 5077 §3.3's
/// "unspecified"), and at most (TLS 1.3's bound, RFC 8446 §4.6.1).
constexpr std::uint32_t kDefaultLifetime12 = 3600;
constexpr std::uint32_t kMaxLifetime12 = 604800;

using handshake::HandshakeMessage;
using msg::ExtensionType;
using msg::HandshakeType;

/// What every state after the ServerHello needs.
struct Agreed {
  handshake::Suite12 suite{};
  msg::Random client_random{};
  msg::Random server_random{};
  std::vector<NamedGroup> groups;        // offered
  std::vector<SignatureScheme> schemes;  // offered
  bool status_acknowledged = false;      // the server may staple an OCSP response
  bool ticket_expected = false;          // RFC 5077 §3.2: a NewSessionTicket comes
  Bytes session_id;                      // the server's, if it keeps the session by id
};

// The states (docs/design.md, rule 3), each holding what the next step needs.
struct ExpectCertificate {
  Agreed agreed;
};
struct ExpectKeyExchange {
  Agreed agreed;
  std::vector<Bytes> chain;
  std::optional<Bytes> status;  // a CertificateStatus body, if one came
};
struct ExpectRequestOrDone {
  Agreed agreed;
  Secret pre_master;
  Bytes client_public;
  std::optional<msg::CertificateRequest12> request;
};
/// `abbreviated`: the session offered is resumed, and the server's Finished comes first.
struct ExpectChangeCipherSpec {
  Agreed agreed;
  Secret master;
  handshake::KeyBlock12 keys;
  bool abbreviated = false;
  std::optional<msg::NewSessionTicket12> ticket;
};
struct ExpectFinished {
  Agreed agreed;
  Secret master;
  handshake::KeyBlock12 keys;
  bool abbreviated = false;
  std::optional<msg::NewSessionTicket12> ticket;
};
struct Complete {};
struct Failed {};

using State = std::variant<ExpectCertificate, ExpectKeyExchange, ExpectRequestOrDone,
                           ExpectChangeCipherSpec, ExpectFinished, Complete, Failed>;

bool contains(const std::vector<std::uint16_t>& list, std::uint16_t value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// The server's TLS 1.2 ServerHello against the ClientHello sent (and the session it
/// offered, if any). `resumed` says whether the server resumes it.
Result<Agreed> check_server_hello(const msg::ClientHello& sent, const msg::ServerHello& received,
                                  const session::ClientTicket* session, bool& resumed,
                                  Negotiated& negotiated) {
  std::vector<std::uint16_t> versions;
  if (const Bytes* offered = msg::find(sent.extensions, ExtensionType::supported_versions)) {
    KEEL_TRY_ASSIGN(versions, msg::decode_version_list(*offered));
  }
  // RFC 8446 §4.1.3: a client that offered TLS 1.3 and gets a TLS 1.2 ServerHello whose
  // random ends in the sentinel "MUST abort the handshake with an "illegal_parameter" alert".
  if (contains(versions, msg::kTls13) && handshake::has_downgrade_sentinel(received.random)) {
    return Error(Errc::illegal_parameter, "the server signals a downgrade from TLS 1.3");
  }
  if (received.legacy_version != msg::kTls12) {
    return Error(Errc::protocol_version, "the server chose a version below TLS 1.2");
  }
  // An echo of the session id resumes the session offered (RFC 5246 §7.4.1.3, RFC 5077
  // §3.4); without one offered, the id was the random one of TLS 1.3's compatibility mode,
  // and the echo claims an abbreviated handshake nobody can have started.
  resumed = !received.legacy_session_id_echo.empty() &&
            received.legacy_session_id_echo == sent.legacy_session_id;
  if (resumed && session == nullptr) {
    return Error(Errc::illegal_parameter, "the server resumes a session this client never had");
  }
  if (resumed && received.cipher_suite != session->state.suite) {
    return Error(Errc::illegal_parameter, "the server resumes the session with another suite");
  }
  if (received.legacy_compression_method != 0) {
    return Error(Errc::illegal_parameter, "ServerHello compression method is not 0");
  }
  const auto suite = handshake::tls12_suite(received.cipher_suite);
  if (!suite || std::find(sent.cipher_suites.begin(), sent.cipher_suites.end(),
                          received.cipher_suite) == sent.cipher_suites.end()) {
    return Error(Errc::illegal_parameter, "the server chose " + to_string(received.cipher_suite) +
                                              ", which was not offered for TLS 1.2");
  }
  Agreed agreed{*suite, sent.random, received.random, {}, {}, false, false, {}};
  if (!resumed) {
    agreed.session_id = received.legacy_session_id_echo;
  }
  bool extended_master_secret = false;
  bool renegotiation_info = false;
  negotiated.alpn.reset();
  for (const auto& extension : received.extensions) {
    const auto type = static_cast<ExtensionType>(extension.type);
    const Bytes* request = msg::find(sent.extensions, type);
    if (request == nullptr) {
      return Error(Errc::unsupported_extension,
                   msg::to_string(type) + " in the server's hello was not offered");
    }
    switch (type) {
      case ExtensionType::server_name:
        KEEL_TRY(msg::expect_empty_extension(extension.data));
        break;
      case ExtensionType::extended_master_secret:
        KEEL_TRY(msg::expect_empty_extension(extension.data));
        extended_master_secret = true;
        break;
      case ExtensionType::renegotiation_info:
        // RFC 5746 §3.4: the client "MUST check that the length of the
        // "renegotiated_connection" field is zero, and if it is not, MUST abort".
        if (extension.data != Bytes{0}) {
          return Error(Errc::handshake_failure, "renegotiation_info is not empty");
        }
        renegotiation_info = true;
        break;
      case ExtensionType::ec_point_formats: {
        // RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>, which must hold
        // uncompressed (0), the only format keel reads.
        wire::Reader reader(extension.data);
        KEEL_TRY_ASSIGN(const ByteView formats, reader.prefixed(wire::Width::u8, 1));
        KEEL_TRY(reader.expect_empty());
        if (std::find(formats.begin(), formats.end(), 0) == formats.end()) {
          return Error(Errc::illegal_parameter, "the server cannot read uncompressed points");
        }
        break;
      }
      case ExtensionType::application_layer_protocol_negotiation: {
        KEEL_TRY_ASSIGN(const auto selected, msg::decode_alpn(extension.data));
        KEEL_TRY_ASSIGN(const auto offered, msg::decode_alpn(*request));
        if (selected.size() != 1 ||
            std::find(offered.begin(), offered.end(), selected[0]) == offered.end()) {
          return Error(Errc::illegal_parameter, "the server selected a protocol not offered");
        }
        negotiated.alpn = selected[0];
        break;
      }
      case ExtensionType::status_request:
        KEEL_TRY(msg::expect_empty_extension(extension.data));
        agreed.status_acknowledged = true;
        break;
      case ExtensionType::session_ticket:
        KEEL_TRY(msg::expect_empty_extension(extension.data));
        agreed.ticket_expected = true;
        break;
      default:
        return Error(Errc::illegal_parameter,
                     msg::to_string(type) + " does not belong in a TLS 1.2 ServerHello");
    }
  }
  // RFC 7627 §5.2: keel requires the extended master secret (docs/design.md): without it
  // the master secret is open to the triple handshake attack.
  if (!extended_master_secret) {
    return Error(Errc::handshake_failure,
                 "the server does not use the extended master secret (RFC 7627)");
  }
  // RFC 5746 §4.1: a server without renegotiation_info may be open to renegotiation attacks.
  if (!renegotiation_info) {
    return Error(Errc::handshake_failure, "the server does not send renegotiation_info (RFC 5746)");
  }
  if (const Bytes* groups = msg::find(sent.extensions, ExtensionType::supported_groups)) {
    KEEL_TRY_ASSIGN(agreed.groups, msg::decode_named_groups(*groups));
  }
  if (const Bytes* schemes = msg::find(sent.extensions, ExtensionType::signature_algorithms)) {
    KEEL_TRY_ASSIGN(agreed.schemes, msg::decode_signature_schemes(*schemes));
  }
  negotiated.version = ProtocolVersion::tls12;
  negotiated.cipher_suite = suite->id;
  return agreed;
}

}  // namespace

struct Client::Impl {
  ClientContext context;
  State current;
  std::unique_ptr<Established> established;
  /// RFC 5246 §7.4.8: a client CertificateVerify signs the handshake messages themselves, so
  /// a client with a certificate to present keeps them (freed when the handshake ends).
  Bytes messages;

  /// Adds a message to the transcript (and to `messages` when they are kept).
  Result<void> add(tls13::Channel& channel, ByteView message) {
    if (context.credential != nullptr) {
      messages.insert(messages.end(), message.begin(), message.end());
    }
    return channel.transcript().add(message);
  }
  Result<void> send(tls13::Channel& channel, ByteView message) {
    if (context.credential != nullptr) {
      messages.insert(messages.end(), message.begin(), message.end());
    }
    return channel.send_handshake(message);
  }

  /// The scheme the client signs its CertificateVerify with, if its key fits the request
  /// (a certificate type and a scheme the server lists).
  [[nodiscard]] std::optional<SignatureScheme> client_scheme(
      const msg::CertificateRequest12& request) const {
    if (context.credential == nullptr) {
      return std::nullopt;
    }
    const crypto::KeyType key = context.credential->key().type();
    const bool rsa = key == crypto::KeyType::rsa || key == crypto::KeyType::rsa_pss;
    const std::uint8_t type =
        rsa ? msg::CertificateRequest12::kRsaSign : msg::CertificateRequest12::kEcdsaSign;
    if (std::find(request.certificate_types.begin(), request.certificate_types.end(), type) ==
        request.certificate_types.end()) {
      return std::nullopt;
    }
    auto scheme = handshake::choose_signature_scheme(request.signature_algorithms, key,
                                                     handshake::tls12_signature_schemes());
    if (!scheme.ok()) {
      return std::nullopt;
    }
    return scheme.value();
  }

  Rng& rng(tls13::Channel& channel) const {
    return context.rng != nullptr ? *context.rng : channel.provider_rng();
  }

  Result<State> on(ExpectCertificate&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate) {
      return tls13::unexpected(message, "Certificate");
    }
    KEEL_TRY_ASSIGN(auto received, msg::Certificate12::decode(message.body));
    // RFC 5246 §7.4.2: the server's certificate is required with every suite keel speaks.
    if (received.certificate_list.empty()) {
      return Error(Errc::malformed, "the server's Certificate is empty");
    }
    KEEL_TRY(add(channel, message.whole));
    return ExpectKeyExchange{std::move(state.agreed), std::move(received.certificate_list),
                             std::nullopt};
  }

  Result<State> on(ExpectKeyExchange&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type == HandshakeType::certificate_status && state.agreed.status_acknowledged &&
        !state.status) {
      // RFC 6066 §8: CertificateStatus follows the Certificate when the server acknowledged
      // status_request; its body is the same CertificateStatus TLS 1.3 puts in an extension.
      KEEL_TRY_ASSIGN(auto response, msg::decode_certificate_status(message.body));
      (void)response;
      state.status = Bytes(message.body.begin(), message.body.end());
      KEEL_TRY(add(channel, message.whole));
      return std::move(state);
    }
    if (message.type != HandshakeType::server_key_exchange) {
      return tls13::unexpected(message, "ServerKeyExchange");
    }
    KEEL_TRY_ASSIGN(auto exchange, msg::ServerKeyExchange12::decode(message.body));
    Agreed& agreed = state.agreed;
    Negotiated& negotiated = *context.negotiated;

    // The chain first (with the stapled response, if any), then its key's signature.
    std::vector<ByteView> chain(state.chain.begin(), state.chain.end());
    std::vector<ByteView> ocsp;
    if (state.status) {
      ocsp.emplace_back(*state.status);
    }
    negotiated.peer_certificates = state.chain;
    KEEL_TRY_ASSIGN(auto peer, context.verify_server(chain, ocsp));
    KEEL_TRY_ASSIGN(auto key,
                    channel.provider().parse_public_key(peer.leaf_spki(), context.key_policy));
    if (!handshake::key_fits_suite12(key->type(), agreed.suite.auth)) {
      return Error(Errc::unsupported_key, "the server's " + std::string(to_string(key->type())) +
                                              " key cannot sign for " + to_string(agreed.suite.id));
    }
    // RFC 8422 §5.4: a curve the client offered; §5.1.1 likewise for the scheme (RFC 5246
    // §7.4.1.4.1).
    if (std::find(agreed.groups.begin(), agreed.groups.end(), exchange.group) ==
        agreed.groups.end()) {
      return Error(Errc::illegal_parameter,
                   "ServerKeyExchange uses " + to_string(exchange.group) + ", not offered");
    }
    const auto info = handshake::scheme_info(exchange.scheme);
    if (!info || std::find(agreed.schemes.begin(), agreed.schemes.end(), exchange.scheme) ==
                     agreed.schemes.end()) {
      return Error(Errc::illegal_parameter,
                   "ServerKeyExchange signed with " + to_string(exchange.scheme) + ", not offered");
    }
    if (!handshake::scheme_fits_key12(*info, key->type())) {
      return Error(Errc::illegal_parameter, to_string(exchange.scheme) + " cannot be made by a " +
                                                std::string(to_string(key->type())) + " key");
    }
    const Bytes content = msg::ServerKeyExchange12::signed_content(
        agreed.client_random, agreed.server_random, exchange.group, exchange.public_key);
    auto verified = key->verify(info->algorithm, content, exchange.signature);
    if (!verified.ok()) {
      return std::move(verified).error().prepend("ServerKeyExchange");
    }
    negotiated.peer_signature_scheme = exchange.scheme;
    negotiated.group = exchange.group;

    KEEL_TRY_ASSIGN(auto share,
                    channel.provider().generate_key_share(exchange.group, rng(channel)));
    KEEL_TRY_ASSIGN(auto pre_master, share->agree(exchange.public_key));
    KEEL_TRY(add(channel, message.whole));
    const ByteView client_public = share->public_key();
    return ExpectRequestOrDone{std::move(state.agreed), std::move(pre_master),
                               Bytes(client_public.begin(), client_public.end()), std::nullopt};
  }

  Result<State> on(ExpectRequestOrDone&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type == HandshakeType::certificate_request && !state.request) {
      KEEL_TRY_ASSIGN(state.request, msg::CertificateRequest12::decode(message.body));
      KEEL_TRY(add(channel, message.whole));
      return std::move(state);
    }
    if (message.type != HandshakeType::server_hello_done) {
      return tls13::unexpected(
          message, state.request ? "ServerHelloDone" : "CertificateRequest or ServerHelloDone");
    }
    KEEL_TRY(msg::decode_empty(HandshakeType::server_hello_done, message.body));
    auto& transcript = channel.transcript();
    KEEL_TRY(add(channel, message.whole));
    const Agreed& agreed = state.agreed;
    const auto& provider = channel.provider();

    std::optional<SignatureScheme> scheme;
    if (state.request) {
      // RFC 5246 §7.4.6: with no suitable certificate, "the client MUST send a certificate
      // message containing no certificates".
      msg::Certificate12 certificate;
      scheme = client_scheme(*state.request);
      if (scheme) {
        certificate.certificate_list = context.credential->chain();
      }
      KEEL_TRY_ASSIGN(auto encoded, certificate.encode());
      KEEL_TRY(send(channel, encoded));
    }
    KEEL_TRY_ASSIGN(auto exchange, msg::ClientKeyExchange12{state.client_public}.encode());
    KEEL_TRY(send(channel, exchange));

    // RFC 7627 §3: the session hash covers the handshake through the ClientKeyExchange.
    KEEL_TRY_ASSIGN(auto session_hash, transcript.hash());
    if (scheme) {
      // RFC 5246 §7.4.8: the signature covers every handshake message so far.
      const auto info = handshake::scheme_info(*scheme);
      KEEL_TRY_ASSIGN(auto signature, context.credential->key().sign(info->algorithm, messages));
      KEEL_TRY_ASSIGN(auto verify,
                      (msg::CertificateVerify{*scheme, std::move(signature)}.encode()));
      KEEL_TRY(channel.send_handshake(verify));
    }
    messages = Bytes();  // nothing signs them again
    KEEL_TRY_ASSIGN(auto master,
                    handshake::extended_master_secret(
                        provider, agreed.suite, state.pre_master.view(), session_hash.view()));
    channel.log_secret("CLIENT_RANDOM", master.view());
    KEEL_TRY_ASSIGN(auto keys, handshake::key_block(provider, agreed.suite, master.view(),
                                                    agreed.client_random, agreed.server_random));
    KEEL_TRY(send_change_cipher_spec_and_finished(channel, agreed.suite, master.view(), keys,
                                                  handshake::FinishedSender::client));
    return ExpectChangeCipherSpec{std::move(state.agreed), std::move(master), std::move(keys),
                                  false, std::nullopt};
  }

  static Result<State> on(ExpectChangeCipherSpec&& state, tls13::Channel& channel,
                          const HandshakeMessage& message) {
    // RFC 5077 §3.3: the NewSessionTicket goes right before the server's ChangeCipherSpec.
    if (message.type == HandshakeType::new_session_ticket && state.agreed.ticket_expected &&
        !state.ticket) {
      KEEL_TRY_ASSIGN(state.ticket, msg::NewSessionTicket12::decode(message.body));
      KEEL_TRY(channel.transcript().add(message.whole));
      return std::move(state);
    }
    return tls13::unexpected(message, state.agreed.ticket_expected
                                          ? "NewSessionTicket or ChangeCipherSpec"
                                          : "ChangeCipherSpec");
  }

  Result<State> on(ExpectFinished&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::finished) {
      return tls13::unexpected(message, "Finished");
    }
    KEEL_TRY_ASSIGN(auto finished,
                    msg::Finished::decode(message.body, handshake::kVerifyDataSize12));
    KEEL_TRY_ASSIGN(auto handshake_hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto verified,
                    verify_finished12(channel.provider(), state.agreed.suite, state.master.view(),
                                      handshake::FinishedSender::server, handshake_hash.view(),
                                      finished.verify_data));
    KEEL_TRY(channel.transcript().add(message.whole));
    if (state.abbreviated) {
      KEEL_TRY(send_change_cipher_spec_and_finished(channel, state.agreed.suite,
                                                    state.master.view(), state.keys,
                                                    handshake::FinishedSender::client));
    }
    keep_session(state);
    established = std::make_unique<Established>(Side::client, state.agreed.suite,
                                                std::move(state.master), state.agreed.client_random,
                                                state.agreed.server_random, verified);
    return Complete{};
  }

  /// Hands the session to `on_ticket`: with the server's new ticket, or (after a full
  /// handshake without one) the session id the server keeps it by. An empty ticket is the
  /// server taking back its offer (RFC 5077 §3.3).
  void keep_session(const ExpectFinished& state) const {
    if (!context.on_ticket) {
      return;
    }
    session::ClientTicket out;
    if (state.ticket) {
      if (state.ticket->ticket.empty()) {
        return;
      }
      out.ticket = state.ticket->ticket;
    } else if (!state.abbreviated && !state.agreed.session_id.empty()) {
      out.session_id = state.agreed.session_id;
    } else {
      return;
    }
    const Negotiated& negotiated = *context.negotiated;
    if (negotiated.peer_certificates.size() > session::SessionState::kMaxPeerCertificates) {
      return;
    }
    auto& session = out.state;
    session.version = ProtocolVersion::tls12;
    session.suite = state.agreed.suite.id;
    session.secret = state.master.clone();
    const TimePoint now = context.clock != nullptr ? context.clock->now() : SystemClock().now();
    if (state.abbreviated && context.resume) {
      session.created = context.resume->state.created;  // the same session, renewed ticket
      session.lifetime = context.resume->state.lifetime;
    } else {
      session.created = tls13::unix_seconds(now);
      // RFC 5077 §3.3: 0 is "unspecified"; keel then keeps it for an hour.
      const std::uint32_t hint = state.ticket ? state.ticket->lifetime_hint : 0;
      session.lifetime = hint != 0 ? std::min(hint, kMaxLifetime12) : kDefaultLifetime12;
    }
    session.server_name = negotiated.server_name;
    session.alpn = negotiated.alpn;
    session.peer_certificates = negotiated.peer_certificates;
    session.peer_verified = negotiated.peer_verified;
    context.on_ticket(std::move(out));
  }

  static Result<State> on(Complete&& /*state*/, tls13::Channel& /*channel*/,
                          const HandshakeMessage& message) {
    return tls13::unexpected(message, "nothing (the handshake is complete)");
  }
  static Result<State> on(Failed&& /*state*/, tls13::Channel& /*channel*/,
                          const HandshakeMessage& /*message*/) {
    return Error(Errc::connection_closed, "the handshake failed earlier");
  }
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::start(ClientContext context, const msg::ClientHello& sent,
                                              const msg::ServerHello& received,
                                              ByteView server_hello, tls13::Channel& channel) {
  if (context.negotiated == nullptr || !context.verify_server) {
    return Error(Errc::internal, "a TLS 1.2 client without its context");
  }
  bool resumed = false;
  KEEL_TRY_ASSIGN(Agreed agreed, check_server_hello(sent, received, context.resume.get(), resumed,
                                                    *context.negotiated));
  auto& transcript = channel.transcript();
  KEEL_TRY(transcript.select(channel.provider(), agreed.suite.hash));  // the ClientHello is in
  KEEL_TRY(transcript.add(server_hello));
  channel.records().use_tls12();
  auto impl = std::make_unique<Impl>();
  if (resumed) {
    // RFC 5246 §7.3: the abbreviated handshake, on the session's master secret.
    Negotiated& negotiated = *context.negotiated;
    negotiated.resumed = true;
    negotiated.peer_certificates = context.resume->state.peer_certificates;
    negotiated.peer_verified = context.resume->state.peer_verified;
    Secret master = context.resume->state.secret.clone();
    channel.log_secret("CLIENT_RANDOM", master.view());
    KEEL_TRY_ASSIGN(auto keys, handshake::key_block(channel.provider(), agreed.suite, master.view(),
                                                    agreed.client_random, agreed.server_random));
    impl->context = std::move(context);
    impl->current = ExpectChangeCipherSpec{std::move(agreed), std::move(master), std::move(keys),
                                           true, std::nullopt};
    return std::unique_ptr<Client>(new Client(std::move(impl)));
  }
  if (context.credential != nullptr) {
    KEEL_TRY_ASSIGN(impl->messages, sent.encode());  // as sent: encoding is deterministic
    impl->messages.insert(impl->messages.end(), server_hello.begin(), server_hello.end());
  }
  impl->context = std::move(context);
  impl->current = ExpectCertificate{std::move(agreed)};
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Result<void> Client::handle(tls13::Channel& channel, const HandshakeMessage& message) {
  State state = std::exchange(impl_->current, Failed{});
  KEEL_TRY_ASSIGN(impl_->current, std::visit(
                                      [&](auto&& now) -> Result<State> {
                                        return impl_->on(std::forward<decltype(now)>(now), channel,
                                                         message);
                                      },
                                      std::move(state)));
  return {};
}

Result<void> Client::handle_change_cipher_spec(tls13::Channel& channel) {
  auto* expecting = std::get_if<ExpectChangeCipherSpec>(&impl_->current);
  if (expecting == nullptr) {
    impl_->current = Failed{};
    return Error(Errc::unexpected_message, "change_cipher_spec before the client's Finished");
  }
  // RFC 5246 §7.1 (as RFC 8446 §5.1 says outright): a handshake message must not straddle
  // the key change.
  if (channel.joiner().has_partial_message()) {
    impl_->current = Failed{};
    return Error(Errc::unexpected_message, "a handshake message straddles change_cipher_spec");
  }
  ExpectChangeCipherSpec state = std::move(*expecting);
  impl_->current = Failed{};
  KEEL_TRY_ASSIGN(auto protection, record::Protection12::make(
                                       channel.provider(), state.agreed.suite.aead,
                                       state.keys.server_key.view(), state.keys.server_iv.view()));
  channel.records().set_read_protection(std::move(protection));
  impl_->current =
      ExpectFinished{std::move(state.agreed), std::move(state.master), std::move(state.keys),
                     state.abbreviated, std::move(state.ticket)};
  return {};
}

std::unique_ptr<tls13::Session> Client::take_established() {
  return std::move(impl_->established);
}

}  // namespace keel::tls12
