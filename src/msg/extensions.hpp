// The extensions keel speaks, each with its decoder and encoder (extension_data only; the
// block framing is msg/extension.hpp). Vector bounds are the RFCs', enforced at the read.
// Codepoints keel does not know survive decoding (as their raw value), for policy to judge.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

namespace keel::msg {

// supported_versions (RFC 8446 §4.2.1) ------------------------------------------------------
/// ClientHello: ProtocolVersion versions<2..254>.
[[nodiscard]] Result<std::vector<std::uint16_t>> decode_version_list(ByteView data);
[[nodiscard]] Result<Bytes> encode_version_list(std::span<const std::uint16_t> versions);
/// ServerHello and HelloRetryRequest: ProtocolVersion selected_version.
[[nodiscard]] Result<std::uint16_t> decode_selected_version(ByteView data);
[[nodiscard]] Result<Bytes> encode_selected_version(std::uint16_t version);

// supported_groups (§4.2.7) and signature_algorithms[_cert] (§4.2.3) -------------------------
/// NamedGroup named_group_list<2..2^16-1>.
[[nodiscard]] Result<std::vector<NamedGroup>> decode_named_groups(ByteView data);
[[nodiscard]] Result<Bytes> encode_named_groups(std::span<const NamedGroup> groups);
/// SignatureScheme supported_signature_algorithms<2..2^16-2>.
[[nodiscard]] Result<std::vector<SignatureScheme>> decode_signature_schemes(ByteView data);
[[nodiscard]] Result<Bytes> encode_signature_schemes(std::span<const SignatureScheme> schemes);

// key_share (§4.2.8) ---------------------------------------------------------------------------
struct KeyShareEntry {
  NamedGroup group{};
  Bytes key_exchange;  // <1..2^16-1>
  friend bool operator==(const KeyShareEntry&, const KeyShareEntry&) = default;
};
/// ClientHello: KeyShareEntry client_shares<0..2^16-1>.
[[nodiscard]] Result<std::vector<KeyShareEntry>> decode_client_shares(ByteView data);
[[nodiscard]] Result<Bytes> encode_client_shares(std::span<const KeyShareEntry> shares);
/// ServerHello: KeyShareEntry server_share.
[[nodiscard]] Result<KeyShareEntry> decode_server_share(ByteView data);
[[nodiscard]] Result<Bytes> encode_server_share(const KeyShareEntry& share);
/// HelloRetryRequest: NamedGroup selected_group.
[[nodiscard]] Result<NamedGroup> decode_selected_group(ByteView data);
[[nodiscard]] Result<Bytes> encode_selected_group(NamedGroup group);

// server_name (RFC 6066 §3) -------------------------------------------------------------------
/// ClientHello: the host_name of the ServerNameList (other name types are skipped; two
/// host_names are illegal_parameter). Nothing if the list holds no host_name.
[[nodiscard]] Result<std::optional<std::string>> decode_server_name(ByteView data);
[[nodiscard]] Result<Bytes> encode_server_name(std::string_view host_name);

// application_layer_protocol_negotiation (RFC 7301 §3.1) -------------------------------------
/// ProtocolName protocol_name_list<2..2^16-1>, ProtocolName opaque<1..2^8-1>. The server's
/// reply must hold exactly one name (checked by the caller).
[[nodiscard]] Result<std::vector<std::string>> decode_alpn(ByteView data);
[[nodiscard]] Result<Bytes> encode_alpn(std::span<const std::string> protocols);

// psk_key_exchange_modes (§4.2.9): PskKeyExchangeMode ke_modes<1..255> --------------------------
inline constexpr std::uint8_t kPskKe = 0;
inline constexpr std::uint8_t kPskDheKe = 1;
[[nodiscard]] Result<std::vector<std::uint8_t>> decode_psk_modes(ByteView data);
[[nodiscard]] Result<Bytes> encode_psk_modes(std::span<const std::uint8_t> modes);

// cookie (§4.2.2): opaque cookie<1..2^16-1> ---------------------------------------------------
[[nodiscard]] Result<Bytes> decode_cookie(ByteView data);
[[nodiscard]] Result<Bytes> encode_cookie(ByteView cookie);

// early_data (§4.2.10) -------------------------------------------------------------------------
/// Empty in ClientHello and EncryptedExtensions (checked by expect_empty_extension).
[[nodiscard]] Result<void> expect_empty_extension(ByteView data);
/// NewSessionTicket: uint32 max_early_data_size.
[[nodiscard]] Result<std::uint32_t> decode_max_early_data(ByteView data);
[[nodiscard]] Result<Bytes> encode_max_early_data(std::uint32_t size);

// record_size_limit (RFC 8449 §4): uint16 RecordSizeLimit, at least 64 -----------------------
[[nodiscard]] Result<std::uint16_t> decode_record_size_limit(ByteView data);
[[nodiscard]] Result<Bytes> encode_record_size_limit(std::uint16_t limit);

// status_request (RFC 6066 §8; RFC 8446 §4.4.2.1) ---------------------------------------------
/// ClientHello: a CertificateStatusRequest of type ocsp with empty responder and extension
/// lists is what clients send; keel reads any ocsp request and reports whether it is one.
[[nodiscard]] Result<bool> decode_status_request(ByteView data);
[[nodiscard]] Result<Bytes> encode_status_request();
/// In a CertificateEntry: CertificateStatus { ocsp, OCSPResponse response<1..2^24-1> }.
[[nodiscard]] Result<Bytes> decode_certificate_status(ByteView data);
[[nodiscard]] Result<Bytes> encode_certificate_status(ByteView ocsp_response);

// pre_shared_key (§4.2.11) ---------------------------------------------------------------------
struct PskIdentity {
  Bytes identity;  // <1..2^16-1>
  std::uint32_t obfuscated_ticket_age = 0;
  friend bool operator==(const PskIdentity&, const PskIdentity&) = default;
};
struct OfferedPsks {
  std::vector<PskIdentity> identities;  // <7..2^16-1> encoded
  std::vector<Bytes> binders;           // PskBinderEntry <32..255> each, <33..2^16-1> in all
  friend bool operator==(const OfferedPsks&, const OfferedPsks&) = default;
};
/// ClientHello. As many binders as identities, or illegal_parameter.
[[nodiscard]] Result<OfferedPsks> decode_offered_psks(ByteView data);
[[nodiscard]] Result<Bytes> encode_offered_psks(const OfferedPsks& psks);
/// The size of the binders list as encoded (2-byte length included): what the binder's
/// transcript leaves out of the ClientHello (§4.2.11.2).
[[nodiscard]] std::size_t binders_size(const OfferedPsks& psks) noexcept;
/// ServerHello: uint16 selected_identity.
[[nodiscard]] Result<std::uint16_t> decode_selected_identity(ByteView data);
[[nodiscard]] Result<Bytes> encode_selected_identity(std::uint16_t index);

}  // namespace keel::msg
