#include "msg/certificate.hpp"

#include <string>

#include "core/try.hpp"
#include "msg/types.hpp"

namespace keel::msg {

using wire::Width;

Result<CertificateMessage> CertificateMessage::decode(ByteView body) {
  wire::Reader reader(body);
  CertificateMessage out;
  KEEL_TRY_ASSIGN(const ByteView context, reader.prefixed(Width::u8));
  out.certificate_request_context.assign(context.begin(), context.end());
  KEEL_TRY_ASSIGN(wire::Reader list, reader.sub(Width::u24));
  while (!list.empty()) {
    if (out.certificate_list.size() == kMaxEntries) {
      return Error(Errc::limit_exceeded,
                   "Certificate with more than " + std::to_string(kMaxEntries) + " entries");
    }
    CertificateEntry entry;
    KEEL_TRY_ASSIGN(const ByteView cert, list.prefixed(Width::u24, 1));
    entry.cert_data.assign(cert.begin(), cert.end());
    KEEL_TRY_ASSIGN(entry.extensions, decode_extensions(list));
    out.certificate_list.push_back(std::move(entry));
  }
  KEEL_TRY(reader.expect_empty());
  return out;
}

Result<Bytes> CertificateMessage::encode() const {
  wire::Writer w;
  w.u8(static_cast<std::uint8_t>(HandshakeType::certificate));
  {
    auto message = w.prefixed(Width::u24);
    {
      auto context = w.prefixed(Width::u8);
      w.bytes(certificate_request_context);
    }
    auto list = w.prefixed(Width::u24);
    for (const auto& entry : certificate_list) {
      {
        auto cert = w.prefixed(Width::u24);
        w.bytes(entry.cert_data);
      }
      encode_extensions(w, entry.extensions);
    }
  }
  return std::move(w).finish();
}

}  // namespace keel::msg
