// daemonplan/detail/name_index.hpp: a flat string_view -> index table and name sort keys, for
// indexing very large node lists without a node allocation per entry.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <bit>  // std::bit_ceil
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::uint64_t
#include <cstring>  // std::memcpy
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <daemonplan/detail/prefetch.hpp>
#include <daemonplan/result.hpp>  // DAEMONPLAN_ASSERT

namespace daemonplan::detail {

/// Names numbered 0, 1, 2, ... in order of insertion, found again by open addressing with linear
/// probing over a power-of-two table of 8-byte slots, at most half full. The viewed strings must
/// outlive the table.
class name_index {
 public:
  /// Room for `count` names without growing.
  void reserve(std::size_t count) {
    names_.reserve(count);
    if (2 * count > slots_.size()) rehash(std::max<std::size_t>(16, std::bit_ceil(2 * count)));
  }

  /// The number of `name` (hash(name) is `h`), numbering it size() when it is new.
  std::uint32_t insert(std::string_view name, std::uint64_t h) {
    if (2 * (names_.size() + 1) > slots_.size()) rehash(std::max<std::size_t>(16, 2 * slots_.size()));
    auto& s = slots_[probe(name, h)];
    if (s.number_plus_one == 0) {
      names_.push_back(name);
      s = {static_cast<std::uint32_t>(names_.size()), static_cast<std::uint32_t>(h >> 32)};
    }
    return s.number_plus_one - 1;
  }

  /// Enters every names[i] as number numbers[i] into an empty table: the numbers, given by the
  /// caller (e.g. name order), must run densely from 0, equal names sharing one. The names are
  /// read in the order given (e.g. memory order), each slot prefetched a few names ahead.
  void insert_numbered(std::span<const std::string_view> names, std::span<const std::uint32_t> numbers) {
    const auto count = numbers.empty() ? 0 : std::size_t{*std::ranges::max_element(numbers)} + 1;
    reserve(count);
    names_.resize(count);
    const std::size_t mask = slots_.size() - 1;
    constexpr std::size_t ahead = 16;
    std::array<std::uint64_t, ahead> hashes{};  // of names[i - ahead + 1 .. i]
    for (std::size_t i = 0; i < names.size() + ahead; ++i) {
      if (i >= ahead) {
        const auto k = i - ahead;
        auto& s = slots_[probe(names[k], hashes[i % ahead])];
        if (s.number_plus_one == 0) {
          s = {numbers[k] + 1, static_cast<std::uint32_t>(hashes[i % ahead] >> 32)};
          names_[numbers[k]] = names[k];
        }
      }
      if (i < names.size()) {
        hashes[i % ahead] = hash(names[i]);
        prefetch(&slots_[hashes[i % ahead] & mask]);
      }
    }
  }

  /// insert() computing the hash.
  std::uint32_t insert(std::string_view name) { return insert(name, hash(name)); }

  /// The hash the table uses: every byte counts (node names share long prefixes and suffixes), 8
  /// at a time with one multiply each, then murmur3's finalizer.
  [[nodiscard]] static std::uint64_t hash(std::string_view name) noexcept {
    constexpr std::uint64_t multiplier = 0xBF58476D1CE4E5B9ULL;
    std::uint64_t h = name.size() * 0x9E3779B97F4A7C15ULL;
    const auto fold = [&](std::uint64_t word) {
      h = (h ^ word) * multiplier;
      h ^= h >> 31;
    };
    std::size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, name.data() + i, 8);
      fold(word);
    }
    if (i < name.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, name.data() + i, name.size() - i);
      fold(word);
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 33);
  }

  /// The number of `name`, if it was inserted.
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view name) const noexcept {
    if (slots_.empty()) return std::nullopt;
    return number_in(slots_[probe(name, hash(name))]);
  }

  /// The most names find_batch() takes at once.
  static constexpr std::size_t batch_size = 32;

  /// find() of every name in `names` (at most batch_size) into `out` (same size), the lookups
  /// overlapped: each step (slot, name view, name bytes) is prefetched for every name before the
  /// next step reads it, so a batch waits for memory about three times instead of three per name.
  void find_batch(std::span<const std::string_view> names, std::span<std::optional<std::uint32_t>> out) const noexcept {
    DAEMONPLAN_ASSERT(names.size() <= batch_size && out.size() == names.size());
    if (slots_.empty()) {
      std::ranges::fill(out, std::nullopt);
      return;
    }
    std::array<std::uint64_t, batch_size> hashes{};
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t k = 0; k < names.size(); ++k) {
      hashes[k] = hash(names[k]);
      prefetch(&slots_[hashes[k] & mask]);
    }
    const auto first_candidate = [&](std::size_t k) { return slots_[hashes[k] & mask].number_plus_one; };
    for (std::size_t k = 0; k < names.size(); ++k)
      if (const auto number = first_candidate(k)) prefetch(&names_[number - 1]);
    for (std::size_t k = 0; k < names.size(); ++k)
      if (const auto number = first_candidate(k)) prefetch(names_[number - 1].data());
    for (std::size_t k = 0; k < names.size(); ++k) out[k] = number_in(slots_[probe(names[k], hashes[k])]);
  }

  /// The names by number.
  [[nodiscard]] std::span<const std::string_view> names() const noexcept { return names_; }

 private:
  struct slot {
    std::uint32_t number_plus_one{0};  // 0: empty
    std::uint32_t tag{0};              // the hash's high half
  };

  // The number a probed slot holds, nullopt for an empty one.
  [[nodiscard]] static std::optional<std::uint32_t> number_in(const slot& s) noexcept {
    if (s.number_plus_one == 0) return std::nullopt;
    return s.number_plus_one - 1;
  }

  // The position of the slot holding `name`, or of the empty slot where it belongs.
  [[nodiscard]] std::size_t probe(std::string_view name, std::uint64_t h) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const auto& s = slots_[i];
      if (s.number_plus_one == 0 || (s.tag == tag && names_[s.number_plus_one - 1] == name)) return i;
    }
  }

  void rehash(std::size_t capacity) {
    slots_.assign(capacity, slot{});
    const std::size_t mask = capacity - 1;
    for (std::uint32_t number = 0; number < names_.size(); ++number) {
      const auto h = hash(names_[number]);
      std::size_t i = h & mask;
      while (slots_[i].number_plus_one != 0) i = (i + 1) & mask;
      slots_[i] = {number + 1, static_cast<std::uint32_t>(h >> 32)};
    }
  }

  std::vector<std::string_view> names_{};
  std::vector<slot> slots_{};
};

/// The 16 bytes of `s` from `offset` (zero-padded) as two big-endian integers: comparing keys
/// compares those bytes as std::string does, and equal keys leave the order to the full strings.
struct name_sort_key {
  std::uint64_t high{0};
  std::uint64_t low{0};
  friend auto operator<=>(const name_sort_key&, const name_sort_key&) = default;

  [[nodiscard]] static name_sort_key of(std::string_view s, std::size_t offset) noexcept {
    name_sort_key k;
    for (std::size_t i = offset; i < offset + 16; ++i) {
      const std::uint64_t byte = i < s.size() ? static_cast<unsigned char>(s[i]) : 0U;
      auto& half = i < offset + 8 ? k.high : k.low;
      half = (half << 8) | byte;
    }
    return k;
  }
};

}  // namespace daemonplan::detail
