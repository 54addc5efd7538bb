// daemonplan/reconcile.hpp: one upstream DaemonSet sync as a pure function: claim, index, eligible,
// manage, rollout, status. Returns the plan: creates, deletes, updates, status, requeue.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::int64_t
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <daemonplan/cluster.hpp>
#include <daemonplan/daemon_pod.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/detail/backoff.hpp>
#include <daemonplan/detail/daemon_pods.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/rollout.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/types.hpp>
#include <daemonplan/validate.hpp>

namespace daemonplan {

namespace detail {

using target_index = cluster_snapshot::target_index;
using pod_entry = cluster_snapshot::pod_entry;

/// A delete decided by manage or the rollout, before the burst cut and the output order.
struct pending_delete {
  target_index target{cluster_snapshot::no_target};
  delete_reason reason{delete_reason::node_ineligible};
  const pod* object{nullptr};
};

/// Node name, then pod name (then value): the order in which the burst keeps deletes.
[[nodiscard]] inline bool delete_before(const pending_delete& a, const pending_delete& b) {
  return cluster_snapshot::entry_before({a.object, a.target}, {b.object, b.target});
}

/// The first `limit` items are kept; the others are appended to `cut`.
template <typename T>
void cut_to(std::vector<T>& items, std::size_t limit, std::vector<T>& cut) {
  if (items.size() <= limit) return;
  cut.insert(cut.end(), items.begin() + static_cast<std::ptrdiff_t>(limit), items.end());
  items.resize(limit);
}

/// The number of distinct `key(item)` in `items` (which it sorts by key).
template <typename T, typename Key>
std::size_t count_distinct(std::vector<T>& items, Key key) {
  std::ranges::sort(items, {}, key);
  const auto end = std::unique(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) == key(b); });
  return static_cast<std::size_t>(end - items.begin());
}

/// Appends the errors of `ds`, already defaulted as the API server stores it, to `errors`: what the
/// server would reject is reported, whatever the caller built. True when the sync may go on: no
/// error outside spec.updateStrategy. Invalid budgets do not stop it, as upstream copes with them
/// (both 0: maxUnavailable falls back to 1; both non-zero: the surge algorithm runs).
[[nodiscard]] inline bool check_spec(const daemon_set& ds, std::vector<error>& errors) {
  bool sync = true;
  for (auto& e : validate(ds)) {
    if (!e.field.starts_with("spec.updateStrategy")) sync = false;
    errors.push_back(std::move(e));
  }
  return sync;
}

/// What one sync makes of a label map: whether the selector selects it, whether a pod with it is
/// updated (IsPodUpdated) and whether it carries the current revision hash.
class label_answers {
 public:
  label_answers() = default;
  label_answers(bool selected, bool updated, bool current_hash) noexcept
      : bits_(static_cast<std::uint8_t>(known_bit | (selected ? selected_bit : 0) | (updated ? updated_bit : 0) |
                                        (current_hash ? current_hash_bit : 0))) {}

  [[nodiscard]] bool known() const noexcept { return bits_ != 0; }
  [[nodiscard]] bool selected() const noexcept { return (bits_ & selected_bit) != 0; }
  [[nodiscard]] bool updated() const noexcept { return (bits_ & updated_bit) != 0; }
  [[nodiscard]] bool current_hash() const noexcept { return (bits_ & current_hash_bit) != 0; }

 private:
  static constexpr unsigned known_bit = 1;
  static constexpr unsigned selected_bit = 2;
  static constexpr unsigned updated_bit = 4;
  static constexpr unsigned current_hash_bit = 8;
  std::uint8_t bits_{0};  // 0: not computed
};

/// label_answers per label map the sync meets, computed once per distinct map
/// (cluster_snapshot::label_set: a DaemonSet's pods share a few) and kept in one byte per label set
/// id up to the largest id asked about.
class label_set_answers {
 public:
  label_set_answers(const cluster_snapshot& cluster, const label_selector_matcher& selector, std::string_view revision,
                    std::optional<std::int64_t> generation)
      : cluster_(cluster), selector_(selector), revision_(revision), generation_(generation) {}

  /// The answers for the labels of label set `set`.
  [[nodiscard]] label_answers of(std::uint32_t set) {
    if (set < memo_.size() && memo_[set].known()) [[likely]]
      return memo_[set];
    return answer(set);
  }

