// daemonplan/cluster.hpp: a cluster snapshot, built once and shared by every DaemonSet reconciled
// against it: nodes in name order with a name lookup, pods grouped by (namespace, controller) and
// ordered by target node.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <daemonplan/node_classes.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// How a snapshot computes eligibility. Both give the same verdicts, node for node.
enum class eligibility_path {
  classes,  ///< once per node equivalence class (node_classes.hpp); the default
  plain,    ///< once per node: the reference the class path is tested and benchmarked against
};

/// The node a pod is bound or pinned to (getNodesToDaemonPods, §3.1): spec.nodeName when set;
/// otherwise the first matchFields requirement `metadata.name In` of the required node affinity,
/// scanning terms and their fields in order. That first requirement decides alone: its value when it
/// has exactly one, else nullopt. nullopt too without such a requirement: the pod counts nowhere.
[[nodiscard]] inline std::optional<std::string_view> target_node(const pod& p) noexcept {
  if (!p.spec.node_name.empty()) return p.spec.node_name;
  if (!p.spec.affinity || !p.spec.affinity->node_affinity || !p.spec.affinity->node_affinity->required)
    return std::nullopt;
  for (const auto& term : p.spec.affinity->node_affinity->required->node_selector_terms)
    for (const auto& field : term.match_fields)
      if (field.key == "metadata.name" && field.op == selector_operator::in) {
        if (field.values.size() != 1) return std::nullopt;
        return field.values.front();
      }
  return std::nullopt;
}

/// An immutable view of a cluster: nodes and pods indexed for reconciling many DaemonSets.
///
/// Built in O(nodes + pods) plus the sorts, with no per-DaemonSet work. Nodes are ordered by name
/// (a duplicate name keeps the node that sorts first by value; the others are ignored and listed by
/// duplicate_nodes()). Every pod gets a *target*: an index into the nodes in name order, or past
/// them into the names of vanished nodes (targeted by pods but absent from the node list), also in
/// name order. Pods are grouped by (namespace, controller UID), orphans by namespace, and inside a
/// group ordered by (target, name, value), so a DaemonSet finds its pods per node without a map.
/// Nodes are also grouped into equivalence classes (node_classes.hpp), so verdicts() evaluates a
/// DaemonSet once per class rather than once per node; eligibility_path::plain turns that off.
///
/// `make(span, span)` views the caller's vectors, which must outlive the snapshot and stay
/// unchanged; `make(vector&&, vector&&)` takes ownership. Copies share the data. Reconciling
/// against one snapshot from several threads is safe: every member function is const and pure.
class cluster_snapshot {
 public:
  /// [0, node_count()): the nodes in name order; [node_count(), target_count()): vanished nodes.
  using target_index = std::uint32_t;
  /// The target of a pod that is neither bound nor pinned to a node.
  static constexpr target_index no_target = std::numeric_limits<target_index>::max();

  /// One pod with its target.
  struct pod_entry {
    const pod* object{nullptr};
    target_index target{no_target};
  };

  /// An empty cluster.
  cluster_snapshot() = default;

  /// A snapshot viewing `nodes` and `pods` (no copy); both must outlive it.
  [[nodiscard]] static cluster_snapshot make(std::span<const node> nodes, std::span<const pod> pods,
                                             eligibility_path path = eligibility_path::classes) {
    cluster_snapshot s;
    s.nodes_ = nodes;
    s.pods_ = pods;
    s.path_ = path;
    s.index();
    return s;
  }

  /// A snapshot owning `nodes` and `pods`.
  [[nodiscard]] static cluster_snapshot make(std::vector<node>&& nodes, std::vector<pod>&& pods,
                                             eligibility_path path = eligibility_path::classes) {
    auto owned = std::make_shared<storage>(storage{std::move(nodes), std::move(pods)});
    auto s = make(std::span<const node>(owned->nodes), std::span<const pod>(owned->pods), path);
    s.owned_ = std::move(owned);
    return s;
  }

