#include "x509/verify.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include "core/hex.hpp"
#include "core/try.hpp"
#include "x509/hostname.hpp"
#include "x509/name_constraints.hpp"
#include "x509/oids.hpp"
#include "x509/revocation.hpp"
#include "x509/signature.hpp"

namespace keel::x509 {
namespace {

bool has_purpose(const std::vector<ByteView>& ekus, Purpose purpose, bool any_allowed) {
  return std::any_of(ekus.begin(), ekus.end(), [&](ByteView eku) {
    return oid::is(eku, purpose == Purpose::server_auth ? oid::kServerAuth : oid::kClientAuth) ||
           (any_allowed && oid::is(eku, oid::kAnyExtendedKeyUsage));
  });
}

std::string_view purpose_name(Purpose purpose) {
  return purpose == Purpose::server_auth ? "serverAuth" : "clientAuth";
}

/// An IA5String name (dNSName, rfc822Name, URI) as text.
std::string_view text_of(const GeneralName& name) {
  return {reinterpret_cast<const char*>(name.value.data()), name.value.size()};
}

bool self_issued(const Certificate& cert) {
  return cert.subject() == cert.issuer();
}

enum class Role : std::uint8_t { leaf, intermediate, anchor };

Error violation(const Certificate& cert, const std::string& rule) {
  return Error(Errc::invalid_certificate, cert.describe() + ": " + rule);
}

/// RFC 5280 MUSTs on how a certificate is issued, and the Web PKI profile (CA/Browser Forum
/// Baseline Requirements §7.1) where it is stricter, by the certificate's role on the path.
Result<void> check_profile(const Certificate& cert, Role role) {
  const auto& ext = cert.extensions();
  const bool is_ca = role != Role::leaf;

  // §4.1.2.2: the serial number is a positive integer of at most 20 octets. (Not checked on
  // trust anchors, which are trusted as configured: a widely trusted root has serial 0.)
  const ByteView serial = cert.serial();
  if (role != Role::anchor &&
      ((serial[0] & 0x80U) != 0 || (serial.size() == 1 && serial[0] == 0))) {
    return violation(cert, "serial number is not positive");
  }
  if (role != Role::anchor && (serial.size() > 21 || (serial.size() == 21 && serial[0] != 0))) {
    return violation(cert, "serial number longer than 20 octets");
  }
  // §4.2.1.1: authorityKeyIdentifier, non-critical, in every certificate that is not
  // self-signed; with a keyIdentifier, and (Web PKI) without issuer and serial.
  if (ext.is_critical(oid::kAuthorityKeyIdentifier)) {
    return violation(cert, "authorityKeyIdentifier is critical");
  }
  if (role != Role::anchor && !self_issued(cert) &&
      (!ext.authority_key_id || !ext.authority_key_id->key_id)) {
    return violation(cert, "authorityKeyIdentifier keyIdentifier missing");
  }
  if (ext.authority_key_id) {
    if (!ext.authority_key_id->key_id || ext.authority_key_id->has_issuer_and_serial) {
      return violation(cert, "authorityKeyIdentifier must hold exactly a keyIdentifier");
    }
    if (self_issued(cert) && role == Role::anchor && ext.subject_key_id &&
        !std::equal(ext.authority_key_id->key_id->begin(), ext.authority_key_id->key_id->end(),
                    ext.subject_key_id->begin(), ext.subject_key_id->end())) {
      return violation(cert, "self-signed authorityKeyIdentifier differs from its own key id");
    }
  }
  // §4.2.1.2: CA certificates carry a subjectKeyIdentifier.
  if (is_ca && !ext.subject_key_id) {
    return violation(cert, "CA certificate without subjectKeyIdentifier");
  }
  // §4.2.1.9: basicConstraints is critical in CA certificates; §4.1.2.6: CAs have a subject.
  if (is_ca && ext.basic_constraints && !ext.is_critical(oid::kBasicConstraints)) {
    return violation(cert, "basicConstraints is not critical");
  }
  if (is_ca && cert.subject().empty()) {
    return violation(cert, "CA certificate with an empty subject");
  }
  // §4.2.1.6: with an empty subject the SAN is critical; (Web PKI) otherwise it is not.
  if (ext.subject_alt_names) {
    if (cert.subject().empty() != ext.is_critical(oid::kSubjectAltName)) {
      return violation(cert, cert.subject().empty()
                                 ? "empty subject but subjectAltName is not critical"
                                 : "subjectAltName is critical although the subject is not empty");
    }
  } else if (cert.subject().empty()) {
    return violation(cert, "empty subject and no subjectAltName");
  }
  // §4.2.1.11 and §4.2.1.10: policy and name constraints are critical, in CA certificates only.
  if (ext.policy_constraints && !ext.is_critical(oid::kPolicyConstraints)) {
    return violation(cert, "policyConstraints is not critical");
  }
  if (ext.name_constraints) {
    if (!is_ca) {
      return violation(cert, "nameConstraints in an end-entity certificate");
    }
  }
  // §4.2.2.1: authorityInfoAccess is non-critical.
  if (ext.is_critical(oid::kAuthorityInfoAccess)) {
    return violation(cert, "authorityInfoAccess is critical");
  }
  if (role == Role::leaf) {
    // §4.2.1.3: keyCertSign only with cA; (Web PKI) a CA certificate is no subscriber
    // certificate, so it cannot carry a subscriber's extendedKeyUsage.
    const bool ca_flag = ext.basic_constraints && ext.basic_constraints->ca;
    if (ext.key_usage && ext.key_usage->has(KeyUsageBit::key_cert_sign) && !ca_flag) {
      return violation(cert, "keyUsage keyCertSign without basicConstraints cA");
    }
    if (ca_flag && ext.extended_key_usage) {
      return violation(cert, "a CA certificate used as a subscriber certificate");
    }
  }
  // Web PKI (BR §7.1.2.1): root certificates carry no extendedKeyUsage.
  if (role == Role::anchor && self_issued(cert) && ext.extended_key_usage) {
    return violation(cert, "root certificate with extendedKeyUsage");
  }
  return ok();
}

class PathBuilder {
 public:
  PathBuilder(std::span<const Certificate> intermediates, const TrustStore& store,
              const VerifyOptions& options, const crypto::Provider& provider)
      : intermediates_(intermediates),
        store_(store),
        options_(options),
        provider_(provider),
        signature_budget_(options.max_signature_checks) {}

