// daemonplan/plan.hpp: what one sync decides, as data: create, delete and update actions with their
// reasons, the status, the requeue time and the state carried to the next sync.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>  // std::size_t
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/daemonset.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/time.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// Why a pod is deleted; one value per deletion path of the controller.
enum class delete_reason {
  node_ineligible,  ///< may not continue running on its node; or an old pod where surge cannot run
  node_gone,        ///< its node is not in the node list
  duplicate,        ///< beyond the one pod kept on its node (oldest old + oldest new in a surge)
  failed,           ///< phase Failed (behind the per-node backoff)
  succeeded,        ///< phase Succeeded
  rolling_update,   ///< old revision taken down by the delete-first rollout (maxSurge 0)
  surge_replaced,   ///< old revision replaced by an available (or the only Ready) new pod
  owner_deleted,    ///< the DaemonSet is deleted with background or foreground propagation (plan_cascade)
};

/// "NodeIneligible", "NodeGone", "Duplicate", "Failed", "Succeeded", "RollingUpdate", "SurgeReplaced",
/// "OwnerDeleted".
[[nodiscard]] constexpr std::string_view to_string(delete_reason r) noexcept {
  switch (r) {
    case delete_reason::node_ineligible: return "NodeIneligible";
    case delete_reason::node_gone: return "NodeGone";
    case delete_reason::duplicate: return "Duplicate";
    case delete_reason::failed: return "Failed";
    case delete_reason::succeeded: return "Succeeded";
    case delete_reason::rolling_update: return "RollingUpdate";
    case delete_reason::surge_replaced: return "SurgeReplaced";
    case delete_reason::owner_deleted: return "OwnerDeleted";
  }
  return "NodeIneligible";
}

/// A patch to a pod's ownerReferences.
enum class update_kind {
  adopt,    ///< add the DaemonSet's controller ownerReference to an orphan
  release,  ///< remove it from an owned pod the selector no longer matches
};

/// "Adopt", "Release".
[[nodiscard]] constexpr std::string_view to_string(update_kind k) noexcept {
  return k == update_kind::adopt ? "Adopt" : "Release";
}

/// Create one daemon pod for `node`: the complete Pod to submit.
struct create_action {
  std::string node{};
  daemonplan::pod pod{};
  friend auto operator<=>(const create_action&, const create_action&) = default;
};

/// Delete one pod. `node` is the pod's target node ("" when it has none).
struct delete_action {
  std::string namespace_{};
  std::string name{};
  std::string node{};
  delete_reason reason{delete_reason::node_ineligible};
  friend auto operator<=>(const delete_action&, const delete_action&) = default;
};

/// Patch one pod's ownerReferences; `owner` is the reference added (adopt) or removed (release).
struct update_action {
  std::string namespace_{};
  std::string name{};
  std::string node{};
  update_kind action{update_kind::adopt};
  owner_reference owner{};
  friend auto operator<=>(const update_action&, const update_action&) = default;
};

/// One failed-pod backoff entry (client-go flowcontrol.Backoff: 1 s doubling to 15 min).
struct backoff_entry {
  std::chrono::seconds delay{0};
  timestamp last_update{};
  friend auto operator<=>(const backoff_entry&, const backoff_entry&) = default;
};

/// State the upstream controller keeps in memory between syncs, carried explicitly: the failed-pod
/// backoff, keyed as upstream ("<ds uid>/<observedGeneration>/<node>").
struct reconcile_state {
  std::map<std::string, backoff_entry, std::less<>> failed_pod_backoff{};
  friend auto operator<=>(const reconcile_state&, const reconcile_state&) = default;
};

/// Knobs and the clock. Defaults are upstream's.
struct reconcile_options {
  timestamp now{};                              ///< the sync's clock
  std::size_t burst_replicas{250};              ///< most creates and most deletes per plan
  bool delete_pods_on_vanished_nodes{true};     ///< NodeGone deletes for pods bound by nodeName; false: leave them to the pod GC (upstream)
  friend auto operator<=>(const reconcile_options&, const reconcile_options&) = default;
};

/// The outcome of one sync. Creates are ordered by node name; deletes and updates by namespace,
/// then pod name.
struct plan {
  std::vector<create_action> creates{};
  std::vector<delete_action> deletes{};
  std::vector<update_action> updates{};
  daemon_set_status status{};                     ///< the status the controller would write
  std::optional<std::chrono::seconds> requeue_after{};  ///< earliest time the plan may change on its own
  reconcile_state next_state{};
  std::string revision{};                         ///< the current revision hash used
  std::size_t creates_deferred{0};                ///< creates cut by burst_replicas: reconcile again
  std::size_t deletes_deferred{0};                ///< deletes cut by burst_replicas
  std::vector<error> errors{};
  friend auto operator<=>(const plan&, const plan&) = default;
};

/// "create pod on node-a".
[[nodiscard]] inline std::string to_string(const create_action& a) { return "create pod on " + a.node; }

/// "delete kube-system/fluentd-x2k9 on node-b (NodeIneligible)"; " on <node>" only when the pod has one.
[[nodiscard]] inline std::string to_string(const delete_action& a) {
  return "delete " + a.namespace_ + "/" + a.name + (a.node.empty() ? "" : " on " + a.node) + " (" +
         std::string(to_string(a.reason)) + ")";
}

/// "adopt kube-system/fluentd-q8v2 on node-c", "release ...".
[[nodiscard]] inline std::string to_string(const update_action& a) {
  return std::string(a.action == update_kind::adopt ? "adopt " : "release ") + a.namespace_ + "/" + a.name +
         (a.node.empty() ? "" : " on " + a.node);
}

/// The summary line: "3 to create, 1 to delete, 0 to update; desired 5, ready 2, available 2",
/// with " (+N deferred)" after a count that burst_replicas cut and "; N errors" when there are any.
[[nodiscard]] inline std::string to_string(const plan& p) {
  auto count = [](std::size_t n, std::size_t deferred, const char* what) {
    return std::to_string(n) + (deferred ? " (+" + std::to_string(deferred) + " deferred)" : "") + " to " + what;
  };
  std::string out = count(p.creates.size(), p.creates_deferred, "create") + ", " +
                    count(p.deletes.size(), p.deletes_deferred, "delete") + ", " +
                    count(p.updates.size(), 0, "update") + "; desired " +
                    std::to_string(p.status.desired_number_scheduled) + ", ready " +
                    std::to_string(p.status.number_ready) + ", available " +
                    std::to_string(p.status.number_available);
  if (!p.errors.empty()) out += "; " + std::to_string(p.errors.size()) + (p.errors.size() == 1 ? " error" : " errors");
  return out;
}

}  // namespace daemonplan