 private:
  // Out of line, so that the lookup above stays small enough to be inlined on the per-pod path.
  [[gnu::noinline]] label_answers answer(std::uint32_t set) {
    if (set >= memo_.size()) memo_.resize(std::size_t{set} + 1);
    const auto& labels = cluster_.label_set(set);
    const auto hash = labels.find(revision_hash_label);
    return memo_[set] = {selector_.matches(labels), is_pod_updated(labels, revision_, generation_),
                         hash != labels.end() && hash->second == revision_};
  }

  const cluster_snapshot& cluster_;
  const label_selector_matcher& selector_;
  std::string_view revision_;
  std::optional<std::int64_t> generation_;
  std::vector<label_answers> memo_{};
};

/// daemon_pod_before() (§3.4) on snapshot entries: the facts decide unless scheduling and creation
/// time tie, then the pods' names and values do.
[[nodiscard]] inline bool daemon_pod_before(const pod_entry& a, const pod_entry& b) {
  if (a.facts.scheduled != b.facts.scheduled) return a.facts.scheduled;
  if (a.facts.has_created != b.facts.has_created) return !a.facts.has_created;
  if (a.facts.created != b.facts.created && a.facts.has_created) return a.facts.created < b.facts.created;
  return daemon_pod_before(*a.object, *b.object);
}

/// One of the DaemonSet's pods, with what its labels mean to the DaemonSet.
struct claimed_pod {
  const pod_entry* entry{nullptr};
  label_answers labels{};
};

/// The DaemonSet's pods after ClaimPods (§3.1) and getNodesToDaemonPods' filter, walked target by
/// target in (target, name, value) order without being copied: the owned pods the selector matches
/// merged with the adopted orphans (those the selector matches and that are not terminating), less
/// pods without a target and terminal pods that are terminating. The patches are appended to
/// `updates`: adopt for each adopted orphan when made, release for each owned pod the selector no
/// longer matches as the walk passes it (so the walk must be taken to its end, target() ==
/// no_target, before `updates` is complete).
class claimed_pods {
 public:
  claimed_pods(const daemon_set& ds, label_set_answers& labels, const cluster_snapshot& cluster,
               std::vector<update_action>& updates)
      : labels_(labels), cluster_(cluster), updates_(updates),
        owned_(cluster.controlled_by(ds.metadata.namespace_, ds.metadata.uid)) {
    const auto owner = controller_reference(ds);
    for (const auto& e : cluster.orphans(ds.metadata.namespace_)) {
      if (e.facts.terminating || !labels.of(e.facts.label_set).selected()) continue;
      patch(e, update_kind::adopt, owner);
      if (e.target != cluster_snapshot::no_target) adopted_.push_back(&e);
    }
    skip_owned();
    fix_target();
  }

  /// The target of the next pod, no_target once every pod was taken.
  [[nodiscard]] target_index target() const noexcept { return target_; }

  /// The pods of target(), in (name, value) order, into `out` (cleared first). Always inlined
  /// (like manage()): its one caller runs it per node, and out of line its call costs ~10% of a
  /// converged sync.
  [[gnu::always_inline]] void take(std::vector<claimed_pod>& out) {
    out.clear();
    const auto t = target_;
    for (; owned_at_ < owned_.size() && owned_[owned_at_].target == t; skip_owned()) {
      out.push_back({&owned_[owned_at_], owned_labels_});
      ++owned_at_;
    }
    const auto owned_count = out.size();
    for (; adopted_at_ < adopted_.size() && adopted_[adopted_at_]->target == t; ++adopted_at_)
      out.push_back({adopted_[adopted_at_], labels_.of(adopted_[adopted_at_]->facts.label_set)});
    if (owned_count != 0 && owned_count != out.size())  // both kinds on one node: rare
      std::ranges::sort(out, [](const claimed_pod& a, const claimed_pod& b) {
        return cluster_snapshot::entry_before(*a.entry, *b.entry);
      });
    fix_target();
  }

 private:
  void patch(const pod_entry& e, update_kind kind, owner_reference owner) {
    updates_.push_back({.namespace_ = e.object->metadata.namespace_,
                        .name = e.object->metadata.name,
                        .node = std::string(cluster_.target_name(e.target)),
                        .action = kind,
                        .owner = std::move(owner)});
  }

