// Reassembles handshake messages from the content of handshake records (RFC 8446 §5.1):
// a message may span records, and a record may hold several messages. Bounded: a message
// longer than the limit is refused as soon as its header is seen.
#pragma once

#include <cstddef>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/types.hpp"

namespace keel::handshake {

/// One complete handshake message. `whole` (header included, what the transcript hashes)
/// and `body` are views into the Joiner, valid until the next add() or next().
struct HandshakeMessage {
  msg::HandshakeType type{};
  ByteView body;
  ByteView whole;
};

class Joiner {
 public:
  /// keel's default bound on one handshake message: a ClientHello is at most 2^16 + 4, and
  /// a Certificate message with a long chain rarely passes 16 KiB; 64 KiB leaves room.
  static constexpr std::size_t kDefaultMaxMessage = 1U << 16U;

  explicit Joiner(std::size_t max_message = kDefaultMaxMessage) : max_message_(max_message) {}

  /// Appends the content of one handshake record.
  [[nodiscard]] Result<void> add(ByteView record_content);
  /// The next complete message, or nothing until more arrives. A message over the limit is
  /// limit_exceeded (RFC 8446 has no alert of its own for it; keel sends illegal_parameter).
  [[nodiscard]] Result<std::optional<HandshakeMessage>> next();
  /// Whether part of a message is buffered: §5.1 forbids a key change in mid-message, so the
  /// engine checks this before switching keys (unexpected_message).
  [[nodiscard]] bool has_partial_message() const noexcept { return begin_ != buffer_.size(); }
  /// Frees the buffer when every message was handed out (an idle connection keeps none).
  /// Invalidates the views of the last message.
  void release_if_idle() noexcept;

 private:
  std::size_t max_message_;
  Bytes buffer_;
  std::size_t begin_ = 0;
};

}  // namespace keel::handshake
