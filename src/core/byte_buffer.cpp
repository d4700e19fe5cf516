#include "core/byte_buffer.hpp"

#include <algorithm>

namespace keel {

void ByteBuffer::reserve(std::size_t capacity) {
  if (capacity > capacity_) {
    auto bigger =
        std::make_unique_for_overwrite<std::uint8_t[]>(capacity);  // NOLINT(*-avoid-c-arrays)
    std::copy_n(data_.get(), size_, bigger.get());
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
}

void ByteBuffer::reserve_more(std::size_t n) {
  if (n > capacity_ - size_) {
    // The first allocation is exactly what is asked.
    reserve(std::max(size_ + n, capacity_ * 2));
  }
}

MutableByteView ByteBuffer::grow(std::size_t n) {
  reserve_more(n);
  const MutableByteView added(data_.get() + size_, n);
  size_ += n;
  return added;
}

void ByteBuffer::append(ByteView bytes) {
  const MutableByteView to = grow(bytes.size());
  std::copy(bytes.begin(), bytes.end(), to.begin());
}

void ByteBuffer::release() noexcept {
  data_.reset();
  size_ = 0;
  capacity_ = 0;
}

}  // namespace keel