  /// Skips the owned pods that do not count from owned_at_ on, releasing those the selector no
  /// longer matches; keeps the answers for the one it stops at.
  void skip_owned() {
    for (; owned_at_ < owned_.size(); ++owned_at_) {
      const auto& e = owned_[owned_at_];
      owned_labels_ = labels_.of(e.facts.label_set);
      if (!owned_labels_.selected()) {
        patch(e, update_kind::release, *controller_of(e.object->metadata));
        continue;
      }
      if (e.target != cluster_snapshot::no_target && !(is_terminal(e.facts.phase) && e.facts.terminating)) return;
    }
  }

  void fix_target() noexcept {
    const auto owned = owned_at_ < owned_.size() ? owned_[owned_at_].target : cluster_snapshot::no_target;
    const auto adopted = adopted_at_ < adopted_.size() ? adopted_[adopted_at_]->target : cluster_snapshot::no_target;
    target_ = std::min(owned, adopted);
  }

  label_set_answers& labels_;
  const cluster_snapshot& cluster_;
  std::vector<update_action>& updates_;
  std::span<const pod_entry> owned_;
  std::size_t owned_at_{0};
  label_answers owned_labels_{};  ///< those of owned_[owned_at_]
  std::vector<const pod_entry*> adopted_{};
  std::size_t adopted_at_{0};
  target_index target_{cluster_snapshot::no_target};
};

/// Everything one sync reads, fixed before the first decision.
struct sync_input {
  const daemon_set& ds;
  const cluster_snapshot& cluster;
  const reconcile_options& opts;
  const std::string& revision;
  bool surge{false};  ///< AllowsSurge
};

/// A pod and the time left until something about it changes on its own.
struct pod_wait {
  const pod* object{nullptr};
  std::chrono::seconds wait{0};
};

/// manage's decisions (§3.3): nodes needing a pod and deletes, both in node-name order (deletes:
/// node name, then pod name), and the Failed pods the backoff held back; with sync_targets' Ready
/// pods not yet available (minReadySeconds still running), for next_change.
struct manage_result {
  std::vector<target_index> creates{};
  std::vector<pending_delete> deletes{};
  std::vector<pod_wait> held{};
  std::vector<pod_wait> maturing{};
};

/// updateDaemonSetStatus (§5) for one node of the list, its claimed pods `pods`: the oldest pod
/// (§3.4) decides ready, available and updated.
inline void observe(const sync_input& in, node_verdict verdict, std::span<const claimed_pod> pods, daemon_set_status& s) {
  const bool scheduled = !pods.empty();
  if (!verdict.should_run) {
    if (scheduled) ++s.number_misscheduled;
    return;
  }
  ++s.desired_number_scheduled;
  if (!scheduled) return;
  ++s.current_number_scheduled;
  const auto& first = *std::ranges::min_element(pods, [](const claimed_pod& a, const claimed_pod& b) {
    return daemon_pod_before(*a.entry, *b.entry);
  });
  const auto& p = first.entry->facts;
  if (p.ready) ++s.number_ready;
  if (p.available(in.ds.spec.min_ready_seconds, in.opts.now)) ++s.number_available;
  if (first.labels.updated()) ++s.updated_number_scheduled;
}

/// What manage decided for one target: whether it creates a pod there, and where the target's
/// deletes begin in manage_result::deletes (they run to its end).
struct node_actions {
  bool create{false};
  std::size_t first_delete{0};
};

