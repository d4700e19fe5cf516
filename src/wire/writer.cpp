#include "wire/writer.hpp"

#include <algorithm>
#include <string>

namespace keel::wire {

void Writer::uint(std::uint64_t value, Width width) {
  const auto n = static_cast<unsigned>(width);
  make_room(n);
  for (unsigned i = n; i > 0; --i) {
    out_.push_back(static_cast<std::uint8_t>(value >> (8U * (i - 1U))));
  }
}

void Writer::u24(std::uint32_t value) {
  if (value > max_value(Width::u24)) {
    fail(Error(Errc::length_overflow,
               "value " + std::to_string(value) + " does not fit in 24 bits"));
  }
  uint(value, Width::u24);
}

void Writer::fail(Error error) {
  if (!error_) {
    error_ = std::move(error);
  }
}

Result<Bytes> Writer::finish() && {
  if (open_prefixes_ != 0) {
    return Error(Errc::internal, std::to_string(open_prefixes_) + " length prefix(es) still open");
  }
  if (error_) {
    return std::move(*error_);
  }
  return std::move(out_);
}

Result<Secret> Writer::finish_secret() && {
  auto finished = std::move(*this).finish();
  if (!finished.ok()) {
    secure_wipe(out_);
    return std::move(finished).error();
  }
  Secret out = Secret::copy_of(finished.value());
  secure_wipe(finished.value());
  return out;
}

Writer::Prefix::Prefix(Writer& writer, Width width, std::size_t max)
    : writer_(&writer),
      at_(writer.out_.size()),
      max_(static_cast<std::size_t>(std::min<std::uint64_t>(max, max_value(width)))),
      width_(width) {
  writer.uint(max_value(width), width);
  ++writer.open_prefixes_;
}

void Writer::Prefix::close() {
  if (!open_) {
    return;
  }
  open_ = false;
  --writer_->open_prefixes_;
  const auto n = static_cast<std::size_t>(width_);
  const std::size_t length = writer_->out_.size() - at_ - n;
  if (length > max_) {
    writer_->fail(Error(Errc::length_overflow, "body of " + std::to_string(length) +
                                                   " bytes exceeds its limit of " +
                                                   std::to_string(max_)));
    return;  // The all-ones placeholder stays.
  }
  for (std::size_t i = 0; i < n; ++i) {
    writer_->out_[at_ + i] = static_cast<std::uint8_t>(length >> (8U * (n - 1U - i)));
  }
}

}  // namespace keel::wire
