// daemonplan/detail/interner.hpp: dense ids for equal values (node classes, pod label sets), and
// the cheap string fingerprints they are hashed with.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::uint64_t
#include <cstring>  // std::memcpy
#include <string_view>
#include <vector>

namespace daemonplan::detail {

/// A string's size and its first and last 8 bytes, mixed: enough to spread label keys and values.
/// Interned values are compared in full on equal hashes, so the fingerprint only needs to spread.
[[nodiscard]] inline std::uint64_t fingerprint(std::string_view s) noexcept {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  const std::size_t n = std::min<std::size_t>(s.size(), 8);
  if (n != 0) {
    std::memcpy(&head, s.data(), n);
    std::memcpy(&tail, s.data() + s.size() - n, n);
  }
  return (head * 0x9E3779B97F4A7C15ULL) ^ (tail + s.size()) * 0xC2B2AE3D27D4EB4FULL;
}

/// Folds `v` into the running hash `h` (boost::hash_combine's mixing, 64-bit).
[[nodiscard]] inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

/// Ids 0, 1, 2, ... for values in order of first appearance, equal values (by the caller's
/// `same`) sharing one. Open addressing over ids keyed by the caller's hash; values are viewed,
/// not copied: the first value of each id must outlive the interner.
template <typename T>
class interner {
 public:
  /// The id of `value`, whose hash is `hash`; `same(value, id)` decides on equal hashes whether
  /// `value` equals the values of `id` (first(id) is one of them).
  template <typename Same>
  std::uint32_t intern(const T& value, std::uint64_t hash, Same&& same) {
    if (2 * (firsts_.size() + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      const auto slot = slots_[s];
      if (slot == 0) {
        const auto id = static_cast<std::uint32_t>(firsts_.size());
        firsts_.push_back(&value);
        hashes_.push_back(hash);
        slots_[s] = id + 1;
        return id;
      }
      if (hashes_[slot - 1] == hash && same(value, slot - 1)) return slot - 1;
    }
  }

  /// The number of distinct values.
  [[nodiscard]] std::size_t size() const noexcept { return firsts_.size(); }
  /// The first value interned with id `id`.
  [[nodiscard]] const T& first(std::uint32_t id) const noexcept { return *firsts_[id]; }

 private:
  void grow() {
    slots_.assign(std::max<std::size_t>(16, 2 * slots_.size()), 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::uint32_t id = 0; id < hashes_.size(); ++id) {
      std::size_t s = hashes_[id] & mask;
      while (slots_[s] != 0) s = (s + 1) & mask;
      slots_[s] = id + 1;
    }
  }

  std::vector<const T*> firsts_{};
  std::vector<std::uint64_t> hashes_{};
  std::vector<std::uint32_t> slots_{};  // id + 1, 0 = empty; size a power of two
};

}  // namespace daemonplan::detail