  /// Extends `path` (leaf first) to an anchor; on success `path` holds the valid path.
  Result<void> extend(std::vector<const Certificate*>& path) {
    const Certificate& current = *path.back();
    if (path.size() >= options_.max_depth) {
      note(Error(Errc::path_too_long,
                 "no path of at most " + std::to_string(options_.max_depth) + " certificates"));
      return failed();
    }
    for (const auto& anchor : store_.anchors()) {
      if (!could_issue(anchor, current)) {
        continue;
      }
      KEEL_TRY(count_candidate());
      const auto index = static_cast<std::size_t>(&anchor - store_.anchors().data());
      if (auto signed_ok = check_signature(current, anchor, index); !signed_ok.ok()) {
        KEEL_TRY(note_unless_work_limit(std::move(signed_ok).error()));
        continue;
      }
      path.push_back(&anchor);
      auto valid = validate(path);
      if (valid.ok()) {
        return ok();
      }
      path.pop_back();
      KEEL_TRY(note_unless_work_limit(std::move(valid).error()));
    }
    for (const auto& candidate : intermediates_) {
      if (!could_issue(candidate, current) || on_path(path, candidate)) {
        continue;
      }
      KEEL_TRY(count_candidate());
      if (auto signed_ok = check_signature(current, candidate); !signed_ok.ok()) {
        KEEL_TRY(note_unless_work_limit(std::move(signed_ok).error()));
        continue;
      }
      path.push_back(&candidate);
      auto extended = extend(path);
      if (extended.ok()) {
        return ok();
      }
      if (extended.error().code() == Errc::path_work_limit) {
        return extended;
      }
      path.pop_back();
    }
    if (!error_) {
      note(Error(Errc::unknown_issuer, "no trusted root or usable intermediate for issuer \"" +
                                           current.issuer().to_string() + "\" of \"" +
                                           current.subject().to_string() + "\""));
    }
    return failed();
  }

 private:
  /// Same name, and key identifiers that agree when both are present.
  static bool could_issue(const Certificate& issuer, const Certificate& subject) {
    if (!(issuer.subject() == subject.issuer())) {
      return false;
    }
    const auto& aki = subject.extensions().authority_key_id;
    const auto& ski = issuer.extensions().subject_key_id;
    if (aki && aki->key_id && ski) {
      return std::equal(aki->key_id->begin(), aki->key_id->end(), ski->begin(), ski->end());
    }
    return true;
  }

  static bool on_path(const std::vector<const Certificate*>& path, const Certificate& cert) {
    return std::any_of(path.begin(), path.end(), [&](const Certificate* c) {
      return std::equal(c->der().begin(), c->der().end(), cert.der().begin(), cert.der().end());
    });
  }

