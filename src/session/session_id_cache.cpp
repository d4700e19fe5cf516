#include "session/session_id_cache.hpp"

#include <algorithm>

namespace keel::session {

void SessionIdCache::store(ByteView id, const SessionState& state) {
  const std::scoped_lock lock(mutex_);
  if (capacity_ == 0 || id.empty()) {
    return;
  }
  entries_.push_back(Entry{Bytes(id.begin(), id.end()), state.clone()});
  while (entries_.size() > capacity_) {
    entries_.pop_front();
  }
}

std::optional<SessionState> SessionIdCache::find(ByteView id) const {
  const std::scoped_lock lock(mutex_);
  const auto it = std::ranges::find_if(
      entries_, [&](const Entry& entry) { return std::ranges::equal(entry.id, id); });
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->state.clone();
}

std::size_t SessionIdCache::size() const {
  const std::scoped_lock lock(mutex_);
  return entries_.size();
}

}  // namespace keel::session
