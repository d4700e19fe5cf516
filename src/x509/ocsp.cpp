#include "x509/ocsp.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "core/try.hpp"
#include "x509/oids.hpp"
#include "x509/signature.hpp"

namespace keel::x509 {
namespace {

using der::malformed;

/// An ENUMERATED's value (encoded as an INTEGER, X.690 §8.4).
Result<std::uint64_t> enumerated(const der::Element& element) {
  if (element.tag != der::tag::kEnumerated) {
    return malformed("expected ENUMERATED, found " + der::tag_name(element.tag));
  }
  return der::small_unsigned(der::Element{der::tag::kInteger, element.body, {}});
}

Result<der::Seconds> generalized_time(const der::Element& element) {
  if (element.tag != der::tag::kGeneralizedTime) {
    return malformed("expected GeneralizedTime, found " + der::tag_name(element.tag));
  }
  return der::time(element);
}

/// OCSPResponseStatus names (RFC 6960 §4.2.1).
std::string status_name(std::uint64_t status) {
  switch (status) {
    case 1:
      return "malformedRequest";
    case 2:
      return "internalError";
    case 3:
      return "tryLater";
    case 5:
      return "sigRequired";
    case 6:
      return "unauthorized";
    default:
      return "status " + std::to_string(status);
  }
}

Result<OcspHash> parse_cert_id_hash(der::Reader& cert_id) {
  KEEL_TRY_ASSIGN(der::Reader alg, cert_id.enter());
  KEEL_TRY_ASSIGN(const der::Element oid_element, alg.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView id, der::oid(oid_element));
  if (alg.peek(der::tag::kNull)) {
    KEEL_TRY_ASSIGN(const der::Element null, alg.next());
    KEEL_TRY(der::null(null));
  }
  KEEL_TRY(alg.expect_empty());
  if (oid::is(id, oid::kSha1)) {
    return OcspHash::sha1;
  }
  if (oid::is(id, oid::kSha256)) {
    return OcspHash::sha256;
  }
  if (oid::is(id, oid::kSha384)) {
    return OcspHash::sha384;
  }
  if (oid::is(id, oid::kSha512)) {
    return OcspHash::sha512;
  }
  return Error(Errc::not_supported, "OCSP CertID hash " + der::oid_to_string(id));
}

/// Whether an Extensions element holds a critical extension (none of OCSP's are).
Result<bool> has_critical(const der::Element& explicit_extensions) {
  KEEL_TRY_ASSIGN(const der::Element list, der::parse_single(explicit_extensions.body));
  KEEL_TRY_ASSIGN(const auto raw, parse_raw_extensions(list));
  return std::any_of(raw.begin(), raw.end(), [](const RawExtension& e) { return e.critical; });
}

Result<OcspSingleResponse> parse_single_response(der::Reader& responses) {
  OcspSingleResponse out;
  KEEL_TRY_ASSIGN(der::Reader single, responses.enter());

  KEEL_TRY_ASSIGN(der::Reader cert_id, single.enter());
  KEEL_TRY_ASSIGN(out.hash, parse_cert_id_hash(cert_id));
  KEEL_TRY_ASSIGN(const der::Element name_hash, cert_id.read(der::tag::kOctetString));
  KEEL_TRY_ASSIGN(const der::Element key_hash, cert_id.read(der::tag::kOctetString));
  KEEL_TRY_ASSIGN(const der::Element serial, cert_id.read(der::tag::kInteger));
  KEEL_TRY(cert_id.expect_empty());
  out.issuer_name_hash = name_hash.body;
  out.issuer_key_hash = key_hash.body;
  KEEL_TRY_ASSIGN(out.serial, der::integer(serial));

  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
  //                         unknown [2] IMPLICIT UnknownInfo }
  KEEL_TRY_ASSIGN(const der::Element status, single.next());
  if (status.tag == der::tag::context(0) || status.tag == der::tag::context(2)) {
    if (!status.body.empty()) {
      return malformed("OCSP certStatus NULL with contents");
    }
    out.status =
        status.tag == der::tag::context(0) ? OcspCertStatus::good : OcspCertStatus::unknown;
  } else if (status.tag == der::tag::context_constructed(1)) {
    out.status = OcspCertStatus::revoked;
    der::Reader info(status.body);
    KEEL_TRY_ASSIGN(const der::Element time, info.next());
    KEEL_TRY_ASSIGN(out.revocation_time, generalized_time(time));
    KEEL_TRY_ASSIGN(const auto reason, info.read_optional(der::tag::context_constructed(0)));
    if (reason) {
      KEEL_TRY_ASSIGN(const der::Element value, der::parse_single(reason->body));
      KEEL_TRY_ASSIGN(out.revocation_reason, parse_revocation_reason(value));
    }
    KEEL_TRY(info.expect_empty());
  } else {
    return malformed("OCSP certStatus has tag " + der::tag_name(status.tag));
  }

  KEEL_TRY_ASSIGN(const der::Element this_update, single.next());
  KEEL_TRY_ASSIGN(out.this_update, generalized_time(this_update));
  KEEL_TRY_ASSIGN(const auto next_update, single.read_optional(der::tag::context_constructed(0)));
  if (next_update) {
    KEEL_TRY_ASSIGN(const der::Element value, der::parse_single(next_update->body));
    KEEL_TRY_ASSIGN(out.next_update, generalized_time(value));
  }
  KEEL_TRY_ASSIGN(const auto extensions, single.read_optional(der::tag::context_constructed(1)));
  if (extensions) {
    KEEL_TRY_ASSIGN(out.unknown_critical_extension, has_critical(*extensions));
  }
  KEEL_TRY(single.expect_empty());
  return out;
}

Result<crypto::Digest> identifier_hash(OcspHash hash, ByteView data,
                                       const crypto::Provider& provider) {
  switch (hash) {
    case OcspHash::sha1:
      return provider.sha1_identifier(data);
    case OcspHash::sha256:
      return provider.hash(crypto::HashAlg::sha256, data);
    case OcspHash::sha384:
      return provider.hash(crypto::HashAlg::sha384, data);
    case OcspHash::sha512:
      return provider.hash(crypto::HashAlg::sha512, data);
  }
  return Error(Errc::internal, "unknown OCSP hash");
}

/// Whether the ResponderID names `cert` (by name, or by the SHA-1 of its key).
Result<bool> responder_is(const OcspResponse& response, const Certificate& cert,
                          const crypto::Provider& provider) {
  if (response.responder_name()) {
    return *response.responder_name() == cert.subject();
  }
  KEEL_TRY_ASSIGN(const ByteView key, subject_public_key_bits(cert));
  KEEL_TRY_ASSIGN(const crypto::Digest hash, provider.sha1_identifier(key));
  return std::ranges::equal(hash.view(), *response.responder_key_hash());
}

Error unusable(const std::string& why) {
  return Error(Errc::revocation_unusable, "OCSP response " + why);
}

/// RFC 6960 §4.2.2.2: the CA itself, or a certificate the CA issued for OCSP signing.
Result<const Certificate*> authorized_signer(const OcspResponse& response,
                                             const Certificate& issuer, const OcspCheck& check,
                                             const crypto::Provider& provider) {
  KEEL_TRY_ASSIGN(const bool by_issuer, responder_is(response, issuer, provider));
  if (by_issuer) {
    return &issuer;
  }
  for (const Certificate& candidate : response.certificates()) {
    KEEL_TRY_ASSIGN(const bool named, responder_is(response, candidate, provider));
    if (!named) {
      continue;
    }
    const auto& ekus = candidate.extensions().extended_key_usage;
    const bool ocsp_signing = ekus && std::any_of(ekus->begin(), ekus->end(), [](ByteView eku) {
                                return oid::is(eku, oid::kOcspSigning);
                              });
    if (!(candidate.issuer() == issuer.subject()) || !ocsp_signing) {
      return unusable("is signed by " + candidate.describe() +
                      ", which is not an OCSP responder of " + issuer.describe());
    }
    if (check.time < candidate.not_before() || check.time > candidate.not_after()) {
      return unusable("is signed by " + candidate.describe() +
                      ", which is not valid at the validation time");
    }
    if (candidate.extensions().unknown_critical) {
      return unusable("is signed by " + candidate.describe() +
                      ", which has an unknown critical extension");
    }
    auto issued = verify_signed_by(issuer, candidate.signature_algorithm(), candidate.tbs(),
                                   candidate.signature(), provider);
    if (!issued.ok()) {
      return unusable("is signed by " + candidate.describe() + ", which is " +
                      issued.error().detail());
    }
    return &candidate;
  }
  return unusable("is signed by a responder that " + issuer.describe() + " did not authorize");
}

}  // namespace

Result<ByteView> subject_public_key_bits(const Certificate& cert) {
  KEEL_TRY_ASSIGN(const der::Element spki, der::parse_single(cert.spki()));
  der::Reader reader(spki.body);
  KEEL_TRY(reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element key, reader.read(der::tag::kBitString));
  KEEL_TRY_ASSIGN(const der::BitString bits, der::bit_string(key));
  return bits.bytes;
}

Result<OcspResponse> OcspResponse::parse(ByteView der) {
  OcspResponse response;
  response.der_ = std::make_shared<const Bytes>(der.begin(), der.end());
  KEEL_TRY_ASSIGN(const der::Element outer, der::parse_single(*response.der_));
  if (outer.tag != der::tag::kSequence) {
    return malformed("OCSPResponse is not a SEQUENCE");
  }
  der::Reader reader(outer.body);
  KEEL_TRY_ASSIGN(const der::Element status_element, reader.next());
  KEEL_TRY_ASSIGN(const std::uint64_t status, enumerated(status_element));
  if (status != 0) {
    return unusable("says " + status_name(status) + " instead of successful");
  }
  KEEL_TRY_ASSIGN(der::Reader bytes_field, reader.enter(der::tag::context_constructed(0)));
  KEEL_TRY(reader.expect_empty());
  KEEL_TRY_ASSIGN(der::Reader response_bytes, bytes_field.enter());
  KEEL_TRY(bytes_field.expect_empty());
  KEEL_TRY_ASSIGN(const der::Element type_element, response_bytes.read(der::tag::kOid));
  KEEL_TRY_ASSIGN(const ByteView type, der::oid(type_element));
  KEEL_TRY_ASSIGN(const der::Element basic, response_bytes.read(der::tag::kOctetString));
  KEEL_TRY(response_bytes.expect_empty());
  if (!oid::is(type, oid::kOcspBasic)) {
    return Error(Errc::not_supported, "OCSP response type " + der::oid_to_string(type));
  }
  KEEL_TRY(response.parse_basic(basic.body));
  return response;
}

Result<void> OcspResponse::parse_basic(ByteView der) {
  KEEL_TRY_ASSIGN(const der::Element basic, der::parse_single(der));
  if (basic.tag != der::tag::kSequence) {
    return malformed("BasicOCSPResponse is not a SEQUENCE");
  }
  der::Reader reader(basic.body);
  KEEL_TRY_ASSIGN(const der::Element data, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element alg, reader.read(der::tag::kSequence));
  KEEL_TRY_ASSIGN(const der::Element signature, reader.read(der::tag::kBitString));
  KEEL_TRY_ASSIGN(const auto certs, reader.read_optional(der::tag::context_constructed(0)));
  KEEL_TRY(reader.expect_empty());

  KEEL_TRY(parse_response_data(data));
  KEEL_TRY_ASSIGN(sig_alg_, parse_signature_algorithm(alg));
  KEEL_TRY_ASSIGN(const der::BitString bits, der::bit_string(signature));
  if (bits.unused_bits != 0) {
    return malformed("OCSP signature has unused bits");
  }
  signature_ = bits.bytes;
  if (certs) {
    KEEL_TRY_ASSIGN(const der::Element list, der::parse_single(certs->body));
    if (list.tag != der::tag::kSequence) {
      return malformed("OCSP certs is not a SEQUENCE");
    }
    der::Reader certs_reader(list.body);
    while (!certs_reader.empty()) {
      if (certs_.size() == kMaxCertificates) {
        return Error(Errc::limit_exceeded, "OCSP response with more than " +
                                               std::to_string(kMaxCertificates) + " certificates");
      }
      KEEL_TRY_ASSIGN(const der::Element cert_element, certs_reader.next());
      auto cert = Certificate::parse(cert_element.encoding);
      if (!cert.ok()) {
        return std::move(cert).error().prepend("OCSP responder certificate");
      }
      certs_.push_back(std::move(cert).value());
    }
  }
  return ok();
}

Result<void> OcspResponse::parse_response_data(const der::Element& data) {
  tbs_ = data.encoding;
  der::Reader reader(data.body);
  // version [0] EXPLICIT Version DEFAULT v1: DER omits v1, and there is no other version.
  if (reader.peek(der::tag::context_constructed(0))) {
    return malformed("OCSP ResponseData encodes a version");
  }
  KEEL_TRY_ASSIGN(const der::Element responder, reader.next());
  if (responder.tag == der::tag::context_constructed(1)) {
    KEEL_TRY_ASSIGN(const der::Element name, der::parse_single(responder.body));
    if (name.tag != der::tag::kSequence) {
      return malformed("OCSP ResponderID byName is not a Name");
    }
    KEEL_TRY_ASSIGN(responder_name_, Name::parse(name));
  } else if (responder.tag == der::tag::context_constructed(2)) {
    KEEL_TRY_ASSIGN(const der::Element hash, der::parse_single(responder.body));
    if (hash.tag != der::tag::kOctetString || hash.body.size() != 20) {
      return malformed("OCSP ResponderID byKey is not a 20-octet SHA-1 hash");
    }
    responder_key_hash_ = hash.body;
  } else {
    return malformed("OCSP ResponderID has tag " + der::tag_name(responder.tag));
  }
  KEEL_TRY_ASSIGN(const der::Element produced, reader.next());
  KEEL_TRY_ASSIGN(produced_at_, generalized_time(produced));

  KEEL_TRY_ASSIGN(der::Reader responses, reader.enter());
  while (!responses.empty()) {
    if (responses_.size() == kMaxResponses) {
      return Error(Errc::limit_exceeded,
                   "OCSP response with more than " + std::to_string(kMaxResponses) + " statuses");
    }
    KEEL_TRY_ASSIGN(auto single, parse_single_response(responses));
    responses_.push_back(single);
  }
  KEEL_TRY_ASSIGN(const auto extensions, reader.read_optional(der::tag::context_constructed(1)));
  if (extensions) {
    KEEL_TRY_ASSIGN(unknown_critical_extension_, has_critical(*extensions));
  }
  KEEL_TRY(reader.expect_empty());
  return ok();
}

Result<std::optional<OcspStatus>> check_ocsp_response(const OcspResponse& response,
                                                      const Certificate& cert,
                                                      const Certificate& issuer,
                                                      const OcspCheck& check,
                                                      const crypto::Provider& provider) {
  // §4.1.1 CertID: the hashes of the issuer's name (as the certificate encodes it) and key.
  KEEL_TRY_ASSIGN(const ByteView issuer_key, subject_public_key_bits(issuer));
  const OcspSingleResponse* single = nullptr;
  for (const auto& candidate : response.responses()) {
    if (!std::ranges::equal(candidate.serial, cert.serial())) {
      continue;
    }
    KEEL_TRY_ASSIGN(const crypto::Digest name_hash,
                    identifier_hash(candidate.hash, cert.issuer().encoding(), provider));
    KEEL_TRY_ASSIGN(const crypto::Digest key_hash,
                    identifier_hash(candidate.hash, issuer_key, provider));
    if (std::ranges::equal(name_hash.view(), candidate.issuer_name_hash) &&
        std::ranges::equal(key_hash.view(), candidate.issuer_key_hash)) {
      single = &candidate;
      break;
    }
  }
  if (single == nullptr) {
    return std::optional<OcspStatus>();
  }
  if (response.unknown_critical_extension() || single->unknown_critical_extension) {
    return unusable("has a critical extension keel does not process");
  }

  KEEL_TRY_ASSIGN(const Certificate* signer, authorized_signer(response, issuer, check, provider));
  auto signed_ok = verify_signed_by(*signer, response.signature_algorithm(), response.tbs(),
                                    response.signature(), provider);
  if (!signed_ok.ok()) {
    Error error = std::move(signed_ok).error();
    if (error.code() == Errc::bad_signature) {
      return unusable("for " + cert.describe() + " is " + error.detail());
    }
    return std::move(error).prepend("OCSP response");
  }

  // §4.2.2.1 and §3.2 (5), (6): thisUpdate not in the future, nextUpdate not in the past.
  if (check.time < single->this_update) {
    return unusable("for " + cert.describe() + " is dated " +
                    der::format_time(single->this_update) + ", after the validation time");
  }
  const der::Seconds expires =
      single->next_update ? *single->next_update : single->this_update + check.max_age;
  if (check.time > expires) {
    return unusable("for " + cert.describe() + " is stale: it expired at " +
                    der::format_time(expires));
  }
  return std::optional<OcspStatus>(
      OcspStatus{single->status, single->revocation_time, single->revocation_reason});
}

}  // namespace keel::x509