  Result<void> count_candidate() {
    if (++candidates_ > options_.max_candidates) {
      return Error(Errc::path_work_limit,
                   "tried " + std::to_string(options_.max_candidates) + " issuer candidates");
    }
    return ok();
  }

  /// Whether `issuer` signed `subject`; `anchor_index` says the issuer is that trust anchor,
  /// whose key the store keeps parsed.
  Result<void> check_signature(const Certificate& subject, const Certificate& issuer,
                               std::optional<std::size_t> anchor_index = std::nullopt) {
    if (signature_budget_ == 0) {
      return Error(Errc::path_work_limit,
                   "checked " + std::to_string(options_.max_signature_checks) + " signatures");
    }
    --signature_budget_;
    auto verified = [&]() -> Result<void> {
      if (anchor_index) {
        KEEL_TRY_ASSIGN(const auto key, store_.anchor_key(*anchor_index, provider_));
        return verify_signed_with(issuer, *key, subject.signature_algorithm(), subject.tbs(),
                                  subject.signature());
      }
      return verify_signed_by(issuer, subject.signature_algorithm(), subject.tbs(),
                              subject.signature(), provider_);
    }();
    if (!verified.ok()) {
      Error error = std::move(verified).error();
      return error.code() == Errc::bad_signature
                 ? Error(Errc::bad_certificate_signature,
                         subject.describe() + " is " + error.detail())
                 : std::move(error).prepend(subject.describe());
    }
    return ok();
  }

  /// The leaf's own key must be one keel accepts (the handshake will use it).
  Result<void> check_leaf_key(const Certificate& leaf) const {
    auto key = provider_.parse_public_key(leaf.spki());
    if (!key.ok()) {
      return Error(Errc::weak_algorithm,
                   "key of " + leaf.describe() + ": " + key.error().message());
    }
    return check_key_size(leaf, **key);
  }

  /// Every rule that needs the whole path (leaf first, anchor last).
  Result<void> validate(const std::vector<const Certificate*>& path) {
    const std::size_t anchor = path.size() - 1;
    std::size_t budget = options_.max_name_constraint_checks;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const Certificate& cert = *path[i];
      if (cert.extensions().unknown_critical) {
        return Error(Errc::unsupported_critical_extension,
                     cert.describe() + " has critical extension " +
                         der::oid_to_string(*cert.extensions().unknown_critical));
      }
      KEEL_TRY(check_validity(cert));
      KEEL_TRY(check_profile(cert, i == 0        ? Role::leaf
                                   : i == anchor ? Role::anchor
                                                 : Role::intermediate));
      if (i != 0) {
        KEEL_TRY(check_issuer(path, i, budget));
      }
      if (i != 0 && i != anchor) {
        KEEL_TRY(check_intermediate_purpose(cert));
      }
    }
    KEEL_TRY(check_leaf(*path[0]));
    KEEL_TRY(check_leaf_key(*path[0]));
    KEEL_TRY(check_max_intermediates(path));
    if (!options_.crls.empty() || !options_.ocsp_responses.empty() ||
        options_.require_revocation_info) {
      const RevocationCheck check{options_.crls, options_.ocsp_responses,
                                  OcspCheck{options_.time, options_.ocsp_max_age},
                                  options_.require_revocation_info};
      for (std::size_t i = 0; i < anchor; ++i) {
        KEEL_TRY(check_revocation(*path[i], *path[i + 1], check, provider_, signature_budget_));
      }
    }
    return ok();
  }

  Result<void> check_max_intermediates(const std::vector<const Certificate*>& path) const {
    const std::size_t anchor = path.size() - 1;
    if (options_.max_intermediates) {
      std::size_t logical = 0;
      for (std::size_t i = 1; i < anchor; ++i) {
        logical += self_issued(*path[i]) ? 0U : 1U;
      }
      if (logical > *options_.max_intermediates) {
        return Error(Errc::path_too_long,
                     "path has " + std::to_string(logical) + " intermediates, at most " +
                         std::to_string(*options_.max_intermediates) + " allowed");
      }
    }
    return ok();
  }

  Result<void> check_validity(const Certificate& cert) const {
    if (options_.time < cert.not_before()) {
      return Error(Errc::certificate_not_yet_valid,
                   cert.describe() + " is valid from " + der::format_time(cert.not_before()));
    }
    if (options_.time > cert.not_after()) {
      return Error(Errc::certificate_expired,
                   cert.describe() + " expired at " + der::format_time(cert.not_after()));
    }
    return ok();
  }

