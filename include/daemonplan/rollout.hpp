// daemonplan/rollout.hpp: the rolling update (§4): the current revision, which pods are old, the
// surge and unavailability budgets, and the delete-first and create-first algorithms.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/daemonset.hpp>
#include <daemonplan/detail/template_hash.hpp>
#include <daemonplan/detail/daemon_pods.hpp>
#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/time.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// The current revision hash: `ds.revision` when the caller supplies it (the current
/// ControllerRevision's `controller-revision-hash` label), else daemonplan's stable hash of the pod
/// template and `status.collisionCount` (detail/template_hash.hpp; never equal to upstream's hash).
[[nodiscard]] inline std::string current_revision(const daemon_set& ds) {
  if (!ds.revision.empty()) return ds.revision;
  return detail::template_hash(ds.spec.template_, ds.status.collision_count);
}

/// IsPodUpdated (§4.5) of a pod with these labels (it reads nothing else).
[[nodiscard]] inline bool is_pod_updated(const label_map& labels, std::string_view revision,
                                         std::optional<std::int64_t> generation) {
  if (!revision.empty())
    if (const auto it = labels.find(revision_hash_label); it != labels.end() && it->second == revision) return true;
  if (!generation) return false;
  const auto it = labels.find(template_generation_label);
  return it != labels.end() && it->second == std::to_string(*generation);
}

/// IsPodUpdated (§4.5): the pod's `controller-revision-hash` equals a non-empty `revision`, or its
/// `pod-template-generation` equals the DaemonSet's template generation (when it has one).
[[nodiscard]] inline bool is_pod_updated(const pod& p, std::string_view revision,
                                         std::optional<std::int64_t> generation) {
  return is_pod_updated(p.metadata.labels, revision, generation);
}

/// The scaled budgets of a rolling update over `desired` nodes.
struct rollout_budget {
  std::int64_t max_surge{0};
  std::int64_t max_unavailable{0};
  friend auto operator<=>(const rollout_budget&, const rollout_budget&) = default;
};

namespace detail {
/// SurgeCount / UnavailableCount: 0 unless the strategy is RollingUpdate with a rollingUpdate;
/// then the field scaled against `total`, rounding up. A null maxSurge is 0, a null maxUnavailable
/// an error ("nil value for IntOrString").
[[nodiscard]] inline result<std::int64_t> scaled_strategy_field(const daemon_set& ds, std::int64_t total, bool surge) {
  const auto& strategy = ds.spec.update_strategy;
  if (strategy.type != update_strategy_type::rolling_update || !strategy.rolling_update) return std::int64_t{0};
  const auto& field = surge ? strategy.rolling_update->max_surge : strategy.rolling_update->max_unavailable;
  const std::string path = surge ? "spec.updateStrategy.rollingUpdate.maxSurge"
                                 : "spec.updateStrategy.rollingUpdate.maxUnavailable";
  const std::string what = surge ? "invalid value for MaxSurge: " : "invalid value for MaxUnavailable: ";
  if (!field) {
    if (surge) return std::int64_t{0};
    return error{error_code::required, path, what + "nil value for IntOrString"};
  }
  auto scaled = scaled_value(*field, total, true);
  if (!scaled) return error{scaled.error().code, path, what + scaled.error().message};
  return *scaled;
}
}  // namespace detail

/// AllowsSurge: maxSurge scaled against one node is positive (any non-zero maxSurge, even "1%");
/// false for OnDelete and when maxSurge does not parse. Decides manage's surge rules (§3.3).
[[nodiscard]] inline bool allows_surge(const daemon_set& ds) {
  const auto surge = detail::scaled_strategy_field(ds, 1, true);
  return surge && *surge > 0;
}

/// updatedDesiredNodeCounts (§4.1): both fields scaled against `desired` with round-up; an int is
/// used as is (not capped). When both come out 0 and desired > 0, maxUnavailable is 1. The error of
/// an unparsable or null field names it (maxUnavailable is checked first).
[[nodiscard]] inline result<rollout_budget> rollout_budget_for(const daemon_set& ds, std::int64_t desired) {
  const auto unavailable = detail::scaled_strategy_field(ds, desired, false);
  if (!unavailable) return unavailable.error();
  const auto surge = detail::scaled_strategy_field(ds, desired, true);
  if (!surge) return surge.error();
  rollout_budget b{.max_surge = *surge, .max_unavailable = *unavailable};
  if (desired > 0 && b.max_surge == 0 && b.max_unavailable == 0) b.max_unavailable = 1;
  return b;
}

