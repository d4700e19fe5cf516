#include "core/secret.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

#include <string.h>  // NOLINT(modernize-deprecated-headers): explicit_bzero is glibc's, not <cstring>'s

namespace keel {

void secure_wipe(MutableByteView bytes) noexcept {
  if (!bytes.empty()) {
    explicit_bzero(bytes.data(), bytes.size());
  }
}

bool constant_time_equal(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  // Accumulate every difference; no early exit. `volatile` keeps the loop from being turned
  // into a short-circuiting memcmp.
  volatile std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
  }
  return diff == 0;
}

Secret::Secret(std::size_t size)
    : data_(size == 0 ? nullptr
                      : std::make_unique<std::uint8_t[]>(size)),  // NOLINT(*-avoid-c-arrays)
      size_(size) {}

Secret Secret::copy_of(ByteView bytes) {
  Secret secret(bytes.size());
  std::copy(bytes.begin(), bytes.end(), secret.mutable_view().begin());
  return secret;
}

Secret::Secret(Secret&& other) noexcept
    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Secret::~Secret() {
  wipe();
}

void Secret::wipe() noexcept {
  secure_wipe(mutable_view());
  data_.reset();
  size_ = 0;
}

void PrintTo(const Secret& secret, std::ostream* out) {
  *out << "Secret(" << secret.size() << " bytes)";
}

}  // namespace keel
