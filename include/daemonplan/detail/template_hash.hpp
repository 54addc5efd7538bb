// daemonplan/detail/template_hash.hpp: the stable revision hash of a pod template (FNV-1a 64 over a
// canonical serialization, encoded with upstream's SafeEncodeString alphabet).
#pragma once

#include <chrono>
#include <cstdint>  // std::uint64_t, std::int64_t, std::int32_t
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/affinity.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan::detail {

/// FNV-1a 64 over a stream of canonical records. The serialization, fed field by field in
/// declaration order, each field preceded by its JSON name as a string:
///   string: 8-byte little-endian length, then the bytes;   integer: 8-byte little-endian;
///   bool: one byte 0/1;   optional: one byte presence, then the value;
///   list: 8-byte count, then the items;   map: 8-byte count, then key and value in key order;
///   enum: its API spelling as a string;   timestamp: seconds since the epoch as an integer.
/// raw_fields (the unmodelled fields' JSON text) are maps and hashed like any other map.
class fnv1a64 {
 public:
  void byte(unsigned char c) noexcept {
    state_ ^= c;
    state_ *= 0x100000001b3ULL;
  }
  void u64(std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
  }
  void str(std::string_view s) noexcept {
    u64(s.size());
    for (char c : s) byte(static_cast<unsigned char>(c));
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return state_; }

 private:
  std::uint64_t state_{0xcbf29ce484222325ULL};
};

inline void hash_value(fnv1a64& h, std::string_view s) noexcept { h.str(s); }
inline void hash_value(fnv1a64& h, std::int64_t v) noexcept { h.u64(static_cast<std::uint64_t>(v)); }
inline void hash_value(fnv1a64& h, bool v) noexcept { h.byte(v ? 1 : 0); }
inline void hash_value(fnv1a64& h, timestamp t) noexcept { hash_value(h, static_cast<std::int64_t>(t.time_since_epoch().count())); }
inline void hash_value(fnv1a64& h, taint_effect e) noexcept { h.str(to_string(e)); }
inline void hash_value(fnv1a64& h, toleration_operator op) noexcept { h.str(to_string(op)); }
inline void hash_value(fnv1a64& h, selector_operator op) noexcept { h.str(to_string(op)); }
inline void hash_value(fnv1a64& h, const std::string& s) noexcept { h.str(s); }

// The aggregates live in namespace daemonplan, where argument-dependent lookup does not look for
// these overloads: declare them before the templates that call them.
inline void hash_value(fnv1a64& h, const owner_reference& r);
inline void hash_value(fnv1a64& h, const node_selector_requirement& r);
inline void hash_value(fnv1a64& h, const node_selector_term& t);
inline void hash_value(fnv1a64& h, const node_selector& s);
inline void hash_value(fnv1a64& h, const preferred_scheduling_term& t);
inline void hash_value(fnv1a64& h, const node_affinity& a);
inline void hash_value(fnv1a64& h, const affinity& a);
inline void hash_value(fnv1a64& h, const toleration& t);
inline void hash_value(fnv1a64& h, const object_metadata& m);
inline void hash_value(fnv1a64& h, const pod_spec& s);

template <typename T>
void hash_value(fnv1a64& h, const std::optional<T>& v) {
  hash_value(h, v.has_value());
  if (v) hash_value(h, *v);
}
template <typename T>
void hash_value(fnv1a64& h, const std::vector<T>& list) {
  h.u64(list.size());
  for (const auto& item : list) hash_value(h, item);
}
template <typename Compare>
void hash_value(fnv1a64& h, const std::map<std::string, std::string, Compare>& map) {
  h.u64(map.size());
  for (const auto& [key, value] : map) {
    h.str(key);
    h.str(value);
  }
}

/// Feeds the field name, then the value.
template <typename T>
void hash_field(fnv1a64& h, std::string_view name, const T& value) {
  h.str(name);
  hash_value(h, value);
}

inline void hash_value(fnv1a64& h, const owner_reference& r) {
  hash_field(h, "apiVersion", r.api_version);
  hash_field(h, "kind", r.kind);
  hash_field(h, "name", r.name);
  hash_field(h, "uid", r.uid);
  hash_field(h, "controller", r.controller);
  hash_field(h, "blockOwnerDeletion", r.block_owner_deletion);
}

inline void hash_value(fnv1a64& h, const object_metadata& m) {
  hash_field(h, "name", m.name);
  hash_field(h, "generateName", m.generate_name);
  hash_field(h, "namespace", m.namespace_);
  hash_field(h, "uid", m.uid);
  hash_field(h, "resourceVersion", m.resource_version);
  hash_field(h, "generation", m.generation);
  hash_field(h, "labels", m.labels);
  hash_field(h, "annotations", m.annotations);
  hash_field(h, "ownerReferences", m.owner_references);
  hash_field(h, "creationTimestamp", m.creation_timestamp);
  hash_field(h, "deletionTimestamp", m.deletion_timestamp);
  hash_field(h, "extra", m.extra);
}

inline void hash_value(fnv1a64& h, const node_selector_requirement& r) {
  hash_field(h, "key", r.key);
  hash_field(h, "operator", r.op);
  hash_field(h, "values", r.values);
}

inline void hash_value(fnv1a64& h, const node_selector_term& t) {
  hash_field(h, "matchExpressions", t.match_expressions);
  hash_field(h, "matchFields", t.match_fields);
}

inline void hash_value(fnv1a64& h, const node_selector& s) { hash_field(h, "nodeSelectorTerms", s.node_selector_terms); }

inline void hash_value(fnv1a64& h, const preferred_scheduling_term& t) {
  hash_field(h, "weight", static_cast<std::int64_t>(t.weight));
  hash_field(h, "preference", t.preference);
}

inline void hash_value(fnv1a64& h, const node_affinity& a) {
  hash_field(h, "requiredDuringSchedulingIgnoredDuringExecution", a.required);
  hash_field(h, "preferredDuringSchedulingIgnoredDuringExecution", a.preferred);
}

inline void hash_value(fnv1a64& h, const affinity& a) {
  hash_field(h, "nodeAffinity", a.node_affinity);
  hash_field(h, "extra", a.extra);
}

inline void hash_value(fnv1a64& h, const toleration& t) {
  hash_field(h, "key", t.key);
  hash_field(h, "operator", t.op);
  hash_field(h, "value", t.value);
  hash_field(h, "effect", t.effect);
  hash_field(h, "tolerationSeconds", t.toleration_seconds);
}

inline void hash_value(fnv1a64& h, const pod_spec& s) {
  hash_field(h, "nodeName", s.node_name);
  hash_field(h, "nodeSelector", s.node_selector);
  hash_field(h, "affinity", s.affinity);
  hash_field(h, "tolerations", s.tolerations);
  hash_field(h, "hostNetwork", s.host_network);
  hash_field(h, "restartPolicy", s.restart_policy);
  hash_field(h, "activeDeadlineSeconds", s.active_deadline_seconds);
  hash_field(h, "extra", s.extra);
}

/// SafeEncodeString: each byte c becomes "bcdfghjklmnpqrstvwxz2456789"[c % 27], so the result has
/// no vowels (no accidental words) and is a valid label value.
[[nodiscard]] inline std::string safe_encode(std::string_view s) {
  constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out(s.size(), 'b');
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = alphabet[static_cast<unsigned char>(s[i]) % alphabet.size()];
  return out;
}

/// The revision hash daemonplan uses when the caller supplies none: ComputeHash's shape (hash the
/// template, then the collision count as 4 bytes little-endian and 4 zero bytes when set, then
/// SafeEncodeString of the sum's decimal digits) with FNV-1a 64 over the canonical serialization
/// above in place of Go's object dump. Stable across platforms, compilers and runs.
[[nodiscard]] inline std::string template_hash(const pod_template& t, std::optional<std::int32_t> collision_count) {
  fnv1a64 h;
  hash_field(h, "metadata", t.metadata);
  hash_field(h, "spec", t.spec);
  if (collision_count) {
    const auto c = static_cast<std::uint32_t>(*collision_count);
    for (int i = 0; i < 4; ++i) h.byte(static_cast<unsigned char>(c >> (8 * i)));
    for (int i = 0; i < 4; ++i) h.byte(0);
  }
  return safe_encode(std::to_string(h.value()));
}

}  // namespace daemonplan::detail
