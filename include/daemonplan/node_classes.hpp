// daemonplan/node_classes.hpp: nodes grouped into equivalence classes (same labels but the
// hostname, same taints), so that a DaemonSet's eligibility is evaluated once per class.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::uint64_t
#include <cstring>  // std::memcpy
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/labels.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// The well-known label that carries a node's own name: unique per node, so it never splits classes.
inline constexpr std::string_view hostname_label = "kubernetes.io/hostname";

namespace detail {

// A cheap, exact-enough fingerprint of a string: its size and its first and last 8 bytes. Classes
// are verified by comparison, so the hash only needs to spread typical label values.
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

[[nodiscard]] inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

}  // namespace detail

/// Nodes in equivalence classes for eligibility. Two nodes share a class when their labels agree
/// on every key except `kubernetes.io/hostname` and their taints agree in key, value and effect,
/// in order (timeAdded is ignored: placement never reads it). A DaemonSet whose template has no
/// nodeName, no matchFields and does not reference the hostname label then gets the same verdict
/// on every node of a class, so verdicts() evaluates it once per class; for any other DaemonSet the
/// label part is evaluated per node and only the taint part per class. Either way the result
/// equals daemon_placement::evaluate() node by node.
///
/// The index views the nodes (through pointers, in the caller's order): they must outlive it and
/// stay unchanged. It holds 12 bytes per node plus a few words per class and never allocates per
/// node while building or evaluating.
class node_classes {
 public:
  /// Classes of the nodes pointed to, in that order.
  [[nodiscard]] static node_classes make(std::vector<const node*> nodes) {
    node_classes c;
    c.nodes_ = std::move(nodes);
    c.class_of_.resize(c.nodes_.size());
    for (std::size_t i = 0; i < c.nodes_.size(); ++i) c.class_of_[i] = c.intern(*c.nodes_[i]);
    return c;
  }

  /// Classes of `nodes`, in span order.
  [[nodiscard]] static node_classes make(std::span<const node> nodes) {
    std::vector<const node*> pointers;
    pointers.reserve(nodes.size());
    for (const auto& n : nodes) pointers.push_back(&n);
    return make(std::move(pointers));
  }

  /// The number of nodes indexed.
  [[nodiscard]] std::size_t node_count() const noexcept { return nodes_.size(); }
  /// The number of classes.
  [[nodiscard]] std::size_t class_count() const noexcept { return representatives_.size(); }
  /// The class of node `i` (in [0, class_count())).
  [[nodiscard]] std::uint32_t class_of(std::size_t i) const noexcept { return class_of_[i]; }
  /// The first node of class `c`, which stands for all of them.
  [[nodiscard]] const node& representative(std::uint32_t c) const noexcept { return *representatives_[c]; }

  /// True when `p` gives every node of a class the same verdict: no template nodeName, no
  /// matchFields in a valid required-affinity term, and no reference to the hostname label.
  [[nodiscard]] static bool decided_by_class(const daemon_placement& p) noexcept {
    if (!p.node_name().empty() || p.node_selector().contains(hostname_label)) return false;
    if (!p.required_affinity()) return true;
    return std::ranges::none_of(p.required_affinity()->terms(), [](const node_selector_matcher::term& t) {
      return !t.fields.empty() || std::ranges::any_of(t.expressions, [](const label_requirement& r) {
               return r.key() == hostname_label;
             });
    });
  }

  /// `p.evaluate()` of every node, in index order, written to `out` (node_count() elements).
  void verdicts(const daemon_placement& p, std::span<node_verdict> out) const {
    std::vector<node_verdict> per_class(class_count());
    if (decided_by_class(p)) {
      for (std::size_t c = 0; c < per_class.size(); ++c) per_class[c] = p.evaluate(*representatives_[c]);
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = per_class[class_of_[i]];
      return;
    }
    for (std::size_t c = 0; c < per_class.size(); ++c) per_class[c] = p.taint_verdict(representatives_[c]->taints);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto& n = *nodes_[i];
      out[i] = p.fits_node(n.metadata.name, n.metadata.labels) ? per_class[class_of_[i]] : node_verdict{};
    }
  }

  /// `p.evaluate()` of every node, in index order.
  [[nodiscard]] std::vector<node_verdict> verdicts(const daemon_placement& p) const {
    std::vector<node_verdict> out(node_count());
    verdicts(p, out);
    return out;
  }

 private:
  [[nodiscard]] static bool splits(std::string_view key) noexcept { return key != hostname_label; }

  [[nodiscard]] static std::uint64_t signature_hash(const node& n) noexcept {
    std::uint64_t h = 0;
    for (const auto& [key, value] : n.metadata.labels)
      if (splits(key)) h = detail::mix(detail::mix(h, detail::fingerprint(key)), detail::fingerprint(value));
    for (const auto& t : n.taints)
      h = detail::mix(detail::mix(detail::mix(h, detail::fingerprint(t.key)), detail::fingerprint(t.value)),
                      static_cast<std::uint64_t>(t.effect) + 1);
    return h;
  }

  [[nodiscard]] static bool same_class(const node& a, const node& b) noexcept {
    auto ia = a.metadata.labels.begin();
    auto ib = b.metadata.labels.begin();
    const auto ea = a.metadata.labels.end();
    const auto eb = b.metadata.labels.end();
    while (true) {
      while (ia != ea && !splits(ia->first)) ++ia;
      while (ib != eb && !splits(ib->first)) ++ib;
      if (ia == ea || ib == eb) break;
      if (ia->first != ib->first || ia->second != ib->second) return false;
      ++ia;
      ++ib;
    }
    if (ia != ea || ib != eb) return false;
    return std::ranges::equal(a.taints, b.taints, [](const taint& x, const taint& y) {
      return x.effect == y.effect && x.key == y.key && x.value == y.value;
    });
  }

  // The class of `n`, added when new. Open addressing over class ids, keyed by signature hash.
  [[nodiscard]] std::uint32_t intern(const node& n) {
    const auto h = signature_hash(n);
    if (2 * (representatives_.size() + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
      const auto slot = slots_[s];
      if (slot == 0) {
        const auto id = static_cast<std::uint32_t>(representatives_.size());
        representatives_.push_back(&n);
        hashes_.push_back(h);
        slots_[s] = id + 1;
        return id;
      }
      if (hashes_[slot - 1] == h && same_class(n, *representatives_[slot - 1])) return slot - 1;
    }
  }

  void grow() {
    slots_.assign(std::max<std::size_t>(16, 2 * slots_.size()), 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::uint32_t c = 0; c < hashes_.size(); ++c) {
      std::size_t s = hashes_[c] & mask;
      while (slots_[s] != 0) s = (s + 1) & mask;
      slots_[s] = c + 1;
    }
  }

  std::vector<const node*> nodes_{};
  std::vector<std::uint32_t> class_of_{};
  std::vector<const node*> representatives_{};  // per class
  std::vector<std::uint64_t> hashes_{};         // per class
  std::vector<std::uint32_t> slots_{};          // class id + 1, 0 = empty; size a power of two
};

}  // namespace daemonplan
