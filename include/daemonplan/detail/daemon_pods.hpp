// daemonplan/detail/daemon_pods.hpp: small pod predicates and the controller's pod order.
#pragma once

#include <daemonplan/types.hpp>

namespace daemonplan::detail {

/// A deletionTimestamp is set: the pod is going away and counts as neither running nor deletable.
[[nodiscard]] inline bool is_terminating(const pod& p) noexcept { return p.metadata.deletion_timestamp.has_value(); }

/// Failed or Succeeded: the pod's containers will not run again.
[[nodiscard]] constexpr bool is_terminal(pod_phase phase) noexcept {
  return phase == pod_phase::failed || phase == pod_phase::succeeded;
}

/// The pod's phase is Failed or Succeeded.
[[nodiscard]] inline bool is_terminal(const pod& p) noexcept { return is_terminal(p.phase); }

/// podByCreationTimestampAndPhase (§3.4): scheduled (non-empty spec.nodeName) first, then the earlier
/// creationTimestamp (unset first), then the smaller name; the whole value breaks the remaining ties
/// so that the order is total even for duplicate names.
[[nodiscard]] inline bool daemon_pod_before(const pod& a, const pod& b) {
  const bool a_scheduled = !a.spec.node_name.empty();
  const bool b_scheduled = !b.spec.node_name.empty();
  if (a_scheduled != b_scheduled) return a_scheduled;
  if (a.metadata.creation_timestamp != b.metadata.creation_timestamp)
    return a.metadata.creation_timestamp < b.metadata.creation_timestamp;
  if (a.metadata.name != b.metadata.name) return a.metadata.name < b.metadata.name;
  return a < b;
}

}  // namespace daemonplan::detail
