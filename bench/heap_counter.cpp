// Replaces the C allocator's entry points for the whole process (see heap_counter.hpp). Each
// wrapper calls glibc's implementation (the __libc_* aliases glibc exports for exactly this)
// and adjusts the counters by the block's usable size.
#include "heap_counter.hpp"

#include <cerrno>
#include <cstddef>

#include <malloc.h>

extern "C" {
void* __libc_malloc(std::size_t size);
void __libc_free(void* ptr);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* ptr, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void* __libc_valloc(std::size_t size);
void* __libc_pvalloc(std::size_t size);
}

namespace keel::bench::heap {
namespace {

std::ptrdiff_t current = 0;
std::ptrdiff_t highest = 0;

void* allocated(void* ptr) noexcept {
  if (ptr != nullptr) {
    current += static_cast<std::ptrdiff_t>(malloc_usable_size(ptr));
    if (current > highest) {
      highest = current;
    }
  }
  return ptr;
}

void released(void* ptr) noexcept {
  if (ptr != nullptr) {
    current -= static_cast<std::ptrdiff_t>(malloc_usable_size(ptr));
  }
}

}  // namespace

std::ptrdiff_t in_use() noexcept {
  return current;
}
std::ptrdiff_t peak() noexcept {
  return highest;
}
void reset_peak() noexcept {
  highest = current;
}

}  // namespace keel::bench::heap

using keel::bench::heap::allocated;
using keel::bench::heap::released;

// NOLINTBEGIN(readability-inconsistent-declaration-parameter-name,cert-dcl58-cpp)
extern "C" {

void* malloc(std::size_t size) {
  return allocated(__libc_malloc(size));
}

void free(void* ptr) {
  released(ptr);
  __libc_free(ptr);
}

void* calloc(std::size_t count, std::size_t size) {
  return allocated(__libc_calloc(count, size));
}

void* realloc(void* ptr, std::size_t size) {
  released(ptr);
  void* moved = __libc_realloc(ptr, size);
  if (moved == nullptr && size != 0) {
    allocated(ptr);  // the old block is still there
    return nullptr;
  }
  return allocated(moved);
}

void* memalign(std::size_t alignment, std::size_t size) {
  return allocated(__libc_memalign(alignment, size));
}

void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return allocated(__libc_memalign(alignment, size));
}

void* valloc(std::size_t size) {
  return allocated(__libc_valloc(size));
}

void* pvalloc(std::size_t size) {
  return allocated(__libc_pvalloc(size));
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) {
    return EINVAL;
  }
  void* ptr = allocated(__libc_memalign(alignment, size));
  if (ptr == nullptr) {
    return ENOMEM;
  }
  *out = ptr;
  return 0;
}

}  // extern "C"
// NOLINTEND(readability-inconsistent-declaration-parameter-name,cert-dcl58-cpp)
