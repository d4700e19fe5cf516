// Randomness as an injected dependency (docs/design.md, rule 5): every random byte keel uses —
// hello randoms, ephemeral private keys, padding — is drawn through this interface, so tests
// can replay RFC 8448 with the RFC's own values.
#pragma once

#include <keel/bytes.hpp>
#include <keel/result.hpp>

namespace keel {

class Rng {
 public:
  virtual ~Rng() = default;
  /// Fills `out` with random bytes, or fails (the caller must not use `out` then).
  [[nodiscard]] virtual Result<void> fill(MutableByteView out) = 0;
};

}  // namespace keel
