#include "tls12/server.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/try.hpp"
#include "handshake/key_schedule12.hpp"
#include "handshake/negotiation.hpp"
#include "handshake/transcript.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/extensions.hpp"
#include "msg/finished.hpp"
#include "msg/tls12_messages.hpp"
#include "msg/types.hpp"
#include "record/protection12.hpp"
#include "session/client_ticket.hpp"
#include "tls12/established.hpp"
#include "tls13/encrypted_extensions.hpp"
#include "tls13/handshake.hpp"
#include "tls13/resumption.hpp"
#include "wire/reader.hpp"

namespace keel::tls12 {
namespace {

using handshake::HandshakeMessage;
using msg::ExtensionType;
using msg::HandshakeType;

/// What every state after the ClientHello needs.
struct Agreed {
  handshake::Suite12 suite{};
  msg::Random client_random{};
  msg::Random server_random{};
  Bytes session_id;           // in the ServerHello: the session's id, to keep it by
  bool issue_ticket = false;  // a NewSessionTicket goes before the server's Finished
};

// The states (docs/design.md, rule 3), each holding what the next step needs.
struct ExpectClientCertificate {
  Agreed agreed;
  std::unique_ptr<crypto::KeyShare> share;
};
struct ExpectClientKeyExchange {
  Agreed agreed;
  std::unique_ptr<crypto::KeyShare> share;
  std::unique_ptr<crypto::PublicKey> client_key;  // if the client sent a certificate
};
struct ExpectCertificateVerify {
  Agreed agreed;
  Secret master;
  handshake::KeyBlock12 keys;
  std::unique_ptr<crypto::PublicKey> client_key;
};
/// `abbreviated`: a resumed session, whose server Finished went first.
struct ExpectChangeCipherSpec {
  Agreed agreed;
  Secret master;
  handshake::KeyBlock12 keys;
  bool abbreviated = false;
};
struct ExpectFinished {
  Agreed agreed;
  Secret master;
  handshake::KeyBlock12 keys;
  bool abbreviated = false;
};
struct Complete {};
struct Failed {};

using State =
    std::variant<ExpectClientCertificate, ExpectClientKeyExchange, ExpectCertificateVerify,
                 ExpectChangeCipherSpec, ExpectFinished, Complete, Failed>;

msg::Extension extension(ExtensionType type, Bytes data) {
  return msg::Extension{static_cast<std::uint16_t>(type), std::move(data)};
}

/// The scheme to sign the key exchange with: keel's TLS 1.2 preference among those offered.
std::optional<SignatureScheme> scheme_for(std::span<const SignatureScheme> offered,
                                          crypto::KeyType key) {
  auto scheme =
      handshake::choose_signature_scheme(offered, key, handshake::tls12_signature_schemes());
  if (!scheme.ok()) {
    return std::nullopt;
  }
  return scheme.value();
}

/// What the server settles on from a ClientHello.
struct Choice {
  handshake::Suite12 suite{};
  NamedGroup group{};
  const tls13::Credential* credential = nullptr;
  SignatureScheme scheme{};
  std::optional<std::string> alpn;
  std::optional<std::string> server_name;
  bool point_formats = false;  // the client sent ec_point_formats
};

Result<Choice> choose(const ServerContext& context, const msg::ClientHello& hello) {
  Choice choice;
  // RFC 5246 §7.4.1.2: the null compression method must be offered.
  if (std::find(hello.legacy_compression_methods.begin(), hello.legacy_compression_methods.end(),
                0) == hello.legacy_compression_methods.end()) {
    return Error(Errc::illegal_parameter, "ClientHello without the null compression method");
  }
  // RFC 7627 §5.3: keel requires the extended master secret (docs/design.md).
  const Bytes* ems = msg::find(hello.extensions, ExtensionType::extended_master_secret);
  if (ems == nullptr) {
    return Error(Errc::handshake_failure,
                 "the client does not offer the extended master secret (RFC 7627)");
  }
  KEEL_TRY(msg::expect_empty_extension(*ems));
  // RFC 5746 §3.6: the extension (empty on a first handshake) or the SCSV.
  const Bytes* renegotiation = msg::find(hello.extensions, ExtensionType::renegotiation_info);
  const bool scsv =
      std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(),
                CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV) != hello.cipher_suites.end();
  if (renegotiation != nullptr ? *renegotiation != Bytes{0} : !scsv) {
    return Error(Errc::handshake_failure,
                 renegotiation != nullptr
                     ? "renegotiation_info is not empty on a first handshake"
                     : "the client does not send the renegotiation indication (RFC 5746)");
  }
  if (const Bytes* formats = msg::find(hello.extensions, ExtensionType::ec_point_formats)) {
    wire::Reader reader(*formats);
    KEEL_TRY_ASSIGN(const ByteView list, reader.prefixed(wire::Width::u8, 1));
    KEEL_TRY(reader.expect_empty());
    if (std::find(list.begin(), list.end(), 0) == list.end()) {
      return Error(Errc::illegal_parameter, "the client cannot read uncompressed points");
    }
    choice.point_formats = true;
  }
  // RFC 8422 §4: without supported_groups the server may pick any curve.
  std::vector<NamedGroup> groups = context.groups;
  if (const Bytes* offered = msg::find(hello.extensions, ExtensionType::supported_groups)) {
    KEEL_TRY_ASSIGN(groups, msg::decode_named_groups(*offered));
  }
  const auto group = std::find_first_of(context.groups.begin(), context.groups.end(),
                                        groups.begin(), groups.end());
  if (group == context.groups.end()) {
    return Error(Errc::handshake_failure, "no key exchange group in common");
  }
  choice.group = *group;
  // RFC 5246 §7.4.1.4.1: without signature_algorithms the client accepts SHA-1 only, which
  // keel does not sign with.
  const Bytes* schemes_data = msg::find(hello.extensions, ExtensionType::signature_algorithms);
  if (schemes_data == nullptr) {
    return Error(Errc::handshake_failure,
                 "no signature_algorithms: TLS 1.2's default is SHA-1, which keel refuses");
  }
  KEEL_TRY_ASSIGN(const auto schemes, msg::decode_signature_schemes(*schemes_data));
  if (const Bytes* name = msg::find(hello.extensions, ExtensionType::server_name)) {
    KEEL_TRY_ASSIGN(choice.server_name, msg::decode_server_name(*name));
  }
  if (const Bytes* alpn =
          msg::find(hello.extensions, ExtensionType::application_layer_protocol_negotiation)) {
    KEEL_TRY_ASSIGN(const auto offered, msg::decode_alpn(*alpn));
    KEEL_TRY_ASSIGN(choice.alpn, tls13::select_alpn(offered, context.alpn));
  }
  // The server's suite preference; for each, a certificate by name first, then any.
  for (const CipherSuite id : context.suites) {
    const auto suite = handshake::tls12_suite(id);
    if (!suite || std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), id) ==
                      hello.cipher_suites.end()) {
      continue;
    }
    for (const bool by_name : {true, false}) {
      for (const auto& credential : context.credentials) {
        if (by_name && !(choice.server_name && credential->covers(*choice.server_name))) {
          continue;
        }
        const crypto::KeyType key = credential->key().type();
        const auto scheme = scheme_for(schemes, key);
        if (handshake::key_fits_suite12(key, suite->auth) && scheme) {
          choice.suite = *suite;
          choice.credential = credential.get();
          choice.scheme = *scheme;
          return choice;
        }
      }
    }
  }
  return Error(Errc::handshake_failure,
               "no TLS 1.2 suite in common for which the server has a certificate");
}

