// Time as an injected dependency: the engine and the X.509 validator never read the system
// clock themselves (docs/design.md, rule 5).
#pragma once

#include <chrono>

namespace keel {

using TimePoint = std::chrono::system_clock::time_point;

/// Where "now" comes from.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that says what it is told: for tests and for validating "as of" a given time.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint at) : at_(at) {}
  [[nodiscard]] TimePoint now() const override { return at_; }
  void set(TimePoint at) { at_ = at; }
  void advance(std::chrono::seconds by) { at_ += by; }

 private:
  TimePoint at_;
};

}  // namespace keel
