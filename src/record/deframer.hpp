// Cuts the incoming byte stream into records (RFC 8446 §5.1, RFC 5246 §6.2.1), in one
// bounded buffer that the records are then decrypted in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "record/record.hpp"

namespace keel::record {

/// One record as received. The views point into the Deframer's buffer and stay valid until
/// the next feed() or next().
struct ReceivedRecord {
  ContentType type = ContentType::invalid;
  ByteView header;           // the 5 bytes, the AEAD's additional data in TLS 1.3
  MutableByteView fragment;  // decrypted in place
};

class Deframer {
 public:
  /// The buffer holds one record of the largest size keel accepts, header included; it is
  /// allocated on the first feed() and released when empty (release_if_idle()).
  static constexpr std::size_t kCapacity = kHeaderSize + kMaxCiphertext12;

  /// Copies in as many of `bytes` as fit and returns how many that was. The caller takes
  /// records out with next() and feeds the rest.
  [[nodiscard]] std::size_t feed(ByteView bytes);

  /// The next complete record, or nothing if more bytes are needed. A record type TLS does
  /// not define is unexpected_message (§5); a fragment longer than max_fragment() is
  /// record_overflow (§5.1, §5.2). legacy_record_version is ignored, as §5.1 requires.
  [[nodiscard]] Result<std::optional<ReceivedRecord>> next();

  /// The longest fragment accepted: 2^14 for plaintext records (the default), 2^14 + 256 once
  /// TLS 1.3 records are protected, 2^14 + 2048 for TLS 1.2.
  void set_max_fragment(std::size_t max) noexcept { max_fragment_ = max; }
  [[nodiscard]] std::size_t max_fragment() const noexcept { return max_fragment_; }

  /// Whether part of a record is buffered: a stream that ends now is truncated mid-record.
  [[nodiscard]] bool has_partial_record() const noexcept { return end_ != begin_; }

  /// Frees the buffer if it holds nothing (an idle connection keeps no record buffer).
  void release_if_idle() noexcept;

 private:
  Bytes buffer_;
  std::size_t begin_ = 0;  // first unread byte
  std::size_t end_ = 0;    // one past the last byte fed
  std::size_t max_fragment_ = kMaxPlaintext;
};

}  // namespace keel::record
