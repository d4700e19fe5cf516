// The physical limits of the TLS benchmark's rows on this machine, measured through keel's
// crypto provider (the same libcrypto primitives both libraries call): what a TLS 1.3
// handshake would cost if it were nothing but its public-key operations, and what record
// protection would cost if it were nothing but the AEAD. Each is measured one repetition at a
// time, alternating with the rows it bounds, so that a machine whose speed drifts during the
// run moves both alike.
#pragma once

#include <memory>
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

/// Times the public-key operations of a handshake with `chain`'s keys.
class PublicKeyCeiling {
 public:
  [[nodiscard]] static std::optional<PublicKeyCeiling> make(const ChainFiles& chain);
  PublicKeyCeiling(PublicKeyCeiling&&) noexcept;
  ~PublicKeyCeiling();
  /// One repetition, `min_seconds` at least in all; nothing if an operation failed.
  [[nodiscard]] std::optional<PublicKeyCost> measure(double min_seconds) const;

 private:
  struct State;
  explicit PublicKeyCeiling(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Raw AEAD throughput at kWriteSize bytes per call, in place, bytes per second.
struct AeadCeiling {
  double seal = 0;
  double open = 0;
};

class AeadCeilingMeter {
 public:
  [[nodiscard]] static std::optional<AeadCeilingMeter> make(Suite suite);
  AeadCeilingMeter(AeadCeilingMeter&&) noexcept;
  ~AeadCeilingMeter();
  /// One repetition, `min_seconds` at least in all; nothing if a call failed.
  [[nodiscard]] std::optional<AeadCeiling> measure(double min_seconds) const;

 private:
  struct State;
  explicit AeadCeilingMeter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace keel::bench
