// EncryptedExtensions (RFC 8446 §4.3.1): Extension extensions<0..2^16-1>.
#pragma once

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "msg/extension.hpp"

namespace keel::msg {

struct EncryptedExtensions {
  Extensions extensions;

  [[nodiscard]] static Result<EncryptedExtensions> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const EncryptedExtensions&, const EncryptedExtensions&) = default;
};

}  // namespace keel::msg
