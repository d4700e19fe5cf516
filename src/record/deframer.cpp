#include "record/deframer.hpp"

#include <algorithm>
#include <string>

namespace keel::record {
namespace {

bool known_type(std::uint8_t type) {
  return type >= static_cast<std::uint8_t>(ContentType::change_cipher_spec) &&
         type <= static_cast<std::uint8_t>(ContentType::application_data);
}

}  // namespace

std::size_t Deframer::feed(ByteView bytes) {
  if (buffer_.empty()) {
    buffer_.resize(kCapacity);
  }
  if (begin_ > 0) {  // move the partial record to the front: at most one record's bytes
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
              buffer_.begin() + static_cast<std::ptrdiff_t>(end_), buffer_.begin());
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t taken = std::min(bytes.size(), kCapacity - end_);
  std::copy_n(bytes.begin(), taken, buffer_.begin() + static_cast<std::ptrdiff_t>(end_));
  end_ += taken;
  return taken;
}

Result<std::optional<ReceivedRecord>> Deframer::next() {
  const std::size_t available = end_ - begin_;
  if (available < kHeaderSize) {
    return std::optional<ReceivedRecord>();
  }
  const std::uint8_t* header = buffer_.data() + begin_;
  if (!known_type(header[0])) {
    return Error(Errc::unexpected_message,
                 "record of unknown content type " + std::to_string(header[0]));
  }
  const std::size_t length = (std::size_t{header[3]} << 8U) | header[4];
  if (length > max_fragment_) {
    return Error(Errc::record_overflow, "record of " + std::to_string(length) + " bytes, at most " +
                                            std::to_string(max_fragment_) + " allowed");
  }
  if (available < kHeaderSize + length) {
    return std::optional<ReceivedRecord>();
  }
  ReceivedRecord record{static_cast<ContentType>(header[0]), ByteView(header, kHeaderSize),
                        MutableByteView(buffer_.data() + begin_ + kHeaderSize, length)};
  begin_ += kHeaderSize + length;
  return std::optional<ReceivedRecord>(record);
}

void Deframer::release_if_idle() noexcept {
  if (begin_ == end_) {
    buffer_ = Bytes();
    begin_ = end_ = 0;
  }
}

}  // namespace keel::record
