#include "x509/crl.hpp"

#include <algorithm>
#include <string>

#include "core/hex.hpp"
#include "core/try.hpp"
#include "x509/oids.hpp"
#include "x509/pem.hpp"

namespace keel::x509 {
namespace {

using der::malformed;

/// Serial numbers ordered so that equal INTEGER contents are adjacent (DER makes each value's
/// encoding unique, so comparing encodings compares values for equality).
bool serial_less(ByteView a, ByteView b) {
  if (a.size() != b.size()) {
    return a.size() < b.size();
  }
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace

std::string_view to_string(RevocationReason reason) noexcept {
  switch (reason) {
    case RevocationReason::unspecified:
      return "unspecified";
    case RevocationReason::key_compromise:
      return "keyCompromise";
    case RevocationReason::ca_compromise:
      return "cACompromise";
    case RevocationReason::affiliation_changed:
      return "affiliationChanged";
    case RevocationReason::superseded:
      return "superseded";
    case RevocationReason::cessation_of_operation:
      return "cessationOfOperation";
    case RevocationReason::certificate_hold:
      return "certificateHold";
    case RevocationReason::remove_from_crl:
      return "removeFromCRL";
    case RevocationReason::privilege_withdrawn:
      return "privilegeWithdrawn";
    case RevocationReason::aa_compromise:
      return "aACompromise";
  }
  return "unknown reason";
}

Result<RevocationReason> parse_revocation_reason(const der::Element& element) {
  if (element.tag != der::tag::kEnumerated) {
    return malformed("CRLReason is not an ENUMERATED");
  }
  // ENUMERATED is encoded as an INTEGER (X.690 §8.4).
  KEEL_TRY_ASSIGN(const std::uint64_t value,
                  der::small_unsigned(der::Element{der::tag::kInteger, element.body, {}}));
  if (value > 10 || value == 7) {
    return malformed("CRLReason " + std::to_string(value) + " is not defined");
  }
  return static_cast<RevocationReason>(value);
}

Result<Crl> Crl::parse(ByteView der) {
  Crl crl;
  crl.der_ = std::make_shared<const Bytes>(der.begin(), der.end());
  KEEL_TRY_ASSIGN(const der::Element outer, der::parse_single(*crl.der_));
  if (outer.tag != der::tag::kSequence) {
    return malformed("CertificateList is not a SEQUENCE");
  }
  der::Reader reader(outer.body);
  KEEL_TRY_ASSIGN(const der::Element tbs, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element outer_alg, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element signature, reader.read(der::tag::kBitString));
  KEEL_TRY(reader.expect_empty());

  KEEL_TRY_ASSIGN(const ByteView inner_alg, crl.parse_tbs(tbs));
  // RFC 5280 §5.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
  // signature field in the sequence tbsCertList".
  if (!std::ranges::equal(inner_alg, outer_alg.encoding)) {
    return malformed("signatureAlgorithm differs from the TBSCertList's signature field");
  }
  KEEL_TRY_ASSIGN(crl.sig_alg_, parse_signature_algorithm(outer_alg));
  KEEL_TRY_ASSIGN(const der::BitString bits, der::bit_string(signature));
  if (bits.unused_bits != 0) {
    return malformed("signatureValue has unused bits");
  }
  crl.signature_ = bits.bytes;
  return crl;
}

Result<ByteView> Crl::parse_tbs(const der::Element& tbs) {
  tbs_ = tbs.encoding;
  der::Reader reader(tbs.body);

  // version Version OPTIONAL -- if present, MUST be v2 (RFC 5280 §5.1.2.1).
  KEEL_TRY_ASSIGN(const auto version, reader.read_optional(der::tag::kInteger));
  if (version) {
    KEEL_TRY_ASSIGN(const std::uint64_t v, der::small_unsigned(*version));
    if (v != 1) {
      return malformed("CRL version " + std::to_string(v + 1) + " (only v2 is encoded)");
    }
    version_ = 2;
  }
  KEEL_TRY_ASSIGN(const der::Element inner_alg, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element issuer, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(issuer_, Name::parse(issuer));
  if (issuer_.empty()) {
    return malformed("CRL issuer is empty");  // §5.1.2.3: a non-empty distinguished name
  }
  KEEL_TRY_ASSIGN(const der::Element this_update, reader.next());
  KEEL_TRY_ASSIGN(this_update_, der::time(this_update));
  if (reader.peek(der::tag::kUtcTime) || reader.peek(der::tag::kGeneralizedTime)) {
    KEEL_TRY_ASSIGN(const der::Element next_update, reader.next());
    KEEL_TRY_ASSIGN(next_update_, der::time(next_update));
  }
  KEEL_TRY_ASSIGN(const auto entries, reader.read_optional(der::tag::kSequence));
  if (entries) {
    KEEL_TRY(parse_entries(*entries));
  }
  KEEL_TRY_ASSIGN(const auto extensions, reader.read_optional(der::tag::context_constructed(0)));
  if (extensions) {
    if (version_ != 2) {
      return malformed("extensions in a v1 CRL");
    }
    KEEL_TRY_ASSIGN(const der::Element list, der::parse_single(extensions->body));
    KEEL_TRY(parse_crl_extensions(list));
  }
  KEEL_TRY(reader.expect_empty());
  return inner_alg.encoding;
}

Result<void> Crl::parse_entries(const der::Element& list) {
  // §5.1.2.6: "When there are no revoked certificates, the revoked certificates list MUST be
  // absent."
  if (list.body.empty()) {
    return malformed("revokedCertificates is present but empty");
  }
  der::Reader reader(list.body);
  while (!reader.empty()) {
    if (revoked_.size() == kMaxEntries) {
      return Error(Errc::limit_exceeded,
                   "CRL lists more than " + std::to_string(kMaxEntries) + " certificates");
    }
    KEEL_TRY_ASSIGN(der::Reader entry, reader.enter());
    RevokedCertificate revoked;
    KEEL_TRY_ASSIGN(const der::Element serial, entry.read(der::tag::kInteger));
    KEEL_TRY_ASSIGN(revoked.serial, der::integer(serial));
    KEEL_TRY_ASSIGN(const der::Element date, entry.next());
    KEEL_TRY_ASSIGN(revoked.revocation_date, der::time(date));
    KEEL_TRY_ASSIGN(const auto extensions, entry.read_optional(der::tag::kSequence));
    KEEL_TRY(entry.expect_empty());
    if (extensions) {
      if (version_ != 2) {
        return malformed("CRL entry extensions in a v1 CRL");
      }
      KEEL_TRY_ASSIGN(const auto raw, parse_raw_extensions(*extensions));
      for (const auto& ext : raw) {
        if (oid::is(ext.id, oid::kCrlReason)) {
          KEEL_TRY_ASSIGN(const der::Element reason, der::parse_single(ext.value));
          auto parsed = parse_revocation_reason(reason);
          if (!parsed.ok()) {
            return std::move(parsed).error().prepend("CRL entry " + to_hex(revoked.serial));
          }
          revoked.reason = *parsed;
        } else if (ext.critical && !unsupported_) {
          // §5.3.3: certificateIssuer (indirect CRLs) is always critical; keel does not use
          // indirect CRLs, nor any other critical entry extension.
          unsupported_ = oid::is(ext.id, oid::kCertificateIssuer)
                             ? "an indirect CRL entry (certificateIssuer)"
                             : "critical CRL entry extension " + der::oid_to_string(ext.id);
        }
      }
    }
    revoked_.push_back(revoked);
  }
  std::sort(revoked_.begin(), revoked_.end(),
            [](const RevokedCertificate& a, const RevokedCertificate& b) {
              return serial_less(a.serial, b.serial);
            });
  return ok();
}

Result<void> Crl::parse_crl_extensions(const der::Element& list) {
  KEEL_TRY_ASSIGN(const auto raw, parse_raw_extensions(list));
  for (const auto& ext : raw) {
    if (oid::is(ext.id, oid::kCrlNumber)) {
      // §5.2.3: a non-negative INTEGER of at most 20 octets.
      KEEL_TRY_ASSIGN(const der::Element number, der::parse_single(ext.value));
      if (number.tag != der::tag::kInteger) {
        return malformed("cRLNumber is not an INTEGER");
      }
      KEEL_TRY_ASSIGN(const ByteView value, der::integer(number));
      if ((value[0] & 0x80U) != 0) {
        return malformed("cRLNumber is negative");
      }
      if (value.size() > 21 || (value.size() == 21 && value[0] != 0)) {
        return malformed("cRLNumber is longer than 20 octets");
      }
      crl_number_ = value;
      crl_number_critical_ = ext.critical;
    } else if (oid::is(ext.id, oid::kAuthorityKeyIdentifier)) {
      auto aki = parse_authority_key_id(ext.value);
      if (!aki.ok()) {
        return std::move(aki).error().prepend("authorityKeyIdentifier");
      }
      authority_key_id_ = *aki;
    } else if (ext.critical && !unsupported_) {
      if (oid::is(ext.id, oid::kDeltaCrlIndicator)) {
        unsupported_ = "a delta CRL (deltaCRLIndicator)";
      } else if (oid::is(ext.id, oid::kIssuingDistributionPoint)) {
        unsupported_ = "a partitioned CRL (issuingDistributionPoint)";
      } else {
        unsupported_ = "critical CRL extension " + der::oid_to_string(ext.id);
      }
    }
    // Non-critical others (issuerAltName, freshestCRL, ...) do not change what this CRL says.
  }
  return ok();
}

const RevokedCertificate* Crl::find(ByteView serial) const noexcept {
  const auto it = std::lower_bound(
      revoked_.begin(), revoked_.end(), serial,
      [](const RevokedCertificate& entry, ByteView s) { return serial_less(entry.serial, s); });
  return it != revoked_.end() && std::ranges::equal(it->serial, serial) ? &*it : nullptr;
}

std::string Crl::describe() const {
  std::string out = "CRL of " + issuer_.to_string();
  if (crl_number_) {
    out += " (number " + to_hex(*crl_number_) + ")";
  }
  return out;
}

Result<std::vector<Crl>> parse_pem_crls(std::string_view pem_text, const std::string& origin) {
  // A large CA's CRL runs to megabytes; Crl::kMaxEntries bounds what one may list.
  pem::Limits limits;
  limits.max_block_bytes = 64U << 20U;
  auto blocks = pem::parse(pem_text, "X509 CRL", limits);
  if (!blocks.ok()) {
    return std::move(blocks).error().prepend(origin);
  }
  std::vector<Crl> crls;
  for (const auto& block : *blocks) {
    auto crl = Crl::parse(block.der);
    if (!crl.ok()) {
      return std::move(crl).error().prepend(origin + ": CRL at line " +
                                            std::to_string(block.begin_line));
    }
    crls.push_back(std::move(crl).value());
  }
  return crls;
}

}  // namespace keel::x509
