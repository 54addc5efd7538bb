// daemonplan/node_classes.hpp: nodes grouped into equivalence classes (same labels but the
// hostname, same taints), so that a DaemonSet's eligibility is evaluated once per class.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::uint64_t
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/detail/interner.hpp>
#include <daemonplan/detail/prefetch.hpp>
#include <daemonplan/labels.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// The well-known label that carries a node's own name: unique per node, so it never splits classes.
inline constexpr std::string_view hostname_label = "kubernetes.io/hostname";

/// The label keys `p` reads: its nodeSelector's and those of its valid required-affinity terms.
[[nodiscard]] inline std::vector<std::string> label_keys_read(const daemon_placement& p) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : p.node_selector()) keys.push_back(key);
  if (p.required_affinity())
    for (const auto& t : p.required_affinity()->terms())
      for (const auto& r : t.expressions) keys.push_back(r.key());
  std::ranges::sort(keys);
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

/// Nodes in equivalence classes for eligibility. Two nodes share a class when their taints agree
/// in key, value and effect, in order (timeAdded is ignored: placement never reads it), and their
/// labels agree on the *class keys*: every key but `kubernetes.io/hostname`, or, when the index is
/// made for known DaemonSets, only the keys those read (label_keys_read), the hostname excepted.
/// A DaemonSet whose template has no nodeName and no matchFields, and reads only class keys, gets
/// the same verdict on every node of a class, so verdicts() evaluates it once per class; for any
/// other DaemonSet the label part is evaluated per node and the taint part per class. Either way
/// the result equals daemon_placement::evaluate() node by node.
///
/// The index views the nodes: they must outlive it and stay unchanged. It holds 16 bytes per node
/// plus a few words per class, and allocates nothing per node while building or evaluating.
class node_classes {
 public:
  /// Classes of nodes[order[0]], nodes[order[1]], ... (the index follows `order`, e.g. name order)
  /// over every label key but the hostname, or only over `keys` when given. Nodes are read in the
  /// order they lie in memory, which is what makes building fast; nodes not in `order` are read
  /// too and ignored.
  [[nodiscard]] static node_classes make(std::span<const node> nodes, std::span<const std::uint32_t> order,
                                         std::optional<std::vector<std::string>> keys = std::nullopt) {
    node_classes c;
    if (keys) {
      std::erase(*keys, hostname_label);
      std::ranges::sort(*keys);
      keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
      c.keys_ = std::move(keys);
      c.key_values_.resize(c.keys_->size());
    }
    std::vector<std::uint32_t> by_position(nodes.size());
    const bool reads_labels = !c.keys_ || !c.keys_->empty();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (const auto ahead = i + 2 * prefetch_distance; ahead < nodes.size()) {  // the node's own lines
        detail::prefetch(&nodes[ahead].metadata.labels);
        detail::prefetch(&nodes[ahead].taints);
      }
      if (const auto ahead = i + prefetch_distance; ahead < nodes.size()) {  // what they point to
        detail::prefetch(nodes[ahead].taints.data());
        if (reads_labels) detail::prefetch_entries(nodes[ahead].metadata.labels, 16);  // a dozen labels or more
      }
      by_position[i] = c.intern(nodes[i]);
    }
    std::vector<const std::string*>().swap(c.key_values_);
    std::vector<const std::string*>().swap(c.class_key_values_);
    c.nodes_.resize(order.size());
    c.class_of_.resize(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      c.nodes_[i] = &nodes[order[i]];
      c.class_of_[i] = by_position[order[i]];
    }
    constexpr auto absent = ~std::uint32_t{0};
    std::ranges::fill(by_position, absent);  // now: the index of each position, if in `order`
    for (std::size_t i = 0; i < order.size(); ++i) by_position[order[i]] = static_cast<std::uint32_t>(i);
    c.by_address_.reserve(order.size());
    for (const auto i : by_position)
      if (i != absent) c.by_address_.push_back(i);
    return c;
  }

  /// Classes of `nodes` in span order, over every label key but the hostname or only `keys`.
  [[nodiscard]] static node_classes make(std::span<const node> nodes,
                                         std::optional<std::vector<std::string>> keys = std::nullopt) {
    std::vector<std::uint32_t> order(nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    return make(nodes, order, std::move(keys));
  }

  /// The number of nodes indexed.
  [[nodiscard]] std::size_t node_count() const noexcept { return nodes_.size(); }
  /// The number of classes.
  [[nodiscard]] std::size_t class_count() const noexcept { return classes_.size(); }
  /// The class of node `i` (in [0, class_count())).
  [[nodiscard]] std::uint32_t class_of(std::size_t i) const noexcept { return class_of_[i]; }
  /// The first node of class `c`, which stands for all of them.
  [[nodiscard]] const node& representative(std::uint32_t c) const noexcept { return classes_.first(c); }
  /// The class keys when they were given (sorted, without the hostname); nullopt: every key but it.
  [[nodiscard]] const std::optional<std::vector<std::string>>& keys() const noexcept { return keys_; }

  /// True when `p` gives every node of a class the same verdict: no template nodeName, no
  /// matchFields in a valid required-affinity term, and every label key it reads a class key.
  [[nodiscard]] bool decided_by_class(const daemon_placement& p) const {
    if (!p.node_name().empty()) return false;
    if (p.required_affinity() && std::ranges::any_of(p.required_affinity()->terms(), [](const auto& t) {
          return !t.fields.empty();
        }))
      return false;
    return std::ranges::all_of(label_keys_read(p), [&](const std::string& key) { return splits(key); });
  }

  /// `p.evaluate()` of every node, in index order, written to `out` (node_count() elements).
  void verdicts(const daemon_placement& p, std::span<node_verdict> out) const {
    std::vector<node_verdict> per_class(class_count());
    if (decided_by_class(p)) {
      for (std::uint32_t c = 0; c < per_class.size(); ++c) per_class[c] = p.evaluate(classes_.first(c));
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = per_class[class_of_[i]];
      return;
    }
    for (std::uint32_t c = 0; c < per_class.size(); ++c) per_class[c] = p.taint_verdict(classes_.first(c).taints);
    for (const auto i : by_address_) {  // labels read in memory order
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
  /// How many nodes ahead make() asks for a node's memory: a node's taints and labels lie apart
  /// from it and from one another, so without asking ahead each node waits for several memory
  /// round trips in turn. (The prefetches are written out in make's loop: GCC 12 -O3 dropped the
  /// label prefetches from a helper function taking a flag, and from an always_inline one.)
  static constexpr std::size_t prefetch_distance = 8;

  [[nodiscard]] bool splits(std::string_view key) const noexcept {
    if (key == hostname_label) return false;
    return !keys_ || std::ranges::binary_search(*keys_, key, std::less<>{});
  }

  /// The node's value of each class key (nullptr: no such label) into key_values_, by one walk
  /// over its labels and the keys together (both in key order).
  void take_key_values(const label_map& labels) {
    auto label = labels.begin();
    for (std::size_t k = 0; k < keys_->size(); ++k) {
      const std::string_view key = (*keys_)[k];
      while (label != labels.end() && std::string_view(label->first) < key) ++label;
      key_values_[k] = label != labels.end() && label->first == key ? &label->second : nullptr;
    }
  }

  /// The hash of a node's class: its taints and, with class keys, key_values_ (take_key_values),
  /// else every label but the hostname.
  [[nodiscard]] std::uint64_t signature_hash(const node& n) const noexcept {
    std::uint64_t h = 0;
    if (keys_) {
      for (const auto* value : key_values_) h = detail::mix(h, value ? detail::fingerprint(*value) + 1 : 0);
    } else {
      for (const auto& [key, value] : n.metadata.labels)
        if (key != hostname_label) h = detail::mix(detail::mix(h, detail::fingerprint(key)), detail::fingerprint(value));
    }
    for (const auto& t : n.taints)
      h = detail::mix(detail::mix(detail::mix(h, detail::fingerprint(t.key)), detail::fingerprint(t.value)),
                      static_cast<std::uint64_t>(t.effect) + 1);
    return h;
  }

  /// Whether node `n` (its key_values_ taken) belongs to class `c`.
  [[nodiscard]] bool in_class(const node& n, std::uint32_t c) const noexcept {
    const node& first = classes_.first(c);
    if (!std::ranges::equal(n.taints, first.taints, [](const taint& x, const taint& y) {
          return x.effect == y.effect && x.key == y.key && x.value == y.value;
        }))
      return false;
    if (keys_) {
      const auto row = std::span(class_key_values_).subspan(c * keys_->size(), keys_->size());
      return std::ranges::equal(key_values_, row, [](const std::string* x, const std::string* y) {
        return x == nullptr ? y == nullptr : y != nullptr && *x == *y;
      });
    }
    auto ia = n.metadata.labels.begin();
    auto ib = first.metadata.labels.begin();
    const auto end_a = n.metadata.labels.end();
    const auto end_b = first.metadata.labels.end();
    while (true) {
      while (ia != end_a && ia->first == hostname_label) ++ia;
      while (ib != end_b && ib->first == hostname_label) ++ib;
      if (ia == end_a || ib == end_b) return ia == end_a && ib == end_b;
      if (ia->first != ib->first || ia->second != ib->second) return false;
      ++ia;
      ++ib;
    }
  }

  [[nodiscard]] std::uint32_t intern(const node& n) {
    if (keys_) take_key_values(n.metadata.labels);
    const auto before = classes_.size();
    const auto c = classes_.intern(n, signature_hash(n), [&](const node& x, std::uint32_t id) { return in_class(x, id); });
    if (keys_ && classes_.size() != before) class_key_values_.insert(class_key_values_.end(), key_values_.begin(), key_values_.end());
    return c;
  }

  std::optional<std::vector<std::string>> keys_{};
  std::vector<const std::string*> key_values_{};        // while making: the current node's, per key
  std::vector<const std::string*> class_key_values_{};  // while making: each class's, per key
  std::vector<const node*> nodes_{};
  std::vector<std::uint32_t> class_of_{};
  std::vector<std::uint32_t> by_address_{};     // node indices in the order the nodes lie in memory
  detail::interner<node> classes_{};           // class id -> its first node
};

}  // namespace daemonplan
