#include "x509/issue.hpp"

#include "core/try.hpp"
#include "x509/der_writer.hpp"
#include "x509/oids.hpp"

namespace keel::x509 {
namespace {

namespace w = der::write;

/// Name ::= RDNSequence: CN, then O, one attribute per RDN (RFC 5280 §4.1.2.4).
Bytes encode_name(const CertificateProfile& profile) {
  const auto rdn = [](ByteView type, std::string_view value) {
    return w::constructed(der::tag::kSet, {w::sequence({w::oid(type), w::utf8_string(value)})});
  };
  return w::sequence(
      {rdn(oid::kOrganization, profile.organization), rdn(oid::kCommonName, profile.common_name)});
}

/// The subjectPublicKey bits of an SPKI.
Result<ByteView> public_key_bits(ByteView spki) {
  der::Reader outer(spki);
  KEEL_TRY_ASSIGN(auto fields, outer.enter());
  KEEL_TRY(fields.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const auto bits, fields.read(der::tag::kBitString));
  KEEL_TRY_ASSIGN(const auto value, der::bit_string(bits));
  return value.bytes;
}

Bytes extension(ByteView id, bool critical, ByteView value) {
  if (critical) {
    return w::sequence({w::oid(id), w::boolean(true), w::octet_string(value)});
  }
  return w::sequence({w::oid(id), w::octet_string(value)});  // DEFAULT FALSE is omitted
}

/// KeyUsage bits (RFC 5280 §4.2.1.3) as a DER BIT STRING: digitalSignature is bit 0,
/// keyCertSign bit 5, cRLSign bit 6; trailing zero bits are not encoded (X.690 §11.2.2).
Bytes key_usage(bool ca) {
  if (ca) {
    return w::tlv(der::tag::kBitString, Bytes{0x01, 0x06});  // bits 5, 6; 1 unused
  }
  return w::tlv(der::tag::kBitString, Bytes{0x07, 0x80});  // bit 0; 7 unused
}

Result<crypto::SignatureAlgorithm> signing_algorithm(const crypto::PrivateKey& key,
                                                     Bytes& algorithm_identifier) {
  switch (key.type()) {
    case crypto::KeyType::ec_p256:
      algorithm_identifier = w::sequence({w::oid(oid::kEcdsaSha256)});
      return crypto::SignatureAlgorithm{crypto::SignatureKind::ecdsa, crypto::HashAlg::sha256};
    case crypto::KeyType::ed25519:
      algorithm_identifier = w::sequence({w::oid(oid::kEd25519)});
      return crypto::SignatureAlgorithm{crypto::SignatureKind::ed25519, crypto::HashAlg::sha256};
    default:
      return Error(Errc::unsupported_algorithm,
                   "keel issues certificates with ECDSA P-256 or "
                   "Ed25519 keys only");
  }
}

}  // namespace

Result<Bytes> issue_certificate(const CertificateProfile& profile, ByteView subject_spki,
                                const crypto::PrivateKey& issuer_key, const Certificate* issuer,
                                const crypto::Provider& provider) {
  if (profile.serial.empty() || profile.serial.size() > 20) {
    return Error(Errc::invalid_argument, "a serial number takes 1 to 20 octets");
  }
  Bytes algorithm;
  KEEL_TRY_ASSIGN(const auto signature_algorithm, signing_algorithm(issuer_key, algorithm));

  // RFC 5280 §4.2.1.2 method (1): the key identifier is the SHA-1 of the key's bits.
  KEEL_TRY_ASSIGN(const ByteView subject_bits, public_key_bits(subject_spki));
  KEEL_TRY_ASSIGN(const auto subject_key_id, provider.sha1_identifier(subject_bits));
  Bytes issuer_key_id;
  if (issuer == nullptr) {
    issuer_key_id.assign(subject_key_id.view().begin(), subject_key_id.view().end());
  } else {
    KEEL_TRY_ASSIGN(const ByteView issuer_bits, public_key_bits(issuer->spki()));
    KEEL_TRY_ASSIGN(const auto id, provider.sha1_identifier(issuer_bits));
    issuer_key_id.assign(id.view().begin(), id.view().end());
  }

  Bytes extensions;
  const auto add = [&extensions](const Bytes& encoded) {
    extensions.insert(extensions.end(), encoded.begin(), encoded.end());
  };
  add(extension(
      oid::kBasicConstraints, true,
      profile.ca ? w::sequence({w::boolean(true), w::small_integer(0)}) : w::sequence({})));
  add(extension(oid::kKeyUsage, true, key_usage(profile.ca)));
  if (!profile.ca) {
    add(extension(oid::kExtKeyUsage, false, w::sequence({w::oid(oid::kServerAuth)})));
    Bytes names;
    for (const auto& name : profile.dns_names) {
      const Bytes encoded =
          w::tlv(der::tag::context(2),
                 ByteView(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
      names.insert(names.end(), encoded.begin(), encoded.end());
    }
    for (const auto& address : profile.ip_addresses) {
      const Bytes encoded = w::tlv(der::tag::context(7), address);
      names.insert(names.end(), encoded.begin(), encoded.end());
    }
    add(extension(oid::kSubjectAltName, false, w::tlv(der::tag::kSequence, names)));
  }
  add(extension(oid::kSubjectKeyIdentifier, false, w::octet_string(subject_key_id.view())));
  add(extension(oid::kAuthorityKeyIdentifier, false,
                w::sequence({w::tlv(der::tag::context(0), issuer_key_id)})));

  const Bytes subject = encode_name(profile);
  const ByteView issuer_name = issuer == nullptr ? ByteView(subject) : issuer->subject().encoding();
  const Bytes tbs = w::sequence({
      w::tlv(der::tag::context_constructed(0), w::small_integer(2)),  // v3
      w::unsigned_integer(profile.serial),
      algorithm,
      issuer_name,
      w::sequence({w::time(profile.not_before), w::time(profile.not_after)}),
      subject,
      subject_spki,
      w::tlv(der::tag::context_constructed(3), w::tlv(der::tag::kSequence, extensions)),
  });
  KEEL_TRY_ASSIGN(const Bytes signature, issuer_key.sign(signature_algorithm, tbs));
  return w::sequence({tbs, algorithm, w::bit_string(signature)});
}

}  // namespace keel::x509
