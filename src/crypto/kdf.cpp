#include "crypto/kdf.hpp"

#include <algorithm>
#include <string>

#include "core/try.hpp"
#include "wire/writer.hpp"

namespace keel::crypto {
namespace {

ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

Result<Secret> hkdf_expand_label(const Provider& provider, HashAlg alg, ByteView secret,
                                 std::string_view label, ByteView context, std::size_t length) {
  constexpr std::string_view kPrefix = "tls13 ";
  // RFC 8446 §7.1: opaque label<7..255>; opaque context<0..255>; uint16 length.
  if (kPrefix.size() + label.size() > 255 || context.size() > 255 || length > 0xFFFF) {
    return Error(Errc::invalid_argument, "HKDF-Expand-Label \"" + std::string(label) +
                                             "\": label, context or length too long");
  }
  wire::Writer info;
  info.u16(static_cast<std::uint16_t>(length));
  {
    auto label_prefix = info.prefixed(wire::Width::u8);
    info.bytes(as_bytes(kPrefix));
    info.bytes(as_bytes(label));
  }
  {
    auto context_prefix = info.prefixed(wire::Width::u8);
    info.bytes(context);
  }
  KEEL_TRY_ASSIGN(const Bytes hkdf_label, std::move(info).finish());
  Secret out(length);
  KEEL_TRY(provider.hkdf_expand(alg, secret, hkdf_label, out.mutable_view()));
  return out;
}

Result<Secret> derive_secret(const Provider& provider, HashAlg alg, ByteView secret,
                             std::string_view label, ByteView transcript_hash) {
  return hkdf_expand_label(provider, alg, secret, label, transcript_hash, digest_size(alg));
}

Result<void> tls12_prf(const Provider& provider, HashAlg alg, ByteView secret,
                       std::string_view label, ByteView seed, MutableByteView out) {
  const std::size_t hash_len = digest_size(alg);
  // label_seed = label + seed; A(i) is kept in front of it so A(i) + label + seed is one buffer.
  Secret buffer(hash_len + label.size() + seed.size());
  const MutableByteView all = buffer.mutable_view();
  std::copy(label.begin(), label.end(), all.begin() + static_cast<std::ptrdiff_t>(hash_len));
  std::copy(seed.begin(), seed.end(),
            all.begin() + static_cast<std::ptrdiff_t>(hash_len + label.size()));
  const ByteView label_seed = all.subspan(hash_len);

  KEEL_TRY_ASSIGN(Digest a, provider.hmac(alg, secret, label_seed));  // A(1)
  std::size_t written = 0;
  while (written < out.size()) {
    std::copy(a.view().begin(), a.view().end(), all.begin());
    KEEL_TRY_ASSIGN(Digest block, provider.hmac(alg, secret, all));  // HMAC(A(i) + seed)
    const std::size_t take = std::min(hash_len, out.size() - written);
    std::copy_n(block.view().begin(), take, out.begin() + static_cast<std::ptrdiff_t>(written));
    secure_wipe(block.mutable_view());
    written += take;
    if (written < out.size()) {
      KEEL_TRY_ASSIGN(Digest next, provider.hmac(alg, secret, a.view()));  // A(i+1)
      secure_wipe(a.mutable_view());
      a = next;
      secure_wipe(next.mutable_view());
    }
  }
  secure_wipe(a.mutable_view());
  return ok();
}

}  // namespace keel::crypto
