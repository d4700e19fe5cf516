// Public keys parsed before, by the exact bytes of their SubjectPublicKeyInfo.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>

#include <keel/bytes.hpp>

#include "crypto/openssl/ossl.hpp"
#include "crypto/provider.hpp"

namespace keel::crypto::ossl {

/// A client that connects to the same servers, or a server that checks the same clients,
/// meets the same intermediates and leaves again and again; parsing one of their keys costs
/// a fifth of verifying a signature with it. The parse is a function of the SPKI's bytes
/// alone, so a key found by exact byte equality is the key a fresh parse would give. Bounded
/// (the oldest entry makes room), thread-safe; keys are shared read-only (libcrypto allows
/// an EVP_PKEY to be used by several threads once nothing modifies it).
class ParsedKeyCache {
 public:
  static constexpr std::size_t kCapacity = 32;

  struct Entry {
    PkeyPtr key;  // a new reference
    KeyType type;
  };

  [[nodiscard]] std::optional<Entry> find(ByteView spki) const;
  /// Keeps `key` (no longer to be modified) under `spki`, replacing the oldest entry if full.
  void insert(ByteView spki, EVP_PKEY* key, KeyType type);

 private:
  struct Slot {
    Bytes spki;
    PkeyPtr key;
    KeyType type{};
  };

  mutable std::mutex mutex_;
  std::array<Slot, kCapacity> slots_;
  std::size_t next_ = 0;  // the slot insert() fills next: the oldest once all are full
};

}  // namespace keel::crypto::ossl
