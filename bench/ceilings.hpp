// The physical limits of the TLS benchmark's rows on this machine, measured through keel's
// crypto provider (the same libcrypto primitives both libraries call): what a TLS 1.3
// handshake would cost if it were nothing but its public-key operations, and what record
// protection would cost if it were nothing but the AEAD.
#pragma once

#include <optional>

#include "measure.hpp"
#include "tls_library.hpp"

namespace keel::bench {

/// Seconds of public-key work per full handshake, each side: the server generates an X25519
/// key share, derives the shared secret and signs its CertificateVerify; the client generates
/// its share, derives, and verifies the CertificateVerify and the signatures of the leaf and
/// the intermediate.
struct PublicKeyCost {
  double client = 0;
  double server = 0;
};

[[nodiscard]] std::optional<PublicKeyCost> public_key_cost(const ChainFiles& chain,
                                                           const Settings& settings);

/// Raw AEAD throughput at kWriteSize bytes per call, bytes per second.
struct AeadCeiling {
  double seal = 0;
  double open = 0;
};

[[nodiscard]] std::optional<AeadCeiling> aead_ceiling(Suite suite, const Settings& settings);

}  // namespace keel::bench
