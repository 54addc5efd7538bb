// daemonplan/cluster.hpp: a cluster snapshot, built once and shared by every DaemonSet reconciled
// against it: nodes in name order with a name lookup, pods grouped by (namespace, controller) and
// ordered by target node.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <daemonplan/detail/interner.hpp>
#include <daemonplan/detail/name_index.hpp>
#include <daemonplan/detail/prefetch.hpp>
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

/// What reconciling reads of a pod, taken once when the snapshot is built, so that reconciling walks
/// compact entries instead of the pods (each a few hundred bytes spread over the heap).
struct pod_facts {
  std::int64_t created{0};      ///< metadata.creationTimestamp, seconds since the epoch, when has_created
  std::int64_t ready_since{0};  ///< the first Ready condition's lastTransitionTime, when has_ready_since
  std::uint32_t label_set{0};   ///< the pod's labels, interned: cluster_snapshot::label_set(label_set)
  pod_phase phase{pod_phase::pending};
  bool scheduled{false};        ///< spec.nodeName is set
  bool terminating{false};      ///< metadata.deletionTimestamp is set
  bool ready{false};            ///< is_ready(): the first Ready condition has status True
  bool has_created{false};
  bool has_ready_since{false};

  /// The facts of `p`, with `label_set` left 0 (the snapshot interns labels).
  [[nodiscard]] static pod_facts of(const pod& p) noexcept {
    pod_facts f{.phase = p.phase,
                .scheduled = !p.spec.node_name.empty(),
                .terminating = p.metadata.deletion_timestamp.has_value(),
                .has_created = p.metadata.creation_timestamp.has_value()};
    if (f.has_created) f.created = p.metadata.creation_timestamp->time_since_epoch().count();
    if (const auto* c = find_condition(p.conditions, "Ready")) {
      f.ready = c->status == condition_status::true_;
      f.has_ready_since = c->last_transition_time.has_value();
      if (f.has_ready_since) f.ready_since = c->last_transition_time->time_since_epoch().count();
    }
    return f;
  }

  /// IsPodAvailable (types.hpp is_available) from the facts.
  [[nodiscard]] bool available(std::int32_t min_ready_seconds, timestamp now) const noexcept {
    if (!ready) return false;
    if (min_ready_seconds == 0) return true;
    return has_ready_since && ready_since + min_ready_seconds <= now.time_since_epoch().count();
  }
};

