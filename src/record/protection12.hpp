// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3), for the three AEADs keel negotiates:
//
//   struct {
//       opaque nonce_explicit[SecurityParameters.record_iv_length];
//       aead-ciphered struct { opaque content[TLSCompressed.length]; };
//   } GenericAEADCipher;
//
//   additional_data = seq_num + TLSCompressed.type + TLSCompressed.version +
//                     TLSCompressed.length;
//
// AES-GCM (RFC 5288 §3): the nonce is the 4-byte implicit salt (the key block's write IV)
// followed by an 8-byte explicit part carried in the record; keel sends the sequence number
// there, as the RFC suggests, and reads the peer's from the record. ChaCha20-Poly1305 (RFC
// 7905 §2) carries no explicit part: the nonce is the 12-byte write IV xor the padded
// sequence number, as in TLS 1.3.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "record/record.hpp"

namespace keel::record {

/// One direction's TLS 1.2 protection: a key, the fixed IV and the sequence number.
class Protection12 {
 public:
  /// RFC 5288 §3: record_iv_length for AES-GCM.
  static constexpr std::size_t kExplicitNonceSize = 8;
  /// RFC 5288 §3: fixed_iv_length 4 (the salt) for AES-GCM; RFC 7905 §2: 12 for ChaCha20.
  [[nodiscard]] static constexpr std::size_t fixed_iv_size(crypto::AeadAlg alg) noexcept {
    return alg == crypto::AeadAlg::chacha20_poly1305 ? crypto::kAeadNonceSize
                                                     : crypto::kAeadNonceSize - kExplicitNonceSize;
  }

  /// `key` and `fixed_iv` from the key block (handshake/key_schedule12.hpp).
  [[nodiscard]] static Result<Protection12> make(const crypto::Provider& provider,
                                                 crypto::AeadAlg alg, ByteView key,
                                                 ByteView fixed_iv);

  /// What sealing adds around the content: the explicit nonce (AES-GCM) and the tag.
  [[nodiscard]] std::size_t overhead() const noexcept {
    return explicit_nonce_size() + crypto::kAeadTagSize;
  }

  /// Protects one record of `type`. `record` is laid out as it will be sent: the 5-byte
  /// header, then exactly content.size() + overhead() bytes. `content` (at most 2^14 bytes)
  /// is read from where it is, which may be its own place in `record` after the explicit
  /// nonce.
  [[nodiscard]] Result<void> seal(ContentType type, ByteView content, MutableByteView record);
  /// Decrypts `fragment` (a record's body) into `out` (fragment.size() - overhead() bytes;
  /// the fragment's own memory after the explicit nonce to work in place), with the
  /// record's type and version from `header`. bad_record_mac if it does not authenticate.
  [[nodiscard]] Result<MutableByteView> open(ByteView header, ByteView fragment,
                                             MutableByteView out);
  /// The sequence number of the next record.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  void set_sequence(std::uint64_t sequence) noexcept { sequence_ = sequence; }

 private:
  Protection12(std::unique_ptr<crypto::Aead> aead, crypto::AeadAlg alg, Secret fixed_iv)
      : aead_(std::move(aead)), alg_(alg), fixed_iv_(std::move(fixed_iv)) {}

  [[nodiscard]] std::size_t explicit_nonce_size() const noexcept {
    return alg_ == crypto::AeadAlg::chacha20_poly1305 ? 0 : kExplicitNonceSize;
  }
  /// The sequence number to use now, or limit_exceeded when it would wrap (RFC 5246 §6.1).
  [[nodiscard]] Result<std::uint64_t> next_sequence();
  /// The nonce for `sequence` and, for AES-GCM, the explicit part it carries.
  [[nodiscard]] std::array<std::uint8_t, crypto::kAeadNonceSize> nonce(
      std::uint64_t sequence, ByteView explicit_part) const;

  std::unique_ptr<crypto::Aead> aead_;
  crypto::AeadAlg alg_;
  Secret fixed_iv_;
  std::uint64_t sequence_ = 0;
};

}  // namespace keel::record
