#include "msg/tls12_messages.hpp"

#include <string>

#include "core/try.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::msg {
namespace {

using wire::Width;

constexpr std::uint8_t kNamedCurve = 3;  // RFC 8422 §5.4 ECCurveType

}  // namespace

Bytes ServerKeyExchange12::signed_content(ByteView client_random, ByteView server_random,
                                          NamedGroup group, ByteView public_key) {
  Bytes content;
  content.reserve(client_random.size() + server_random.size() + 4 + public_key.size());
  content.insert(content.end(), client_random.begin(), client_random.end());
  content.insert(content.end(), server_random.begin(), server_random.end());
  content.push_back(kNamedCurve);
  content.push_back(static_cast<std::uint8_t>(static_cast<std::uint16_t>(group) >> 8U));
  content.push_back(static_cast<std::uint8_t>(group));
  content.push_back(static_cast<std::uint8_t>(public_key.size()));
  content.insert(content.end(), public_key.begin(), public_key.end());
  return content;
}

Result<ServerKeyExchange12> ServerKeyExchange12::decode(ByteView body) {
  wire::Reader reader(body);
  ServerKeyExchange12 out;
  KEEL_TRY_ASSIGN(const std::uint8_t curve_type, reader.u8());
  if (curve_type != kNamedCurve) {
    return Error(Errc::illegal_parameter, "ServerKeyExchange with curve type " +
                                              std::to_string(curve_type) +
                                              " (only named curves are accepted)");
  }
  KEEL_TRY_ASSIGN(const std::uint16_t group, reader.u16());
  out.group = static_cast<NamedGroup>(group);
  KEEL_TRY_ASSIGN(const ByteView point, reader.prefixed(Width::u8, 1));
  out.public_key.assign(point.begin(), point.end());
  KEEL_TRY_ASSIGN(const std::uint16_t scheme, reader.u16());
  out.scheme = static_cast<SignatureScheme>(scheme);
  KEEL_TRY_ASSIGN(const ByteView signature, reader.prefixed(Width::u16));
  out.signature.assign(signature.begin(), signature.end());
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> ServerKeyExchange12::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::server_key_exchange));
  {
    auto message = w.prefixed(Width::u24);
    w.u8(kNamedCurve);
    w.u16(static_cast<std::uint16_t>(group));
    {
      auto point = w.prefixed(Width::u8);
      w.bytes(public_key);
    }
    w.u16(static_cast<std::uint16_t>(scheme));
    auto field = w.prefixed(Width::u16);
    w.bytes(signature);
  }
  return std::move(w).finish();
}

Result<ClientKeyExchange12> ClientKeyExchange12::decode(ByteView body) {
  wire::Reader reader(body);
  ClientKeyExchange12 out;
  KEEL_TRY_ASSIGN(const ByteView point, reader.prefixed(Width::u8, 1));
  out.public_key.assign(point.begin(), point.end());
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> ClientKeyExchange12::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::client_key_exchange));
  {
    auto message = w.prefixed(Width::u24);
    auto point = w.prefixed(Width::u8);
    w.bytes(public_key);
  }
  return std::move(w).finish();
}

Result<Certificate12> Certificate12::decode(ByteView body) {
  wire::Reader reader(body);
  Certificate12 out;
  KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u24));
  while (!list.empty()) {
    if (out.certificate_list.size() == kMaxEntries) {
      return Error(Errc::limit_exceeded,
                   "Certificate with more than " + std::to_string(kMaxEntries) + " entries");
    }
    KEEL_TRY_ASSIGN(const ByteView cert, list.prefixed(Width::u24, 1));
    out.certificate_list.emplace_back(cert.begin(), cert.end());
  }
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> Certificate12::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::certificate));
  {
    auto message = w.prefixed(Width::u24);
    auto list = w.prefixed(Width::u24);
    for (const Bytes& cert : certificate_list) {
      auto field = w.prefixed(Width::u24);
      w.bytes(cert);
    }
  }
  return std::move(w).finish();
}

Result<CertificateRequest12> CertificateRequest12::decode(ByteView body) {
  wire::Reader reader(body);
  CertificateRequest12 out;
  KEEL_TRY_ASSIGN(const ByteView types, reader.prefixed(Width::u8, 1));
  out.certificate_types.assign(types.begin(), types.end());
  KEEL_TRY_ASSIGN(wire::Reader schemes, reader.sub(Width::u16, 2, 0xFFFE));
  if (schemes.remaining() % 2 != 0) {
    return Error(Errc::malformed, "CertificateRequest signature algorithms of odd length");
  }
  while (!schemes.empty()) {
    KEEL_TRY_ASSIGN(const std::uint16_t scheme, schemes.u16());
    out.signature_algorithms.push_back(static_cast<SignatureScheme>(scheme));
  }
  KEEL_TRY_ASSIGN(wire::Reader authorities, reader.sub(Width::u16));
  while (!authorities.empty()) {
    if (out.certificate_authorities.size() == kMaxAuthorities) {
      return Error(Errc::limit_exceeded, "CertificateRequest with more than " +
                                             std::to_string(kMaxAuthorities) + " authorities");
    }
    KEEL_TRY_ASSIGN(const ByteView name, authorities.prefixed(Width::u16, 1));
    out.certificate_authorities.emplace_back(name.begin(), name.end());
  }
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> CertificateRequest12::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::certificate_request));
  {
    auto message = w.prefixed(Width::u24);
    {
      auto types = w.prefixed(Width::u8);
      w.bytes(certificate_types);
    }
    {
      auto schemes = w.prefixed(Width::u16);
      for (const SignatureScheme scheme : signature_algorithms) {
        w.u16(static_cast<std::uint16_t>(scheme));
      }
    }
    auto authorities = w.prefixed(Width::u16);
    for (const Bytes& name : certificate_authorities) {
      auto field = w.prefixed(Width::u16);
      w.bytes(name);
    }
  }
  return std::move(w).finish();
}

Result<void> decode_empty(HandshakeType type, ByteView body) {
  if (!body.empty()) {
    return Error(Errc::malformed, to_string(type) + " with a body of " +
                                      std::to_string(body.size()) + " bytes (must be empty)");
  }
  return ok();
}

Result<Bytes> encode_empty(HandshakeType type) {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(type));
  w.u24(0);
  return std::move(w).finish();
}

Result<NewSessionTicket12> NewSessionTicket12::decode(ByteView body) {
  wire::Reader reader(body);
  NewSessionTicket12 out;
  KEEL_TRY_ASSIGN(out.lifetime_hint, reader.u32());
  KEEL_TRY_ASSIGN(const ByteView ticket, reader.prefixed(Width::u16));
  out.ticket.assign(ticket.begin(), ticket.end());
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> NewSessionTicket12::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::new_session_ticket));
  {
    auto message = w.prefixed(Width::u24);
    w.u32(lifetime_hint);
    auto field = w.prefixed(Width::u16);
    w.bytes(ticket);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
