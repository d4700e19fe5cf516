#include "x509/revocation.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "core/try.hpp"
#include "x509/signature.hpp"

namespace keel::x509 {
namespace {

bool applies(const Crl& crl, const Certificate& cert, const Certificate& issuer) {
  if (!(crl.issuer() == cert.issuer())) {
    return false;
  }
  const auto& aki = crl.authority_key_id();
  const auto& ski = issuer.extensions().subject_key_id;
  if (aki && aki->key_id && ski) {
    return std::equal(aki->key_id->begin(), aki->key_id->end(), ski->begin(), ski->end());
  }
  return true;
}

Error unusable(const Crl& crl, const std::string& why) {
  return Error(Errc::revocation_unusable, crl.describe() + " " + why);
}

/// Whether `crl` may be used to decide `issuer`'s certificates' status at `time`.
Result<void> check_usable(const Crl& crl, const Certificate& issuer, der::Seconds time,
                          const crypto::Provider& provider, std::size_t& signature_budget) {
  if (crl.unsupported()) {
    return Error(Errc::not_supported, crl.describe() + " is " + *crl.unsupported());
  }
  if (!crl.crl_number()) {
    return unusable(crl, "has no cRLNumber (RFC 5280 §5.2.3)");
  }
  if (crl.crl_number_critical()) {
    return unusable(crl, "marks cRLNumber critical (RFC 5280 §5.2.3)");
  }
  const auto& key_usage = issuer.extensions().key_usage;
  if (key_usage && !key_usage->has(KeyUsageBit::crl_sign)) {
    return unusable(crl, "is signed by " + issuer.describe() +
                             ", whose keyUsage lacks cRLSign (RFC 5280 §6.3.3 (f))");
  }
  if (signature_budget == 0) {
    return Error(Errc::path_work_limit, "signature check budget spent before " + crl.describe());
  }
  --signature_budget;
  auto signed_ok =
      verify_signed_by(issuer, crl.signature_algorithm(), crl.tbs(), crl.signature(), provider);
  if (!signed_ok.ok()) {
    Error error = std::move(signed_ok).error();
    if (error.code() == Errc::bad_signature) {
      return unusable(crl, "is " + error.detail());
    }
    return std::move(error).prepend(crl.describe());
  }
  if (time < crl.this_update()) {
    return unusable(
        crl, "is issued at " + der::format_time(crl.this_update()) + ", after the validation time");
  }
  if (!crl.next_update()) {
    return unusable(crl, "has no nextUpdate (RFC 5280 §5.1.2.5)");
  }
  if (time > *crl.next_update()) {
    return unusable(crl, "is stale: its nextUpdate was " + der::format_time(*crl.next_update()));
  }
  return ok();
}

}  // namespace

Result<void> check_revocation(const Certificate& cert, const Certificate& issuer,
                              const RevocationCheck& check, const crypto::Provider& provider,
                              std::size_t& signature_budget) {
  bool informed = false;
  for (const OcspResponse& response : check.ocsp_responses) {
    // A response about other certificates is skipped before any signature is checked.
    const bool mentions =
        std::any_of(response.responses().begin(), response.responses().end(),
                    [&](const OcspSingleResponse& single) {
                      return std::equal(single.serial.begin(), single.serial.end(),
                                        cert.serial().begin(), cert.serial().end());
                    });
    if (!mentions) {
      continue;
    }
    if (signature_budget < 2) {  // the response's, and perhaps its responder certificate's
      return Error(Errc::path_work_limit, "signature check budget spent before OCSP");
    }
    signature_budget -= 2;
    KEEL_TRY_ASSIGN(const auto status,
                    check_ocsp_response(response, cert, issuer, check.ocsp, provider));
    if (!status) {
      continue;  // the same serial from another issuer
    }
    if (status->status == OcspCertStatus::revoked) {
      const std::string reason =
          status->revocation_reason
              ? " (" + std::string(to_string(*status->revocation_reason)) + ")"
              : std::string();
      return Error(Errc::certificate_revoked,
                   cert.describe() + " was revoked at " +
                       der::format_time(status->revocation_time.value_or(der::Seconds{})) + reason +
                       " according to its OCSP responder");
    }
    informed = informed || status->status == OcspCertStatus::good;
  }

  std::optional<Error> first_problem;
  for (const Crl& crl : check.crls) {
    if (!applies(crl, cert, issuer)) {
      continue;
    }
    auto usable = check_usable(crl, issuer, check.ocsp.time, provider, signature_budget);
    if (!usable.ok()) {
      if (usable.error().code() == Errc::path_work_limit) {
        return usable;
      }
      if (!first_problem) {
        first_problem = std::move(usable).error();
      }
      continue;
    }
    informed = true;
    const RevokedCertificate* entry = crl.find(cert.serial());
    // §5.3.1: removeFromCRL appears only in delta CRLs, which keel does not use; an entry
    // that says it anyway does not revoke.
    if (entry != nullptr && entry->reason != RevocationReason::remove_from_crl) {
      std::string reason =
          entry->reason ? " (" + std::string(to_string(*entry->reason)) + ")" : std::string();
      return Error(Errc::certificate_revoked, cert.describe() + " was revoked at " +
                                                  der::format_time(entry->revocation_date) +
                                                  reason + " by " + crl.describe());
    }
  }
  if (informed) {
    return ok();
  }
  if (first_problem) {
    return *first_problem;
  }
  if (!check.required) {
    return ok();
  }
  return Error(Errc::revocation_unusable,
               "no CRL or OCSP response from " + issuer.describe() + " for " + cert.describe());
}

}  // namespace keel::x509
