// daemonplan/detail/prefetch.hpp: hints that memory will be read soon, for the passes over
// millions of nodes and pods whose fields lie apart on the heap.
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uintptr_t

namespace daemonplan::detail {

/// A hint that `address` will be read soon (no effect where the compiler has no prefetch builtin).
inline void prefetch(const void* address) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

/// A hint that the entries of `map` (a node-based map: labels) will be read soon: `lines` cache
/// lines from its first entry on. A map built or copied in one go has its entries and their
/// strings allocated together, so those lines hold most of them; otherwise the hint is wasted,
/// never wrong.
template <typename Map>
void prefetch_entries(const Map& map, std::size_t lines) noexcept {
  if (map.empty()) return;
  const auto first = reinterpret_cast<std::uintptr_t>(&*map.begin());
  for (std::size_t line = 0; line < lines; ++line) prefetch(reinterpret_cast<const void*>(first + 64 * line));
}

}  // namespace daemonplan::detail
