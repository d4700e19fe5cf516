// Heap accounting for the benchmark: the program replaces malloc and friends (heap_counter.cpp)
// with thin wrappers around glibc's own, which count the bytes in use — libkeel's, libssl's and
// libcrypto's allocations alike, since they all resolve malloc to the executable's. glibc no
// longer has malloc hooks and mallinfo2() cannot tell a peak, hence the wrappers.
//
// Sizes are malloc_usable_size() (what the allocator really set aside), so both libraries are
// measured by the same rule. Single-threaded use only, like the benchmark.
#pragma once

#include <cstddef>

namespace keel::bench::heap {

/// Bytes allocated and not yet freed.
[[nodiscard]] std::ptrdiff_t in_use() noexcept;
/// The highest in_use() since the last reset_peak().
[[nodiscard]] std::ptrdiff_t peak() noexcept;
void reset_peak() noexcept;

}  // namespace keel::bench::heap
