// daemonplan/reconcile.hpp: one upstream DaemonSet sync as a pure function: claim, index, eligible,
// manage, rollout, status. Returns the plan: creates, deletes, updates, status, requeue.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::int64_t
#include <iterator>  // std::back_inserter
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// A delete decided by manage or the rollout, before the burst cut and the output order;
/// `index` is the position in the DaemonSet's pods (daemon_pods::pods) of a delete manage decided.
struct pending_delete {
  target_index target{cluster_snapshot::no_target};
  const pod* object{nullptr};
  delete_reason reason{delete_reason::node_ineligible};
  std::size_t index{0};
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

/// What one sync makes of each label map it meets: whether the selector selects it, whether a pod
/// with it is updated (IsPodUpdated) and whether it carries the current revision hash. Computed
/// once per distinct label map (cluster_snapshot::label_set): a DaemonSet's pods share a few.
class label_set_answers {
 public:
  label_set_answers(const cluster_snapshot& cluster, const label_selector_matcher& selector, std::string_view revision,
                    std::optional<std::int64_t> generation)
      : cluster_(cluster), selector_(selector), revision_(revision), generation_(generation) {}

  [[nodiscard]] bool selected(std::uint32_t set) { return of(set).selected; }
  [[nodiscard]] bool updated(std::uint32_t set) { return of(set).updated; }
  [[nodiscard]] bool current_hash(std::uint32_t set) { return of(set).current_hash; }

 private:
  struct answers {
    bool selected{false};
    bool updated{false};
    bool current_hash{false};
  };

  const answers& of(std::uint32_t set) {
    if (set == last_set_) return last_;
    const auto [it, added] = memo_.try_emplace(set);
    if (added) {
      const auto& labels = cluster_.label_set(set);
      const auto hash = labels.find(revision_hash_label);
      it->second = {.selected = selector_.matches(labels),
                    .updated = is_pod_updated(labels, revision_, generation_),
                    .current_hash = hash != labels.end() && hash->second == revision_};
    }
    last_set_ = set;
    last_ = it->second;
    return last_;
  }

  const cluster_snapshot& cluster_;
  const label_selector_matcher& selector_;
  std::string_view revision_;
  std::optional<std::int64_t> generation_;
  std::unordered_map<std::uint32_t, answers> memo_{};
  std::uint32_t last_set_{~std::uint32_t{0}};
  answers last_{};
};

/// daemon_pod_before() (§3.4) on snapshot entries: the facts decide unless scheduling and creation
/// time tie, then the pods' names and values do.
[[nodiscard]] inline bool daemon_pod_before(const pod_entry& a, const pod_entry& b) {
  if (a.facts.scheduled != b.facts.scheduled) return a.facts.scheduled;
  if (a.facts.has_created != b.facts.has_created) return !a.facts.has_created;
  if (a.facts.created != b.facts.created && a.facts.has_created) return a.facts.created < b.facts.created;
  return daemon_pod_before(*a.object, *b.object);
}

/// ClaimPods (§3.1) over the snapshot's groups: owned pods the selector matches are kept, the others
/// released; orphans the selector matches and that are not terminating are adopted. Returns the
/// claimed pods (the snapshot's entries) in (target, name, value) order and appends the patches to
/// `updates`.
[[nodiscard]] inline std::vector<const pod_entry*> claim(const daemon_set& ds, label_set_answers& labels,
                                                  const cluster_snapshot& cluster, std::vector<update_action>& updates) {
  const auto& ns = ds.metadata.namespace_;
  const auto patch = [&](const pod_entry& e, update_kind kind, owner_reference owner) {
    updates.push_back({.namespace_ = e.object->metadata.namespace_,
                       .name = e.object->metadata.name,
                       .node = std::string(cluster.target_name(e.target)),
                       .action = kind,
                       .owner = std::move(owner)});
  };
  std::vector<const pod_entry*> owned;
  for (const auto& e : cluster.controlled_by(ns, ds.metadata.uid)) {
    if (labels.selected(e.facts.label_set))
      owned.push_back(&e);
    else
      patch(e, update_kind::release, *controller_of(e.object->metadata));
  }
  std::vector<const pod_entry*> adopted;
  const auto owner = controller_reference(ds);
  for (const auto& e : cluster.orphans(ns)) {
    if (e.facts.terminating || !labels.selected(e.facts.label_set)) continue;
    adopted.push_back(&e);
    patch(e, update_kind::adopt, owner);
  }
  if (adopted.empty()) return owned;
  std::vector<const pod_entry*> claimed;
  claimed.reserve(owned.size() + adopted.size());
  std::ranges::merge(owned, adopted, std::back_inserter(claimed),
                     [](const pod_entry* a, const pod_entry* b) { return cluster_snapshot::entry_before(*a, *b); });
  return claimed;
}

/// The DaemonSet's pods per target after getNodesToDaemonPods' filter (terminal and terminating
/// pods dropped; pods without a target count nowhere): `pods` in (target, name, value) order and
/// `offsets`, one more than targets, so that target t holds pods[offsets[t], offsets[t + 1]).
struct daemon_pods {
  std::vector<const pod_entry*> pods{};  ///< the snapshot's entries
  std::vector<std::size_t> offsets{};