/// The ServerHello; `resumed` for an abbreviated handshake, which names the session's id and
/// suite.
Result<msg::ServerHello> server_hello(const Choice& choice, const Agreed& agreed, bool resumed,
                                      const msg::ClientHello& hello) {
  msg::ServerHello out;
  out.random = agreed.server_random;
  out.legacy_session_id_echo = agreed.session_id;
  out.cipher_suite = agreed.suite.id;
  // Answers only what the client sent (RFC 5246 §7.4.1.4). RFC 6066 §3: "When resuming a
  // session, the server MUST NOT include a server_name extension in the server hello."
  if (!resumed && choice.server_name && choice.credential->covers(*choice.server_name)) {
    out.extensions.push_back(extension(ExtensionType::server_name, {}));  // RFC 6066 §3
  }
  if (agreed.issue_ticket) {
    out.extensions.push_back(extension(ExtensionType::session_ticket, {}));  // RFC 5077 §3.2
  }
  if (choice.point_formats) {
    out.extensions.push_back(extension(ExtensionType::ec_point_formats, {1, 0}));
  }
  if (choice.alpn) {
    const std::array<std::string, 1> protocols = {*choice.alpn};
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_alpn(protocols));
    out.extensions.push_back(
        extension(ExtensionType::application_layer_protocol_negotiation, std::move(data)));
  }
  out.extensions.push_back(extension(ExtensionType::extended_master_secret, {}));
  if (msg::find(hello.extensions, ExtensionType::renegotiation_info) != nullptr ||
      std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(),
                CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV) != hello.cipher_suites.end()) {
    out.extensions.push_back(extension(ExtensionType::renegotiation_info, {0}));
  }
  return out;
}

}  // namespace

