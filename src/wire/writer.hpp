// wire::Writer: the only way keel builds wire data. Length prefixes are written by a guard
// that patches the real length when it closes (docs/design.md, rule 2).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "wire/reader.hpp"  // Width

namespace keel::wire {

/// Appends big-endian integers and byte strings to a buffer.
class Writer {
 public:
  Writer() = default;
  /// Continues after the bytes already in `initial` (e.g. a record header).
  explicit Writer(Bytes initial) : out_(std::move(initial)) {}

  void u8(std::uint8_t value) { uint(value, Width::u8); }
  void u16(std::uint16_t value) { uint(value, Width::u16); }
  /// Only the low 24 bits may be set; a larger value makes finish() fail.
  void u24(std::uint32_t value);
  void u32(std::uint32_t value) { uint(value, Width::u32); }
  void bytes(ByteView data) {
    make_room(data.size());
    out_.insert(out_.end(), data.begin(), data.end());
  }

  /// A length prefix for the bytes written while it is open. It writes an all-ones
  /// placeholder at once — so a length that is never patched can never read back as a smaller
  /// valid one — and patches the real length when it is closed or destroyed. A body longer
  /// than `max` (by default the largest the width can hold) makes finish() fail.
  class Prefix {
   public:
    Prefix(const Prefix&) = delete;
    Prefix& operator=(const Prefix&) = delete;
    Prefix(Prefix&& other) = delete;
    Prefix& operator=(Prefix&&) = delete;
    ~Prefix() { close(); }

    /// Patches the length now. Idempotent.
    void close();

   private:
    friend class Writer;
    Prefix(Writer& writer, Width width, std::size_t max);

    Writer* writer_;
    std::size_t at_;
    std::size_t max_;
    Width width_;
    bool open_ = true;
  };

  /// Opens a length prefix: `{ auto p = w.prefixed(Width::u16); w.bytes(...); }`.
  [[nodiscard]] Prefix prefixed(Width width, std::size_t max = SIZE_MAX) {
    return {*this, width, max};
  }

  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }

  /// The bytes written, or the first encoding error (a length that did not fit, a prefix
  /// still open).
  [[nodiscard]] Result<Bytes> finish() &&;
  /// finish() for secret bytes (a session's state): copied into a Secret, the writer's
  /// buffer wiped whether or not it succeeds.
  [[nodiscard]] Result<Secret> finish_secret() &&;

 private:
  void uint(std::uint64_t value, Width width);
  void fail(Error error);
  /// Grows the buffer for `more` bytes: at least kFirstCapacity, then by doubling — a
  /// message written a byte at a time would otherwise reallocate for every few bytes at
  /// the start.
  void make_room(std::size_t more) {
    if (out_.capacity() - out_.size() < more) {
      out_.reserve(std::max({kFirstCapacity, 2 * out_.capacity(), out_.size() + more}));
    }
  }

  static constexpr std::size_t kFirstCapacity = 128;

  Bytes out_;
  std::size_t open_prefixes_ = 0;
  std::optional<Error> error_;
};

}  // namespace keel::wire
