// TLS 1.3 record protection (RFC 8446 §5.2–§5.4), in place or from one buffer into another:
//
//   struct {
//       opaque content[TLSPlaintext.length];
//       ContentType type;
//       uint8 zeros[length_of_padding];
//   } TLSInnerPlaintext;
//
//   struct {
//       ContentType opaque_type = application_data; /* 23 */
//       ProtocolVersion legacy_record_version = 0x0303; /* TLS v1.2 */
//       uint16 length;
//       opaque encrypted_record[TLSCiphertext.length];
//   } TLSCiphertext;
//
// The nonce is the write IV xor the 64-bit record sequence number (§5.3); the additional data
// is the record header (§5.2).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "handshake/key_schedule.hpp"
#include "record/record.hpp"

namespace keel::record {

/// A decrypted record: its real content type and its content (padding removed), a view into
/// the buffer it was decrypted into.
struct OpenedRecord {
  ContentType type = ContentType::invalid;
  MutableByteView content;
};

/// One direction's protection: a key, an IV and the sequence number.
class Protection13 {
 public:
  /// What sealing adds around the content: the inner content type and the AEAD tag (plus
  /// any padding).
  static constexpr std::size_t kOverhead = 1 + crypto::kAeadTagSize;

  /// Keys from a traffic secret (§7.3).
  [[nodiscard]] static Result<Protection13> from_secret(const crypto::Provider& provider,
                                                        const handshake::Suite13& suite,
                                                        ByteView traffic_secret);

  /// Protects one record. `record` is laid out as the record will be sent: 5 bytes for the
  /// header, content.size() bytes for the content, then room for the content type, `padding`
  /// zero bytes and the tag — record.size() == kHeaderSize + content.size() + kOverhead +
  /// padding. `content` (at most 2^14 bytes) is read from where it is: the caller's buffer, or
  /// its own place in `record` (in place).
  [[nodiscard]] Result<void> seal(ContentType type, ByteView content, MutableByteView record,
                                  std::size_t padding = 0);
  /// In place: the content is already at record[kHeaderSize .. kHeaderSize + content_size).
  [[nodiscard]] Result<void> seal(ContentType type, MutableByteView record,
                                  std::size_t content_size, std::size_t padding = 0);
  /// Decrypts `fragment` (a TLSCiphertext's encrypted_record) into `out` (fragment.size() -
  /// kAeadTagSize bytes; the fragment's own memory to work in place), with `header` as the
  /// additional data. bad_record_mac if it does not authenticate; unexpected_message if the
  /// plaintext is all zeros (§5.4); record_overflow if the content exceeds 2^14 bytes.
  [[nodiscard]] Result<OpenedRecord> open(ByteView header, ByteView fragment, MutableByteView out);
  /// In place.
  [[nodiscard]] Result<OpenedRecord> open(ByteView header, MutableByteView fragment);
  /// The sequence number of the next record.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  /// Sets it (tests of the §5.3 limit: a sequence number never wraps).
  void set_sequence(std::uint64_t sequence) noexcept { sequence_ = sequence; }

 private:
  Protection13(std::unique_ptr<crypto::Aead> aead, Secret iv)
      : aead_(std::move(aead)), iv_(std::move(iv)) {}
  /// The nonce for the current sequence number (§5.3), or limit_exceeded when it would wrap;
  /// the caller moves the sequence number on.
  [[nodiscard]] Result<std::array<std::uint8_t, crypto::kAeadNonceSize>> nonce() const;

  std::unique_ptr<crypto::Aead> aead_;
  Secret iv_;
  std::uint64_t sequence_ = 0;
};

}  // namespace keel::record