Result<OfferedVersions> offered_versions(const msg::ClientHello& hello) {
  OfferedVersions out;
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::supported_versions)) {
    KEEL_TRY_ASSIGN(const auto versions, msg::decode_version_list(*data));
    out.tls12 = std::find(versions.begin(), versions.end(), msg::kTls12) != versions.end();
    out.tls13 = std::find(versions.begin(), versions.end(), msg::kTls13) != versions.end();
    return out;
  }
  // RFC 8446 §4.2.1: without the extension the client speaks legacy_version at most; one
  // that says more than 1.2 gets 1.2.
  out.tls12 = hello.legacy_version >= msg::kTls12;
  return out;
}

struct Server::Impl {
  ServerContext context;
  State current;
  std::unique_ptr<Established> established;
  /// RFC 5246 §7.4.8: the client's CertificateVerify signs the handshake messages
  /// themselves, so a server that asks for a certificate keeps them until it is checked.
  Bytes messages;

  [[nodiscard]] bool keeps_messages() const { return context.client_auth != ClientAuth12::none; }

  Result<void> add(tls13::Channel& channel, ByteView message) {
    if (keeps_messages()) {
      messages.insert(messages.end(), message.begin(), message.end());
    }
    return channel.transcript().add(message);
  }
  Result<void> send(tls13::Channel& channel, ByteView message) {
    if (keeps_messages()) {
      messages.insert(messages.end(), message.begin(), message.end());
    }
    return channel.send_handshake(message);
  }
  Rng& rng(tls13::Channel& channel) const {
    return context.rng != nullptr ? *context.rng : channel.provider_rng();
  }

  [[nodiscard]] TimePoint now() const {
    return context.clock != nullptr ? context.clock->now() : SystemClock().now();
  }

  /// The session a ClientHello asks to resume, if the server holds it and it may be resumed
  /// here: from a ticket (RFC 5077 §3.4; with a session id to echo) or a session id, of TLS
  /// 1.2, a suite the client offers and the server enables, the same server_name, within its
  /// lifetime, with a verified client certificate if one is required. Anything else is a full
  /// handshake.
  [[nodiscard]] std::optional<session::SessionState> find_session(const crypto::Provider& provider,
                                                                  const msg::ClientHello& hello,
                                                                  const Choice& choice) const {
    if (hello.legacy_session_id.empty()) {
      return std::nullopt;
    }
    std::optional<session::SessionState> found;
    const Bytes* ticket = msg::find(hello.extensions, ExtensionType::session_ticket);
    if (ticket != nullptr && !ticket->empty()) {
      if (context.ticket_keys) {
        if (auto opened = context.ticket_keys->open(provider, now(), *ticket)) {
          auto decoded = session::SessionState::decode(opened->view());
          if (decoded.ok()) {
            found = std::move(decoded).value();
          }
        }
      }
    } else if (context.session_ids) {
      found = context.session_ids->find(hello.legacy_session_id);
    }
    const auto offered = [&](CipherSuite id) {
      return std::find(hello.cipher_suites.begin(), hello.cipher_suites.end(), id) !=
                 hello.cipher_suites.end() &&
             std::find(context.suites.begin(), context.suites.end(), id) != context.suites.end();
    };
    if (!found || found->version != ProtocolVersion::tls12 || !offered(found->suite) ||
        !handshake::tls12_suite(found->suite) || found->server_name != choice.server_name ||
        !found->valid_at(tls13::unix_seconds(now())) ||
        (context.client_auth == ClientAuth12::required && !found->peer_verified)) {
      return std::nullopt;
    }
    return found;
  }

