// Fuzzes the CRL parser: any input, and everything a parsed CRL exposes — its description,
// serial lookups (on the sorted entries) — must be safe to use.
#include <cstddef>
#include <cstdint>

#include "x509/crl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto crl = keel::x509::Crl::parse(keel::ByteView(data, size));
  if (!crl.ok()) {
    return 0;
  }
  (void)crl->describe();
  // Looking up a prefix of the input exercises the binary search on arbitrary serials.
  const std::size_t probe = size < 21 ? size : 21;
  const auto* entry = crl->find(keel::ByteView(data, probe));
  if (entry != nullptr && entry->reason) {
    (void)keel::x509::to_string(*entry->reason);
  }
  return 0;
}