  static Result<void> check_issuer(const std::vector<const Certificate*>& path, std::size_t i,
                                   std::size_t& budget) {
    const Certificate& issuer = *path[i];
    const auto& ext = issuer.extensions();
    if (!ext.basic_constraints || !ext.basic_constraints->ca) {
      return Error(Errc::not_a_ca, issuer.describe() + " is not a CA (basicConstraints)");
    }
    if (ext.key_usage && !ext.key_usage->has(KeyUsageBit::key_cert_sign)) {
      return Error(Errc::not_a_ca, issuer.describe() + " lacks keyUsage keyCertSign");
    }
    if (ext.basic_constraints->path_len) {
      // RFC 5280 §4.2.1.9: the number of non-self-issued intermediates that may follow.
      std::size_t below = 0;
      for (std::size_t k = 1; k < i; ++k) {
        below += self_issued(*path[k]) ? 0U : 1U;
      }
      if (below > *ext.basic_constraints->path_len) {
        return Error(Errc::path_too_long, issuer.describe() + " allows " +
                                              std::to_string(*ext.basic_constraints->path_len) +
                                              " intermediates below it, the path has " +
                                              std::to_string(below));
      }
    }
    if (ext.name_constraints) {
      for (std::size_t k = 0; k < i; ++k) {
        // Self-issued intermediates are exempt (RFC 5280 §6.1.3 (b)); the leaf never is.
        if (k == 0 || !self_issued(*path[k])) {
          KEEL_TRY(check_name_constraints(*ext.name_constraints, issuer, *path[k], k == 0, budget));
        }
      }
    }
    return ok();
  }

  Result<void> check_intermediate_purpose(const Certificate& cert) const {
    const auto& ekus = cert.extensions().extended_key_usage;
    if (!ekus) {
      return ok();
    }
    for (const Purpose purpose : options_.purposes) {
      if (!has_purpose(*ekus, purpose, /*any_allowed=*/true)) {
        return Error(Errc::wrong_purpose,
                     cert.describe() + " does not allow " + std::string(purpose_name(purpose)));
      }
    }
    return ok();
  }

  Result<void> check_leaf(const Certificate& leaf) const {
    const auto& ext = leaf.extensions();
    // Web PKI (BR §7.1.2.7.10): a subscriber certificate's extendedKeyUsage is non-critical
    // and never anyExtendedKeyUsage. (Without the extension, RFC 5280 allows any purpose.)
    if (ext.extended_key_usage && ext.is_critical(oid::kExtKeyUsage)) {
      return Error(Errc::wrong_purpose, leaf.describe() + " has a critical extendedKeyUsage");
    }
    if (ext.extended_key_usage &&
        std::any_of(ext.extended_key_usage->begin(), ext.extended_key_usage->end(),
                    [](ByteView eku) { return oid::is(eku, oid::kAnyExtendedKeyUsage); })) {
      return Error(Errc::wrong_purpose, leaf.describe() + " allows anyExtendedKeyUsage");
    }
    // The TLS handshake signs with the leaf's key (RFC 8446 §4.4.3; ECDHE in TLS 1.2), which
    // RFC 5280 §4.2.1.3 calls digitalSignature. (A CA certificate used as a leaf is judged by
    // its CA profile instead, as RFC 5280 allows it; x509-limbo's pathlen and ca-as-leaf cases.)
    const bool ca_flag = ext.basic_constraints && ext.basic_constraints->ca;
    if (!ca_flag && ext.key_usage && !ext.key_usage->has(KeyUsageBit::digital_signature)) {
      return Error(Errc::wrong_purpose, leaf.describe() + " lacks keyUsage digitalSignature");
    }
    KEEL_TRY(check_common_names(leaf));
    if (ext.extended_key_usage) {
      for (const Purpose purpose : options_.purposes) {
        if (!has_purpose(*ext.extended_key_usage, purpose, /*any_allowed=*/false)) {
          return Error(Errc::wrong_purpose,
                       leaf.describe() + " is not valid for " + std::string(purpose_name(purpose)));
        }
      }
    }
    if (options_.dns_name) {
      const bool matched = ext.subject_alt_names &&
                           std::any_of(ext.subject_alt_names->begin(), ext.subject_alt_names->end(),
                                       [&](const GeneralName& name) {
                                         return name.kind == GeneralNameKind::dns_name &&
                                                dns_name_matches(text_of(name), *options_.dns_name);
                                       });
      if (!matched) {
        return Error(Errc::name_mismatch,
                     leaf.describe() + " is not valid for " + *options_.dns_name);
      }
    }
    if (options_.ip_address) {
      const auto& want = *options_.ip_address;
      const bool matched = ext.subject_alt_names &&
                           std::any_of(ext.subject_alt_names->begin(), ext.subject_alt_names->end(),
                                       [&](const GeneralName& name) {
                                         return name.kind == GeneralNameKind::ip_address &&
                                                std::equal(name.value.begin(), name.value.end(),
                                                           want.begin(), want.end());
                                       });
      if (!matched) {
        return Error(Errc::name_mismatch, leaf.describe() + " is not valid for that IP address");
      }
    }
    for (const EmailAddress& email : options_.email_addresses) {
      const bool matched = ext.subject_alt_names &&
                           std::any_of(ext.subject_alt_names->begin(), ext.subject_alt_names->end(),
                                       [&](const GeneralName& name) {
                                         return name.kind == GeneralNameKind::rfc822_name &&
                                                email_matches(text_of(name), email);
                                       });
      if (!matched) {
        return Error(Errc::name_mismatch,
                     leaf.describe() + " is not valid for " + email.local + "@" + email.domain);
      }
    }
    return ok();
  }

