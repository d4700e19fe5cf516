// wire::Reader: the only way keel reads wire data. Every read is bounds-checked and fails
// with a precise error instead of reading past the end (docs/design.md, rule 2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::wire {

/// The width of a length prefix or integer, in bytes.
enum class Width : std::uint8_t { u8 = 1, u16 = 2, u24 = 3, u32 = 4 };

/// The largest value a field of `width` can hold.
[[nodiscard]] constexpr std::uint64_t max_value(Width width) noexcept {
  return (std::uint64_t{1} << (8U * static_cast<unsigned>(width))) - 1U;
}

/// A cursor over bytes it does not own. Reads advance the cursor; a failed read leaves it
/// where it was.
class Reader {
 public:
  explicit Reader(ByteView data) noexcept : data_(data) {}

  [[nodiscard]] Result<std::uint8_t> u8();
  [[nodiscard]] Result<std::uint16_t> u16();
  [[nodiscard]] Result<std::uint32_t> u24();
  [[nodiscard]] Result<std::uint32_t> u32();

  /// The next `n` bytes.
  [[nodiscard]] Result<ByteView> bytes(std::size_t n);

  /// A length prefix of `width`, then that many bytes: the body of a TLS vector
  /// `opaque x<min..max>`. A length outside [min, max] is length_out_of_range.
  [[nodiscard]] Result<ByteView> prefixed(Width width, std::size_t min = 0,
                                          std::size_t max = SIZE_MAX);

  /// Like prefixed(), as a Reader over the body, for vectors of structures.
  [[nodiscard]] Result<Reader> sub(Width width, std::size_t min = 0, std::size_t max = SIZE_MAX);

  /// Succeeds only if every byte has been read (else trailing_data).
  [[nodiscard]] Result<void> expect_empty() const;

  [[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }
  [[nodiscard]] bool empty() const noexcept { return remaining() == 0; }
  /// The bytes not read yet (does not advance).
  [[nodiscard]] ByteView rest() const noexcept { return data_.subspan(pos_); }

 private:
  [[nodiscard]] Result<std::uint64_t> uint(Width width);

  ByteView data_;
  std::size_t pos_ = 0;
};

}  // namespace keel::wire