  /// What a resumption restores: the session as the server keeps it.
  [[nodiscard]] session::SessionState session_of(const Agreed& agreed, const Secret& master) const {
    const Negotiated& negotiated = *context.negotiated;
    session::SessionState out;
    out.version = ProtocolVersion::tls12;
    out.suite = agreed.suite.id;
    out.secret = master.clone();
    out.created = tls13::unix_seconds(now());
    out.lifetime = context.ticket_lifetime;
    out.server_name = negotiated.server_name;
    out.alpn = negotiated.alpn;
    out.peer_certificates = negotiated.peer_certificates;
    out.peer_verified = negotiated.peer_verified;
    return out;
  }

  /// RFC 5077 §3.3: a NewSessionTicket sealing `session`.
  Result<void> send_ticket(tls13::Channel& channel, const session::SessionState& session) {
    KEEL_TRY_ASSIGN(const Secret plaintext, session.encode());
    msg::NewSessionTicket12 ticket{context.ticket_lifetime, {}};
    if (plaintext.size() + session::TicketKeyRing::kOverhead <= 0xffff) {
      KEEL_TRY_ASSIGN(ticket.ticket, context.ticket_keys->seal(channel.provider(), rng(channel),
                                                               now(), plaintext.view()));
    }  // else an empty ticket: RFC 5077 §3.3 lets the server take back its offer that way
    KEEL_TRY_ASSIGN(const Bytes encoded, ticket.encode());
    return channel.send_handshake(encoded);
  }

  /// Starts the transcript and the record layer's TLS 1.2 mode with the ClientHello.
  Result<void> begin(tls13::Channel& channel, const msg::ClientHello& hello, ByteView client_hello,
                     const handshake::Suite12& suite) {
    KEEL_TRY_ASSIGN(channel.transcript(),
                    handshake::Transcript::with_hash(channel.provider(), suite.hash));
    channel.set_client_random(hello.random);
    channel.records().use_tls12();
    return add(channel, client_hello);
  }

  Result<Agreed> agree(tls13::Channel& channel, const handshake::Suite12& suite,
                       const msg::ClientHello& hello) {
    Agreed agreed{suite, hello.random, {}, {}, false};
    KEEL_TRY(rng(channel).fill(agreed.server_random));
    if (context.speaks_tls13) {
      // RFC 8446 §4.1.3: "DOWNGRD" 01 ends the random of a TLS 1.3 server speaking TLS 1.2.
      std::copy(handshake::kDowngradeTls12.begin(), handshake::kDowngradeTls12.end(),
                agreed.server_random.end() - handshake::kDowngradeTls12.size());
    }
    // RFC 5077 §3.2: a ticket for a client that sends the extension; otherwise a session id
    // to keep the session by.
    agreed.issue_ticket = context.ticket_keys && context.issue_tickets &&
                          msg::find(hello.extensions, ExtensionType::session_ticket) != nullptr;
    return agreed;
  }

