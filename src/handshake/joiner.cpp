#include "handshake/joiner.hpp"

#include <string>

namespace keel::handshake {
namespace {

constexpr std::size_t kHeaderSize = 4;  // msg_type (1) || length (3)
constexpr std::size_t kMaxRecordContent = 1U << 14U;

}  // namespace

Result<void> Joiner::add(ByteView record_content) {
  if (begin_ > 0) {  // drop what was handed out
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(begin_));
    begin_ = 0;
  }
  // At most one partial message (itself bounded by next()) and one record's content.
  if (buffer_.size() + record_content.size() > max_message_ + kHeaderSize + kMaxRecordContent) {
    return Error(Errc::limit_exceeded, "handshake data buffered past one maximal message");
  }
  buffer_.insert(buffer_.end(), record_content.begin(), record_content.end());
  return ok();
}

void Joiner::release_if_idle() noexcept {
  if (begin_ == buffer_.size()) {
    buffer_ = Bytes();
    begin_ = 0;
  }
}

Result<std::optional<HandshakeMessage>> Joiner::next() {
  const std::size_t available = buffer_.size() - begin_;
  if (available < kHeaderSize) {
    return std::optional<HandshakeMessage>();
  }
  const std::uint8_t* header = buffer_.data() + begin_;
  const std::size_t length =
      (std::size_t{header[1]} << 16U) | (std::size_t{header[2]} << 8U) | header[3];
  if (length > max_message_) {
    return Error(Errc::limit_exceeded, "handshake message of " + std::to_string(length) +
                                           " bytes, at most " + std::to_string(max_message_) +
                                           " accepted");
  }
  if (available < kHeaderSize + length) {
    return std::optional<HandshakeMessage>();
  }
  HandshakeMessage message{static_cast<msg::HandshakeType>(header[0]),
                           ByteView(header + kHeaderSize, length),
                           ByteView(header, kHeaderSize + length)};
  begin_ += kHeaderSize + length;
  return std::optional<HandshakeMessage>(message);
}

}  // namespace keel::handshake
