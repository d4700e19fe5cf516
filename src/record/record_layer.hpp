// The record layer of one connection (RFC 8446 §5): bytes in, content out, and content in,
// records out — with the protection of each direction switched by the handshake.
//
// Inbound: a record that arrived whole is read where it lies in the caller's bytes; one that
// arrives in pieces is assembled by the Deframer. A protected record is opened straight into
// the caller's plaintext buffer (one pass: no copy before decryption, none after). What comes
// out is (content type, content). Rules enforced here, each a fatal error naming its alert:
//   * before protection, records must be plaintext of at most 2^14 bytes; after it, every
//     record must be application_data on the outside (§5.2), except a change_cipher_spec;
//   * change_cipher_spec is a single byte 0x01 and is dropped silently only while the
//     handshake allows it (§5: middlebox compatibility); anywhere else it is
//     unexpected_message; while the handshake runs, a plaintext alert is read too (a peer
//     that fails early may have no keys to protect it);
//   * handshake and alert records are never empty (§5.1, §5.4); empty application_data
//     records are dropped, but no more than kMaxEmptyRecords in a row (a flood defence).
// Outbound: content is cut into records of at most max_fragment() bytes (2^14, or the peer's
// record_size_limit), sealed from the caller's bytes straight into the output buffer when
// protection is on, and queued for the caller. Both buffers are freed when empty.
//
// TLS 1.2 (RFC 5246 §6.2, once the handshake calls use_tls12()): protected records carry
// their real content type outside; change_cipher_spec is a protocol message, delivered to the
// caller (the handshake switches the read keys on it) while reads are not yet protected and
// unexpected_message after; nothing unprotected is read after the key change.
#pragma once

#include <cstddef>
#include <optional>
#include <variant>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/byte_buffer.hpp"
#include "record/deframer.hpp"
#include "record/protection12.hpp"
#include "record/protection13.hpp"
#include "record/record.hpp"

namespace keel::record {

/// Where an Inbound's content is.
enum class InboundPlace : std::uint8_t {
  as_received,  // a plaintext record: in the caller's input or the layer's own buffer
  plaintext,    // opened into the end of the caller's plaintext buffer
  direct,       // opened into the start of the caller's direct buffer
};

/// One unit of inbound content, a view valid until the next call into the layer.
struct Inbound {
  ContentType type = ContentType::invalid;
  ByteView content;
  InboundPlace place = InboundPlace::as_received;
};

class RecordLayer {
 public:
  /// Consecutive empty records accepted before the peer is cut off (limit_exceeded).
  static constexpr std::size_t kMaxEmptyRecords = 32;

  /// The next unit of content from `input`, which is advanced past the bytes used; nothing
  /// once all of `input` is taken (a partial record is kept for the next call). A protected
  /// record is opened into the start of `direct` if its whole plaintext fits there (the
  /// caller's own buffer: no copy at all), else appended to `plaintext`; either way without
  /// its padding and content type.
  [[nodiscard]] Result<std::optional<Inbound>> next(ByteView& input, ByteBuffer& plaintext,
                                                    MutableByteView direct = {});

  /// Frees the inbound record buffer unless it holds part of a record.
  void release_if_idle() noexcept { deframer_.release_if_idle(); }

  /// Queues `content` as records of `type`, sealed if protection is on.
  [[nodiscard]] Result<void> write(ContentType type, ByteView content);

  /// Bytes waiting to be sent, and how the caller says it sent some.
  [[nodiscard]] ByteView pending_output() const noexcept {
    return output_.view().subspan(output_sent_);
  }
  void consume_output(std::size_t n) noexcept;

  /// Switches the protection of one direction (the handshake's key changes).
  void set_read_protection(Protection13 protection);
  void set_write_protection(Protection13 protection);
  void set_read_protection(Protection12 protection);
  void set_write_protection(Protection12 protection);
  /// Writes plaintext again (a client's second ClientHello after 0-RTT data).
  void clear_write_protection() noexcept { write_.reset(); }

  /// The TLS 1.2 record rules from now on (the handshake negotiated TLS 1.2).
  void use_tls12() noexcept { tls12_ = true; }
  [[nodiscard]] bool tls12() const noexcept { return tls12_; }
  [[nodiscard]] bool reads_protected() const noexcept { return read_.has_value(); }
  [[nodiscard]] bool writes_protected() const noexcept { return write_.has_value(); }

  /// RFC 8446 §4.2.10: a server that rejects the client's 0-RTT data skips it — records it
  /// cannot open with its read key, or, while it reads plaintext (after a HelloRetryRequest),
  /// application_data records — up to `budget` bytes in all (then bad_record_mac), until the
  /// first record that opens (or, in plaintext, is not application_data).
  void skip_early_data(std::size_t budget) noexcept {
    skipping_early_data_ = true;
    skip_budget_ = budget;
  }

  /// Whether a change_cipher_spec from the peer is dropped (true from the first ClientHello
  /// until the peer's Finished, §5) or is unexpected_message.
  void allow_change_cipher_spec(bool allowed) noexcept { ccs_allowed_ = allowed; }

  /// The largest plaintext per record this side sends (2^14 unless the peer's
  /// record_size_limit lowers it, RFC 8449 §4: the limit includes the content type byte).
  void set_max_fragment(std::size_t max) noexcept { max_fragment_ = max; }
  [[nodiscard]] std::size_t max_fragment() const noexcept { return max_fragment_; }

  /// legacy_record_version of plaintext records: 0x0303, or 0x0301 for a client's first
  /// ClientHello (§5.1 allows it "for compatibility purposes").
  void set_plaintext_version(std::uint16_t version) noexcept { plaintext_version_ = version; }

  /// Whether the peer's bytes stopped in the middle of a record.
  [[nodiscard]] bool has_partial_record() const noexcept { return deframer_.has_partial_record(); }

 private:
  /// A record from `input` if all of it is there (nothing otherwise, input untouched).
  [[nodiscard]] Result<std::optional<ReceivedRecord>> whole_record(ByteView& input) const;
  /// The next record, from `input` or assembled by the deframer.
  [[nodiscard]] Result<std::optional<ReceivedRecord>> next_record(ByteView& input);

  using Protection = std::variant<Protection13, Protection12>;

  /// TLS 1.2's change_cipher_spec, checked and handed up (TLS 1.3's is dropped).
  [[nodiscard]] Result<bool> deliver_change_cipher_spec(ByteView content) const;
  /// Drops a record of rejected 0-RTT data (see skip_early_data), counting it against the
  /// budget: bad_record_mac past it.
  [[nodiscard]] Result<void> skip(const ReceivedRecord& record);
  /// Opens `record` into the caller's buffers.
  [[nodiscard]] Result<Inbound> open(const ReceivedRecord& record, ByteBuffer& plaintext,
                                     MutableByteView direct);

  Deframer deframer_;
  std::optional<Protection> read_;
  std::optional<Protection> write_;
  bool tls12_ = false;
  bool ccs_allowed_ = false;
  bool skipping_early_data_ = false;
  std::size_t skip_budget_ = 0;
  std::size_t empty_records_ = 0;
  std::size_t max_fragment_ = kMaxPlaintext;
  std::uint16_t plaintext_version_ = 0x0303;
  ByteBuffer output_;
  std::size_t output_sent_ = 0;
};

}  // namespace keel::record
