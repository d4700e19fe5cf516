// Issuing certificates: what keel needs for its own local CA (`keel server`'s embedded
// default), not a general-purpose CA. ECDSA P-256 with SHA-256 or Ed25519 signatures; the
// extensions a TLS server certificate and its CA need, and nothing else.
#pragma once

#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/der.hpp"

namespace keel::x509 {

struct CertificateProfile {
  std::string common_name;
  std::string organization = "keel";
  /// A CA (basicConstraints cA, keyCertSign and cRLSign, path length 0) or a TLS server
  /// (digitalSignature, serverAuth, the names below in subjectAltName).
  bool ca = false;
  std::vector<std::string> dns_names;
  std::vector<Bytes> ip_addresses;  // 4 or 16 octets
  der::Seconds not_before{};
  der::Seconds not_after{};
  /// Positive, at most 20 octets (RFC 5280 §4.1.2.2).
  Bytes serial;
};

/// A DER certificate for `subject_spki`, signed by `issuer_key` — under `issuer` (its name
/// and key identifier), or self-signed when `issuer` is null.
[[nodiscard]] Result<Bytes> issue_certificate(const CertificateProfile& profile,
                                              ByteView subject_spki,
                                              const crypto::PrivateKey& issuer_key,
                                              const Certificate* issuer,
                                              const crypto::Provider& provider);

}  // namespace keel::x509
