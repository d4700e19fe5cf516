// The physical limits of the TLS benchmark's rows on this machine, measured through keel's
// crypto provider (the same libcrypto primitives both libraries call): what a full handshake
// would cost if it were nothing but its public-key operations, a resumed TLS 1.3 one if it were
// nothing but its key exchange and key schedule, and what record
// protection would cost if it were nothing but the AEAD. Each is measured one repetition at a
// time, alternating with the rows it bounds, so that a machine whose speed drifts during the
// run moves both alike.
#pragma once

#include <memory>
#include <optional>

#include "measure.hpp"
#include "tls_library.hpp"

namespace keel::bench {

/// Seconds of primitive work per handshake, each side.
struct HandshakeCost {
  double client = 0;
  double server = 0;
};

/// Times what a handshake would cost if it were nothing but its primitives.
class HandshakeCeiling {
 public:
  /// A full handshake's public-key operations with `chain`'s keys: the server generates an
  /// X25519 key share, derives the shared secret and signs its CertificateVerify; the client
  /// generates its share, derives, and verifies the CertificateVerify and the signatures of
  /// the leaf and the intermediate.
  [[nodiscard]] static std::optional<HandshakeCeiling> full(const ChainFiles& chain);
  /// A resumed TLS 1.3 handshake (PSK with X25519, AES-128-GCM) signs and verifies nothing:
  /// each side's X25519 key share and derivation, then the key schedule and records as keel
  /// counts them (uprobes on 1,000 pairs): 22 HKDF-Expand-Label steps and 6 HMACs (extractions,
  /// binder, Finished), four record keys each set up and used once, one more record, and five
  /// transcript snapshots; the server also opens a ticket and seals the next.
  [[nodiscard]] static std::optional<HandshakeCeiling> resumed13();
  HandshakeCeiling(HandshakeCeiling&&) noexcept;
  ~HandshakeCeiling();
  /// One repetition, `min_seconds` at least in all; nothing if an operation failed.
  [[nodiscard]] std::optional<HandshakeCost> measure(double min_seconds) const;

 private:
  struct State;
  explicit HandshakeCeiling(std::unique_ptr<State> state);
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
