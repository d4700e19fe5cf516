// Revocation checking with CRLs (RFC 5280 §6.3), as keel applies it to each certificate of a
// path below the trust anchor:
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
//   * when no CRL applies, the certificate is not checked, unless the caller requires
//     revocation information for every certificate.
#pragma once

#include <cstddef>
#include <span>

#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"

namespace keel::x509 {

struct CrlCheck {
  std::span<const Crl> crls;
  der::Seconds time{};
  /// A certificate without an applicable CRL is revocation_unusable (not just unchecked).
  bool required = false;
};

/// Checks `cert`, which `issuer` issued, against `check.crls`. Each CRL signature checked
/// spends one unit of `signature_budget`; running out is path_work_limit.
[[nodiscard]] Result<void> check_crls(const Certificate& cert, const Certificate& issuer,
                                      const CrlCheck& check, const crypto::Provider& provider,
                                      std::size_t& signature_budget);

}  // namespace keel::x509
