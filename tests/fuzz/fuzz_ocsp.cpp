// Fuzzes the OCSP response parser: any input, and everything a parsed response exposes — its
// responder, its statuses, the certificates it carries — must be safe to use.
#include <cstddef>
#include <cstdint>

#include "x509/ocsp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto response = keel::x509::OcspResponse::parse(keel::ByteView(data, size));
  if (!response.ok()) {
    return 0;
  }
  if (response->responder_name()) {
    (void)response->responder_name()->to_string();
  }
  for (const auto& single : response->responses()) {
    if (single.revocation_reason) {
      (void)keel::x509::to_string(*single.revocation_reason);
    }
    (void)keel::der::format_time(single.this_update);
  }
  for (const auto& cert : response->certificates()) {
    (void)cert.describe();
    (void)keel::x509::subject_public_key_bits(cert);
  }
  return 0;
}
