#include "msg/certificate_request.hpp"

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::msg {

Result<CertificateRequest> CertificateRequest::decode(ByteView body) {
  wire::Reader reader(body);
  CertificateRequest out;
  KEEL_TRY_ASSIGN(const ByteView context, reader.prefixed(wire::Width::u8));
  out.certificate_request_context.assign(context.begin(), context.end());
  KEEL_TRY_ASSIGN(out.extensions, decode_extensions(reader, 2));
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> CertificateRequest::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::certificate_request));
  {
    auto message = w.prefixed(wire::Width::u24);
    {
      auto context = w.prefixed(wire::Width::u8);
      w.bytes(certificate_request_context);
    }
    encode_extensions(w, extensions);
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
