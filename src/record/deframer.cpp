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

Result<std::size_t> Deframer::fragment_length(ByteView header, std::size_t max_fragment) {
  if (!known_type(header[0])) {
    return Error(Errc::unexpected_message,
                 "record of unknown content type " + std::to_string(header[0]));
  }
  const std::size_t length = (std::size_t{header[3]} << 8U) | header[4];
  if (length > max_fragment) {
    return Error(Errc::record_overflow, "record of " + std::to_string(length) + " bytes, at most " +
                                            std::to_string(max_fragment) + " allowed");
  }
  return length;
}

void Deframer::start_next_record() noexcept {
  if (taken_) {
    header_filled_ = 0;
    length_.reset();
    fragment_.truncate(0);
    taken_ = false;
  }
}

std::size_t Deframer::feed(ByteView bytes) {
  start_next_record();
  std::size_t taken = 0;
  if (header_filled_ < kHeaderSize) {
    taken = std::min(bytes.size(), kHeaderSize - header_filled_);
    std::copy_n(bytes.begin(), taken,
                header_.begin() + static_cast<std::ptrdiff_t>(header_filled_));
    header_filled_ += taken;
    bytes = bytes.subspan(taken);
    if (header_filled_ < kHeaderSize) {
      return taken;
    }
    auto length = fragment_length(header_, max_fragment_);
    if (!length.ok()) {
      return taken;  // next() reports it
    }
    length_ = *length;
    fragment_.reserve(*length_);
  }
  if (!length_) {
    return taken;
  }
  const std::size_t more = std::min(bytes.size(), *length_ - fragment_.size());
  fragment_.append(bytes.first(more));
  return taken + more;
}

Result<std::optional<ReceivedRecord>> Deframer::next() {
  start_next_record();
  if (header_filled_ < kHeaderSize) {
    return std::optional<ReceivedRecord>();
  }
  if (!length_) {
    return fragment_length(header_, max_fragment_).error();
  }
  if (fragment_.size() < *length_) {
    return std::optional<ReceivedRecord>();
  }
  taken_ = true;
  return std::optional<ReceivedRecord>(
      ReceivedRecord{static_cast<ContentType>(header_[0]), ByteView(header_), fragment_.view()});
}

void Deframer::release_if_idle() noexcept {
  if (!has_partial_record()) {
    start_next_record();
    header_filled_ = 0;
    length_.reset();
    fragment_.release();
  }
}

}  // namespace keel::record
