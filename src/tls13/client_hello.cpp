#include "tls13/client_hello.hpp"

#include <algorithm>

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

/// RFC 8701 §2: 0x?A?A with both nibbles equal; `seed` picks which.
std::uint16_t grease_value(std::uint8_t seed) {
  const unsigned nibble = seed & 0x0FU;
  return static_cast<std::uint16_t>((nibble << 12U) | 0x0A00U | (nibble << 4U) | 0x000AU);
}

msg::Extension extension(msg::ExtensionType type, Bytes data) {
  return msg::Extension{static_cast<std::uint16_t>(type), std::move(data)};
}

}  // namespace

Result<msg::ClientHello> build_client_hello(const ClientOffer& offer,
                                            const ClientHelloRandoms& randoms,
                                            std::span<const msg::KeyShareEntry> key_shares,
                                            const std::optional<RetryAnswer>& retry) {
  const std::optional<ByteView> cookie = retry ? retry->cookie : std::nullopt;
  const bool grease = std::any_of(randoms.grease.begin(), randoms.grease.end(),
                                  [](std::uint8_t b) { return b != 0; });
  // Two different GREASE values where two may appear in one list (RFC 8701 §3 lets a client
  // use any); the extension uses its own.
  const std::uint16_t grease_a = grease_value(randoms.grease[0]);
  std::uint16_t grease_b = grease_value(randoms.grease[1]);
  if (grease_b == grease_a) {
    grease_b = grease_value(static_cast<std::uint8_t>(randoms.grease[1] + 1));
  }
  const std::uint16_t grease_extension = grease_value(randoms.grease[2]);

  msg::ClientHello hello;
  hello.random = randoms.random;
  hello.legacy_session_id.assign(randoms.session_id.begin(), randoms.session_id.end());
  if (grease) {
    hello.cipher_suites.push_back(static_cast<CipherSuite>(grease_a));
  }
  hello.cipher_suites.insert(hello.cipher_suites.end(), offer.cipher_suites.begin(),
                             offer.cipher_suites.end());

  auto& extensions = hello.extensions;
  if (grease) {
    extensions.push_back(msg::Extension{grease_extension, {}});
  }
  if (offer.server_name) {
    KEEL_TRY_ASSIGN(Bytes name, msg::encode_server_name(*offer.server_name));
    extensions.push_back(extension(msg::ExtensionType::server_name, std::move(name)));
  }
  {
    std::vector<std::uint16_t> versions;
    if (grease) {
      versions.push_back(grease_b);
    }
    if (offer.tls13) {
      versions.push_back(msg::kTls13);
    }
    if (offer.tls12) {
      versions.push_back(msg::kTls12);
    }
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_version_list(versions));
    if (offer.tls13) {  // RFC 8446 §4.2.1: a TLS 1.2 client sends no supported_versions
      extensions.push_back(extension(msg::ExtensionType::supported_versions, std::move(data)));
    }
  }
  {
    std::vector<NamedGroup> groups;
    if (grease) {
      groups.push_back(static_cast<NamedGroup>(grease_a));
    }
    groups.insert(groups.end(), offer.groups.begin(), offer.groups.end());
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_named_groups(groups));
    extensions.push_back(extension(msg::ExtensionType::supported_groups, std::move(data)));
  }
  if (offer.tls13) {
    std::vector<msg::KeyShareEntry> shares;
    if (grease && !retry) {
      // RFC 8701 §3: a GREASE key share, for the GREASE group, with one byte of data.
      shares.push_back(msg::KeyShareEntry{static_cast<NamedGroup>(grease_a), Bytes{0}});
    }
    shares.insert(shares.end(), key_shares.begin(), key_shares.end());
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_client_shares(shares));
    extensions.push_back(extension(msg::ExtensionType::key_share, std::move(data)));
  }
  {
    std::vector<SignatureScheme> schemes;
    if (grease) {
      schemes.push_back(static_cast<SignatureScheme>(grease_b));
    }
    schemes.insert(schemes.end(), offer.signature_schemes.begin(), offer.signature_schemes.end());
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_signature_schemes(schemes));
    extensions.push_back(extension(msg::ExtensionType::signature_algorithms, std::move(data)));
  }
  if (!offer.alpn.empty()) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_alpn(offer.alpn));
    extensions.push_back(
        extension(msg::ExtensionType::application_layer_protocol_negotiation, std::move(data)));
  }
  if (offer.request_ocsp) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_status_request());
    extensions.push_back(extension(msg::ExtensionType::status_request, std::move(data)));
  }
  if (offer.record_size_limit) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_record_size_limit(*offer.record_size_limit));
    extensions.push_back(extension(msg::ExtensionType::record_size_limit, std::move(data)));
  }
  if (offer.tls13) {
    // keel resumes only with (EC)DHE (§4.2.9: psk_dhe_ke), so a stolen ticket alone never
    // decrypts a session.
    const std::array<std::uint8_t, 1> modes = {msg::kPskDheKe};
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_psk_modes(modes));
    extensions.push_back(extension(msg::ExtensionType::psk_key_exchange_modes, std::move(data)));
  }
  if (offer.tls12) {
    extensions.push_back(extension(msg::ExtensionType::extended_master_secret, {}));
    extensions.push_back(extension(msg::ExtensionType::renegotiation_info, {0}));
    extensions.push_back(extension(msg::ExtensionType::ec_point_formats, {1, 0}));
    // RFC 5077 §3.2: empty, asking for a ticket (a session to resume fills it in).
    extensions.push_back(extension(msg::ExtensionType::session_ticket, {}));
  }
  if (cookie) {
    KEEL_TRY_ASSIGN(Bytes data, msg::encode_cookie(*cookie));
    extensions.push_back(extension(msg::ExtensionType::cookie, std::move(data)));
  }
  return hello;
}

}  // namespace keel::tls13