/// What the rollout asks of a pod.
struct rollout_pod_state {
  bool terminating{false};  ///< a deletionTimestamp is set
  bool updated{false};      ///< IsPodUpdated against the rollout's revision and template generation
  bool available{false};    ///< IsPodAvailable with the DaemonSet's minReadySeconds at the rollout's now
  friend bool operator==(const rollout_pod_state&, const rollout_pod_state&) = default;
};

/// One entry of the rollout's node→pods map: a node of the cluster (every node where the pod should
/// run, and every node with pods) or the name of a vanished node that pods are still bound to.
struct rollout_node {
  std::string_view node{};
  bool exists{true};       ///< the node is in the node list
  bool should_run{false};  ///< its shouldRun verdict (false for a vanished node)
  std::span<const pod* const> pods{};  ///< the DaemonSet's pods on it after manage, terminating ones included
  /// Empty, or one state per pod, which the rollout then uses instead of reading the pods (what
  /// reconcile() passes, taken from its snapshot's compact entries).
  std::span<const rollout_pod_state> states{};
};

/// What the rollout needs besides the DaemonSet: the revision, the template generation and the clock.
struct rollout_context {
  std::string_view revision{};
  std::optional<std::int64_t> template_generation{};
  timestamp now{};
};

/// One pod the rollout deletes; `node` indexes the rollout_node span.
struct rollout_delete {
  std::size_t node{0};
  const pod* object{nullptr};
  delete_reason reason{delete_reason::rolling_update};
  friend bool operator==(const rollout_delete&, const rollout_delete&) = default;
};

/// The rollout's decisions: nodes (indices into the rollout_node span) that get a new pod, pods to
/// delete, and the budget used.
struct rollout_step {
  std::vector<std::size_t> creates{};
  std::vector<rollout_delete> deletes{};
  rollout_budget budget{};
  friend bool operator==(const rollout_step&, const rollout_step&) = default;
};

namespace detail {
/// The rollout_pod_state of `p`, read from the pod.
[[nodiscard]] inline rollout_pod_state rollout_state_of(const pod& p, const daemon_set& ds, const rollout_context& ctx) {
  return {.terminating = is_terminating(p),
          .updated = is_pod_updated(p, ctx.revision, ctx.template_generation),
          .available = is_available(p, ds.spec.min_ready_seconds, ctx.now)};
}

/// findUpdatedPodsOnNode (§4.2): terminating pods skipped; more than one new or more than one old
/// pod is not ok (left to manage). With each pod found, whether it is available.
struct updated_pods {
  const pod* new_pod{nullptr};
  const pod* old_pod{nullptr};
  bool new_available{false};
  bool old_available{false};
  bool ok{true};
};

[[nodiscard]] inline updated_pods find_updated_pods(const rollout_node& n, const daemon_set& ds, const rollout_context& ctx) {
  updated_pods out;
  for (std::size_t k = 0; k < n.pods.size(); ++k) {
    const auto state = n.states.empty() ? rollout_state_of(*n.pods[k], ds, ctx) : n.states[k];
    if (state.terminating) continue;
    auto& slot = state.updated ? out.new_pod : out.old_pod;
    if (slot) return {.ok = false};
    slot = n.pods[k];
    (state.updated ? out.new_available : out.old_available) = state.available;
  }
  return out;
}

/// The first `n` items of `from` (n clamped to [0, size]) appended to `to`.
template <typename T>
void append_first(std::vector<T>& to, const std::vector<T>& from, std::int64_t n) {
  const auto count = static_cast<std::size_t>(std::clamp<std::int64_t>(n, 0, static_cast<std::int64_t>(from.size())));
  to.insert(to.end(), from.begin(), from.begin() + static_cast<std::ptrdiff_t>(count));
}

/// §4.3, maxSurge 0: delete old pods, manage recreates them. Unavailable old pods are always
/// replaced (and count as unavailable); available ones while the running unavailable count is
/// below maxUnavailable, up to maxUnavailable minus the final count.
[[nodiscard]] inline rollout_step delete_first(const daemon_set& ds, std::span<const rollout_node> nodes,
                                               const rollout_context& ctx, rollout_budget budget) {
  rollout_step step{.budget = budget};
  std::vector<rollout_delete> candidates;
  std::int64_t unavailable = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto found = find_updated_pods(nodes[i], ds, ctx);
    if (!found.ok || (found.new_pod == nullptr) == (found.old_pod == nullptr)) {
      ++unavailable;  // excess pods, no pod, or old and new: manage's business, unavailable meanwhile
    } else if (found.new_pod) {
      if (!found.new_available) ++unavailable;
    } else if (!found.old_available) {
      step.deletes.push_back({i, found.old_pod, delete_reason::rolling_update});
      ++unavailable;
    } else if (unavailable < budget.max_unavailable) {
      candidates.push_back({i, found.old_pod, delete_reason::rolling_update});
    }
  }
  append_first(step.deletes, candidates, budget.max_unavailable - unavailable);
  return step;
}