/// manage (§3.3) for target `t` with claimed pods `pods`. A vanished node (`exists` false): pods
/// pinned only by affinity are deleted, even when terminating (upstream), and those bound by
/// spec.nodeName too unless delete_pods_on_vanished_nodes is off (upstream leaves them to the pod
/// garbage collector) or they are terminating (already going: deleting them again would re-plan
/// them every sync). A node where the pod may continue running (podsShouldBeOnNode's Branch B):
/// Failed pods behind the backoff, Succeeded pods, then one running pod kept (no surge: the
/// oldest, §3.4) or two (surge: the oldest labelled with the current hash and the oldest not), the
/// other running pods deleted as duplicates; the pods are walked in name order (upstream: informer
/// cache order), which decides which of two Failed pods goes first. The target's deletes, decided
/// in the order of its checks, are then put in pod name order.
[[gnu::always_inline]] inline node_actions manage(const sync_input& in, target_index t, bool exists,
                                                  node_verdict verdict, std::span<const claimed_pod> pods,
                                                  reconcile_state& state, manage_result& out) {
  node_actions actions{.first_delete = out.deletes.size()};
  const auto remove = [&](const pod_entry* e, delete_reason why) { out.deletes.push_back({t, why, e->object}); };
  if (!exists) {
    for (const auto& [e, labels] : pods)
      if (!e->facts.scheduled || (in.opts.delete_pods_on_vanished_nodes && !e->facts.terminating))
        remove(e, delete_reason::node_gone);
  } else if (pods.empty()) {
    actions.create = verdict.should_run;
  } else if (!verdict.should_continue_running) {
    for (const auto& [e, labels] : pods)
      if (!e->facts.terminating) remove(e, delete_reason::node_ineligible);
  } else {
    const pod_entry* oldest_new = nullptr;  // without surge: the oldest running pod
    const pod_entry* oldest_old = nullptr;
    std::size_t running = 0;
    for (const auto& c : pods) {  // not a structured binding: Clang 14 lambdas cannot capture one
      const pod_entry* e = c.entry;
      const auto& p = e->facts;
      if (p.terminating) continue;
      if (p.phase == pod_phase::failed) {
        if (const auto wait = failed_pod_backoff(state, in.ds, in.cluster.target_name(t), in.opts.now))
          out.held.push_back({e->object, *wait});
        else
          remove(e, delete_reason::failed);
      } else if (p.phase == pod_phase::succeeded) {
        remove(e, delete_reason::succeeded);
      } else {
        ++running;
        const auto older = [&](const pod_entry* kept) { return !kept || daemon_pod_before(*e, *kept); };
        if (!in.surge || c.labels.current_hash()) {
          if (older(oldest_new)) oldest_new = e;
        } else if (older(oldest_old)) {
          oldest_old = e;
        }
      }
    }
    if (running > std::size_t{oldest_new != nullptr} + std::size_t{oldest_old != nullptr})
      for (const auto& [e, labels] : pods)
        if (!e->facts.terminating && !is_terminal(e->facts.phase) && e != oldest_new && e != oldest_old)
          remove(e, delete_reason::duplicate);
    actions.create = in.surge && !oldest_new && !oldest_old && verdict.should_run;
    if (in.surge && oldest_new && oldest_old &&
        (!oldest_old->facts.ready || oldest_new->facts.available(in.ds.spec.min_ready_seconds, in.opts.now)))
      remove(oldest_old, delete_reason::surge_replaced);
  }
  if (actions.create) out.creates.push_back(t);
  if (out.deletes.size() - actions.first_delete > 1)
    std::sort(out.deletes.begin() + static_cast<std::ptrdiff_t>(actions.first_delete), out.deletes.end(), delete_before);
  return actions;
}

/// The rollout's view of target `t` on the state after manage's kept actions (as upstream's unit
/// tests observe it, their fake client applying what manage's syncNodes issued): `pods` less those
/// `deleted` names, plus `created` (new, not Ready, not terminating) when manage's create there is
/// kept. Added to `rollout` when the node should run the pod or has pods after manage.
inline void roll(const sync_input& in, target_index t, bool exists, bool should_run, std::span<const claimed_pod> pods,
                 std::span<const pending_delete> deleted, const pod* created, const rollout_pod_state& created_state,
                 rollout_planner& rollout) {
  updated_pods found;
  bool any = false;
  for (const auto& [e, labels] : pods) {
    if (std::ranges::find(deleted, e->object, &pending_delete::object) != deleted.end()) continue;
    any = true;
    found.add(e->object, {.terminating = e->facts.terminating,
                          .updated = labels.updated(),
                          .available = e->facts.available(in.ds.spec.min_ready_seconds, in.opts.now)});
  }
  if (created) {
    any = true;
    found.add(created, created_state);
  }
  if (!any && !should_run) return;
  rollout.add(t, exists ? std::string_view{} : in.cluster.target_name(t), exists, should_run, found);
}

/// The time left until the plan could change without new input: the earliest end of a backoff
/// holding back a Failed pod, or of a Ready pod's minReadySeconds, over the pods `deleted` (sorted)
/// does not hold; nullopt if none.
[[nodiscard]] inline std::optional<std::chrono::seconds> next_change(const manage_result& managed,
                                                                     std::span<const pod* const> deleted) {
  std::optional<std::chrono::seconds> wait;
  for (const auto& waits : {std::span<const pod_wait>(managed.held), std::span<const pod_wait>(managed.maturing)})
    for (const auto& w : waits)
      if (!std::ranges::binary_search(deleted, w.object)) wait = std::min(wait.value_or(w.wait), w.wait);
  return wait;
}

