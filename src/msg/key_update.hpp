// KeyUpdate (RFC 8446 §4.6.3) and EndOfEarlyData (§4.5), the two small post-hello messages.
#pragma once

#include <cstdint>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel::msg {

struct KeyUpdate {
  bool update_requested = false;

  /// §4.6.3: a value other than update_not_requested(0) or update_requested(1) is
  /// illegal_parameter.
  [[nodiscard]] static Result<KeyUpdate> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const KeyUpdate&, const KeyUpdate&) = default;
};

struct EndOfEarlyData {
  /// The body must be empty.
  [[nodiscard]] static Result<EndOfEarlyData> decode(ByteView body);
  /// Its whole encoding: a header with length 0.
  [[nodiscard]] static Result<Bytes> encode();
};

}  // namespace keel::msg
