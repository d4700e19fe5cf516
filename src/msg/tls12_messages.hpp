// The handshake messages only TLS 1.2 has, for its ECDHE key exchange (RFC 5246 §7.4, RFC
// 8422 §5):
//
//   struct { ECCurveType curve_type = named_curve (3); NamedCurve namedcurve;
//            opaque point <1..2^8-1>; } ServerECDHParams;
//   struct { ServerECDHParams params; digitally-signed struct { ... } signed_params; }
//       ServerKeyExchange;         /* digitally-signed: SignatureAndHashAlgorithm + <0..2^16-1> */
//   struct { opaque point <1..2^8-1>; } ClientKeyExchange;      /* ClientECDiffieHellmanPublic */
//   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate; /* ASN.1Cert<1..2^24-1> */
//   struct { ClientCertificateType certificate_types<1..2^8-1>;
//            SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>;
//            DistinguishedName certificate_authorities<0..2^16-1>; } CertificateRequest;
//   struct { } ServerHelloDone;  struct { } HelloRequest;
//   struct { uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>; } NewSessionTicket;
//                                                                            /* RFC 5077 §3.3 */
//
// One file for the six because each is a few lines; TLS 1.3's messages have a file each.
#pragma once

#include <cstddef>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "msg/types.hpp"

namespace keel::msg {

struct ServerKeyExchange12 {
  NamedGroup group{};
  Bytes public_key;
  SignatureScheme scheme{};
  Bytes signature;

  /// RFC 8422 §5.4: the signature covers client_random + server_random + ServerECDHParams.
  [[nodiscard]] static Bytes signed_content(ByteView client_random, ByteView server_random,
                                            NamedGroup group, ByteView public_key);

  /// Anything but curve_type named_curve is illegal_parameter (RFC 8422 §5.4: explicit
  /// curves are deprecated, and keel never offers them).
  [[nodiscard]] static Result<ServerKeyExchange12> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;
  friend bool operator==(const ServerKeyExchange12&, const ServerKeyExchange12&) = default;
};

struct ClientKeyExchange12 {
  Bytes public_key;

  [[nodiscard]] static Result<ClientKeyExchange12> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;
  friend bool operator==(const ClientKeyExchange12&, const ClientKeyExchange12&) = default;
};

struct Certificate12 {
  /// Limit (docs/design.md, rule 7), as for TLS 1.3's Certificate.
  static constexpr std::size_t kMaxEntries = 32;

  std::vector<Bytes> certificate_list;  // DER, the sender's own first

  [[nodiscard]] static Result<Certificate12> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;
  friend bool operator==(const Certificate12&, const Certificate12&) = default;
};

struct CertificateRequest12 {
  /// RFC 5246 §7.4.4 ClientCertificateType.
  static constexpr std::uint8_t kRsaSign = 1;
  static constexpr std::uint8_t kEcdsaSign = 64;  // RFC 8422 §5.5
  /// Limit on the distinguished names a server may list (each up to 2^16-1 bytes anyway).
  static constexpr std::size_t kMaxAuthorities = 256;

  Bytes certificate_types;
  std::vector<SignatureScheme> signature_algorithms;
  std::vector<Bytes> certificate_authorities;

  [[nodiscard]] static Result<CertificateRequest12> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;
  friend bool operator==(const CertificateRequest12&, const CertificateRequest12&) = default;
};

/// A message with an empty body (ServerHelloDone, HelloRequest): decode_error unless empty.
[[nodiscard]] Result<void> decode_empty(HandshakeType type, ByteView body);
[[nodiscard]] Result<Bytes> encode_empty(HandshakeType type);

struct NewSessionTicket12 {
  std::uint32_t lifetime_hint = 0;  // seconds; 0: unspecified
  Bytes ticket;

  [[nodiscard]] static Result<NewSessionTicket12> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;
  friend bool operator==(const NewSessionTicket12&, const NewSessionTicket12&) = default;
};

}  // namespace keel::msg