/// One pass over the targets in order (the nodes in name order, then vanished nodes) and the
/// DaemonSet's pods on each: status (of the observed pods), manage, and the rollout on the state
/// after manage's actions that the burst keeps (manage's first `opts.burst_replicas` creates and
/// deletes in order). `rollout` is null when there is no rollout to feed.
[[nodiscard]] inline manage_result sync_targets(const sync_input& in, std::span<const node_verdict> verdicts,
                                                claimed_pods& mine, reconcile_state& state, daemon_set_status& status,
                                                const pod& created, rollout_planner* rollout) {
  manage_result out;
  std::vector<claimed_pod> pods;  // the target's pods
  const rollout_context ctx{.revision = in.revision, .template_generation = template_generation(in.ds), .now = in.opts.now};
  const auto created_state = rollout_state_of(created, in.ds, ctx);
  const std::chrono::seconds min_ready{in.ds.spec.min_ready_seconds};
  const auto burst = in.opts.burst_replicas;
  // the nodes in order (n < verdicts.size()), then the vanished targets with pods
  for (std::size_t n = 0;; ++n) {
    const bool exists = n < verdicts.size();
    const auto t = exists ? static_cast<target_index>(n) : mine.target();
    const auto verdict = exists ? verdicts[n] : node_verdict{};
    if (mine.target() == t && t != cluster_snapshot::no_target)
      mine.take(pods);
    else if (verdict.should_run)
      pods.clear();
    else if (exists)
      continue;  // nothing to observe, manage or roll out
    else
      break;  // every pod was taken
    if (min_ready > std::chrono::seconds::zero())
      for (const auto& [e, labels] : pods) {
        if (!e->facts.ready || !e->facts.has_ready_since) continue;
        const auto at = timestamp(std::chrono::seconds(e->facts.ready_since)) + min_ready;
        if (at > in.opts.now) out.maturing.push_back({e->object, at - in.opts.now});
      }
    const std::span<const claimed_pod> here = pods;
    if (exists) observe(in, verdict, here, status);
    const auto creates_before = out.creates.size();
    const auto actions = manage(in, t, exists, verdict, here, state, out);
    if (!rollout) continue;
    // what the burst keeps of them: manage's first `burst` creates and deletes
    const std::span<const pending_delete> deleted = out.deletes;
    const auto kept_end = std::max(actions.first_delete, std::min(deleted.size(), burst));
    roll(in, t, exists, verdict.should_run, here, deleted.subspan(actions.first_delete, kept_end - actions.first_delete),
         actions.create && creates_before < burst ? &created : nullptr, created_state, *rollout);
  }
  return out;
}

}  // namespace detail

