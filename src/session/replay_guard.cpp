#include "session/replay_guard.hpp"

namespace keel::session {

bool ReplayGuard::admit(ByteView binder, TimePoint now) {
  const std::scoped_lock lock(mutex_);
  while (!by_time_.empty() && by_time_.front().at + kWindow <= now) {
    binders_.erase(by_time_.front().binder);
    by_time_.pop_front();
  }
  std::string key(binder.begin(), binder.end());
  if (binders_.contains(key) || by_time_.size() >= capacity_) {
    return false;
  }
  binders_.insert(key);
  by_time_.push_back(Seen{std::move(key), now});
  return true;
}

std::size_t ReplayGuard::size() const {
  const std::scoped_lock lock(mutex_);
  return by_time_.size();
}

}  // namespace keel::session
