// CertificateRequest (RFC 8446 §4.3.2):
//   struct { opaque certificate_request_context<0..2^8-1>;
//            Extension extensions<2..2^16-1>; } CertificateRequest;
#pragma once

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/extension.hpp"

namespace keel::msg {

struct CertificateRequest {
  Bytes certificate_request_context;
  Extensions extensions;  // signature_algorithms is required (checked by the client)

  [[nodiscard]] static Result<CertificateRequest> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const CertificateRequest&, const CertificateRequest&) = default;
};

}  // namespace keel::msg