/// One sync of DaemonSet `ds` against `cluster` at `opts.now`, as the upstream controller performs
/// it with its expectations satisfied (`pkg/controller/daemon`, spec/kubernetes-controller.md):
///
/// 1. An empty selector (`{}`) plans nothing and reports SelectingAll in `errors`; a DaemonSet
///    with a deletionTimestamp plans nothing. Neither writes status: `status` is `ds.status`.
/// 2. The sync works on apply_defaults(ds) throughout, the object as the API server stores it: an
///    unset strategy type is RollingUpdate, a null maxUnavailable 1, a null maxSurge 0, an empty
///    restartPolicy Always (also in the created pods and the computed revision hash).
///    Validation: the errors of the defaulted object, i.e. what the API server would reject, go to
///    `errors`. Errors under spec.updateStrategy are only reported: upstream runs with invalid
///    budgets (both 0: maxUnavailable falls back to 1; both non-zero: the surge algorithm runs, and
///    manage uses the surge rules); any other error (a selector that does not match the template,
///    no containers, ...) cancels the whole sync (status unchanged).
/// 3. claim: adopt matching orphans (not terminating), release owned pods that no longer match.
/// 4. manage, node by node in name order: create where the pod should run and none exists; delete
///    Failed pods (behind the per-node backoff carried in `state`), Succeeded pods, duplicates,
///    pods where the pod may not continue running, pods of vanished nodes (NodeGone: those pinned
///    by affinity, terminating or not, as upstream; those bound by spec.nodeName unless terminating
///    or opts.delete_pods_on_vanished_nodes is off); surge-aware.
/// 5. rollout (RollingUpdate only) on the state after manage's kept actions: delete-first or
///    create-first; only its runtime errors, those upstream's rollingUpdate also returns (a budget
///    that does not scale, such as "abc" or "5"; a surge meeting an old pod bound to a vanished
///    node), cancel the rollout's actions, and are reported.
/// 6. status: the seven counters and observedGeneration of the **observed input** (before this
///    plan's actions), as the real controller writes them from its informer cache. (Upstream's unit
///    tests see post-action counts through their synchronous fake client; daemonplan does not.)
///
/// At most `opts.burst_replicas` creates and as many deletes are kept: manage's first (upstream
/// issues them in its first syncNodes), the first by node name (deletes: node name, then pod
/// name); the rollout is computed on the state those kept actions leave and gets what remains of
/// the burst, again by node name. `creates_deferred` / `deletes_deferred` count the pending actions
/// cut, each node (create) or pod (delete) once even when manage and the rollout both planned it
/// (the rollout sees a pod whose manage delete was cut, and may plan it again): a later sync plans
/// them again. `next_state` is `state` with the backoff advanced and expired entries dropped. The
/// result is the same, byte for byte, whatever the order of the snapshot's input vectors.
///
/// `requeue_after` is daemonplan's choice of "the earliest future time at which the plan could
/// change without any new input": the exact time left until a backoff holding back a Failed pod
/// ends, or until a Ready pod becomes available (lastTransitionTime + minReadySeconds), whichever
/// comes first; pods this plan deletes are left out (a Failed pod the rollout deletes while its
/// node is in backoff asks for no requeue); nullopt if nothing is pending. Upstream requeues after
/// the full current backoff delay, and after minReadySeconds when numberReady != numberAvailable.
/// An error sets no requeue_after: upstream requeues a failed sync through its rate limiter; here
/// the caller retries.
[[nodiscard]] inline plan reconcile(const daemon_set& given, const cluster_snapshot& cluster, const reconcile_options& opts,
                                    const reconcile_state& state = {}) {
  const daemon_set ds = apply_defaults(given);
  plan out{.status = ds.status, .next_state = state};
  if (ds.spec.selector && ds.spec.selector->match_labels.empty() && ds.spec.selector->match_expressions.empty()) {
    out.errors.push_back({error_code::invalid, "spec.selector",
                          "SelectingAll: an empty selector selects every pod in the namespace; the controller does nothing"});
    return out;
  }
  if (ds.metadata.deletion_timestamp) return out;
  if (!detail::check_spec(ds, out.errors)) return out;
  if (!cluster.indexes(ds.metadata.namespace_, ds.metadata.uid))  // made for other DaemonSets
    return reconcile(given, cluster_snapshot::make(cluster.nodes(), cluster.pods(), std::span(&given, 1)), opts, state);
  const auto selector = label_selector_matcher::make(ds.spec.selector);
  if (!selector) {  // validate() rejects every selector that does not compile; kept for totality
    out.errors.push_back(selector.error());
    return out;
  }

  out.revision = current_revision(ds);
  const auto verdicts = cluster.verdicts(daemon_placement::make(ds));
  detail::label_set_answers labels(cluster, *selector, out.revision, template_generation(ds));
  detail::claimed_pods mine(ds, labels, cluster, out.updates);
  const detail::sync_input in{.ds = ds, .cluster = cluster, .opts = opts, .revision = out.revision,
                              .surge = allows_surge(ds)};
  const auto desired = static_cast<std::int64_t>(std::ranges::count_if(verdicts, &node_verdict::should_run));
  auto rollout = detail::rollout_planner::make(ds, desired);
  const auto prototype = daemon_pod_prototype(ds, out.revision);
  out.status = daemon_set_status{.observed_generation = ds.metadata.generation, .collision_count = ds.status.collision_count};
  // burst: manage's actions first (upstream's first syncNodes), the first by node name; the rollout
  // sees what the kept manage actions leave, and gets what is left of the burst
  auto managed = detail::sync_targets(in, verdicts, mine, out.next_state, out.status, prototype, rollout ? &*rollout : nullptr);
  out.status.number_unavailable = out.status.desired_number_scheduled - out.status.number_available;
  auto& creates = managed.creates;
  auto& deletes = managed.deletes;
  std::vector<detail::target_index> creates_cut;
  std::vector<detail::pending_delete> deletes_cut;
  detail::cut_to(creates, opts.burst_replicas, creates_cut);
  detail::cut_to(deletes, opts.burst_replicas, deletes_cut);
  const auto step = rollout ? std::move(*rollout).finish() : result<rollout_step>(rollout.error());
  if (!step) {
    out.errors.push_back(step.error());
  } else {
    std::vector<detail::target_index> more_creates;
    std::vector<detail::pending_delete> more_deletes;
    for (const auto t : step->creates) more_creates.push_back(static_cast<detail::target_index>(t));
    for (const auto& d : step->deletes) more_deletes.push_back({static_cast<detail::target_index>(d.node), d.reason, d.object});
    std::ranges::sort(more_creates);
    std::ranges::sort(more_deletes, detail::delete_before);
    detail::cut_to(more_creates, opts.burst_replicas - creates.size(), creates_cut);
    detail::cut_to(more_deletes, opts.burst_replicas - deletes.size(), deletes_cut);
    creates.insert(creates.end(), more_creates.begin(), more_creates.end());
    deletes.insert(deletes.end(), more_deletes.begin(), more_deletes.end());
    std::ranges::sort(creates);
  }
  out.creates_deferred = detail::count_distinct(creates_cut, [](detail::target_index t) { return t; });
  out.deletes_deferred = detail::count_distinct(deletes_cut, [](const detail::pending_delete& d) { return d.object; });

  out.creates.reserve(creates.size());
  for (const auto t : creates) {
    const auto name = cluster.target_name(t);
    out.creates.push_back({.node = std::string(name), .pod = prototype});
    pin_to_node(out.creates.back().pod.spec, name);
  }
  out.deletes.reserve(deletes.size());
  std::vector<const pod*> deleted;
  deleted.reserve(deletes.size());
  for (const auto& d : deletes) {
    out.deletes.push_back({.namespace_ = d.object->metadata.namespace_, .name = d.object->metadata.name,
                           .node = std::string(cluster.target_name(d.target)), .reason = d.reason});
    deleted.push_back(d.object);
  }
  std::ranges::sort(out.deletes);
  std::ranges::sort(out.updates);
  std::ranges::sort(deleted);

  out.requeue_after = detail::next_change(managed, deleted);
  detail::backoff_gc(out.next_state, opts.now);
  return out;
}

