// Finished (RFC 8446 §4.4.4): opaque verify_data[Hash.length].
#pragma once

#include <cstddef>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::msg {

struct Finished {
  Bytes verify_data;

  /// The body must be exactly `hash_size` bytes (decode_error otherwise).
  [[nodiscard]] static Result<Finished> decode(ByteView body, std::size_t hash_size);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const Finished&, const Finished&) = default;
};

}  // namespace keel::msg