  /// Distinct node names.
  [[nodiscard]] std::size_t node_count() const noexcept { return node_order_.size(); }
  /// The i-th node in name order.
  [[nodiscard]] const node& node_at(std::size_t i) const noexcept { return nodes_[node_order_[i]]; }
  /// The name-order index of the node called `name`.
  [[nodiscard]] std::optional<std::size_t> find_node(std::string_view name) const {
    const auto it = by_name_.find(name);
    if (it == by_name_.end() || it->second >= node_count()) return std::nullopt;
    return it->second;
  }
  /// Nodes plus vanished node names.
  [[nodiscard]] std::size_t target_count() const noexcept { return node_count() + vanished_.size(); }
  /// The node name of a target ("" for no_target).
  [[nodiscard]] std::string_view target_name(target_index t) const noexcept {
    if (t < node_count()) return node_at(t).metadata.name;
    if (t == no_target) return {};
    return vanished_[t - node_count()];
  }
  /// Names given to more than one node: only the first by value is used.
  [[nodiscard]] std::span<const std::string_view> duplicate_nodes() const noexcept { return duplicate_nodes_; }
  /// Every pod of the snapshot.
  [[nodiscard]] std::span<const pod> pods() const noexcept { return pods_; }

  /// Pods in `ns` whose controller ownerReference has UID `uid`, ordered by (target, name, value).
  [[nodiscard]] std::span<const pod_entry> controlled_by(std::string_view ns, std::string_view uid) const {
    return group({ns, uid, true});
  }
  /// Pods in `ns` without a controller ownerReference, ordered by (target, name, value).
  [[nodiscard]] std::span<const pod_entry> orphans(std::string_view ns) const { return group({ns, {}, false}); }

  /// NodeShouldRunDaemonPod for every node, in name order. The single place eligibility is computed.
  [[nodiscard]] std::vector<node_verdict> verdicts(const daemon_placement& placement) const {
    if (path_ == eligibility_path::classes) return classes_.verdicts(placement);
    std::vector<node_verdict> out;
    out.reserve(node_count());
    for (std::size_t i = 0; i < node_count(); ++i) out.push_back(placement.evaluate(node_at(i)));
    return out;
  }

  /// The order of pods inside a group: target, then name, then the whole value.
  [[nodiscard]] static bool entry_before(const pod_entry& a, const pod_entry& b) {
    if (a.target != b.target) return a.target < b.target;
    if (a.object->metadata.name != b.object->metadata.name) return a.object->metadata.name < b.object->metadata.name;
    return *a.object < *b.object;
  }

 private:
  struct storage {
    std::vector<node> nodes;
    std::vector<pod> pods;
  };
  struct group_key {
    std::string_view ns;
    std::string_view uid;
    bool controlled{false};
    friend bool operator==(const group_key&, const group_key&) = default;
  };
  struct group_hash {
    std::size_t operator()(const group_key& k) const noexcept {
      const std::hash<std::string_view> h;
      return h(k.ns) ^ (h(k.uid) * 0x9e3779b97f4a7c15ULL) ^ static_cast<std::size_t>(k.controlled);
    }
  };
  struct range {
    std::size_t begin{0};
    std::size_t end{0};
  };

  [[nodiscard]] std::span<const pod_entry> group(const group_key& key) const {
    const auto it = groups_.find(key);
    if (it == groups_.end()) return {};
    return std::span<const pod_entry>(entries_).subspan(it->second.begin, it->second.end - it->second.begin);
  }

  [[nodiscard]] static group_key key_of(const pod& p) noexcept {
    const auto* ref = controller_of(p.metadata);
    return {p.metadata.namespace_, ref ? std::string_view(ref->uid) : std::string_view{}, ref != nullptr};
  }

  void index() {
    index_nodes();
    const auto targets = index_targets();
    index_groups(targets);
  }

