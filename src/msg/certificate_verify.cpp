#include "msg/certificate_verify.hpp"

#include "core/try.hpp"
#include "msg/types.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace keel::msg {

Result<CertificateVerify> CertificateVerify::decode(ByteView body) {
  wire::Reader reader(body);
  CertificateVerify out;
  KEEL_TRY_ASSIGN(const std::uint16_t scheme, reader.u16());
  out.algorithm = static_cast<SignatureScheme>(scheme);
  KEEL_TRY_ASSIGN(const ByteView signature, reader.prefixed(wire::Width::u16));
  out.signature.assign(signature.begin(), signature.end());
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> CertificateVerify::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::certificate_verify));
  {
    auto message = w.prefixed(wire::Width::u24);
    w.u16(static_cast<std::uint16_t>(algorithm));
    auto field = w.prefixed(wire::Width::u16);
    w.bytes(signature);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
