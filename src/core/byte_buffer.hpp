// A growable byte buffer for the data path: it does not zero what it grows by (the caller
// fills it at once: a record sealed into it, a record opened into it), and release() gives
// its memory back, so an idle connection holds none (docs/design.md, performance design).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <keel/bytes.hpp>

namespace keel {

class ByteBuffer {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] ByteView view() const noexcept { return {data_.get(), size_}; }
  [[nodiscard]] MutableByteView mutable_view() noexcept { return {data_.get(), size_}; }

  /// Adds `n` bytes at the end, left for the caller to write, and returns them. Views taken
  /// before may be invalidated (the buffer may move).
  [[nodiscard]] MutableByteView grow(std::size_t n);
  void append(ByteView bytes);
  /// Makes room for `capacity` bytes in all, so that growing to it does not move the buffer.
  void reserve(std::size_t capacity);
  /// Makes room for `n` more bytes, at least doubling the capacity if it must grow (so that
  /// many small calls cost amortised O(1) each).
  void reserve_more(std::size_t n);
  /// Keeps the first `size` bytes (size <= size()).
  void truncate(std::size_t size) noexcept { size_ = size < size_ ? size : size_; }
  /// Empties the buffer and frees its memory.
  void release() noexcept;

 private:
  // Not a vector: a vector zeroes every byte it grows by.
  std::unique_ptr<std::uint8_t[]> data_;  // NOLINT(*-avoid-c-arrays)
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace keel
