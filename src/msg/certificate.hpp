// Certificate (RFC 8446 §4.4.2):
//   struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; } CertificateEntry;
//   struct { opaque certificate_request_context<0..2^8-1>;
//            CertificateEntry certificate_list<0..2^24-1>; } Certificate;
// keel speaks X.509 certificates only (no raw public keys, RFC 7250).
#pragma once

#include <vector>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/extension.hpp"

namespace keel::msg {

struct CertificateEntry {
  Bytes cert_data;  // DER
  Extensions extensions;
  friend bool operator==(const CertificateEntry&, const CertificateEntry&) = default;
};

struct CertificateMessage {
  /// Limit (docs/design.md, rule 7): a peer sends its certificate and a few intermediates.
  static constexpr std::size_t kMaxEntries = 32;

  Bytes certificate_request_context;
  std::vector<CertificateEntry> certificate_list;

  [[nodiscard]] static Result<CertificateMessage> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const CertificateMessage&, const CertificateMessage&) = default;
};

}  // namespace keel::msg
