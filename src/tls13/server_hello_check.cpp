#include "tls13/server_hello_check.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "core/try.hpp"
#include "handshake/negotiation.hpp"
#include "msg/extensions.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;

/// The checks a ServerHello and a HelloRetryRequest share: version, session id, suite,
/// compression, and extensions only among `allowed`, each one the client sent (the cookie of
/// a HelloRetryRequest excepted, §4.2).
Result<handshake::Suite13> check_common(const msg::ClientHello& sent,
                                        const msg::ServerHello& received,
                                        std::initializer_list<ExtensionType> allowed) {
  const Bytes* version = msg::find(received.extensions, ExtensionType::supported_versions);
  if (version == nullptr) {
    // §4.1.3: a TLS 1.3 client that sees a TLS 1.2 (or older) ServerHello with a sentinel
    // "MUST abort the handshake with an "illegal_parameter" alert".
    if (handshake::has_downgrade_sentinel(received.random)) {
      return Error(Errc::illegal_parameter, "the server signals a downgrade from TLS 1.3");
    }
    return Error(Errc::protocol_version, "the server does not speak TLS 1.3");
  }
  KEEL_TRY_ASSIGN(const std::uint16_t selected, msg::decode_selected_version(*version));
  if (selected != msg::kTls13) {
    return Error(Errc::illegal_parameter, "supported_versions selects a version not offered");
  }
  if (received.legacy_version != msg::kTls12) {
    return Error(Errc::illegal_parameter, "ServerHello legacy_version is not 0x0303");
  }
  if (received.legacy_session_id_echo != sent.legacy_session_id) {
    return Error(Errc::illegal_parameter, "legacy_session_id_echo differs from what was sent");
  }
  if (received.legacy_compression_method != 0) {
    return Error(Errc::illegal_parameter, "ServerHello compression method is not 0");
  }
  const auto suite = handshake::tls13_suite(received.cipher_suite);
  if (!suite || std::find(sent.cipher_suites.begin(), sent.cipher_suites.end(),
                          received.cipher_suite) == sent.cipher_suites.end()) {
    return Error(Errc::illegal_parameter, "the server chose " + to_string(received.cipher_suite) +
                                              ", which was not offered");
  }
  for (const auto& extension : received.extensions) {
    const auto type = static_cast<ExtensionType>(extension.type);
    const bool hrr_cookie =
        received.is_hello_retry_request() && extension.is(ExtensionType::cookie);
    if (!hrr_cookie && msg::find(sent.extensions, type) == nullptr) {
      return Error(Errc::unsupported_extension,
                   msg::to_string(type) + " in the server's hello was not offered");
    }
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      return Error(Errc::illegal_parameter,
                   msg::to_string(type) + " does not belong in a ServerHello");
    }
  }
  return *suite;
}

/// An extension of the ClientHello the client sent, which it always includes.
Result<ByteView> sent_extension(const msg::ClientHello& sent, ExtensionType type) {
  const Bytes* data = msg::find(sent.extensions, type);
  if (data == nullptr) {
    return Error(Errc::internal, "the ClientHello sent had no " + msg::to_string(type));
  }
  return ByteView(*data);
}

}  // namespace

Result<AcceptedServerHello> check_server_hello(const msg::ClientHello& sent,
                                               const msg::ServerHello& received) {
  if (received.is_hello_retry_request()) {
    return Error(Errc::internal, "check_server_hello given a HelloRetryRequest");
  }
  KEEL_TRY_ASSIGN(const handshake::Suite13 suite,
                  check_common(sent, received,
                               {ExtensionType::supported_versions, ExtensionType::key_share,
                                ExtensionType::pre_shared_key}));
  const Bytes* share_data = msg::find(received.extensions, ExtensionType::key_share);
  if (share_data == nullptr) {
    return Error(Errc::missing_extension, "the ServerHello has no key_share");
  }
  KEEL_TRY_ASSIGN(const msg::KeyShareEntry share, msg::decode_server_share(*share_data));
  KEEL_TRY_ASSIGN(const ByteView sent_share_data, sent_extension(sent, ExtensionType::key_share));
  KEEL_TRY_ASSIGN(const auto sent_shares, msg::decode_client_shares(sent_share_data));
  const bool offered =
      std::any_of(sent_shares.begin(), sent_shares.end(),
                  [&](const msg::KeyShareEntry& e) { return e.group == share.group; });
  if (!offered) {
    return Error(Errc::illegal_parameter, "the server's key share is for " +
                                              to_string(share.group) + ", which was not sent");
  }
  AcceptedServerHello accepted{suite, share.group, share.key_exchange, std::nullopt};
  if (const Bytes* psk = msg::find(received.extensions, ExtensionType::pre_shared_key)) {
    KEEL_TRY_ASSIGN(const std::uint16_t index, msg::decode_selected_identity(*psk));
    // The server may answer pre_shared_key only if it was sent (checked in check_common).
    KEEL_TRY_ASSIGN(const ByteView sent_psks, sent_extension(sent, ExtensionType::pre_shared_key));
    KEEL_TRY_ASSIGN(const auto offered_psks, msg::decode_offered_psks(sent_psks));
    if (index >= offered_psks.identities.size()) {
      return Error(Errc::illegal_parameter, "the server selected a PSK that was not offered");
    }
    accepted.psk_identity = index;
  }
  return accepted;
}

Result<RetryRequest> check_hello_retry_request(const msg::ClientHello& sent,
                                               const msg::ServerHello& received) {
  KEEL_TRY_ASSIGN(const handshake::Suite13 suite,
                  check_common(sent, received,
                               {ExtensionType::supported_versions, ExtensionType::key_share,
                                ExtensionType::cookie}));
  RetryRequest retry{suite, std::nullopt, std::nullopt};
  if (const Bytes* key_share = msg::find(received.extensions, ExtensionType::key_share)) {
    KEEL_TRY_ASSIGN(const NamedGroup group, msg::decode_selected_group(*key_share));
    KEEL_TRY_ASSIGN(const ByteView group_data,
                    sent_extension(sent, ExtensionType::supported_groups));
    KEEL_TRY_ASSIGN(const ByteView share_data, sent_extension(sent, ExtensionType::key_share));
    KEEL_TRY_ASSIGN(const auto groups, msg::decode_named_groups(group_data));
    KEEL_TRY_ASSIGN(const auto shares, msg::decode_client_shares(share_data));
    const bool listed = std::find(groups.begin(), groups.end(), group) != groups.end();
    const bool already_sent =
        std::any_of(shares.begin(), shares.end(),
                    [&](const msg::KeyShareEntry& e) { return e.group == group; });
    if (!listed || already_sent) {
      return Error(Errc::illegal_parameter,
                   "the HelloRetryRequest asks for " + to_string(group) +
                       (listed ? ", for which a share was sent" : ", which was not offered"));
    }
    retry.group = group;
  }
  if (const Bytes* cookie = msg::find(received.extensions, ExtensionType::cookie)) {
    KEEL_TRY_ASSIGN(retry.cookie, msg::decode_cookie(*cookie));
  }
  // §4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if the
  // HelloRetryRequest would not result in any change in the ClientHello."
  if (!retry.group && !retry.cookie) {
    return Error(Errc::illegal_parameter, "a HelloRetryRequest that asks for no change");
  }
  return retry;
}

}  // namespace keel::tls13
