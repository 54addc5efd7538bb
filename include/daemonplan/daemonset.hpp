// daemonplan/daemonset.hpp: the apps/v1 DaemonSet (spec, update strategy, status) and the API
// server's defaulting.
#pragma once

#include <compare>
#include <cstdint>  // std::int32_t, std::int64_t
#include <optional>
#include <string>
#include <string_view>

#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// Label stamped on daemon pods and ControllerRevisions with the template's revision hash.
inline constexpr std::string_view revision_hash_label = "controller-revision-hash";
/// Legacy label stamped on pods when the DaemonSet carries a template generation.
inline constexpr std::string_view template_generation_label = "pod-template-generation";
/// DaemonSet annotation the API server maintains: 1 on create, +1 on every template change.
inline constexpr std::string_view template_generation_annotation = "deprecated.daemonset.template.generation";

enum class update_strategy_type { rolling_update, on_delete };

[[nodiscard]] constexpr std::string_view to_string(update_strategy_type t) noexcept {
  return t == update_strategy_type::on_delete ? "OnDelete" : "RollingUpdate";
}

[[nodiscard]] constexpr std::optional<update_strategy_type> parse_update_strategy_type(std::string_view s) noexcept {
  if (s == "RollingUpdate") return update_strategy_type::rolling_update;
  if (s == "OnDelete") return update_strategy_type::on_delete;
  return std::nullopt;
}

/// apps/v1 RollingUpdateDaemonSet. Null fields are defaulted by apply_defaults (1 and 0).
struct rolling_update_daemon_set {
  std::optional<int_or_percent> max_unavailable{};
  std::optional<int_or_percent> max_surge{};
  friend auto operator<=>(const rolling_update_daemon_set&, const rolling_update_daemon_set&) = default;
};

/// apps/v1 DaemonSetUpdateStrategy. A null type is the API's empty string (defaulted to RollingUpdate).
struct daemon_set_update_strategy {
  std::optional<update_strategy_type> type{};
  std::optional<rolling_update_daemon_set> rolling_update{};
  friend auto operator<=>(const daemon_set_update_strategy&, const daemon_set_update_strategy&) = default;
};

/// apps/v1 DaemonSetSpec. `selector` null selects nothing; `{}` selects everything.
struct daemon_set_spec {
  std::optional<label_selector> selector{};
  pod_template template_{};  ///< spec.template
  daemon_set_update_strategy update_strategy{};
  std::int32_t min_ready_seconds{0};
  std::optional<std::int32_t> revision_history_limit{};
  friend auto operator<=>(const daemon_set_spec&, const daemon_set_spec&) = default;
};

/// apps/v1 DaemonSetStatus (conditions are never written by the controller and not modelled).
struct daemon_set_status {
  std::int32_t current_number_scheduled{0};
  std::int32_t number_misscheduled{0};
  std::int32_t desired_number_scheduled{0};
  std::int32_t number_ready{0};
  std::int64_t observed_generation{0};
  std::int32_t updated_number_scheduled{0};
  std::int32_t number_available{0};
  std::int32_t number_unavailable{0};
  std::optional<std::int32_t> collision_count{};
  friend auto operator<=>(const daemon_set_status&, const daemon_set_status&) = default;
};

/// apps/v1 DaemonSet, plus the one input the API object cannot carry: the current revision.
struct daemon_set {
  object_metadata metadata{};
  daemon_set_spec spec{};
  daemon_set_status status{};
  /// The current ControllerRevision's `controller-revision-hash`. Upstream hashes a Go-specific
  /// dump of the template, which cannot be reproduced; empty means "compute a stable hash of the
  /// template's canonical form". Not part of the API object (never read or written as JSON).
  std::string revision{};
  friend auto operator<=>(const daemon_set&, const daemon_set&) = default;
};

/// The template generation from the `deprecated.daemonset.template.generation` annotation, or
/// nullopt when it is absent or not an int64 (the controller then stamps no generation label).
[[nodiscard]] inline std::optional<std::int64_t> template_generation(const daemon_set& ds) noexcept {
  const auto it = ds.metadata.annotations.find(template_generation_annotation);
  if (it == ds.metadata.annotations.end()) return std::nullopt;
  return parse_go_int64(it->second);
}

/// SetDefaults_DaemonSet (apps/v1), applied by the API server before validation: an empty strategy
/// type becomes RollingUpdate; for RollingUpdate a null rollingUpdate is created with
/// maxUnavailable 1 and maxSurge 0 where null; a null revisionHistoryLimit becomes 10. Also the pod
/// template defaults daemonplan relies on: restartPolicy Always. The selector is never defaulted.
[[nodiscard]] inline daemon_set apply_defaults(daemon_set ds) {
  auto& strategy = ds.spec.update_strategy;
  if (!strategy.type) strategy.type = update_strategy_type::rolling_update;
  if (strategy.type == update_strategy_type::rolling_update) {
    if (!strategy.rolling_update) strategy.rolling_update.emplace();
    if (!strategy.rolling_update->max_unavailable) strategy.rolling_update->max_unavailable = from_int(1);
    if (!strategy.rolling_update->max_surge) strategy.rolling_update->max_surge = from_int(0);
  }
  if (!ds.spec.revision_history_limit) ds.spec.revision_history_limit = 10;
  if (ds.spec.template_.spec.restart_policy.empty()) ds.spec.template_.spec.restart_policy = "Always";
  return ds;
}

}  // namespace daemonplan