  /// The abbreviated handshake (RFC 5246 §7.3): the ServerHello echoes the client's session
  /// id, then [NewSessionTicket], ChangeCipherSpec and the server's Finished.
  Result<State> resume(tls13::Channel& channel, const msg::ClientHello& hello,
                       ByteView client_hello, const Choice& choice, session::SessionState session) {
    const auto& provider = channel.provider();
    const auto suite = *handshake::tls12_suite(session.suite);
    KEEL_TRY_ASSIGN(Agreed agreed, agree(channel, suite, hello));
    agreed.session_id = hello.legacy_session_id;
    KEEL_TRY(begin(channel, hello, client_hello, suite));
    Negotiated& negotiated = *context.negotiated;
    negotiated.version = ProtocolVersion::tls12;
    negotiated.cipher_suite = suite.id;
    negotiated.alpn = choice.alpn;  // RFC 7301 §3.1: ALPN is the connection's, not the session's
    negotiated.server_name = choice.server_name;
    negotiated.resumed = true;
    negotiated.peer_certificates = session.peer_certificates;
    negotiated.peer_verified = session.peer_verified;

    KEEL_TRY_ASSIGN(const auto hello_out, server_hello(choice, agreed, true, hello));
    KEEL_TRY_ASSIGN(auto encoded, hello_out.encode());
    KEEL_TRY(send(channel, encoded));
    if (agreed.issue_ticket) {
      KEEL_TRY(send_ticket(channel, session));  // the same session, its lifetime unchanged
    }
    Secret master = std::move(session.secret);
    channel.log_secret("CLIENT_RANDOM", master.view());
    KEEL_TRY_ASSIGN(auto keys, handshake::key_block(provider, suite, master.view(),
                                                    agreed.client_random, agreed.server_random));
    KEEL_TRY(send_change_cipher_spec_and_finished(channel, agreed.suite, master.view(), keys,
                                                  handshake::FinishedSender::server));
    return ExpectChangeCipherSpec{std::move(agreed), std::move(master), std::move(keys), true};
  }

  Result<State> respond(tls13::Channel& channel, const msg::ClientHello& hello,
                        ByteView client_hello) {
    KEEL_TRY_ASSIGN(const Choice choice, choose(context, hello));
    const auto& provider = channel.provider();
    if (auto session = find_session(provider, hello, choice)) {
      return resume(channel, hello, client_hello, choice, std::move(*session));
    }
    KEEL_TRY_ASSIGN(Agreed agreed, agree(channel, choice.suite, hello));
    if (!agreed.issue_ticket && context.session_ids) {
      agreed.session_id.resize(session::ClientTicket::kMaxSessionId);
      KEEL_TRY(rng(channel).fill(agreed.session_id));
    }
    KEEL_TRY(begin(channel, hello, client_hello, choice.suite));

    Negotiated& negotiated = *context.negotiated;
    negotiated.version = ProtocolVersion::tls12;
    negotiated.cipher_suite = choice.suite.id;
    negotiated.group = choice.group;
    negotiated.alpn = choice.alpn;
    negotiated.server_name = choice.server_name;

    KEEL_TRY_ASSIGN(const auto hello_out, server_hello(choice, agreed, false, hello));
    KEEL_TRY_ASSIGN(auto encoded, hello_out.encode());
    KEEL_TRY(send(channel, encoded));
    KEEL_TRY_ASSIGN(encoded, (msg::Certificate12{choice.credential->chain()}.encode()));
    KEEL_TRY(send(channel, encoded));

    KEEL_TRY_ASSIGN(auto share, provider.generate_key_share(choice.group, rng(channel)));
    const ByteView public_key = share->public_key();
    const auto info = handshake::scheme_info(choice.scheme);
    KEEL_TRY_ASSIGN(auto signature,
                    choice.credential->key().sign(
                        info->algorithm,
                        msg::ServerKeyExchange12::signed_content(
                            agreed.client_random, agreed.server_random, choice.group, public_key)));
    KEEL_TRY_ASSIGN(encoded, (msg::ServerKeyExchange12{choice.group,
                                                       Bytes(public_key.begin(), public_key.end()),
                                                       choice.scheme, std::move(signature)}
                                  .encode()));
    KEEL_TRY(send(channel, encoded));
    if (context.client_auth != ClientAuth12::none) {
      const auto schemes = handshake::tls12_signature_schemes();
      const msg::CertificateRequest12 request{
          Bytes{msg::CertificateRequest12::kEcdsaSign, msg::CertificateRequest12::kRsaSign},
          {schemes.begin(), schemes.end()},
          {}};
      KEEL_TRY_ASSIGN(encoded, request.encode());
      KEEL_TRY(send(channel, encoded));
    }
    KEEL_TRY_ASSIGN(encoded, msg::encode_empty(HandshakeType::server_hello_done));
    KEEL_TRY(send(channel, encoded));
    if (context.client_auth != ClientAuth12::none) {
      return ExpectClientCertificate{agreed, std::move(share)};
    }
    return ExpectClientKeyExchange{agreed, std::move(share), nullptr};
  }

