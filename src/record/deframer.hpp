// Cuts the incoming byte stream into records (RFC 8446 §5.1, RFC 5246 §6.2.1) when they arrive
// in pieces. (A record that arrives whole is read where it lies; see RecordLayer.) It holds at
// most one record, in a buffer of exactly that record's size, allocated when its header
// arrives and released when the connection goes idle.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/byte_buffer.hpp"
#include "record/record.hpp"

namespace keel::record {

/// One record as received. The views stay valid until the next feed() or next() of the
/// Deframer it came from (or as long as the caller's bytes, for a record read in place).
struct ReceivedRecord {
  ContentType type = ContentType::invalid;
  ByteView header;    // the 5 bytes, the AEAD's additional data in TLS 1.3
  ByteView fragment;  // as received: opened into another buffer
};

class Deframer {
 public:
  /// The length of the fragment announced by a record header, if the header is acceptable: a
  /// type TLS does not define is unexpected_message (§5); a fragment longer than
  /// `max_fragment` is record_overflow (§5.1, §5.2). legacy_record_version is ignored, as
  /// §5.1 requires.
  [[nodiscard]] static Result<std::size_t> fragment_length(ByteView header,
                                                           std::size_t max_fragment);

  /// Copies in what `bytes` add to the record being assembled — its header, then its
  /// fragment, never more — and returns how many bytes that was. The caller takes the record
  /// out with next() and feeds the rest.
  [[nodiscard]] std::size_t feed(ByteView bytes);

  /// The record, once complete; nothing if more bytes are needed; an error for an
  /// unacceptable header (see fragment_length()) as soon as the header is in.
  [[nodiscard]] Result<std::optional<ReceivedRecord>> next();

  /// The longest fragment accepted: 2^14 for plaintext records (the default), 2^14 + 256 once
  /// TLS 1.3 records are protected, 2^14 + 2048 for TLS 1.2.
  void set_max_fragment(std::size_t max) noexcept { max_fragment_ = max; }
  [[nodiscard]] std::size_t max_fragment() const noexcept { return max_fragment_; }

  /// Whether part of a record is buffered: a stream that ends now is truncated mid-record.
  [[nodiscard]] bool has_partial_record() const noexcept { return header_filled_ > 0 && !taken_; }

  /// Frees the buffer if it holds no partial record (an idle connection keeps no record
  /// buffer).
  void release_if_idle() noexcept;

 private:
  /// Forgets a record already taken out, so the next one starts.
  void start_next_record() noexcept;

  std::array<std::uint8_t, kHeaderSize> header_{};
  std::size_t header_filled_ = 0;
  std::optional<std::size_t> length_;  // known once the header is in and acceptable
  ByteBuffer fragment_;
  bool taken_ = false;  // next() returned the record; its views are still in use
  std::size_t max_fragment_ = kMaxPlaintext;
};

}  // namespace keel::record
