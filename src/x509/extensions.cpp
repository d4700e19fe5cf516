#include "x509/extensions.hpp"

#include <set>
#include <string>

#include "core/try.hpp"
#include "x509/oids.hpp"

namespace keel::x509 {
namespace {

using der::malformed;

// Each parser gets the extnValue OCTET STRING's contents, which must be one DER element.

Result<BasicConstraints> parse_basic_constraints(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  der::Reader reader(element.body);
  if (element.tag != der::tag::kSequence) {
    return malformed("basicConstraints is not a SEQUENCE");
  }
  BasicConstraints out;
  KEEL_TRY_ASSIGN(const auto ca, reader.read_optional(der::tag::kBoolean));
  if (ca) {
    KEEL_TRY_ASSIGN(out.ca, der::boolean(*ca));
    // DER: a DEFAULT value is never encoded (X.690 §11.5).
    if (!out.ca) {
      return malformed("basicConstraints encodes the default cA FALSE");
    }
  }
  KEEL_TRY_ASSIGN(const auto path_len, reader.read_optional(der::tag::kInteger));
  if (path_len) {
    KEEL_TRY_ASSIGN(out.path_len, der::small_unsigned(*path_len));
  }
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<KeyUsage> parse_key_usage(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  KEEL_TRY_ASSIGN(const der::BitString bits, der::bit_string(element));
  KeyUsage out;
  for (unsigned bit = 0; bit <= static_cast<unsigned>(KeyUsageBit::decipher_only); ++bit) {
    if (bits.bit(bit)) {
      out.bits = static_cast<std::uint16_t>(out.bits | (1U << bit));
    }
  }
  // RFC 5280 §4.2.1.3: "When the keyUsage extension appears in a certificate, at least one of
  // the bits MUST be set to 1."
  if (out.bits == 0) {
    return malformed("keyUsage has no bit set");
  }
  return out;
}

Result<std::vector<ByteView>> parse_extended_key_usage(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("extKeyUsage is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  std::vector<ByteView> out;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(const der::Element purpose, reader.read(der::tag::kOid));
    KEEL_TRY_ASSIGN(const ByteView oid_contents, der::oid(purpose));
    out.push_back(oid_contents);
  }
  if (out.empty()) {
    return malformed("extKeyUsage is empty");  // SIZE (1..MAX)
  }
  return out;
}

Result<std::vector<GeneralSubtree>> parse_subtrees(const der::Element& element) {
  der::Reader reader(element.body);
  std::vector<GeneralSubtree> out;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(der::Reader subtree, reader.enter());
    KEEL_TRY_ASSIGN(const der::Element base_element, subtree.next());
    KEEL_TRY_ASSIGN(const GeneralName base, parse_general_name(base_element));
    if (base.kind == GeneralNameKind::ip_address && base.value.size() != 8 &&
        base.value.size() != 32) {
      return malformed("name constraint iPAddress of " + std::to_string(base.value.size()) +
                       " octets (8 or 32 expected: address and mask)");
    }
    // RFC 5280 §4.2.1.10: "minimum MUST be zero, and maximum MUST be absent" — and DER omits
    // the default zero, so neither may appear.
    if (!subtree.empty()) {
      return malformed("name constraint with minimum or maximum");
    }
    out.push_back(GeneralSubtree{base});
  }
  if (out.empty()) {
    return malformed("empty GeneralSubtrees");
  }
  return out;
}

Result<NameConstraints> parse_name_constraints(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("nameConstraints is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  NameConstraints out;
  KEEL_TRY_ASSIGN(const auto permitted, reader.read_optional(der::tag::context_constructed(0)));
  if (permitted) {
    KEEL_TRY_ASSIGN(out.permitted, parse_subtrees(*permitted));
  }
  KEEL_TRY_ASSIGN(const auto excluded, reader.read_optional(der::tag::context_constructed(1)));
  if (excluded) {
    KEEL_TRY_ASSIGN(out.excluded, parse_subtrees(*excluded));
  }
  KEEL_TRY(reader.expect_empty());
  // RFC 5280 §4.2.1.10: "Conforming CAs MUST NOT issue certificates where name constraints is
  // an empty sequence."
  if (!permitted && !excluded) {
    return malformed("nameConstraints is empty");
  }
  return out;
}

Result<ByteView> parse_subject_key_id(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kOctetString) {
    return malformed("subjectKeyIdentifier is not an OCTET STRING");
  }
  return element.body;
}

}  // namespace

Result<AuthorityKeyIdentifier> parse_authority_key_id(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("authorityKeyIdentifier is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  AuthorityKeyIdentifier out;
  KEEL_TRY_ASSIGN(const auto key_id, reader.read_optional(der::tag::context(0)));
  if (key_id) {
    out.key_id = key_id->body;
  }
  KEEL_TRY_ASSIGN(const auto issuer, reader.read_optional(der::tag::context_constructed(1)));
  KEEL_TRY_ASSIGN(const auto serial, reader.read_optional(der::tag::context(2)));
  // RFC 5280 §4.2.1.1: issuer and serial are present together or not at all.
  if (issuer.has_value() != serial.has_value()) {
    return malformed("authorityKeyIdentifier has only one of issuer and serial number");
  }
  out.has_issuer_and_serial = issuer.has_value();
  KEEL_TRY(reader.expect_empty());
  return out;
}

namespace {

Result<std::vector<PolicyInformation>> parse_certificate_policies(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("certificatePolicies is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  std::vector<PolicyInformation> out;
  std::set<std::vector<std::uint8_t>> seen;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(der::Reader info, reader.enter());
    KEEL_TRY_ASSIGN(const der::Element policy, info.read(der::tag::kOid));
    KEEL_TRY_ASSIGN(const ByteView policy_oid, der::oid(policy));
    // Qualifiers (CPS URIs, user notices) are informational; their SEQUENCE is checked only.
    KEEL_TRY(info.read_optional(der::tag::kSequence));
    KEEL_TRY(info.expect_empty());
    // RFC 5280 §4.2.1.4: "A certificate policy OID MUST NOT appear more than once".
    if (!seen.emplace(policy_oid.begin(), policy_oid.end()).second) {
      return malformed("certificatePolicies lists " + der::oid_to_string(policy_oid) + " twice");
    }
    out.push_back(PolicyInformation{policy_oid});
  }
  if (out.empty()) {
    return malformed("certificatePolicies is empty");
  }
  return out;
}

Result<PolicyConstraints> parse_policy_constraints(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("policyConstraints is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  PolicyConstraints out;
  for (const unsigned field : {0U, 1U}) {
    KEEL_TRY_ASSIGN(const auto skip, reader.read_optional(der::tag::context(field)));
    if (skip) {
      // [n] IMPLICIT SkipCerts (an INTEGER): decode its contents as an INTEGER.
      const der::Element as_integer{der::tag::kInteger, skip->body, skip->encoding};
      KEEL_TRY_ASSIGN(const std::uint64_t count, der::small_unsigned(as_integer));
      (field == 0 ? out.require_explicit_policy : out.inhibit_policy_mapping) = count;
    }
  }
  KEEL_TRY(reader.expect_empty());
  // RFC 5280 §4.2.1.11: "Conforming CAs MUST NOT issue certificates where policy constraints
  // is an empty sequence."
  if (!out.require_explicit_policy && !out.inhibit_policy_mapping) {
    return malformed("policyConstraints is empty");
  }
  return out;
}

Result<std::uint64_t> parse_inhibit_any_policy(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  return der::small_unsigned(element);
}

Result<std::vector<DistributionPoint>> parse_crl_distribution_points(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("cRLDistributionPoints is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  std::vector<DistributionPoint> out;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(der::Reader point, reader.enter());
    DistributionPoint dp;
    KEEL_TRY_ASSIGN(const auto name, point.read_optional(der::tag::context_constructed(0)));
    if (name) {
      der::Reader choice(name->body);
      // DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer
      // [1] RelativeDistinguishedName }
      KEEL_TRY_ASSIGN(const auto full, choice.read_optional(der::tag::context_constructed(0)));
      if (full) {
        const der::Element as_names{der::tag::kSequence, full->body, full->encoding};
        KEEL_TRY_ASSIGN(dp.full_names, parse_general_names(as_names));
      } else {
        KEEL_TRY(choice.read(der::tag::context_constructed(1)));
      }
      KEEL_TRY(choice.expect_empty());
    }
    KEEL_TRY_ASSIGN(const auto reasons, point.read_optional(der::tag::context(1)));
    KEEL_TRY_ASSIGN(const auto issuer, point.read_optional(der::tag::context_constructed(2)));
    KEEL_TRY(point.expect_empty());
    dp.has_reasons_or_issuer = reasons.has_value() || issuer.has_value();
    out.push_back(std::move(dp));
  }
  if (out.empty()) {
    return malformed("cRLDistributionPoints is empty");
  }
  return out;
}

Result<std::vector<AccessDescription>> parse_authority_info_access(ByteView value) {
  KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(value));
  if (element.tag != der::tag::kSequence) {
    return malformed("authorityInfoAccess is not a SEQUENCE");
  }
  der::Reader reader(element.body);
  std::vector<AccessDescription> out;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(der::Reader description, reader.enter());
    KEEL_TRY_ASSIGN(const der::Element method, description.read(der::tag::kOid));
    KEEL_TRY_ASSIGN(const ByteView method_oid, der::oid(method));
    KEEL_TRY_ASSIGN(const der::Element location_element, description.next());
    KEEL_TRY_ASSIGN(const GeneralName location, parse_general_name(location_element));
    KEEL_TRY(description.expect_empty());
    out.push_back(AccessDescription{method_oid, location});
  }
  if (out.empty()) {
    return malformed("authorityInfoAccess is empty");
  }
  return out;
}

/// Runs `parse` on the extension's value and stores the result, or names the extension in the
/// error.
template <class T, class Parse>
Result<void> store(std::optional<T>& slot, ByteView value, Parse parse, const char* name) {
  auto parsed = parse(value);
  if (!parsed.ok()) {
    return std::move(parsed).error().prepend(name);
  }
  slot = std::move(parsed).value();
  return ok();
}

}  // namespace

Result<std::vector<RawExtension>> parse_raw_extensions(const der::Element& extensions) {
  if (extensions.tag != der::tag::kSequence) {
    return malformed("Extensions is not a SEQUENCE");
  }
  der::Reader reader(extensions.body);
  std::vector<RawExtension> out;
  std::set<std::vector<std::uint8_t>> seen;
  while (!reader.empty()) {
    KEEL_TRY_ASSIGN(der::Reader extension, reader.enter());
    KEEL_TRY_ASSIGN(const der::Element id_element, extension.read(der::tag::kOid));
    KEEL_TRY_ASSIGN(const ByteView id, der::oid(id_element));
    bool critical = false;
    KEEL_TRY_ASSIGN(const auto critical_element, extension.read_optional(der::tag::kBoolean));
    if (critical_element) {
      KEEL_TRY_ASSIGN(critical, der::boolean(*critical_element));
      if (!critical) {
        return malformed("extension " + der::oid_to_string(id) +
                         " encodes the default critical FALSE");
      }
    }
    KEEL_TRY_ASSIGN(const der::Element value_element, extension.read(der::tag::kOctetString));
    KEEL_TRY(extension.expect_empty());
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular
    // extension" (and §5.2 the same for CRLs).
    if (!seen.emplace(id.begin(), id.end()).second) {
      return Error(Errc::duplicate_extension, "extension " + der::oid_to_string(id));
    }
    out.push_back(RawExtension{id, critical, value_element.body});
  }
  // Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
  if (out.empty()) {
    return malformed("Extensions is empty");
  }
  return out;
}

Result<void> parse_extensions(const der::Element& extensions, Extensions& out) {
  KEEL_TRY_ASSIGN(const std::vector<RawExtension> raw, parse_raw_extensions(extensions));
  for (const auto& [id, critical, value] : raw) {
    if (critical) {
      out.critical.push_back(id);
    }
    if (oid::is(id, oid::kBasicConstraints)) {
      KEEL_TRY(store(out.basic_constraints, value, parse_basic_constraints, "basicConstraints"));
    } else if (oid::is(id, oid::kKeyUsage)) {
      KEEL_TRY(store(out.key_usage, value, parse_key_usage, "keyUsage"));
    } else if (oid::is(id, oid::kExtKeyUsage)) {
      KEEL_TRY(store(out.extended_key_usage, value, parse_extended_key_usage, "extKeyUsage"));
    } else if (oid::is(id, oid::kSubjectAltName)) {
      auto general_names = [](ByteView v) -> Result<std::vector<GeneralName>> {
        KEEL_TRY_ASSIGN(const der::Element element, der::parse_single(v));
        return parse_general_names(element);
      };
      KEEL_TRY(store(out.subject_alt_names, value, general_names, "subjectAltName"));
      out.subject_alt_names_critical = critical;
    } else if (oid::is(id, oid::kNameConstraints)) {
      KEEL_TRY(store(out.name_constraints, value, parse_name_constraints, "nameConstraints"));
    } else if (oid::is(id, oid::kSubjectKeyIdentifier)) {
      KEEL_TRY(store(out.subject_key_id, value, parse_subject_key_id, "subjectKeyIdentifier"));
    } else if (oid::is(id, oid::kAuthorityKeyIdentifier)) {
      KEEL_TRY(
          store(out.authority_key_id, value, parse_authority_key_id, "authorityKeyIdentifier"));
    } else if (oid::is(id, oid::kCertificatePolicies)) {
      KEEL_TRY(store(out.certificate_policies, value, parse_certificate_policies,
                     "certificatePolicies"));
    } else if (oid::is(id, oid::kPolicyConstraints)) {
      KEEL_TRY(store(out.policy_constraints, value, parse_policy_constraints, "policyConstraints"));
    } else if (oid::is(id, oid::kInhibitAnyPolicy)) {
      KEEL_TRY(store(out.inhibit_any_policy, value, parse_inhibit_any_policy, "inhibitAnyPolicy"));
    } else if (oid::is(id, oid::kPolicyMappings)) {
      out.has_policy_mappings = true;  // recognised; keel does not map policies (docs/)
    } else if (oid::is(id, oid::kCrlDistributionPoints)) {
      KEEL_TRY(store(out.crl_distribution_points, value, parse_crl_distribution_points,
                     "cRLDistributionPoints"));
    } else if (oid::is(id, oid::kAuthorityInfoAccess)) {
      KEEL_TRY(store(out.authority_info_access, value, parse_authority_info_access,
                     "authorityInfoAccess"));
    } else if (critical && !out.unknown_critical) {
      // RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters
      // a critical extension it does not recognize" — the validator does, for path members.
      out.unknown_critical = id;
    }
  }
  return ok();
}

}  // namespace keel::x509