/// reconcile() against a one-off snapshot viewing `nodes` and `pods` (no copy of either), its
/// node classes made for `ds` alone.
[[nodiscard]] inline plan reconcile(const daemon_set& ds, std::span<const node> nodes, std::span<const pod> pods,
                                    const reconcile_options& opts, const reconcile_state& state = {}) {
  return reconcile(ds, cluster_snapshot::make(nodes, pods, std::span(&ds, 1)), opts, state);
}

/// How the DaemonSet is deleted (metav1.DeletionPropagation). apps/v1 defaults to background.
enum class deletion_propagation { background, foreground, orphan };

/// What the garbage collector does to the pods of a deleted DaemonSet (§6), as a plan (the
/// controller itself never deletes pods for this): background and foreground delete every pod in
/// the DaemonSet's namespace with an ownerReference to its UID (terminating ones excepted) with
/// reason OwnerDeleted; orphan releases each of them (removes that ownerReference; the pods keep
/// their labels, so a later DaemonSet with a matching selector adopts them). `status` is
/// `ds.status`; nothing else is set.
[[nodiscard]] inline plan plan_cascade(const daemon_set& ds, std::span<const pod> pods, deletion_propagation propagation) {
  plan out{.status = ds.status};
  for (const auto& p : pods) {
    if (p.metadata.namespace_ != ds.metadata.namespace_) continue;
    const auto ref = std::ranges::find(p.metadata.owner_references, ds.metadata.uid, &owner_reference::uid);
    if (ref == p.metadata.owner_references.end()) continue;
    const std::string node(target_node(p).value_or(std::string_view{}));
    if (propagation == deletion_propagation::orphan)
      out.updates.push_back({.namespace_ = p.metadata.namespace_, .name = p.metadata.name, .node = node,
                             .action = update_kind::release, .owner = *ref});
    else if (!detail::is_terminating(p))
      out.deletes.push_back({.namespace_ = p.metadata.namespace_, .name = p.metadata.name, .node = node,
                             .reason = delete_reason::owner_deleted});
  }
  std::ranges::sort(out.deletes);
  std::ranges::sort(out.updates);
  return out;
}

}  // namespace daemonplan
