// daemonplan/taint.hpp: node taints, pod tolerations, and the API server's matching rules
// (core/v1 Toleration.ToleratesTaint).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>  // std::int64_t
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/time.hpp>

namespace daemonplan {

enum class taint_effect { no_schedule, prefer_no_schedule, no_execute };

/// "NoSchedule", "PreferNoSchedule", "NoExecute".
[[nodiscard]] constexpr std::string_view to_string(taint_effect e) noexcept {
  switch (e) {
    case taint_effect::no_schedule: return "NoSchedule";
    case taint_effect::prefer_no_schedule: return "PreferNoSchedule";
    case taint_effect::no_execute: return "NoExecute";
  }
  return "NoSchedule";
}

/// The exact API spelling, or nullopt ("NoExecuet" is not an effect).
[[nodiscard]] constexpr std::optional<taint_effect> parse_taint_effect(std::string_view s) noexcept {
  for (auto e : {taint_effect::no_schedule, taint_effect::prefer_no_schedule, taint_effect::no_execute})
    if (to_string(e) == s) return e;
  return std::nullopt;
}

/// core/v1 Taint. Identity (MatchTaint) is (key, effect); the value is ignored there.
struct taint {
  std::string key{};
  std::string value{};
  taint_effect effect{taint_effect::no_schedule};
  std::optional<timestamp> time_added{};
  friend auto operator<=>(const taint&, const taint&) = default;
};

/// MatchTaint: the same key and effect (the value and timeAdded are ignored). Taints of a node
/// must be unique under this identity.
[[nodiscard]] inline bool same_identity(const taint& a, const taint& b) noexcept {
  return a.key == b.key && a.effect == b.effect;
}

/// "key=value:Effect", or "key:Effect" when the value is empty (kubectl's notation).
[[nodiscard]] inline std::string to_string(const taint& t) {
  std::string s = t.key;
  if (!t.value.empty()) s += "=" + t.value;
  return s + ":" + std::string(to_string(t.effect));
}

/// Toleration operators. The API's empty operator means `equal`.
enum class toleration_operator { equal, exists };

[[nodiscard]] constexpr std::string_view to_string(toleration_operator op) noexcept {
  return op == toleration_operator::exists ? "Exists" : "Equal";
}

/// "Equal" (or "", which means Equal) and "Exists"; anything else is nullopt. The gated alpha
/// operators Lt and Gt are not supported.
[[nodiscard]] constexpr std::optional<toleration_operator> parse_toleration_operator(std::string_view s) noexcept {
  if (s.empty() || s == "Equal") return toleration_operator::equal;
  if (s == "Exists") return toleration_operator::exists;
  return std::nullopt;
}

/// core/v1 Toleration. An empty key with `exists` tolerates every taint; an empty effect (nullopt)
/// matches every effect; toleration_seconds plays no part in matching.
struct toleration {
  std::string key{};
  toleration_operator op{toleration_operator::equal};
  std::string value{};
  std::optional<taint_effect> effect{};
  std::optional<std::int64_t> toleration_seconds{};
  friend auto operator<=>(const toleration&, const toleration&) = default;
};

/// "key=value:Effect" / "key:Effect" (Exists) / "*" for the tolerate-everything toleration, with
/// " for 300s" when toleration_seconds is set.
[[nodiscard]] inline std::string to_string(const toleration& t) {
  std::string s = t.key.empty() ? std::string("*") : t.key;
  if (t.op == toleration_operator::equal) s += "=" + t.value;
  if (t.effect) s += ":" + std::string(to_string(*t.effect));
  if (t.toleration_seconds) s += " for " + std::to_string(*t.toleration_seconds) + "s";
  return s;
}

/// ToleratesTaint: effect (if set) must equal, key (if set) must equal, then Equal compares values
/// byte for byte and Exists matches any value. An empty key with Equal matches any key whose taint
/// value equals (validation forbids it; matching does not).
[[nodiscard]] inline bool tolerates(const toleration& t, const taint& x) noexcept {
  if (t.effect && *t.effect != x.effect) return false;
  if (!t.key.empty() && t.key != x.key) return false;
  return t.op == toleration_operator::exists || t.value == x.value;
}

/// True when any toleration of the list tolerates `x`; an empty list tolerates nothing.
[[nodiscard]] inline bool tolerated_by_any(std::span<const toleration> list, const taint& x) noexcept {
  return std::ranges::any_of(list, [&](const toleration& t) { return tolerates(t, x); });
}

/// FindMatchingUntoleratedTaint: the first taint, in the node's order, that `keep` accepts and no
/// toleration of the list tolerates; nullptr when there is none.
template <typename Keep>
[[nodiscard]] const taint* first_untolerated_taint(std::span<const taint> taints, std::span<const toleration> tolerations,
                                                   Keep keep) noexcept {
  for (const auto& t : taints)
    if (keep(t) && !tolerated_by_any(tolerations, t)) return &t;
  return nullptr;
}

/// MatchToleration: same key, operator, value and effect (toleration_seconds ignored).
[[nodiscard]] inline bool same_identity(const toleration& a, const toleration& b) noexcept {
  return a.key == b.key && a.op == b.op && a.value == b.value && a.effect == b.effect;
}

}  // namespace daemonplan
