// The certificate extensions keel understands (RFC 5280 §4.2), parsed into plain structs.
// Parsing checks structure only; what the values mean for a path is the validator's business.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "x509/der.hpp"
#include "x509/name.hpp"

namespace keel::x509 {

struct BasicConstraints {
  bool ca = false;
  std::optional<std::uint64_t> path_len;
};

/// KeyUsage bits, numbered as in RFC 5280 §4.2.1.3.
enum class KeyUsageBit : std::uint8_t {
  digital_signature = 0,
  non_repudiation = 1,
  key_encipherment = 2,
  data_encipherment = 3,
  key_agreement = 4,
  key_cert_sign = 5,
  crl_sign = 6,
  encipher_only = 7,
  decipher_only = 8,
};

struct KeyUsage {
  std::uint16_t bits = 0;
  [[nodiscard]] bool has(KeyUsageBit bit) const noexcept {
    return (bits & (1U << static_cast<unsigned>(bit))) != 0;
  }
};

/// One permitted or excluded subtree. An iPAddress base holds address then mask (8 or 32
/// octets).
struct GeneralSubtree {
  GeneralName base;
};

struct NameConstraints {
  std::vector<GeneralSubtree> permitted;
  std::vector<GeneralSubtree> excluded;
};

struct AuthorityKeyIdentifier {
  std::optional<ByteView> key_id;
  bool has_issuer_and_serial = false;
};

struct PolicyInformation {
  ByteView policy;  // OID contents
};

struct PolicyConstraints {
  std::optional<std::uint64_t> require_explicit_policy;
  std::optional<std::uint64_t> inhibit_policy_mapping;
};

/// One DistributionPoint's full names (the URIs a CRL can be fetched from, among others).
struct DistributionPoint {
  std::vector<GeneralName> full_names;
  bool has_reasons_or_issuer = false;  // reasons or cRLIssuer present (keel does not use them)
};

struct AccessDescription {
  ByteView method;  // OID contents: id-ad-ocsp, id-ad-caIssuers, ...
  GeneralName location;
};

/// Everything keel reads from a certificate's extensions.
struct Extensions {
  std::optional<BasicConstraints> basic_constraints;
  std::optional<KeyUsage> key_usage;
  std::optional<std::vector<ByteView>> extended_key_usage;  // OID contents
  std::optional<std::vector<GeneralName>> subject_alt_names;
  bool subject_alt_names_critical = false;
  std::optional<NameConstraints> name_constraints;
  std::optional<ByteView> subject_key_id;
  std::optional<AuthorityKeyIdentifier> authority_key_id;
  std::optional<std::vector<PolicyInformation>> certificate_policies;
  std::optional<PolicyConstraints> policy_constraints;
  std::optional<std::uint64_t> inhibit_any_policy;
  bool has_policy_mappings = false;
  std::optional<std::vector<DistributionPoint>> crl_distribution_points;
  std::optional<std::vector<AccessDescription>> authority_info_access;
  /// The first critical extension keel does not understand, if any (OID contents). Parsing
  /// keeps it; the validator rejects the certificate if it is on a path (RFC 5280 §4.2), so
  /// an unrelated certificate in a bag of intermediates does not fail the whole parse.
  std::optional<ByteView> unknown_critical;
  /// The OIDs (contents) of every extension marked critical.
  std::vector<ByteView> critical;

  /// Whether the extension `id` is present and marked critical.
  template <std::size_t N>
  [[nodiscard]] bool is_critical(const std::array<std::uint8_t, N>& id) const noexcept {
    return std::any_of(critical.begin(), critical.end(), [&](ByteView c) {
      return std::equal(c.begin(), c.end(), id.begin(), id.end());
    });
  }
};

/// One Extension, undecoded.
struct RawExtension {
  ByteView id;  // OID contents
  bool critical = false;
  ByteView value;  // the extnValue OCTET STRING's contents
};

/// Reads an Extensions SEQUENCE (certificates, CRLs, CRL entries, OCSP): non-empty, each
/// extension once, the default critical FALSE omitted as DER requires.
[[nodiscard]] Result<std::vector<RawExtension>> parse_raw_extensions(
    const der::Element& extensions);

/// An authorityKeyIdentifier extension's value (RFC 5280 §4.2.1.1; CRLs use it too).
[[nodiscard]] Result<AuthorityKeyIdentifier> parse_authority_key_id(ByteView value);

/// Parses an Extensions SEQUENCE into `out`. A duplicate extension or a malformed known one
/// is an error naming the extension; an unknown critical one is recorded in `unknown_critical`.
[[nodiscard]] Result<void> parse_extensions(const der::Element& extensions, Extensions& out);

}  // namespace keel::x509
