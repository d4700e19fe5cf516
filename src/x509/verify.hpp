// Certificate path building and validation (RFC 5280 §6 as the Web PKI applies it).
//
// What keel checks, for a path leaf → intermediates → trust anchor:
//   * every signature, with ECDSA P-256/P-384, RSA PKCS#1 v1.5, RSA-PSS or Ed25519 over SHA-2;
//     SHA-1, MD5, unknown algorithms and RSA keys under 2048 bits are weak_algorithm;
//   * the validity period of the leaf and every intermediate at the given time (trust anchors
//     are trusted as configured, their dates included);
//   * issuers: basicConstraints cA, keyUsage keyCertSign when keyUsage is present, and
//     pathLenConstraint (self-issued intermediates do not count);
//   * a leaf that is not a CA and has keyUsage must allow digitalSignature (TLS signs with it);
//   * extended key usage: the leaf must list every requested purpose when it has the extension;
//     an intermediate that has the extension must list it too (or anyExtendedKeyUsage);
//   * the requested DNS name or IP address against the leaf's subjectAltName only: keel never
//     falls back to the subject's common name, with or without SANs (RFC 9525 §6.3); requested
//     e-mail addresses against its rfc822Name SANs (never the subject's emailAddress);
//   * name constraints of every CA on the path, on the names below it: dNSName (and, for a
//     leaf without SANs, DNS-like common names), iPAddress, rfc822Name and directoryName;
//   * unknown critical extensions on any certificate of the path;
//   * revocation, when CRLs or OCSP responses are given: every certificate below the anchor
//     (x509/revocation.hpp).
// What keel does not check (written down in docs/design.md): certificate policies (parsed, not
// enforced), policy mappings, URI name constraints.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/hostname.hpp"
#include "x509/ocsp.hpp"
#include "x509/trust_store.hpp"

namespace keel::x509 {

enum class Purpose : std::uint8_t { server_auth, client_auth };

struct VerifyOptions {
  der::Seconds time{};
  std::vector<Purpose> purposes;
  /// Normalized (normalize_dns_name) reference name, or an address (4 or 16 octets).
  std::optional<std::string> dns_name;
  std::optional<Bytes> ip_address;
  /// Each must be one of the leaf's rfc822Name SANs (S/MIME-style client identities).
  std::vector<EmailAddress> email_addresses;
  /// Bounds (docs/design.md, rule 7): certificates in a path, anchor included; signature
  /// checks and issuer candidates tried while building.
  std::size_t max_depth = 10;
  /// If set, at most this many intermediates that are not self-issued (`keel verify
  /// --max-depth`; limbo's max_chain_depth).
  std::optional<std::size_t> max_intermediates;
  std::size_t max_signature_checks = 100;
  std::size_t max_candidates = 1000;
  /// Name-to-subtree comparisons while checking one path's name constraints.
  std::size_t max_name_constraint_checks = 250000;
  /// CRLs every certificate of the path below the anchor is checked against (rules in
  /// x509/revocation.hpp). The caller keeps them alive during verify_chain.
  std::span<const Crl> crls;
  /// OCSP responses (stapled by a TLS peer, say), used the same way (x509/ocsp.hpp).
  std::span<const OcspResponse> ocsp_responses;
  /// How long an OCSP response without nextUpdate is believed.
  std::chrono::seconds ocsp_max_age = std::chrono::hours(24 * 7);
  /// Whether a certificate without a good OCSP response or a usable CRL fails (revocation_unusable)
  /// rather than going unchecked.
  bool require_revocation_info = false;
};

/// Proof that a chain was validated: only verify_chain makes one.
class VerifiedChain {
 public:
  /// Leaf first, trust anchor last. Points into the inputs of verify_chain.
  [[nodiscard]] const std::vector<const Certificate*>& path() const noexcept { return path_; }

 private:
  friend Result<VerifiedChain> verify_chain(const Certificate& leaf,
                                            std::span<const Certificate> intermediates,
                                            const TrustStore& store, const VerifyOptions& options,
                                            const crypto::Provider& provider);
  explicit VerifiedChain(std::vector<const Certificate*> path) : path_(std::move(path)) {}
  std::vector<const Certificate*> path_;
};

/// Builds a path from `leaf` through any of `intermediates` (unordered, possibly redundant or
/// irrelevant) to an anchor of `store`, backtracking on failure, and validates it. Returns the
/// first valid path, or the most specific reason no path was valid.
[[nodiscard]] Result<VerifiedChain> verify_chain(const Certificate& leaf,
                                                 std::span<const Certificate> intermediates,
                                                 const TrustStore& store,
                                                 const VerifyOptions& options,
                                                 const crypto::Provider& provider);

}  // namespace keel::x509