  void index_nodes() {
    node_order_.resize(nodes_.size());
    std::iota(node_order_.begin(), node_order_.end(), std::uint32_t{0});
    std::ranges::sort(node_order_, [&](std::uint32_t a, std::uint32_t b) {
      if (nodes_[a].metadata.name != nodes_[b].metadata.name) return nodes_[a].metadata.name < nodes_[b].metadata.name;
      return nodes_[a] < nodes_[b];
    });
    const auto same_name = [&](std::uint32_t a, std::uint32_t b) { return nodes_[a].metadata.name == nodes_[b].metadata.name; };
    for (std::size_t i = 1; i < node_order_.size(); ++i)
      if (same_name(node_order_[i - 1], node_order_[i]) &&
          (duplicate_nodes_.empty() || duplicate_nodes_.back() != nodes_[node_order_[i]].metadata.name))
        duplicate_nodes_.push_back(nodes_[node_order_[i]].metadata.name);
    node_order_.erase(std::unique(node_order_.begin(), node_order_.end(), same_name), node_order_.end());
    by_name_.reserve(node_order_.size());
    for (std::size_t i = 0; i < node_order_.size(); ++i)
      by_name_.emplace(nodes_[node_order_[i]].metadata.name, static_cast<target_index>(i));
    if (path_ == eligibility_path::classes) {
      std::vector<const node*> ordered(node_order_.size());
      for (std::size_t i = 0; i < ordered.size(); ++i) ordered[i] = &nodes_[node_order_[i]];
      classes_ = node_classes::make(std::move(ordered));
    }
  }

  /// Each pod's target; vanished node names are collected, sorted and numbered after the nodes.
  [[nodiscard]] std::vector<target_index> index_targets() {
    constexpr target_index pending = no_target - 1;
    std::vector<target_index> targets(pods_.size(), no_target);
    for (std::size_t i = 0; i < pods_.size(); ++i) {
      const auto name = target_node(pods_[i]);
      if (!name) continue;
      if (const auto it = by_name_.find(*name); it != by_name_.end()) {
        targets[i] = it->second;
      } else {
        targets[i] = pending;
        vanished_.push_back(*name);
      }
    }
    std::ranges::sort(vanished_);
    vanished_.erase(std::unique(vanished_.begin(), vanished_.end()), vanished_.end());
    for (std::size_t j = 0; j < vanished_.size(); ++j)
      by_name_.emplace(vanished_[j], static_cast<target_index>(node_order_.size() + j));
    for (std::size_t i = 0; i < pods_.size(); ++i)
      if (targets[i] == pending) targets[i] = by_name_.find(*target_node(pods_[i]))->second;
    return targets;
  }

  /// Buckets the pods by group (a counting sort), then orders each group.
  void index_groups(const std::vector<target_index>& targets) {
    std::vector<std::uint32_t> group_of(pods_.size());
    std::vector<std::size_t> sizes;
    std::unordered_map<group_key, std::uint32_t, group_hash> ids;
    for (std::size_t i = 0; i < pods_.size(); ++i) {
      const auto [it, added] = ids.emplace(key_of(pods_[i]), static_cast<std::uint32_t>(sizes.size()));
      if (added) sizes.push_back(0);
      group_of[i] = it->second;
      ++sizes[it->second];
    }
    std::vector<std::size_t> next(sizes.size() + 1, 0);
    for (std::size_t g = 0; g < sizes.size(); ++g) next[g + 1] = next[g] + sizes[g];
    for (const auto& [key, id] : ids) groups_.emplace(key, range{next[id], next[id + 1]});
    entries_.resize(pods_.size());
    for (std::size_t i = 0; i < pods_.size(); ++i) entries_[next[group_of[i]]++] = {&pods_[i], targets[i]};
    for (const auto& [key, r] : groups_)
      std::sort(entries_.begin() + static_cast<std::ptrdiff_t>(r.begin),
                entries_.begin() + static_cast<std::ptrdiff_t>(r.end), entry_before);
  }

  std::shared_ptr<const storage> owned_{};
  std::span<const node> nodes_{};
  std::span<const pod> pods_{};
  std::vector<std::uint32_t> node_order_{};           // indices into nodes_, by name, one per name
  eligibility_path path_{eligibility_path::classes};
  node_classes classes_{};                            // the nodes in name order, in classes
  std::vector<std::string_view> vanished_{};          // names targeted by pods but not nodes
  std::vector<std::string_view> duplicate_nodes_{};
  std::unordered_map<std::string_view, target_index> by_name_{};  // node and vanished names
  std::vector<pod_entry> entries_{};                  // grouped, each group in entry_before order
  std::unordered_map<group_key, range, group_hash> groups_{};
};

}  // namespace daemonplan
