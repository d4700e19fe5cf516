#include <keel/keel.hpp>

#include "crypto/provider.hpp"

namespace keel {

std::string crypto_backend() {
  return crypto::default_provider().name();
}

}  // namespace keel
