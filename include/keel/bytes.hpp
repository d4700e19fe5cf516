// Byte buffers as keel's API passes them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace keel {

/// An owned, growable byte string.
using Bytes = std::vector<std::uint8_t>;

/// A read-only view of bytes someone else owns.
using ByteView = std::span<const std::uint8_t>;

/// A writable view of bytes someone else owns.
using MutableByteView = std::span<std::uint8_t>;

}  // namespace keel