  /// Web PKI (BR §7.1.4.3): a common name repeats one of the SANs exactly. keel applies it
  /// where it can tell what the common name is: a host name (letters and a dot) must be one
  /// of the dNSNames, when there are dNSNames; anything else must be the canonical text of one
  /// of the iPAddresses, when there are iPAddresses.
  static Result<void> check_common_names(const Certificate& leaf) {
    const auto& sans = leaf.extensions().subject_alt_names;
    if (!sans) {
      return ok();
    }
    const auto has = [&](GeneralNameKind kind) {
      return std::any_of(sans->begin(), sans->end(),
                         [&](const GeneralName& n) { return n.kind == kind; });
    };
    for (const auto& cn : leaf.subject().common_names()) {
      // Letters (or non-ASCII, as in a U-label) and a dot: a host name. Only digits, hex
      // digits, dots and colons: meant as an address (however oddly written). Anything else
      // (a single label such as "localhost", a CA's descriptive name) is left alone.
      const bool host_like =
          cn.find('.') != std::string::npos && std::any_of(cn.begin(), cn.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   static_cast<unsigned char>(c) >= 0x80;
          });
      const bool address_like =
          parse_ip_address(cn).has_value() ||
          (!cn.empty() && cn.find_first_not_of("0123456789abcdefABCDEFxX.:") == std::string::npos);
      if (!host_like && !address_like) {
        continue;
      }
      const GeneralNameKind kind =
          host_like ? GeneralNameKind::dns_name : GeneralNameKind::ip_address;
      if (!has(kind)) {
        continue;
      }
      const bool found = std::any_of(sans->begin(), sans->end(), [&](const GeneralName& name) {
        if (name.kind != kind) {
          return false;
        }
        if (kind == GeneralNameKind::dns_name) {
          return std::equal(name.value.begin(), name.value.end(), cn.begin(), cn.end());
        }
        return ip_address_text(name.value) == cn;
      });
      if (!found) {
        return violation(leaf, "common name \"" + cn + "\" is not one of its subjectAltNames");
      }
    }
    return ok();
  }

  /// A work limit ends the search: it is the answer, whatever was noted before it (a path
  /// too long, say, found on the way). Any other failure is noted and the next candidate tried.
  Result<void> note_unless_work_limit(Error error) {
    if (error.code() == Errc::path_work_limit) {
      return error;
    }
    note(std::move(error));
    return ok();
  }

  /// Keeps the most telling error: a specific rule over "unknown issuer".
  void note(Error error) {
    if (!error_ || error_->code() == Errc::unknown_issuer) {
      error_ = std::move(error);
    }
  }

  [[nodiscard]] Error failed() const { return error_ ? *error_ : Error(Errc::unknown_issuer); }

  std::span<const Certificate> intermediates_;
  const TrustStore& store_;
  const VerifyOptions& options_;
  const crypto::Provider& provider_;
  std::size_t candidates_ = 0;
  std::size_t signature_budget_;
  std::optional<Error> error_;
};

}  // namespace

Result<VerifiedChain> verify_chain(const Certificate& leaf,
                                   std::span<const Certificate> intermediates,
                                   const TrustStore& store, const VerifyOptions& options,
                                   const crypto::Provider& provider) {
  PathBuilder builder(intermediates, store, options, provider);
  std::vector<const Certificate*> path{&leaf};
  KEEL_TRY(builder.extend(path));
  return VerifiedChain(std::move(path));
}

}  // namespace keel::x509
