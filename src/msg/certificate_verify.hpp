// CertificateVerify (RFC 8446 §4.4.3):
//   struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify;
#pragma once

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

namespace keel::msg {

struct CertificateVerify {
  SignatureScheme algorithm{};
  Bytes signature;

  [[nodiscard]] static Result<CertificateVerify> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const CertificateVerify&, const CertificateVerify&) = default;
};

}  // namespace keel::msg
