// Secret: bytes that must not outlive their use or leak through logs and timing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>

#include <keel/bytes.hpp>

namespace keel {

/// Overwrites bytes in a way the compiler may not optimise away.
void secure_wipe(MutableByteView bytes) noexcept;

/// Equality whose running time depends only on the lengths, never on the contents.
[[nodiscard]] bool constant_time_equal(ByteView a, ByteView b) noexcept;

/// Key material. Move-only, wiped on destruction, compared in constant time, and not
/// printable: there is no operator<<, and GoogleTest prints it as "Secret(N bytes)".
/// The size is fixed at construction, so the bytes never move (no stale copy is left behind
/// by a reallocation).
class Secret {
 public:
  Secret() = default;
  /// `size` zero bytes, to be filled through mutable_view().
  explicit Secret(std::size_t size);
  /// A copy of `bytes`.
  [[nodiscard]] static Secret copy_of(ByteView bytes);

  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret();

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] ByteView view() const noexcept { return {data_.get(), size_}; }
  [[nodiscard]] MutableByteView mutable_view() noexcept { return {data_.get(), size_}; }

  /// An explicit copy, for the rare place that must keep a secret twice.
  [[nodiscard]] Secret clone() const { return copy_of(view()); }

  /// Constant-time comparison (the lengths are not secret).
  friend bool operator==(const Secret& a, const Secret& b) noexcept {
    return constant_time_equal(a.view(), b.view());
  }

 private:
  void wipe() noexcept;

  // A fixed-size heap block, never reallocated (a std::vector could leave copies behind).
  std::unique_ptr<std::uint8_t[]> data_;  // NOLINT(*-avoid-c-arrays)
  std::size_t size_ = 0;
};

/// A secret temporary of at most N bytes that lives on the stack of one function (no heap
/// allocation on a hot path, such as HMAC's padded keys); wiped on destruction. The caller
/// checks the size against N first: a larger size is cut to N.
template <std::size_t N>
class StackSecret {
 public:
  static constexpr std::size_t kCapacity = N;

  explicit StackSecret(std::size_t size) noexcept : size_(size < N ? size : N) {}
  StackSecret(const StackSecret&) = delete;
  StackSecret& operator=(const StackSecret&) = delete;
  StackSecret(StackSecret&&) = delete;
  StackSecret& operator=(StackSecret&&) = delete;
  ~StackSecret() { secure_wipe(mutable_view()); }  // the only bytes anyone could write

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] ByteView view() const noexcept { return {bytes_.data(), size_}; }
  [[nodiscard]] MutableByteView mutable_view() noexcept { return {bytes_.data(), size_}; }

 private:
  std::array<std::uint8_t, N> bytes_{};
  std::size_t size_;
};

/// GoogleTest's printer hook: never the bytes.
void PrintTo(const Secret& secret, std::ostream* out);  // NOLINT(readability-identifier-naming)

}  // namespace keel
