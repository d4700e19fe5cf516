// Certificate revocation lists (RFC 5280 §5), parsed once and kept with their DER.
//
// Parsing checks structure; whether a CRL may be used for a certificate (its issuer, its
// signature, its time window, its profile) is decided by x509/revocation.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "x509/certificate.hpp"
#include "x509/der.hpp"
#include "x509/extensions.hpp"
#include "x509/name.hpp"

namespace keel::x509 {

/// CRLReason (RFC 5280 §5.3.1); value 7 is unused.
enum class RevocationReason : std::uint8_t {
  unspecified = 0,
  key_compromise = 1,
  ca_compromise = 2,
  affiliation_changed = 3,
  superseded = 4,
  cessation_of_operation = 5,
  certificate_hold = 6,
  remove_from_crl = 8,
  privilege_withdrawn = 9,
  aa_compromise = 10,
};

[[nodiscard]] std::string_view to_string(RevocationReason reason) noexcept;

/// Reads a CRLReason ENUMERATED (shared with OCSP's RevokedInfo).
[[nodiscard]] Result<RevocationReason> parse_revocation_reason(const der::Element& element);

struct RevokedCertificate {
  ByteView serial;  // INTEGER contents, as Certificate::serial()
  der::Seconds revocation_date{};
  std::optional<RevocationReason> reason;
};

class Crl {
 public:
  /// Limits on what one CRL may hold (docs/design.md, rule 7).
  static constexpr std::size_t kMaxEntries = 1'000'000;

  /// Parses a DER CertificateList. Rejects what RFC 5280 §5.1 forbids structurally: a version
  /// other than v1/v2, extensions in a v1 CRL, differing inner and outer signature algorithms,
  /// an empty revokedCertificates list (it must be absent instead), duplicate or malformed
  /// extensions. Extensions that restrict what the CRL covers are recorded for the checker.
  [[nodiscard]] static Result<Crl> parse(ByteView der);

  [[nodiscard]] ByteView der() const noexcept { return *der_; }
  [[nodiscard]] ByteView tbs() const noexcept { return tbs_; }
  /// 1 or 2.
  [[nodiscard]] int version() const noexcept { return version_; }
  [[nodiscard]] SignatureAlgorithmId signature_algorithm() const noexcept { return sig_alg_; }
  [[nodiscard]] ByteView signature() const noexcept { return signature_; }
  [[nodiscard]] const Name& issuer() const noexcept { return issuer_; }
  [[nodiscard]] der::Seconds this_update() const noexcept { return this_update_; }
  [[nodiscard]] const std::optional<der::Seconds>& next_update() const noexcept {
    return next_update_;
  }
  /// cRLNumber's INTEGER contents, if present (RFC 5280 §5.2.3 makes it mandatory).
  [[nodiscard]] const std::optional<ByteView>& crl_number() const noexcept { return crl_number_; }
  [[nodiscard]] bool crl_number_critical() const noexcept { return crl_number_critical_; }
  [[nodiscard]] const std::optional<AuthorityKeyIdentifier>& authority_key_id() const noexcept {
    return authority_key_id_;
  }
  /// The first critical extension (of the CRL or of an entry) keel does not process, named —
  /// a delta CRL, a partitioned CRL, an indirect CRL entry. RFC 5280 §5.2: such a CRL MUST NOT
  /// be used to determine the status of certificates.
  [[nodiscard]] const std::optional<std::string>& unsupported() const noexcept {
    return unsupported_;
  }

  /// The entry for `serial` (INTEGER contents), if the CRL lists it.
  [[nodiscard]] const RevokedCertificate* find(ByteView serial) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return revoked_.size(); }

  /// For messages: "CRL of CN=Example CA (number 1a)".
  [[nodiscard]] std::string describe() const;

 private:
  Crl() = default;
  Result<ByteView> parse_tbs(const der::Element& tbs);
  Result<void> parse_entries(const der::Element& list);
  Result<void> parse_crl_extensions(const der::Element& list);

  std::shared_ptr<const Bytes> der_;  // every view points into it
  ByteView tbs_;
  int version_ = 1;
  SignatureAlgorithmId sig_alg_ = SignatureAlgorithmId::unknown;
  ByteView signature_;
  Name issuer_;
  der::Seconds this_update_{};
  std::optional<der::Seconds> next_update_;
  std::optional<ByteView> crl_number_;
  bool crl_number_critical_ = false;
  std::optional<AuthorityKeyIdentifier> authority_key_id_;
  std::optional<std::string> unsupported_;
  std::vector<RevokedCertificate> revoked_;  // sorted by serial (length, then bytes)
};

/// Every X509 CRL block of a PEM text; `origin` (a file name) and the block's line name the
/// CRL in errors.
[[nodiscard]] Result<std::vector<Crl>> parse_pem_crls(std::string_view pem_text,
                                                      const std::string& origin);

}  // namespace keel::x509
