// Revocation checking, as keel applies it to each certificate of a path below the trust
// anchor, with OCSP responses (RFC 6960, rules in x509/ocsp.hpp) and CRLs (RFC 5280 §6.3).
//
// OCSP: a response that covers the certificate must verify (else revocation_unusable: a
// stapled response that is wrong fails the connection, RFC 6066 §8); if it says revoked, the
// certificate is revoked; good counts as revocation information; unknown says nothing.
//
// CRLs:
//   * a CRL applies to a certificate when its issuer is the certificate's issuer (byte-equal
//     names) and, when both are present, its authorityKeyIdentifier matches the issuing CA's
//     subjectKeyIdentifier. keel does not use indirect CRLs, delta CRLs or partitioned CRLs
//     (issuingDistributionPoint): an applicable CRL that is one is not_supported;
//   * an applicable CRL is usable when it is a v2 CRL with a non-critical cRLNumber (§5.2.3),
//     the issuing CA's keyUsage, if present, has cRLSign (§6.3.3 (f)), the CA's key made its
//     signature (§6.3.3 (g)), and the time lies in [thisUpdate, nextUpdate] (nextUpdate is
//     mandatory, §5.1.2.5);
//   * a certificate whose serial is on a usable CRL is revoked (certificate_revoked names the
//     date and reason), whatever the revocation date — a key compromised later may have been
//     compromised earlier. Revoking an intermediate thus fails every path through it;
//   * when CRLs apply but none is usable, the check fails closed (revocation_unusable, naming
//     what is wrong with the first); one usable CRL is enough;
//
// When neither a good OCSP response nor a usable CRL speaks for a certificate, it is not
// checked, unless the caller requires revocation information for every certificate.
#pragma once

#include <cstddef>
#include <span>

#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/ocsp.hpp"

namespace keel::x509 {

struct RevocationCheck {
  std::span<const Crl> crls;
  std::span<const OcspResponse> ocsp_responses;
  OcspCheck ocsp;  // its time is the validation time for CRLs too
  /// A certificate without revocation information is revocation_unusable (not unchecked).
  bool required = false;
};

/// Checks `cert`, which `issuer` issued. Each CRL or OCSP response checked spends units of
/// `signature_budget` (one per signature); running out is path_work_limit.
[[nodiscard]] Result<void> check_revocation(const Certificate& cert, const Certificate& issuer,
                                            const RevocationCheck& check,
                                            const crypto::Provider& provider,
                                            std::size_t& signature_budget);

}  // namespace keel::x509