  [[nodiscard]] static daemon_pods index(std::vector<const pod_entry*> claimed, std::size_t target_count) {
    daemon_pods out;
    std::erase_if(claimed, [](const pod_entry* e) {
      const bool terminal = e->facts.phase == pod_phase::failed || e->facts.phase == pod_phase::succeeded;
      return e->target == cluster_snapshot::no_target || (terminal && e->facts.terminating);
    });
    out.pods = std::move(claimed);
    out.offsets.assign(target_count + 1, 0);
    for (const auto* e : out.pods) ++out.offsets[e->target + 1];
    for (std::size_t t = 0; t < target_count; ++t) out.offsets[t + 1] += out.offsets[t];
    return out;
  }
  [[nodiscard]] std::size_t begin(std::size_t t) const noexcept { return offsets[t]; }
  [[nodiscard]] std::size_t end(std::size_t t) const noexcept { return offsets[t + 1]; }
  [[nodiscard]] bool empty(std::size_t t) const noexcept { return begin(t) == end(t); }
};

/// Everything one sync reads, fixed before the first decision.
struct sync_input {
  const daemon_set& ds;
  const cluster_snapshot& cluster;
  const reconcile_options& opts;
  const std::vector<node_verdict>& verdicts;
  const daemon_pods& mine;
  const std::string& revision;
  bool surge{false};  ///< AllowsSurge
  label_set_answers& labels;  ///< what the pods' label maps mean to this DaemonSet
};

/// A Failed pod manage held back, and the time left of the backoff that holds it.
struct held_back {
  const pod* object{nullptr};
  std::chrono::seconds wait{0};
};

/// manage's decisions (§3.3): nodes needing a pod and deletes, both in node-name order, and the
/// Failed pods the backoff held back.
struct manage_result {
  std::vector<target_index> creates{};
  std::vector<pending_delete> deletes{};
  std::vector<held_back> held{};
};

/// podsShouldBeOnNode's Branch B for one node: Failed pods behind the backoff, Succeeded pods,
/// then one running pod kept (no surge) or the oldest old and oldest new pod (surge). The node's
/// pods are walked in name order (upstream: informer cache order), which decides which of two
/// Failed pods on one node goes first.
inline void manage_running(const sync_input& in, target_index t, bool should_run, reconcile_state& state,
                           manage_result& out, std::vector<std::size_t>& running) {
  const auto& mine = in.mine;
  const auto remove = [&](std::size_t k, delete_reason why) { out.deletes.push_back({t, mine.pods[k]->object, why, k}); };
  running.clear();
  for (std::size_t k = mine.begin(t); k < mine.end(t); ++k) {
    const auto& p = mine.pods[k]->facts;
    if (p.terminating) continue;
    if (p.phase == pod_phase::failed) {
      const auto key = failed_pod_backoff_key(in.ds, in.cluster.target_name(t));
      if (const auto wait = backoff_remaining(state, key, in.opts.now)) {
        out.held.push_back({mine.pods[k]->object, *wait});
        continue;
      }
      backoff_next(state, key, in.opts.now);
      remove(k, delete_reason::failed);
    } else if (p.phase == pod_phase::succeeded) {
      remove(k, delete_reason::succeeded);
    } else {
      running.push_back(k);
    }
  }
  std::ranges::sort(running, [&](std::size_t a, std::size_t b) { return daemon_pod_before(*mine.pods[a], *mine.pods[b]); });
  if (!in.surge) {
    for (std::size_t i = 1; i < running.size(); ++i) remove(running[i], delete_reason::duplicate);
    return;
  }
  if (running.empty()) {
    if (should_run) out.creates.push_back(t);
    return;
  }
  // surge: keep the oldest pod labelled with the current hash and the oldest one that is not
  std::optional<std::size_t> oldest_new;
  std::optional<std::size_t> oldest_old;
  for (const auto k : running) {
    auto& slot = in.labels.current_hash(mine.pods[k]->facts.label_set) ? oldest_new : oldest_old;
    if (slot)
      remove(k, delete_reason::duplicate);
    else
      slot = k;
  }
  if (!oldest_new || !oldest_old) return;
  const auto& old_pod = mine.pods[*oldest_old]->facts;
  const auto& new_pod = mine.pods[*oldest_new]->facts;
  if (!old_pod.ready || new_pod.available(in.ds.spec.min_ready_seconds, in.opts.now))
    remove(*oldest_old, delete_reason::surge_replaced);
}

/// manage (§3.3) over every node in name order, then the pods of vanished nodes: those pinned only
/// by affinity are deleted, even when terminating (upstream); those bound by spec.nodeName too
/// unless delete_pods_on_vanished_nodes is off (upstream leaves them to the pod garbage collector)
/// or they are terminating (already going: deleting them again would re-plan them every sync).
[[nodiscard]] inline manage_result manage(const sync_input& in, reconcile_state& state) {
  const auto& mine = in.mine;
  const std::size_t nodes = in.cluster.node_count();
  manage_result out;
  std::vector<std::size_t> running;  // reused: no allocation per node
  for (std::size_t n = 0; n < nodes; ++n) {
    const auto t = static_cast<target_index>(n);
    const auto verdict = in.verdicts[n];
    if (verdict.should_run && mine.empty(t)) {
      out.creates.push_back(t);
    } else if (verdict.should_continue_running) {
      manage_running(in, t, verdict.should_run, state, out, running);
    } else {
      for (std::size_t k = mine.begin(t); k < mine.end(t); ++k)
        if (!mine.pods[k]->facts.terminating) out.deletes.push_back({t, mine.pods[k]->object, delete_reason::node_ineligible, k});
    }
  }
  for (std::size_t t = nodes; t + 1 < mine.offsets.size(); ++t)
    for (std::size_t k = mine.begin(t); k < mine.end(t); ++k) {
      const pod& p = *mine.pods[k]->object;
      if (!p.spec.node_name.empty() && (!in.opts.delete_pods_on_vanished_nodes || is_terminating(p))) continue;
      out.deletes.push_back({static_cast<target_index>(t), &p, delete_reason::node_gone, k});
    }
  // each node's deletes were decided in the order of its checks: order them by pod name as well
  std::ranges::sort(out.deletes, delete_before);
  return out;
}

/// The rollout's node→pods map on the state after manage's kept actions (as upstream's unit tests
/// observe it, their fake client applying what manage's syncNodes issued): every node that should
/// run the pod or has pods, then vanished nodes with pods, in that order. A pod manage creates is
/// represented by `created` (new, not Ready, not terminating).
struct post_manage_map {
  std::vector<const pod*> pods{};
  std::vector<rollout_pod_state> states{};  ///< per pod, from the snapshot's facts
  std::vector<rollout_node> nodes{};
  std::vector<target_index> targets{};  ///< the target of each entry of `nodes`
};

[[nodiscard]] inline post_manage_map after_manage(const sync_input& in, const manage_result& managed, const pod& created) {
  const auto& mine = in.mine;
  const std::size_t node_count = in.cluster.node_count();
  post_manage_map out;
  out.pods.reserve(mine.pods.size() + managed.creates.size());  // final sizes: the spans below stay valid
  out.states.reserve(mine.pods.size() + managed.creates.size());
  const rollout_context ctx{.revision = in.revision, .template_generation = template_generation(in.ds), .now = in.opts.now};
  const auto created_state = rollout_state_of(created, in.ds, ctx);
  std::vector<char> deleted(mine.pods.size(), 0);
  for (const auto& d : managed.deletes) deleted[d.index] = 1;
  auto create = managed.creates.begin();
  for (std::size_t t = 0; t + 1 < mine.offsets.size(); ++t) {
    const bool exists = t < node_count;
    const bool should_run = exists && in.verdicts[t].should_run;
    const std::size_t first = out.pods.size();
    for (std::size_t k = mine.begin(t); k < mine.end(t); ++k) {
      if (deleted[k]) continue;
      const auto& facts = mine.pods[k]->facts;
      out.pods.push_back(mine.pods[k]->object);
      out.states.push_back({.terminating = facts.terminating,
                            .updated = in.labels.updated(facts.label_set),
                            .available = facts.available(in.ds.spec.min_ready_seconds, in.opts.now)});
    }
    if (create != managed.creates.end() && *create == t) {
      out.pods.push_back(&created);
      out.states.push_back(created_state);
      ++create;
    }
    const std::size_t count = out.pods.size() - first;
    if (count == 0 && !should_run) continue;
    out.nodes.push_back({.node = in.cluster.target_name(static_cast<target_index>(t)),
                         .exists = exists,
                         .should_run = should_run,
                         .pods = std::span<const pod* const>(out.pods).subspan(first, count),
                         .states = std::span<const rollout_pod_state>(out.states).subspan(first, count)});
    out.targets.push_back(static_cast<target_index>(t));
  }
  return out;
}

/// updateDaemonSetStatus (§5) on the observed pods: per node in the list, the oldest pod (§3.4)
/// decides ready, available and updated; pods of vanished nodes count nowhere.
[[nodiscard]] inline daemon_set_status observed_status(const sync_input& in) {
  const auto& mine = in.mine;
  daemon_set_status s{.observed_generation = in.ds.metadata.generation, .collision_count = in.ds.status.collision_count};
  for (std::size_t n = 0; n < in.cluster.node_count(); ++n) {
    const bool scheduled = !mine.empty(n);
    if (!in.verdicts[n].should_run) {
      if (scheduled) ++s.number_misscheduled;
      continue;
    }
    ++s.desired_number_scheduled;
    if (!scheduled) continue;
    ++s.current_number_scheduled;
    const auto first = std::min_element(mine.pods.begin() + static_cast<std::ptrdiff_t>(mine.begin(n)),
                                        mine.pods.begin() + static_cast<std::ptrdiff_t>(mine.end(n)),
                                        [](const pod_entry* a, const pod_entry* b) { return daemon_pod_before(*a, *b); });
    const auto& p = (*first)->facts;
    if (p.ready) ++s.number_ready;
    if (p.available(in.ds.spec.min_ready_seconds, in.opts.now)) ++s.number_available;
    if (in.labels.updated(p.label_set)) ++s.updated_number_scheduled;
  }
  s.number_unavailable = s.desired_number_scheduled - s.number_available;
  return s;
}

/// The time left until the plan could change without new input: the earliest end of a backoff
/// holding back a Failed pod, or of a Ready pod's minReadySeconds (lastTransitionTime +
/// minReadySeconds still ahead), over the pods `deleted` (sorted) does not hold; nullopt if none.
[[nodiscard]] inline std::optional<std::chrono::seconds> next_change(const sync_input& in, const manage_result& managed,
                                                                     std::span<const pod* const> deleted) {
  std::optional<std::chrono::seconds> wait;
  const auto consider = [&](const pod* p, std::chrono::seconds left) {
    if (!std::ranges::binary_search(deleted, p)) wait = std::min(wait.value_or(left), left);
  };
  for (const auto& h : managed.held) consider(h.object, h.wait);
  const std::chrono::seconds min_ready{in.ds.spec.min_ready_seconds};
  if (min_ready <= std::chrono::seconds::zero()) return wait;
  for (const auto* e : in.mine.pods) {
    if (!e->facts.ready || !e->facts.has_ready_since) continue;
    const auto at = timestamp(std::chrono::seconds(e->facts.ready_since)) + min_ready;
    if (at > in.opts.now) consider(e->object, at - in.opts.now);
  }
  return wait;
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
  if (!cluster.indexes(given.metadata.namespace_, given.metadata.uid))  // made for other DaemonSets
    return reconcile(given, cluster_snapshot::make(cluster.nodes(), cluster.pods(), std::span(&given, 1)), opts, state);
  const daemon_set ds = apply_defaults(given);
  plan out{.status = ds.status, .next_state = state};
  if (ds.spec.selector && ds.spec.selector->match_labels.empty() && ds.spec.selector->match_expressions.empty()) {
    out.errors.push_back({error_code::invalid, "spec.selector",
                          "SelectingAll: an empty selector selects every pod in the namespace; the controller does nothing"});
    return out;
  }
  if (ds.metadata.deletion_timestamp) return out;
  if (!detail::check_spec(ds, out.errors)) return out;
  const auto selector = label_selector_matcher::make(ds.spec.selector);
  if (!selector) {  // validate() rejects every selector that does not compile; kept for totality
    out.errors.push_back(selector.error());
    return out;
  }

  out.revision = current_revision(ds);
  const auto placement = daemon_placement::make(ds);
  const auto verdicts = cluster.verdicts(placement);
  detail::label_set_answers labels(cluster, *selector, out.revision, template_generation(ds));
  const auto mine = detail::daemon_pods::index(detail::claim(ds, labels, cluster, out.updates), cluster.target_count());
  const detail::sync_input in{.ds = ds, .cluster = cluster, .opts = opts, .verdicts = verdicts, .mine = mine,
                              .revision = out.revision, .surge = allows_surge(ds), .labels = labels};
  out.status = detail::observed_status(in);

  // burst: manage's actions first (upstream's first syncNodes), the first by node name
  auto managed = detail::manage(in, out.next_state);
  auto& creates = managed.creates;
  auto& deletes = managed.deletes;
  std::vector<detail::target_index> creates_cut;
  std::vector<detail::pending_delete> deletes_cut;
  detail::cut_to(creates, opts.burst_replicas, creates_cut);
  detail::cut_to(deletes, opts.burst_replicas, deletes_cut);
  const auto prototype = daemon_pod_prototype(ds, out.revision);
  // the rollout sees what the kept manage actions leave, and gets what is left of the burst
  const auto map = detail::after_manage(in, managed, prototype);
  const auto rollout = plan_rollout(ds, map.nodes, {.revision = out.revision,
                                                    .template_generation = template_generation(ds),
                                                    .now = opts.now});
  if (!rollout) {
    out.errors.push_back(rollout.error());
  } else {
    std::vector<detail::target_index> more_creates;
    std::vector<detail::pending_delete> more_deletes;
    for (const auto i : rollout->creates) more_creates.push_back(map.targets[i]);
    for (const auto& d : rollout->deletes) more_deletes.push_back({map.targets[d.node], d.object, d.reason});
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

  out.requeue_after = detail::next_change(in, managed, deleted);
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