/// §4.4, maxSurge > 0: create new pods first. A node with an unavailable old pod gets a new pod
/// beyond the budget (or loses the old pod where the pod should no longer run); available old pods
/// get a new pod up to maxSurge minus the surges in flight; an old pod beside an available new pod
/// is deleted; old available pods where the pod should no longer run are deleted once more pods are
/// available than desired. Fails on an old-only node that is not in the node list.
[[nodiscard]] inline result<rollout_step> create_first(const daemon_set& ds, std::span<const rollout_node> nodes,
                                                       const rollout_context& ctx, rollout_budget budget,
                                                       std::int64_t desired) {
  rollout_step step{.budget = budget};
  std::vector<std::size_t> candidates;
  std::vector<rollout_delete> should_not_run;
  std::int64_t surging = 0;
  std::int64_t available_count = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    const auto found = find_updated_pods(n, ds, ctx);
    if (!found.ok) {
      ++surging;
      continue;
    }
    if (found.old_pod ? found.old_available : (found.new_pod && found.new_available)) ++available_count;
    if (!found.old_pod) continue;  // manage creates where needed
    if (found.new_pod) {
      if (!found.new_available)
        ++surging;  // this surge is in flight
      else
        step.deletes.push_back({i, found.old_pod, delete_reason::surge_replaced});
      continue;
    }
    if (!n.exists)
      return error{error_code::invalid, "",
                   "rolling update: couldn't get node for nodeName \"" + std::string(n.node) + "\": pod " +
                       found.old_pod->metadata.namespace_ + "/" + found.old_pod->metadata.name +
                       " is bound to a node that is not in the node list"};
    if (!found.old_available) {
      if (!n.should_run)
        step.deletes.push_back({i, found.old_pod, delete_reason::node_ineligible});
      else
        step.creates.push_back(i);  // replaces an unavailable pod: outside the budget
    } else if (!n.should_run) {
      should_not_run.push_back({i, found.old_pod, delete_reason::node_ineligible});
    } else if (surging < budget.max_surge) {
      candidates.push_back(i);
    }
  }
  append_first(step.deletes, should_not_run, available_count - desired);
  append_first(step.creates, candidates, budget.max_surge - surging);
  return step;
}
}  // namespace detail

/// rollingUpdate (§4) over the node→pods map after manage's actions. `nodes` must hold every node
/// that should run the pod and every node (or vanished node name) with pods; upstream iterates a Go
/// map here (random order), daemonplan iterates `nodes` in the order given, which reconcile() makes
/// node-name order (vanished names last), so budget-limited picks go to the first nodes by name.
/// OnDelete (and any type other than RollingUpdate, such as an unset one: reconcile() passes the
/// defaulted DaemonSet) plans nothing. maxSurge scaled to 0 runs the
/// delete-first algorithm, anything else the create-first one. Errors: an unparsable or null budget
/// field; a surge meeting an old-only node that is not in the node list.
[[nodiscard]] inline result<rollout_step> plan_rollout(const daemon_set& ds, std::span<const rollout_node> nodes,
                                                       const rollout_context& ctx) {
  if (ds.spec.update_strategy.type != update_strategy_type::rolling_update) return rollout_step{};
  const auto desired = static_cast<std::int64_t>(
      std::ranges::count_if(nodes, [](const rollout_node& n) { return n.exists && n.should_run; }));
  const auto budget = rollout_budget_for(ds, desired);
  if (!budget) return budget.error();
  if (budget->max_surge == 0) return detail::delete_first(ds, nodes, ctx, *budget);
  return detail::create_first(ds, nodes, ctx, *budget, desired);
}

}  // namespace daemonplan
