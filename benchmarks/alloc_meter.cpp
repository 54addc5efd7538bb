// benchmarks/alloc_meter.cpp: the benchmark binary's global operator new and delete, counting the
// bytes live on the heap so that benchmarks can report what daemonplan allocates beyond its input
// (bench::allocation_meter in support.hpp). Only the benchmarks link this.
#include <cstddef>
#include <cstdlib>
#include <new>

#include <malloc.h>  // malloc_usable_size

#include "support.hpp"

namespace daemonplan::bench::detail {
std::size_t live_bytes = 0;
std::size_t peak_bytes = 0;
}  // namespace daemonplan::bench::detail

namespace {

void* counted(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  using namespace daemonplan::bench::detail;
  live_bytes += malloc_usable_size(p);
  if (live_bytes > peak_bytes) peak_bytes = live_bytes;
  return p;
}

void uncounted(void* p) noexcept {
  if (p == nullptr) return;
  daemonplan::bench::detail::live_bytes -= malloc_usable_size(p);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return counted(size); }
void* operator new[](std::size_t size) { return counted(size); }
void operator delete(void* p) noexcept { uncounted(p); }
void operator delete[](void* p) noexcept { uncounted(p); }
void operator delete(void* p, std::size_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::size_t) noexcept { uncounted(p); }
