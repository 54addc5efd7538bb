// daemonplan/types.hpp: object metadata, nodes, pods and pod templates as plain values.
#pragma once

#include <compare>
#include <cstdint>  // std::int64_t
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/affinity.hpp>
#include <daemonplan/labels.hpp>
#include <daemonplan/raw_fields.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/time.hpp>

namespace daemonplan {

/// metav1.OwnerReference. `controller` marks the managing controller (at most one per object).
struct owner_reference {
  std::string api_version{};
  std::string kind{};
  std::string name{};
  std::string uid{};
  std::optional<bool> controller{};
  std::optional<bool> block_owner_deletion{};
  friend auto operator<=>(const owner_reference&, const owner_reference&) = default;
};

/// metav1.ObjectMeta. Unmodelled fields (finalizers, managedFields, ...) are kept in `extra`.
struct object_metadata {
  std::string name{};
  std::string generate_name{};
  std::string namespace_{};  ///< metadata.namespace
  std::string uid{};
  std::string resource_version{};
  std::int64_t generation{0};
  label_map labels{};
  label_map annotations{};
  std::vector<owner_reference> owner_references{};
  std::optional<timestamp> creation_timestamp{};
  std::optional<timestamp> deletion_timestamp{};
  raw_fields extra{};
  friend auto operator<=>(const object_metadata&, const object_metadata&) = default;
};

/// The controller ownerReference of an object (controller == true), or nullptr.
[[nodiscard]] inline const owner_reference* controller_of(const object_metadata& m) noexcept {
  for (const auto& ref : m.owner_references)
    if (ref.controller.value_or(false)) return &ref;
  return nullptr;
}

/// The parts of core/v1 PodSpec that placement reads; every other field of the spec (containers,
/// volumes, securityContext, ...) is carried verbatim in `extra`.
struct pod_spec {
  std::string node_name{};
  label_map node_selector{};
  std::optional<daemonplan::affinity> affinity{};
  std::vector<toleration> tolerations{};
  bool host_network{false};
  std::string restart_policy{};  ///< "Always" for DaemonSet templates (API default)
  std::optional<std::int64_t> active_deadline_seconds{};
  raw_fields extra{};
  friend auto operator<=>(const pod_spec&, const pod_spec&) = default;
};

/// core/v1 PodTemplateSpec: metadata and spec, nothing lost.
struct pod_template {
  object_metadata metadata{};
  pod_spec spec{};
  friend auto operator<=>(const pod_template&, const pod_template&) = default;
};

/// core/v1 PodPhase. The API's empty phase reads as `pending`.
enum class pod_phase { pending, running, succeeded, failed, unknown };

[[nodiscard]] constexpr std::string_view to_string(pod_phase p) noexcept {
  switch (p) {
    case pod_phase::pending: return "Pending";
    case pod_phase::running: return "Running";
    case pod_phase::succeeded: return "Succeeded";
    case pod_phase::failed: return "Failed";
    case pod_phase::unknown: return "Unknown";
  }
  return "Pending";
}

[[nodiscard]] constexpr std::optional<pod_phase> parse_pod_phase(std::string_view s) noexcept {
  if (s.empty()) return pod_phase::pending;
  for (auto p : {pod_phase::pending, pod_phase::running, pod_phase::succeeded, pod_phase::failed, pod_phase::unknown})
    if (to_string(p) == s) return p;
  return std::nullopt;
}

/// core/v1 ConditionStatus.
enum class condition_status { true_, false_, unknown };

[[nodiscard]] constexpr std::string_view to_string(condition_status s) noexcept {
  switch (s) {
    case condition_status::true_: return "True";
    case condition_status::false_: return "False";
    case condition_status::unknown: return "Unknown";
  }
  return "Unknown";
}

[[nodiscard]] constexpr std::optional<condition_status> parse_condition_status(std::string_view s) noexcept {
  for (auto c : {condition_status::true_, condition_status::false_, condition_status::unknown})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

/// A status condition (pods: Ready is the one that matters; nodes: Ready, DiskPressure, ...).
struct condition {
  std::string type{};
  condition_status status{condition_status::unknown};
  std::optional<timestamp> last_transition_time{};
  friend auto operator<=>(const condition&, const condition&) = default;
};

/// The condition of the given type, or nullptr.
[[nodiscard]] inline const condition* find_condition(const std::vector<condition>& conditions,
                                                     std::string_view type) noexcept {
  for (const auto& c : conditions)
    if (c.type == type) return &c;
  return nullptr;
}

/// core/v1 Node: what placement reads (name, labels, taints) plus what explain shows.
struct node {
  object_metadata metadata{};
  std::vector<taint> taints{};       ///< spec.taints
  bool unschedulable{false};         ///< spec.unschedulable (never read by placement)
  std::vector<condition> conditions{};  ///< status.conditions
  friend auto operator<=>(const node&, const node&) = default;
};

/// core/v1 Pod: metadata, spec, phase and conditions.
struct pod {
  object_metadata metadata{};
  pod_spec spec{};
  pod_phase phase{pod_phase::pending};
  std::vector<condition> conditions{};
  friend auto operator<=>(const pod&, const pod&) = default;
};

/// IsPodReady: a Ready condition with status True (phase and deletion do not matter).
[[nodiscard]] inline bool is_ready(const pod& p) noexcept {
  const auto* c = find_condition(p.conditions, "Ready");
  return c && c->status == condition_status::true_;
}

/// IsPodAvailable (v1.34+, inclusive boundary): Ready, and either min_ready_seconds == 0 or the
/// Ready condition's lastTransitionTime is set and lastTransitionTime + min_ready_seconds <= now.
[[nodiscard]] inline bool is_available(const pod& p, std::int32_t min_ready_seconds, timestamp now) noexcept {
  const auto* c = find_condition(p.conditions, "Ready");
  if (!c || c->status != condition_status::true_) return false;
  if (min_ready_seconds == 0) return true;
  return c->last_transition_time && *c->last_transition_time + std::chrono::seconds(min_ready_seconds) <= now;
}

}  // namespace daemonplan
