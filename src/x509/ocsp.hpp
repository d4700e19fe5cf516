// OCSP responses (RFC 6960): parsed once, then checked for one certificate — the form a TLS
// server staples (RFC 6066 §8, RFC 8446 §4.4.2.1).
//
// What keel checks before it believes a response about `cert`, issued by `issuer`:
//   * responseStatus is successful and the response is a BasicOCSPResponse (§4.2.1);
//   * it has a SingleResponse whose CertID names `cert`: the hash of the issuer's name and of
//     its public key (SHA-1 or SHA-256/384/512) and the serial number (§4.1.1);
//   * the signer is authorized (§4.2.2.2): the issuing CA itself, or a responder certificate
//     included in the response that the CA issued directly, that carries extendedKeyUsage
//     id-kp-OCSPSigning and is valid at the time. The ResponderID must name the signer. A
//     locally configured responder is not supported;
//   * the signature, with the algorithms and key sizes certificates may use;
//   * the time lies in [thisUpdate, nextUpdate]; a response without nextUpdate is accepted
//     for OcspCheck::max_age after its thisUpdate (§4.2.2.1 leaves freshness to the client);
//   * no unknown critical extension (§4.4: none is critical by definition). keel does not
//     send requests, so it does not check a nonce.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/crl.hpp"
#include "x509/der.hpp"

namespace keel::x509 {

enum class OcspCertStatus : std::uint8_t { good, revoked, unknown };

/// The hash a CertID uses for the issuer's name and key.
enum class OcspHash : std::uint8_t { sha1, sha256, sha384, sha512 };

struct OcspSingleResponse {
  OcspHash hash = OcspHash::sha1;
  ByteView issuer_name_hash;
  ByteView issuer_key_hash;
  ByteView serial;  // INTEGER contents
  OcspCertStatus status = OcspCertStatus::unknown;
  std::optional<der::Seconds> revocation_time;  // when revoked
  std::optional<RevocationReason> revocation_reason;
  der::Seconds this_update{};
  std::optional<der::Seconds> next_update;
  bool unknown_critical_extension = false;
};

class OcspResponse {
 public:
  /// Limits (docs/design.md, rule 7): SingleResponses and embedded certificates.
  static constexpr std::size_t kMaxResponses = 1000;
  static constexpr std::size_t kMaxCertificates = 10;

  /// Parses a DER OCSPResponse. A response whose status is not successful is an error naming
  /// the status (revocation_unusable); so is a response type other than id-pkix-ocsp-basic.
  [[nodiscard]] static Result<OcspResponse> parse(ByteView der);

  /// The signed part (ResponseData, with its header).
  [[nodiscard]] ByteView tbs() const noexcept { return tbs_; }
  [[nodiscard]] SignatureAlgorithmId signature_algorithm() const noexcept { return sig_alg_; }
  [[nodiscard]] ByteView signature() const noexcept { return signature_; }
  /// ResponderID: exactly one of the two is set.
  [[nodiscard]] const std::optional<Name>& responder_name() const noexcept {
    return responder_name_;
  }
  [[nodiscard]] const std::optional<ByteView>& responder_key_hash() const noexcept {
    return responder_key_hash_;
  }
  [[nodiscard]] der::Seconds produced_at() const noexcept { return produced_at_; }
  [[nodiscard]] const std::vector<OcspSingleResponse>& responses() const noexcept {
    return responses_;
  }
  /// The certificates the responder included (a delegated responder's, typically).
  [[nodiscard]] const std::vector<Certificate>& certificates() const noexcept { return certs_; }
  [[nodiscard]] bool unknown_critical_extension() const noexcept {
    return unknown_critical_extension_;
  }

 private:
  OcspResponse() = default;
  Result<void> parse_basic(ByteView der);
  Result<void> parse_response_data(const der::Element& data);

  std::shared_ptr<const Bytes> der_;  // every view points into it
  ByteView tbs_;
  SignatureAlgorithmId sig_alg_ = SignatureAlgorithmId::unknown;
  ByteView signature_;
  std::optional<Name> responder_name_;
  std::optional<ByteView> responder_key_hash_;
  der::Seconds produced_at_{};
  std::vector<OcspSingleResponse> responses_;
  std::vector<Certificate> certs_;
  bool unknown_critical_extension_ = false;
};

struct OcspCheck {
  der::Seconds time{};
  /// How long a response without nextUpdate is believed after its thisUpdate.
  std::chrono::seconds max_age = std::chrono::hours(24 * 7);
};

/// What a verified response says about the certificate.
struct OcspStatus {
  OcspCertStatus status = OcspCertStatus::unknown;
  std::optional<der::Seconds> revocation_time;
  std::optional<RevocationReason> revocation_reason;
};

/// Verifies `response` for `cert`, issued by `issuer`, by the rules above: nothing when the
/// response does not speak of `cert`; revocation_unusable when it does but is not authorized,
/// does not verify, or is out of its time window; weak_algorithm for a signature keel refuses.
[[nodiscard]] Result<std::optional<OcspStatus>> check_ocsp_response(
    const OcspResponse& response, const Certificate& cert, const Certificate& issuer,
    const OcspCheck& check, const crypto::Provider& provider);

/// The contents of a certificate's subjectPublicKey BIT STRING (what OCSP key hashes cover).
[[nodiscard]] Result<ByteView> subject_public_key_bits(const Certificate& cert);

}  // namespace keel::x509
