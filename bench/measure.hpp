// How the TLS benchmark turns repeated work into figures: each figure is the median of
// `repetitions` runs of at least `min_seconds` each.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <vector>

namespace keel::bench {

struct Settings {
  int repetitions = 5;
  double min_seconds = 1.0;
};

[[nodiscard]] inline double median(std::vector<double> values) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// Calls `once` until `min_seconds` have passed and returns the seconds per call; nothing if a
/// call failed (a run that measured a failure gives no figure).
[[nodiscard]] inline std::optional<double> seconds_per_call(double min_seconds,
                                                            const std::function<bool()>& once) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  long calls = 0;
  double elapsed = 0;
  do {
    if (!once()) {
      return std::nullopt;
    }
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < min_seconds);
  return elapsed / static_cast<double>(calls);
}

}  // namespace keel::bench
