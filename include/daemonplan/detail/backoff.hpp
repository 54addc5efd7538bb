// daemonplan/detail/backoff.hpp: the failed-pod backoff (client-go flowcontrol.Backoff, 1 s doubling
// to 15 min, no jitter) over the explicit reconcile_state.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <daemonplan/daemonset.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/time.hpp>

namespace daemonplan::detail {

inline constexpr std::chrono::seconds backoff_initial{1};
inline constexpr std::chrono::seconds backoff_max{15 * 60};

/// failedPodsBackoffKey: "<ds uid>/<status.observedGeneration>/<node>".
[[nodiscard]] inline std::string failed_pod_backoff_key(const daemon_set& ds, std::string_view node) {
  return ds.metadata.uid + "/" + std::to_string(ds.status.observed_generation) + "/" + std::string(node);
}

/// hasExpired: idle for more than twice the maximum delay.
[[nodiscard]] inline bool backoff_expired(const backoff_entry& e, timestamp now) noexcept {
  return now - e.last_update > 2 * backoff_max;
}

/// IsInBackOffSinceUpdate: the time left before the entry's delay has passed, or nullopt when the
/// key is not in backoff (no entry, an expired one, or the delay has passed).
[[nodiscard]] inline std::optional<std::chrono::seconds> backoff_remaining(const reconcile_state& s, std::string_view key,
                                                                           timestamp now) {
  const auto it = s.failed_pod_backoff.find(key);
  if (it == s.failed_pod_backoff.end() || backoff_expired(it->second, now)) return std::nullopt;
  const auto since = now - it->second.last_update;
  if (since >= it->second.delay) return std::nullopt;
  return it->second.delay - since;
}

/// Next: a new or expired entry starts at the initial delay, a live one doubles (capped); either
/// way last_update becomes now.
inline void backoff_next(reconcile_state& s, std::string_view key, timestamp now) {
  const auto it = s.failed_pod_backoff.find(key);
  if (it == s.failed_pod_backoff.end()) {
    s.failed_pod_backoff.emplace(std::string(key), backoff_entry{backoff_initial, now});
  } else if (backoff_expired(it->second, now)) {
    it->second = {backoff_initial, now};
  } else {
    it->second = {std::min(it->second.delay * 2, backoff_max), now};
  }
}

/// The backoff of a Failed pod on `node` (podsShouldBeOnNode): the time left when the node is in
/// backoff (the pod is held back); otherwise nullopt, and the backoff advances (the pod is deleted).
/// Out of line: rare, and its string and map work would otherwise weigh on the per-node path.
[[gnu::noinline]] inline std::optional<std::chrono::seconds> failed_pod_backoff(reconcile_state& s, const daemon_set& ds,
                                                                               std::string_view node, timestamp now) {
  const auto key = failed_pod_backoff_key(ds, node);
  if (const auto wait = backoff_remaining(s, key, now)) return wait;
  backoff_next(s, key, now);
  return std::nullopt;
}

/// GC: drops the expired entries.
inline void backoff_gc(reconcile_state& s, timestamp now) {
  std::erase_if(s.failed_pod_backoff, [&](const auto& kv) { return backoff_expired(kv.second, now); });
}

}  // namespace daemonplan::detail
