#include "tls13/client_hello_check.hpp"

#include <algorithm>

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;

Result<ByteView> required(const msg::ClientHello& hello, ExtensionType type) {
  const Bytes* data = msg::find(hello.extensions, type);
  if (data == nullptr) {
    // §9.2: "Servers receiving a ClientHello which does not conform to these requirements
    // MUST abort the handshake with a "missing_extension" alert."
    return Error(Errc::missing_extension, "the ClientHello has no " + msg::to_string(type));
  }
  return ByteView(*data);
}

/// Decodes the optional extensions keel speaks into `choice`.
Result<void> read_optional(const msg::ClientHello& hello, ClientHelloChoice& choice) {
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::signature_algorithms_cert)) {
    KEEL_TRY_ASSIGN(choice.signature_schemes_cert, msg::decode_signature_schemes(*data));
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::server_name)) {
    KEEL_TRY_ASSIGN(choice.server_name, msg::decode_server_name(*data));
  }
  if (const Bytes* data =
          msg::find(hello.extensions, ExtensionType::application_layer_protocol_negotiation)) {
    KEEL_TRY_ASSIGN(choice.alpn, msg::decode_alpn(*data));
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::status_request)) {
    KEEL_TRY_ASSIGN(choice.ocsp_requested, msg::decode_status_request(*data));
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::record_size_limit)) {
    KEEL_TRY_ASSIGN(choice.record_size_limit, msg::decode_record_size_limit(*data));
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::psk_key_exchange_modes)) {
    KEEL_TRY_ASSIGN(choice.psk_modes, msg::decode_psk_modes(*data));
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::pre_shared_key)) {
    KEEL_TRY_ASSIGN(choice.psks, msg::decode_offered_psks(*data));
    // §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes"
    // extension, servers MUST abort the handshake."
    if (choice.psk_modes.empty()) {
      return Error(Errc::missing_extension, "pre_shared_key without psk_key_exchange_modes");
    }
  }
  if (const Bytes* data = msg::find(hello.extensions, ExtensionType::cookie)) {
    KEEL_TRY_ASSIGN(choice.cookie, msg::decode_cookie(*data));
  }
  return ok();
}

msg::Extension extension(ExtensionType type, Bytes data) {
  return msg::Extension{static_cast<std::uint16_t>(type), std::move(data)};
}

}  // namespace

Result<ClientHelloChoice> check_client_hello(const msg::ClientHello& hello,
                                             const ServerPreferences& preferences) {
  const Bytes* versions_data = msg::find(hello.extensions, ExtensionType::supported_versions);
  if (versions_data == nullptr) {
    return Error(Errc::protocol_version, "a ClientHello without TLS 1.3 (TLS 1.2 or older)");
  }
  KEEL_TRY_ASSIGN(const auto versions, msg::decode_version_list(*versions_data));
  if (std::find(versions.begin(), versions.end(), msg::kTls13) == versions.end()) {
    return Error(Errc::protocol_version, "the client does not offer TLS 1.3");
  }
  // §4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one byte, set to
  // zero ... If a TLS 1.3 ClientHello is received with any other value in this field, the
  // server MUST abort the handshake with an "illegal_parameter" alert."
  if (hello.legacy_compression_methods != Bytes{0}) {
    return Error(Errc::illegal_parameter, "compression methods other than null");
  }
  KEEL_TRY_ASSIGN(const ByteView schemes_data,
                  required(hello, ExtensionType::signature_algorithms));
  KEEL_TRY_ASSIGN(const ByteView groups_data, required(hello, ExtensionType::supported_groups));
  KEEL_TRY_ASSIGN(const ByteView shares_data, required(hello, ExtensionType::key_share));

  ClientHelloChoice choice{};
  KEEL_TRY_ASSIGN(choice.signature_schemes, msg::decode_signature_schemes(schemes_data));
  KEEL_TRY_ASSIGN(const auto groups, msg::decode_named_groups(groups_data));
  KEEL_TRY_ASSIGN(const auto shares, msg::decode_client_shares(shares_data));
  KEEL_TRY_ASSIGN(const CipherSuite suite,
                  handshake::choose_suite(hello.cipher_suites, preferences.cipher_suites));
  const auto suite13 = handshake::tls13_suite(suite);
  if (!suite13) {
    return Error(Errc::invalid_argument,
                 "server preferences list " + to_string(suite) + ", not a TLS 1.3 suite");
  }
  choice.suite = *suite13;
  KEEL_TRY_ASSIGN(choice.group, handshake::choose_group(groups, shares, preferences.groups));
  KEEL_TRY(read_optional(hello, choice));
  return choice;
}

Result<msg::ServerHello> build_server_hello(const msg::ClientHello& hello,
                                            const msg::Random& random, CipherSuite suite,
                                            const msg::KeyShareEntry& share,
                                            std::optional<std::uint16_t> psk) {
  msg::ServerHello out;
  out.random = random;
  out.legacy_session_id_echo = hello.legacy_session_id;
  out.cipher_suite = suite;
  // In the order of RFC 8448's traces (any order is valid; this one replays byte for byte).
  if (psk) {
    KEEL_TRY_ASSIGN(Bytes selected, msg::encode_selected_identity(*psk));
    out.extensions.push_back(extension(ExtensionType::pre_shared_key, std::move(selected)));
  }
  KEEL_TRY_ASSIGN(Bytes key_share, msg::encode_server_share(share));
  out.extensions.push_back(extension(ExtensionType::key_share, std::move(key_share)));
  KEEL_TRY_ASSIGN(Bytes version, msg::encode_selected_version(msg::kTls13));
  out.extensions.push_back(extension(ExtensionType::supported_versions, std::move(version)));
  return out;
}

Result<msg::ServerHello> build_hello_retry_request(const msg::ClientHello& hello, CipherSuite suite,
                                                   NamedGroup group,
                                                   std::optional<ByteView> cookie) {
  msg::ServerHello out;
  out.random = msg::kHelloRetryRequestRandom;
  out.legacy_session_id_echo = hello.legacy_session_id;
  out.cipher_suite = suite;
  KEEL_TRY_ASSIGN(Bytes selected, msg::encode_selected_group(group));
  out.extensions.push_back(extension(ExtensionType::key_share, std::move(selected)));
  if (cookie) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_cookie(*cookie));
    out.extensions.push_back(extension(ExtensionType::cookie, std::move(data)));
  }
  KEEL_TRY_ASSIGN(Bytes version, msg::encode_selected_version(msg::kTls13));
  out.extensions.push_back(extension(ExtensionType::supported_versions, std::move(version)));
  return out;
}

}  // namespace keel::tls13