  Result<State> on(ExpectClientCertificate&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate) {
      return tls13::unexpected(message, "Certificate");
    }
    KEEL_TRY_ASSIGN(auto received, msg::Certificate12::decode(message.body));
    KEEL_TRY(add(channel, message.whole));
    if (received.certificate_list.empty()) {
      // RFC 5246 §7.4.6: a server that requires one "may respond with a fatal
      // handshake_failure alert".
      if (context.client_auth == ClientAuth12::required) {
        return Error(Errc::handshake_failure, "the client sent no certificate");
      }
      return ExpectClientKeyExchange{state.agreed, std::move(state.share), nullptr};
    }
    if (context.client_verifier == nullptr) {
      return Error(Errc::internal, "client certificates asked for with nothing to check them");
    }
    Negotiated& negotiated = *context.negotiated;
    negotiated.peer_certificates = received.certificate_list;
    const std::vector<ByteView> chain(received.certificate_list.begin(),
                                      received.certificate_list.end());
    KEEL_TRY_ASSIGN(auto verified,
                    x509::verify_client_chain(*context.client_verifier, chain, now()));
    KEEL_TRY_ASSIGN(auto key,
                    channel.provider().parse_public_key(verified.leaf_spki(), context.key_policy));
    negotiated.peer_verified = true;
    return ExpectClientKeyExchange{state.agreed, std::move(state.share), std::move(key)};
  }

  Result<State> on(ExpectClientKeyExchange&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::client_key_exchange) {
      return tls13::unexpected(message, "ClientKeyExchange");
    }
    KEEL_TRY_ASSIGN(auto exchange, msg::ClientKeyExchange12::decode(message.body));
    KEEL_TRY_ASSIGN(auto pre_master, state.share->agree(exchange.public_key));
    KEEL_TRY(add(channel, message.whole));
    const auto& provider = channel.provider();
    const Agreed& agreed = state.agreed;
    // RFC 7627 §3: the session hash covers the handshake through the ClientKeyExchange.
    KEEL_TRY_ASSIGN(auto session_hash, channel.transcript().hash());
    KEEL_TRY_ASSIGN(auto master,
                    handshake::extended_master_secret(provider, agreed.suite, pre_master.view(),
                                                      session_hash.view()));
    channel.log_secret("CLIENT_RANDOM", master.view());
    KEEL_TRY_ASSIGN(auto keys, handshake::key_block(provider, agreed.suite, master.view(),
                                                    agreed.client_random, agreed.server_random));
    if (state.client_key != nullptr) {
      return ExpectCertificateVerify{state.agreed, std::move(master), std::move(keys),
                                     std::move(state.client_key)};
    }
    messages = Bytes();
    return ExpectChangeCipherSpec{state.agreed, std::move(master), std::move(keys), false};
  }

  Result<State> on(ExpectCertificateVerify&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::certificate_verify) {
      return tls13::unexpected(message, "CertificateVerify");
    }
    KEEL_TRY_ASSIGN(auto verify, msg::CertificateVerify::decode(message.body));
    const auto offered = handshake::tls12_signature_schemes();
    const auto info = handshake::scheme_info(verify.algorithm);
    const crypto::KeyType key = state.client_key->type();
    if (!info || std::find(offered.begin(), offered.end(), verify.algorithm) == offered.end() ||
        !handshake::scheme_fits_key12(*info, key)) {
      return Error(Errc::illegal_parameter, "CertificateVerify with " +
                                                to_string(verify.algorithm) + " for a " +
                                                std::string(crypto::to_string(key)) + " key");
    }
    // RFC 5246 §7.4.8: over every handshake message through the ClientKeyExchange.
    auto verified = state.client_key->verify(info->algorithm, messages, verify.signature);
    if (!verified.ok()) {
      return std::move(verified).error().prepend("the client's CertificateVerify");
    }
    messages = Bytes();
    context.negotiated->peer_signature_scheme = verify.algorithm;
    KEEL_TRY(channel.transcript().add(message.whole));
    return ExpectChangeCipherSpec{state.agreed, std::move(state.master), std::move(state.keys),
                                  false};
  }

  static Result<State> on(ExpectChangeCipherSpec&& /*state*/, tls13::Channel& /*channel*/,
                          const HandshakeMessage& message) {
    return tls13::unexpected(message, "ChangeCipherSpec");
  }

  Result<State> on(ExpectFinished&& state, tls13::Channel& channel,
                   const HandshakeMessage& message) {
    if (message.type != HandshakeType::finished) {
      return tls13::unexpected(message, "Finished");
    }
    const auto& provider = channel.provider();
    const Agreed& agreed = state.agreed;
    auto& transcript = channel.transcript();
    KEEL_TRY_ASSIGN(auto finished,
                    msg::Finished::decode(message.body, handshake::kVerifyDataSize12));
    KEEL_TRY_ASSIGN(auto client_hash, transcript.hash());
    KEEL_TRY_ASSIGN(auto verified, verify_finished12(provider, agreed.suite, state.master.view(),
                                                     handshake::FinishedSender::client,
                                                     client_hash.view(), finished.verify_data));
    KEEL_TRY(transcript.add(message.whole));
    if (!state.abbreviated) {
      // A session to resume later: in a ticket, or kept by its id.
      if (agreed.issue_ticket) {
        KEEL_TRY(send_ticket(channel, session_of(agreed, state.master)));
      } else if (context.session_ids && !agreed.session_id.empty()) {
        context.session_ids->store(agreed.session_id, session_of(agreed, state.master));
      }
      KEEL_TRY(send_change_cipher_spec_and_finished(channel, agreed.suite, state.master.view(),
                                                    state.keys, handshake::FinishedSender::server));
    }
    established =
        std::make_unique<Established>(Side::server, agreed.suite, std::move(state.master),
                                      agreed.client_random, agreed.server_random, verified);
    return Complete{};
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

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::start(ServerContext context, const msg::ClientHello& hello,
                                              ByteView client_hello, tls13::Channel& channel) {
  if (context.negotiated == nullptr || context.credentials.empty()) {
    return Error(Errc::internal, "a TLS 1.2 server without its context");
  }
  auto impl = std::make_unique<Impl>();
  impl->context = std::move(context);
  KEEL_TRY_ASSIGN(impl->current, impl->respond(channel, hello, client_hello));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<void> Server::handle(tls13::Channel& channel, const HandshakeMessage& message) {
  State state = std::exchange(impl_->current, Failed{});
  KEEL_TRY_ASSIGN(impl_->current, std::visit(
                                      [&](auto&& now) -> Result<State> {
                                        return impl_->on(std::forward<decltype(now)>(now), channel,
                                                         message);
                                      },
                                      std::move(state)));
  return {};
}

Result<void> Server::handle_change_cipher_spec(tls13::Channel& channel) {
  auto* expecting = std::get_if<ExpectChangeCipherSpec>(&impl_->current);
  if (expecting == nullptr) {
    impl_->current = Failed{};
    return Error(Errc::unexpected_message, "change_cipher_spec before the client's key exchange");
  }
  if (channel.joiner().has_partial_message()) {
    impl_->current = Failed{};
    return Error(Errc::unexpected_message, "a handshake message straddles change_cipher_spec");
  }
  ExpectChangeCipherSpec state = std::move(*expecting);
  impl_->current = Failed{};
  KEEL_TRY_ASSIGN(auto protection, record::Protection12::make(
                                       channel.provider(), state.agreed.suite.aead,
                                       state.keys.client_key.view(), state.keys.client_iv.view()));
  channel.records().set_read_protection(std::move(protection));
  impl_->current = ExpectFinished{std::move(state.agreed), std::move(state.master),
                                  std::move(state.keys), state.abbreviated};
  return {};
}

std::unique_ptr<tls13::Session> Server::take_established() {
  return std::move(impl_->established);
}

}  // namespace keel::tls12
