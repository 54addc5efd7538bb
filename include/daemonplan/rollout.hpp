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
#include <utility>  // std::cmp_less, std::move
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
};

/// What the rollout needs besides the DaemonSet: the revision, the template generation and the clock.
struct rollout_context {
  std::string_view revision{};
  std::optional<std::int64_t> template_generation{};
  timestamp now{};
};

/// One pod the rollout deletes; `node` is the id of its map entry (plan_rollout: the index into the
/// rollout_node span).
struct rollout_delete {
  std::size_t node{0};
  const pod* object{nullptr};
  delete_reason reason{delete_reason::rolling_update};
  friend bool operator==(const rollout_delete&, const rollout_delete&) = default;
};

/// The rollout's decisions: nodes (ids of map entries, see rollout_delete) that get a new pod, pods
/// to delete, and the budget used.
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

/// findUpdatedPodsOnNode (§4.2), fed one pod of the node at a time: terminating pods are skipped;
/// a second new or a second old pod makes the node not ok (left to manage). With each pod found,
/// whether it is available.
struct updated_pods {
  const pod* new_pod{nullptr};
  const pod* old_pod{nullptr};
  bool new_available{false};
  bool old_available{false};
  bool ok{true};

  /// Takes the node's next pod, `p` in state `s`, into account.
  void add(const pod* p, const rollout_pod_state& s) noexcept {
    if (!ok || s.terminating) return;
    auto& slot = s.updated ? new_pod : old_pod;
    if (slot) {
      *this = {.ok = false};
      return;
    }
    slot = p;
    (s.updated ? new_available : old_available) = s.available;
  }
};

/// The first `n` items of `from` (n clamped to [0, size]) appended to `to`.
template <typename T>
void append_first(std::vector<T>& to, const std::vector<T>& from, std::int64_t n) {
  const auto count = static_cast<std::size_t>(std::clamp<std::int64_t>(n, 0, static_cast<std::int64_t>(from.size())));
  to.insert(to.end(), from.begin(), from.begin() + static_cast<std::ptrdiff_t>(count));
}

/// rollingUpdate (§4) as one pass over the node→pods map: the entries are added one at a time, in
/// map order, each as what findUpdatedPodsOnNode found there, and nothing of them is kept beyond
/// the decisions (its memory is the step, the candidates for the budget, at most one budget's worth,
/// and create-first's available old pods where the pod should no longer run). maxSurge
/// scaled to 0 runs the delete-first algorithm (§4.3), anything else the create-first one (§4.4);
/// OnDelete (any type other than RollingUpdate) plans nothing.
class rollout_planner {
 public:
  /// The planner of `ds` over `desired` nodes (existing nodes that should run the pod), or the
  /// error of a budget field that is null or does not scale.
  [[nodiscard]] static result<rollout_planner> make(const daemon_set& ds, std::int64_t desired) {
    rollout_planner p;
    if (ds.spec.update_strategy.type != update_strategy_type::rolling_update) return p;
    const auto budget = rollout_budget_for(ds, desired);
    if (!budget) return budget.error();
    p.algorithm_ = budget->max_surge == 0 ? algorithm::delete_first : algorithm::create_first;
    p.step_.budget = *budget;
    p.desired_ = desired;
    return p;
  }

  /// The next map entry: `node` is its id (what the step names it by), `found` its pods; `name` is
  /// read only for the error of a surge meeting an old-only vanished node.
  void add(std::size_t node, std::string_view name, bool exists, bool should_run, const updated_pods& found) {
    if (algorithm_ == algorithm::delete_first) delete_first(node, found);
    if (algorithm_ == algorithm::create_first) create_first(node, name, exists, should_run, found);
  }

  /// The step, once every entry was added; the error of the first entry the rollout could not handle.
  [[nodiscard]] result<rollout_step> finish() && {
    if (error_) return *std::move(error_);
    const auto& budget = step_.budget;
    if (algorithm_ == algorithm::delete_first) {
      append_first(step_.deletes, candidates_, budget.max_unavailable - unavailable_);
    } else if (algorithm_ == algorithm::create_first) {
      append_first(step_.deletes, should_not_run_, available_ - desired_);
      append_first(step_.creates, surge_candidates_, budget.max_surge - unavailable_);
    }
    return std::move(step_);
  }

 private:
  enum class algorithm { none, delete_first, create_first };

