#include "wire/reader.hpp"

#include <string>

#include "core/try.hpp"

namespace keel::wire {
namespace {

Error truncated(std::size_t wanted, std::size_t left) {
  return Error(Errc::truncated,
               "need " + std::to_string(wanted) + " bytes, " + std::to_string(left) + " left");
}

}  // namespace

Result<std::uint64_t> Reader::uint(Width width) {
  const auto n = static_cast<std::size_t>(width);
  if (remaining() < n) {
    return truncated(n, remaining());
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    value = (value << 8U) | data_[pos_ + i];
  }
  pos_ += n;
  return value;
}

Result<std::uint8_t> Reader::u8() {
  KEEL_TRY_ASSIGN(const auto value, uint(Width::u8));
  return static_cast<std::uint8_t>(value);
}

Result<std::uint16_t> Reader::u16() {
  KEEL_TRY_ASSIGN(const auto value, uint(Width::u16));
  return static_cast<std::uint16_t>(value);
}

Result<std::uint32_t> Reader::u24() {
  KEEL_TRY_ASSIGN(const auto value, uint(Width::u24));
  return static_cast<std::uint32_t>(value);
}

Result<std::uint32_t> Reader::u32() {
  KEEL_TRY_ASSIGN(const auto value, uint(Width::u32));
  return static_cast<std::uint32_t>(value);
}

Result<ByteView> Reader::bytes(std::size_t n) {
  if (remaining() < n) {
    return truncated(n, remaining());
  }
  const ByteView out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<ByteView> Reader::prefixed(Width width, std::size_t min, std::size_t max) {
  const std::size_t start = pos_;
  KEEL_TRY_ASSIGN(const auto length, uint(width));
  if (length < min || length > max) {
    pos_ = start;
    return Error(Errc::length_out_of_range, "length " + std::to_string(length) + " outside <" +
                                                std::to_string(min) + ".." + std::to_string(max) +
                                                ">");
  }
  auto body = bytes(static_cast<std::size_t>(length));
  if (!body.ok()) {
    pos_ = start;
  }
  return body;
}

Result<Reader> Reader::sub(Width width, std::size_t min, std::size_t max) {
  KEEL_TRY_ASSIGN(const auto body, prefixed(width, min, max));
  return Reader(body);
}

Result<void> Reader::expect_empty() const {
  if (!empty()) {
    return Error(Errc::trailing_data, std::to_string(remaining()) + " bytes left unread");
  }
  return ok();
}

}  // namespace keel::wire
