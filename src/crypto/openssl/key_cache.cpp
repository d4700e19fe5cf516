#include "crypto/openssl/key_cache.hpp"

#include <algorithm>

namespace keel::crypto::ossl {

std::optional<ParsedKeyCache::Entry> ParsedKeyCache::find(ByteView spki) const {
  const std::scoped_lock lock(mutex_);
  for (const Slot& slot : slots_) {
    if (slot.key && std::ranges::equal(slot.spki, spki)) {
      if (EVP_PKEY_up_ref(slot.key.get()) != 1) {
        return std::nullopt;
      }
      return Entry{PkeyPtr(slot.key.get()), slot.type};
    }
  }
  return std::nullopt;
}

void ParsedKeyCache::insert(ByteView spki, EVP_PKEY* key, KeyType type) {
  if (EVP_PKEY_up_ref(key) != 1) {
    return;  // not kept; the caller's key is unaffected
  }
  PkeyPtr reference(key);
  const std::scoped_lock lock(mutex_);
  if (std::ranges::any_of(
          slots_, [&](const Slot& s) { return s.key && std::ranges::equal(s.spki, spki); })) {
    return;  // another thread parsed the same key meanwhile
  }
  Slot& slot = slots_[next_];
  slot.spki.assign(spki.begin(), spki.end());
  slot.key = std::move(reference);  // the replaced key is freed once its last user is done
  slot.type = type;
  next_ = (next_ + 1) % kCapacity;
}

}  // namespace keel::crypto::ossl