  /// §4.3, maxSurge 0: delete old pods, manage recreates them. Unavailable old pods are always
  /// replaced (and count as unavailable); available ones while the running unavailable count is
  /// below maxUnavailable, up to maxUnavailable minus the final count (so no more candidates than
  /// maxUnavailable are ever needed).
  void delete_first(std::size_t node, const updated_pods& found) {
    if (!found.ok || (found.new_pod == nullptr) == (found.old_pod == nullptr)) {
      ++unavailable_;  // excess pods, no pod, or old and new: manage's business, unavailable meanwhile
    } else if (found.new_pod) {
      if (!found.new_available) ++unavailable_;
    } else if (!found.old_available) {
      step_.deletes.push_back({node, found.old_pod, delete_reason::rolling_update});
      ++unavailable_;
    } else if (unavailable_ < step_.budget.max_unavailable &&
               std::cmp_less(candidates_.size(), step_.budget.max_unavailable)) {
      candidates_.push_back({node, found.old_pod, delete_reason::rolling_update});
    }
  }

  /// §4.4, maxSurge > 0: create new pods first (`unavailable_` counts the surges in flight). A node
  /// with an unavailable old pod gets a new pod beyond the budget (or loses the old pod where the
  /// pod should no longer run); available old pods get a new pod up to maxSurge minus the surges
  /// in flight; an old pod beside an available new pod is deleted; old available pods where the pod
  /// should no longer run are deleted once more pods are available than desired. Fails on an
  /// old-only node that is not in the node list.
  void create_first(std::size_t node, std::string_view name, bool exists, bool should_run, const updated_pods& found) {
    if (error_) return;
    if (!found.ok) {
      ++unavailable_;
      return;
    }
    if (found.old_pod ? found.old_available : (found.new_pod && found.new_available)) ++available_;
    if (!found.old_pod) return;  // manage creates where needed
    if (found.new_pod) {
      if (!found.new_available)
        ++unavailable_;  // this surge is in flight
      else
        step_.deletes.push_back({node, found.old_pod, delete_reason::surge_replaced});
      return;
    }
    if (!exists) {
      error_ = error{error_code::invalid, "",
                     "rolling update: couldn't get node for nodeName \"" + std::string(name) + "\": pod " +
                         found.old_pod->metadata.namespace_ + "/" + found.old_pod->metadata.name +
                         " is bound to a node that is not in the node list"};
      return;
    }
    if (!found.old_available) {
      if (!should_run)
        step_.deletes.push_back({node, found.old_pod, delete_reason::node_ineligible});
      else
        step_.creates.push_back(node);  // replaces an unavailable pod: outside the budget
    } else if (!should_run) {
      should_not_run_.push_back({node, found.old_pod, delete_reason::node_ineligible});
    } else if (unavailable_ < step_.budget.max_surge && std::cmp_less(surge_candidates_.size(), step_.budget.max_surge)) {
      surge_candidates_.push_back(node);
    }
  }

  algorithm algorithm_{algorithm::none};
  rollout_step step_{};
  std::int64_t desired_{0};
  std::int64_t unavailable_{0};  ///< delete-first: unavailable entries so far; create-first: surges in flight
  std::int64_t available_{0};    ///< create-first: entries with an available pod
  std::vector<rollout_delete> candidates_{};      ///< delete-first: available old pods, at most maxUnavailable
  std::vector<std::size_t> surge_candidates_{};   ///< create-first: available old pods, at most maxSurge
  std::vector<rollout_delete> should_not_run_{};  ///< create-first: available old pods where the pod should not run
  std::optional<error> error_{};
};
}  // namespace detail

/// rollingUpdate (§4) over the node→pods map after manage's actions. `nodes` must hold every node
/// that should run the pod and every node (or vanished node name) with pods; upstream iterates a Go
/// map here (random order), daemonplan iterates `nodes` in the order given (reconcile() feeds
/// detail::rollout_planner in node-name order, vanished names last, so budget-limited picks go to
/// the first nodes by name). OnDelete (and any type other than RollingUpdate, such as an unset one:
/// reconcile() passes the defaulted DaemonSet) plans nothing. maxSurge scaled to 0 runs the
/// delete-first algorithm, anything else the create-first one. Errors: an unparsable or null budget
/// field; a surge meeting an old-only node that is not in the node list.
[[nodiscard]] inline result<rollout_step> plan_rollout(const daemon_set& ds, std::span<const rollout_node> nodes,
                                                       const rollout_context& ctx) {
  const auto desired = static_cast<std::int64_t>(
      std::ranges::count_if(nodes, [](const rollout_node& n) { return n.exists && n.should_run; }));
  auto planner = detail::rollout_planner::make(ds, desired);
  if (!planner) return planner.error();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    detail::updated_pods found;
    for (const pod* p : nodes[i].pods) found.add(p, detail::rollout_state_of(*p, ds, ctx));
    planner->add(i, nodes[i].node, nodes[i].exists, nodes[i].should_run, found);
  }
  return std::move(*planner).finish();
}

}  // namespace daemonplan
