// Fuzzes the certificate parser: any input, and everything a parsed certificate exposes —
// names printed, extensions walked — must be safe to use.
#include <cstddef>
#include <cstdint>

#include "x509/certificate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto cert = keel::x509::Certificate::parse(keel::ByteView(data, size));
  if (!cert.ok()) {
    return 0;
  }
  (void)cert->describe();
  (void)cert->issuer().to_string();
  (void)cert->subject().common_names();
  const auto& ext = cert->extensions();
  if (ext.subject_alt_names) {
    for (const auto& name : *ext.subject_alt_names) {
      if (name.kind == keel::x509::GeneralNameKind::directory_name) {
        auto inner = keel::der::parse_single(name.value);
        if (inner.ok()) {
          (void)keel::x509::Name::parse(*inner);
        }
      }
    }
  }
  if (ext.unknown_critical) {
    (void)keel::der::oid_to_string(*ext.unknown_critical);
  }
  return 0;
}
