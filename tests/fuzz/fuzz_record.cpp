// Fuzzes the record layer: arbitrary bytes through the deframer, in arbitrary chunk sizes,
// and every record it yields opened with a fixed TLS 1.3 key and a fixed TLS 1.2 AES-GCM key.
// Nothing may crash, the deframer never takes bytes past the record it assembles, and it always
// makes progress.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "record/deframer.hpp"
#include "record/protection12.hpp"
#include "record/protection13.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t chunk = 1 + data[0] % 64;  // the first byte picks the feed size
  keel::ByteView input(data + 1, size - 1);
  keel::record::Deframer deframer;
  deframer.set_max_fragment(keel::record::kMaxCiphertext13);
  const auto suite = *keel::handshake::tls13_suite(keel::CipherSuite::TLS_AES_128_GCM_SHA256);
  const keel::Bytes secret(32, 0x42);
  auto protection =
      keel::record::Protection13::from_secret(keel::crypto::default_provider(), suite, secret);
  const keel::Bytes key12(16, 0x24);
  const keel::Bytes iv12(4, 0x12);
  auto protection12 = keel::record::Protection12::make(
      keel::crypto::default_provider(), keel::crypto::AeadAlg::aes_128_gcm, key12, iv12);
  if (!protection.ok() || !protection12.ok()) {
    std::abort();
  }
  while (!input.empty()) {
    const std::size_t fed = deframer.feed(input.first(std::min(chunk, input.size())));
    input = input.subspan(fed);
    while (true) {
      auto record = deframer.next();
      if (!record.ok()) {
        return 0;  // a fatal record error ends the connection
      }
      if (!*record) {
        break;
      }
      const keel::ByteView fragment = (*record)->fragment;
      if (fragment.size() > keel::record::kMaxCiphertext13) {
        std::abort();
      }
      keel::Bytes opened(fragment.size() > 16 ? fragment.size() - 16 : 0);
      (void)protection->open((*record)->header, fragment, opened);
      if (fragment.size() >= protection12->overhead()) {
        keel::Bytes opened12(fragment.size() - protection12->overhead());
        (void)protection12->open((*record)->header, fragment, opened12);
      }
    }
    if (fed == 0) {
      std::abort();  // a complete record is always taken out above, so bytes always fit
    }
  }
  return 0;
}