/// An immutable view of a cluster: nodes and pods indexed for reconciling many DaemonSets.
///
/// Built in O(nodes + pods) plus the sorts, with no per-DaemonSet work. Nodes are ordered by name
/// (a duplicate name keeps the node that sorts first by value; the others are ignored and listed by
/// duplicate_nodes()). Every indexed pod (all of them, or for a snapshot made for a list of
/// DaemonSets theirs and the orphans: indexes()) gets a *target*: an index into the nodes in name
/// order, or past them into the names of vanished nodes (targeted by pods but absent from the node
/// list), also in name order. Pods are grouped by (namespace, controller UID), orphans by namespace,
/// and inside a group ordered by (target, name, value), so a DaemonSet finds its pods per node
/// without a map.
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

  /// One pod with its target and its facts.
  struct pod_entry {
    const pod* object{nullptr};
    target_index target{no_target};
    pod_facts facts{};
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
    s.index_nodes(std::nullopt);
    s.index_pods();
    return s;
  }

  /// A snapshot for reconciling `daemon_sets`: node classes split only on the label keys these
  /// DaemonSets read (label_keys_read), so fewer labels are read and fewer classes made, and of the
  /// pods with a controller only theirs are indexed (orphans all are). indexes() tells which
  /// DaemonSets it serves; reconcile() gives any other one a snapshot of its own.
  [[nodiscard]] static cluster_snapshot make(std::span<const node> nodes, std::span<const pod> pods,
                                             std::span<const daemon_set> daemon_sets,
                                             eligibility_path path = eligibility_path::classes) {
    std::vector<std::string> keys;
    cluster_snapshot s;
    s.indexed_.emplace();
    for (const auto& ds : daemon_sets) {
      for (auto& key : label_keys_read(daemon_placement::make(ds))) keys.push_back(std::move(key));
      s.indexed_->emplace_back(ds.metadata.namespace_, ds.metadata.uid);
    }
    s.nodes_ = nodes;
    s.pods_ = pods;
    s.path_ = path;
    s.index_nodes(std::move(keys));
    s.index_pods();
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
    const auto t = by_name_.find(name);
    if (!t || *t >= node_count()) return std::nullopt;
    return *t;
  }
  /// Nodes plus vanished node names.
  [[nodiscard]] std::size_t target_count() const noexcept { return node_count() + vanished_.size(); }
  /// The node name of a target ("" for no_target).
  [[nodiscard]] std::string_view target_name(target_index t) const noexcept {
    if (t == no_target) return {};
    return by_name_.names()[t];
  }
  /// Names given to more than one node: only the first by value is used.
  [[nodiscard]] std::span<const std::string_view> duplicate_nodes() const noexcept { return duplicate_nodes_; }
  /// Every node of the snapshot, as given (input order, duplicates included).
  [[nodiscard]] std::span<const node> nodes() const noexcept { return nodes_; }
  /// Every pod of the snapshot, as given.
  [[nodiscard]] std::span<const pod> pods() const noexcept { return pods_; }
  /// True when controlled_by(ns, uid) holds every pod of that controller: always, unless the
  /// snapshot was made for a list of DaemonSets and this is not one of them.
  [[nodiscard]] bool indexes(std::string_view ns, std::string_view uid) const {
    return !indexed_ || std::ranges::any_of(*indexed_, [&](const auto& c) { return c.first == ns && c.second == uid; });
  }
  /// The number of distinct label maps among the indexed pods (see indexes()).
  [[nodiscard]] std::size_t label_set_count() const noexcept { return label_sets_.size(); }
  /// The labels of every pod whose facts have label_set `id`.
  [[nodiscard]] const label_map& label_set(std::uint32_t id) const noexcept { return label_sets_.first(id); }

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
      return detail::mix(detail::mix(detail::fingerprint(k.ns), detail::fingerprint(k.uid)), k.controlled ? 1 : 0);
    }
  };
  struct range {
    std::size_t begin{0};
    std::size_t end{0};
  };
  /// The target of an entry while the vanished names are not yet numbered.
  static constexpr target_index vanished_pending = no_target - 1;

  [[nodiscard]] std::span<const pod_entry> group(const group_key& key) const {
    const auto it = groups_.find(key);
    if (it == groups_.end()) return {};
    return std::span<const pod_entry>(entries_).subspan(it->second.begin, it->second.end - it->second.begin);
  }

  /// How many pods ahead index_pods asks for a pod's memory: the pods lie apart in memory and a
  /// pod's fields depend on one another (object, then its strings), so without asking ahead each
  /// pod waits for several memory round trips in turn.
  static constexpr std::size_t prefetch_distance = 8;

  /// Prefetches the lines of `p` itself that index_pods reads.
  static void prefetch_object(const pod& p) noexcept {
    detail::prefetch(&p.metadata.namespace_);
    detail::prefetch(&p.metadata.labels);
    detail::prefetch(&p.metadata.owner_references);
    detail::prefetch(&p.metadata.deletion_timestamp);
    detail::prefetch(&p.spec.node_name);
    detail::prefetch(&p.conditions);
  }

  /// Prefetches what `p` points to that index_pods reads (once prefetch_object's lines are in).
  static void prefetch_heap(const pod& p) noexcept {
    detail::prefetch(p.metadata.owner_references.data());
    detail::prefetch(p.spec.node_name.data());
    detail::prefetch_entries(p.metadata.labels, 8);  // a pod has a few labels
    detail::prefetch(p.conditions.data());
  }

  [[nodiscard]] static group_key key_of(const pod& p) noexcept {
    const auto* ref = controller_of(p.metadata);
    return {p.metadata.namespace_, ref ? std::string_view(ref->uid) : std::string_view{}, ref != nullptr};
  }

  // Nodes by name. One pass in memory order copies the names into one arena (so that looking a
  // name up compares against compact memory, not against each node's own string); keys of 16
  // bytes from after the prefix all names share are sorted (names read only on equal keys); the
  // names are then numbered in name order and entered in the name table in memory order, the
  // table's slots prefetched a few names ahead.
  void index_nodes(std::optional<std::vector<std::string>> class_keys) {
    const std::size_t n = nodes_.size();
    std::size_t bytes = 0;
    for (const auto& x : nodes_) bytes += x.metadata.name.size();
    auto arena = std::make_shared<std::string>();  // shared by copies of the snapshot
    arena->reserve(bytes);                          // never reallocated: the views below stay valid
    std::vector<std::string_view> names(n);         // in memory order, viewing the arena
    for (std::size_t i = 0; i < n; ++i) {
      const auto offset = arena->size();
      *arena += nodes_[i].metadata.name;
      names[i] = std::string_view(*arena).substr(offset);
    }
    std::size_t shared = n == 0 ? 0 : names[0].size();
    for (const auto name : names)
      shared = std::min<std::size_t>(shared, static_cast<std::size_t>(std::ranges::mismatch(names[0], name).in1 - names[0].begin()));
    struct keyed {  // 24 bytes
      detail::name_sort_key key;
      std::uint32_t index;
    };
    std::vector<keyed> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = {detail::name_sort_key::of(names[i], shared), static_cast<std::uint32_t>(i)};
    std::ranges::sort(keys, [&](const keyed& a, const keyed& b) {
      if (a.key != b.key) return a.key < b.key;
      if (names[a.index] != names[b.index]) return names[a.index] < names[b.index];
      return nodes_[a.index] < nodes_[b.index];
    });
    std::vector<std::uint32_t> number(n);  // by memory position: the name's number in name order
    node_order_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto name = names[keys[i].index];
      if (i == 0 || keys[i].key != keys[i - 1].key || name != names[keys[i - 1].index]) {
        node_order_.push_back(keys[i].index);
      } else if (duplicate_nodes_.empty() || duplicate_nodes_.back() != name) {
        duplicate_nodes_.push_back(name);
      }
      number[keys[i].index] = static_cast<std::uint32_t>(node_order_.size() - 1);
    }
    std::vector<keyed>().swap(keys);
    by_name_.insert_numbered(names, number);
    std::vector<std::uint32_t>().swap(number);
    std::vector<std::string_view>().swap(names);
    name_arena_ = std::move(arena);
    if (path_ == eligibility_path::classes) classes_ = node_classes::make(nodes_, node_order_, std::move(class_keys));
  }

  /// One pass over the pods in memory order takes each indexed pod's group, target and facts into
  /// entries_ (pods controlled by a controller the snapshot does not index, indexes(), are skipped
  /// after reading their ownerReferences); then the entries are put in (group, target) order by a counting sort
  /// and an in-place permutation, and runs of one group on one target sorted by name and value.
  /// Working memory beyond the entries: 8 bytes per pod and the target counts.
  void index_pods() {
    const std::size_t n = pods_.size();
    constexpr std::uint32_t skipped = std::numeric_limits<std::uint32_t>::max();
    entries_.reserve(n);
    std::vector<std::uint32_t> group_of;  // per entry; later, where the entry goes
    group_of.reserve(n);
    std::vector<range> group_ranges;      // by group id: begin counts entries until the offsets
    std::vector<std::uint32_t> id_of;     // group id -> its number among indexed groups, or skipped
    std::unordered_map<group_key, std::uint32_t, group_hash> ids;
    struct cached_group {
      group_key key;
      std::uint32_t id{skipped};
      bool used{false};
    };
    std::array<cached_group, 64> recent{};  // direct-mapped by hash: a cluster's few controllers hit here
    const auto group_id = [&](const pod& p) {  // the pod's group's number among indexed ones, or skipped
      const auto key = key_of(p);
      const auto h = group_hash{}(key);
      auto& c = recent[h % recent.size()];
      if (c.used && c.key == key) return c.id;
      const auto [it, added] = ids.try_emplace(key, static_cast<std::uint32_t>(id_of.size()));
      if (added) {
        const bool wanted = !key.controlled || indexes(key.ns, key.uid);
        id_of.push_back(wanted ? static_cast<std::uint32_t>(group_ranges.size()) : skipped);
        if (wanted) group_ranges.emplace_back();
      }
      c = {key, id_of[it->second], true};
      return c.id;
    };
    // in batches, so that the node name lookups (random reads) overlap: name_index::find_batch
    constexpr std::size_t batch = detail::name_index::batch_size;
    std::array<const pod*, batch> batch_pods{};
    std::array<std::uint32_t, batch> batch_groups{};
    std::array<bool, batch> batch_named{};         // the pod has a target name: the next in `names`
    std::array<std::string_view, batch> names{};
    std::array<std::optional<std::uint32_t>, batch> found{};
    std::size_t pending_count = 0;
    for (std::size_t i = 0; i < n;) {
      std::size_t size = 0;
      std::size_t named = 0;
      for (; i < n && size < batch; ++i) {
        if (i + 2 * prefetch_distance < n) prefetch_object(pods_[i + 2 * prefetch_distance]);
        if (i + prefetch_distance < n) prefetch_heap(pods_[i + prefetch_distance]);
        const pod& p = pods_[i];
        const auto g = group_id(p);
        if (g == skipped) continue;
        const auto name = target_node(p);
        batch_pods[size] = &p;
        batch_groups[size] = g;
        batch_named[size++] = name.has_value();
        if (name) names[named++] = *name;
      }
      by_name_.find_batch(std::span(names).first(named), std::span(found).first(named));
      named = 0;
      for (std::size_t k = 0; k < size; ++k) {
        const pod& p = *batch_pods[k];
        target_index target = no_target;
        if (batch_named[k]) {
          if (const auto t = found[named]) {
            target = *t;
          } else {
            target = vanished_pending;
            vanished_.push_back(names[named]);
            ++pending_count;
          }
          ++named;
        }
        auto facts = pod_facts::of(p);
        facts.label_set = intern_labels(p.metadata.labels);
        entries_.push_back({&p, target, facts});
        group_of.push_back(batch_groups[k]);
        ++group_ranges[batch_groups[k]].end;
      }
    }
    number_vanished(pending_count);
    order_entries(group_of, group_ranges);
    for (const auto& [key, id] : ids)
      if (id_of[id] != skipped) groups_.emplace(key, group_ranges[id_of[id]]);
  }

  /// Numbers the vanished names after the nodes, in name order, and gives the pending entries theirs.
  void number_vanished(std::size_t pending_count) {
    if (pending_count == 0) return;
    std::ranges::sort(vanished_);
    vanished_.erase(std::unique(vanished_.begin(), vanished_.end()), vanished_.end());
    for (const auto name : vanished_) by_name_.insert(name);  // numbered node_count() + j
    for (auto& e : entries_)
      if (e.target == vanished_pending) e.target = *by_name_.find(*target_node(*e.object));
  }

  /// Puts entries_ in (group, target, input) order, then each run of one group on one target in
  /// entry_before order. `group_of[k]`: the group of entry k (overwritten); `ranges[g].end`: the
  /// size of group g, made [begin, end) offsets here.
  void order_entries(std::vector<std::uint32_t>& group_of, std::vector<range>& ranges) {
    const std::size_t m = entries_.size();
    std::size_t next = 0;
    for (auto& r : ranges) {
      r.begin = next;
      next += r.end;
      r.end = r.begin;  // the next free position of the group while placing
    }
    {
      // by target: a stable counting sort of the entry numbers (no_target last)
      const auto bucket = [&](target_index t) { return t == no_target ? target_count() : std::size_t{t}; };
      std::vector<std::uint32_t> first(target_count() + 2, 0);
      for (const auto& e : entries_) ++first[bucket(e.target) + 1];
      for (std::size_t b = 1; b < first.size(); ++b) first[b] += first[b - 1];
      std::vector<std::uint32_t> by_target(m);
      for (std::size_t k = 0; k < m; ++k) by_target[first[bucket(entries_[k].target)]++] = static_cast<std::uint32_t>(k);
      for (const auto k : by_target) group_of[k] = static_cast<std::uint32_t>(ranges[group_of[k]].end++);
    }
    // group_of[k] is now where entry k goes: follow each cycle of the permutation
    for (std::size_t k = 0; k < m; ++k)
      while (group_of[k] != k) {
        const auto to = group_of[k];
        std::swap(entries_[k], entries_[to]);
        std::swap(group_of[k], group_of[to]);
      }
    for (const auto& r : ranges) {
      const auto group_end = entries_.begin() + static_cast<std::ptrdiff_t>(r.end);
      for (auto run = entries_.begin() + static_cast<std::ptrdiff_t>(r.begin); run != group_end;) {
        auto end = run + 1;
        while (end != group_end && end->target == run->target) ++end;
        if (end - run > 1) std::sort(run, end, entry_before);  // rare: one pod per node and controller is the norm
        run = end;
      }
    }
  }

  [[nodiscard]] std::uint32_t intern_labels(const label_map& labels) {
    std::uint64_t h = labels.size();
    for (const auto& [key, value] : labels) h = detail::mix(detail::mix(h, detail::fingerprint(key)), detail::fingerprint(value));
    return label_sets_.intern(labels, h, [&](const label_map& l, std::uint32_t id) { return l == label_sets_.first(id); });
  }

  std::shared_ptr<const storage> owned_{};
  std::span<const node> nodes_{};
  std::span<const pod> pods_{};
  std::vector<std::uint32_t> node_order_{};           // indices into nodes_, by name, one per name
  eligibility_path path_{eligibility_path::classes};
  node_classes classes_{};                            // the nodes in name order, in classes
  std::vector<std::string_view> vanished_{};          // names targeted by pods but not nodes
  std::shared_ptr<const std::string> name_arena_{};   // every node name, back to back
  std::vector<std::string_view> duplicate_nodes_{};
  detail::name_index by_name_{};                      // node names (in the arena), then vanished_: target
  std::vector<pod_entry> entries_{};                  // grouped, each group in entry_before order
  std::unordered_map<group_key, range, group_hash> groups_{};
  std::optional<std::vector<std::pair<std::string, std::string>>> indexed_{};  // (namespace, UID) served, if not all
  detail::interner<label_map> label_sets_{};          // the pods' distinct label maps
};

}  // namespace daemonplan
