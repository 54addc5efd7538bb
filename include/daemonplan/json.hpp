// daemonplan/json.hpp: Kubernetes JSON for daemonplan's value types (target daemonplan::json, adds
// nlohmann_json): from_json / to_json found by ADL, list reading that skips what placement never
// reads, and the command-line contract's plan and explain documents.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int32_t, std::int64_t, std::uint64_t
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/raw_fields.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/time.hpp>
#include <daemonplan/types.hpp>

// How from_json() reads the API's JSON, for every type below:
//   - Keys are the API's camelCase names. An absent key and a JSON null both mean the Go zero value
//     (empty string, 0, false, empty list, nullopt), as Go's decoder reads them.
//   - Fields daemonplan does not model are kept, where the type has `extra` (object metadata, pod
//     spec, affinity), as canonical JSON text, and written back unchanged; elsewhere (node status,
//     condition reasons, ...) they are ignored.
//   - Wrong JSON types, integers out of range (int32 fields reject 2^31, every integer field
//     rejects fractions), malformed RFC 3339 timestamps, unknown enum strings ("NoExecuet") and
//     missing enum fields the model cannot leave empty (a taint's effect, a requirement's
//     operator) throw json_error with the Kubernetes field path; nothing is clamped or guessed.
//   - Validation (name syntax, selector rules, maxUnavailable <= 100%, ...) is validate()'s job,
//     not the reader's: negative minReadySeconds reads as -5 and validate() rejects it.
// How to_json() writes: the API's shape, empty optionals and collections left out (omitempty),
// except where the command-line contract wants lists always present (plan and explain documents).
// to_json is a template over the JSON type: nlohmann::ordered_json keeps the written key order.

namespace daemonplan {

/// Thrown by from_json() for JSON that is well-formed but is not a valid object. It carries one
/// error whose field is the path from the value being read, in Kubernetes notation
/// (`spec.template.spec.tolerations[1].effect`). Codes: `not_supported` for an unknown enum
/// string, `required` for a missing field the model cannot leave empty, `invalid` for everything
/// else (wrong JSON type, int32 overflow, malformed timestamp, duplicate key).
class json_error : public std::runtime_error {
 public:
  explicit json_error(daemonplan::error e) : std::runtime_error(to_string(e)), error_(std::move(e)) {}
  /// The error, with its field path.
  [[nodiscard]] const daemonplan::error& error() const noexcept { return error_; }

 private:
  daemonplan::error error_;
};

namespace detail {

using json_value = nlohmann::json;

/// `segment` in front of `path`: ("spec", "template") -> "spec.template", ("tolerations", "[1].key")
/// -> "tolerations[1].key", ("[2]", "key") -> "[2].key".
[[nodiscard]] inline std::string join_path(std::string_view segment, std::string_view path) {
  std::string out(segment);
  if (!path.empty() && !out.empty() && path.front() != '[') out += '.';
  out += path;
  return out;
}

/// Runs `read()`; a json_error it throws is re-thrown with `segment` in front of its path.
template <typename F>
void at(std::string_view segment, F&& read) {
  try {
    std::forward<F>(read)();
  } catch (const json_error& e) {
    auto err = e.error();
    err.field = join_path(segment, err.field);
    throw json_error(std::move(err));
  }
}

/// "[i]", the path segment of a list element.
[[nodiscard]] inline std::string index_segment(std::size_t i) { return "[" + std::to_string(i) + "]"; }

/// A string as a JSON literal (escaped, so messages stay on one line), cut after `max` bytes.
[[nodiscard]] inline std::string quote(std::string_view s, std::size_t max = 64) {
  const bool cut = s.size() > max;
  const json_value literal = std::string(s.substr(0, max));
  return literal.dump(-1, ' ', false, json_value::error_handler_t::replace) + (cut ? "..." : "");
}

/// A value as an error message names it: "a list", "the string \"x\"", "the number 3".
[[nodiscard]] inline std::string describe(const json_value& j) {
  switch (j.type()) {
    case json_value::value_t::null: return "null";
    case json_value::value_t::object: return "an object";
    case json_value::value_t::array: return "a list";
    case json_value::value_t::string: return "the string " + quote(j.get_ref<const std::string&>());
    case json_value::value_t::boolean: return j.get<bool>() ? "the boolean true" : "the boolean false";
    case json_value::value_t::number_integer:
    case json_value::value_t::number_unsigned:
    case json_value::value_t::number_float: return "the number " + j.dump();
    case json_value::value_t::binary:
    case json_value::value_t::discarded: break;
  }
  return "binary data";
}

/// Throws the error for a value of the wrong JSON type.
[[noreturn]] inline void wrong_type(std::string_view expected, const json_value& j) {
  throw json_error({error_code::invalid, "", "expected " + std::string(expected) + ", got " + describe(j)});
}

inline void expect_object(const json_value& j) {
  if (!j.is_object()) wrong_type("an object", j);
}

// The readers below call each other recursively; the templates are declared first.
template <typename T>
void read(const json_value& j, std::vector<T>& out);
template <typename T>
void read(const json_value& j, std::optional<T>& out);
template <typename T>
  requires std::is_class_v<T>
void read(const json_value& j, T& out);
inline void read(const json_value& j, taint_effect& out);
inline void read(const json_value& j, toleration_operator& out);
inline void read(const json_value& j, selector_operator& out);
inline void read(const json_value& j, condition_status& out);
inline void read(const json_value& j, pod_phase& out);
inline void read(const json_value& j, update_strategy_type& out);

// ---- Scalars ----------------------------------------------------------------------------------

inline void read(const json_value& j, std::string& out) {
  if (!j.is_string()) wrong_type("a string", j);
  out = j.get_ref<const std::string&>();
}

inline void read(const json_value& j, bool& out) {
  if (!j.is_boolean()) wrong_type("a boolean", j);
  out = j.get<bool>();
}

/// A JSON integer within [min, max]; floats ("1.5", also "1.0", as Go's decoder) are rejected.
[[nodiscard]] inline std::int64_t read_integer(const json_value& j, std::int64_t min, std::int64_t max, std::string_view what) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(max)) return static_cast<std::int64_t>(u);
  } else if (j.is_number_integer()) {
    const auto v = j.get<std::int64_t>();
    if (v >= min && v <= max) return v;
    if (v < 0 && min == 0) throw json_error({error_code::invalid, "", "must not be negative, got " + j.dump()});
  } else {
    wrong_type("an integer", j);
  }
  throw json_error({error_code::invalid, "", "the number " + j.dump() + " does not fit in " + std::string(what)});
}

inline void read(const json_value& j, std::int64_t& out) {
  out = read_integer(j, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                     "a 64-bit integer");
}

inline void read(const json_value& j, std::int32_t& out) {
  out = static_cast<std::int32_t>(read_integer(j, std::numeric_limits<std::int32_t>::min(),
                                               std::numeric_limits<std::int32_t>::max(), "a 32-bit integer"));
}

/// metav1.Time: an RFC 3339 string (see parse_timestamp).
inline void read(const json_value& j, timestamp& out) {
  if (!j.is_string()) wrong_type("an RFC 3339 timestamp string", j);
  const auto& s = j.get_ref<const std::string&>();
  const auto t = parse_timestamp(s);
  if (!t) throw json_error({error_code::invalid, "", "malformed timestamp " + quote(s) + ", want RFC 3339 like 2024-01-03T20:35:11Z"});
  out = *t;
}

/// map[string]string: an object of strings (null values read as "", as Go does); errors at `[key]`.
inline void read(const json_value& j, label_map& out) {
  expect_object(j);
  out.clear();
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string value;
    if (!it->is_null()) at("[" + it.key() + "]", [&] { read(*it, value); });
    out.emplace_hint(out.end(), it.key(), std::move(value));
  }
}

/// A list; errors at `[i]`.
template <typename T>
void read(const json_value& j, std::vector<T>& out) {
  if (!j.is_array()) wrong_type("a list", j);
  out.clear();
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) at(index_segment(i), [&] { read(j[i], out.emplace_back()); });
}

/// A nullable value: null is nullopt.
template <typename T>
void read(const json_value& j, std::optional<T>& out) {
  if (j.is_null()) {
    out.reset();
    return;
  }
  read(j, out.emplace());
}

/// Any of daemonplan's types: its from_json(), found by ADL.
template <typename T>
  requires std::is_class_v<T>
void read(const json_value& j, T& out) {
  from_json(j, out);
}

/// An enum spelled as the API spells it; `parse` is the core's non-throwing parser. An unknown
/// string is `not_supported`, naming the accepted spellings.
template <typename Enum, typename Parse>
[[nodiscard]] Enum read_enum(const json_value& j, Parse parse, std::string_view what, std::string_view accepted) {
  if (!j.is_string()) wrong_type("a string", j);
  const auto& s = j.get_ref<const std::string&>();
  if (const std::optional<Enum> e = parse(s)) return *e;
  throw json_error({error_code::not_supported, "",
                    "unknown " + std::string(what) + " " + quote(s) + " (accepted: " + std::string(accepted) + ")"});
}

inline void read(const json_value& j, taint_effect& out) {
  out = read_enum<taint_effect>(j, parse_taint_effect, "taint effect", "NoSchedule, PreferNoSchedule, NoExecute");
}
inline void read(const json_value& j, toleration_operator& out) {
  out = read_enum<toleration_operator>(j, parse_toleration_operator, "toleration operator", "Equal, Exists");
}
inline void read(const json_value& j, selector_operator& out) {
  out = read_enum<selector_operator>(j, parse_selector_operator, "selector operator",
                                     "In, NotIn, Exists, DoesNotExist, Gt, Lt");
}
inline void read(const json_value& j, condition_status& out) {
  out = read_enum<condition_status>(j, parse_condition_status, "condition status", "True, False, Unknown");
}
inline void read(const json_value& j, pod_phase& out) {
  out = read_enum<pod_phase>(j, parse_pod_phase, "pod phase", "Pending, Running, Succeeded, Failed, Unknown");
}
inline void read(const json_value& j, update_strategy_type& out) {
  out = read_enum<update_strategy_type>(j, parse_update_strategy_type, "update strategy type", "RollingUpdate, OnDelete");
}

// ---- Fields -----------------------------------------------------------------------------------

/// Reads `obj[key]` into `out` when the key is present and not null (null is the Go zero value).
template <typename T>
void read_field(const json_value& obj, std::string_view key, T& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  at(key, [&] { read(*it, out); });
}

/// Reads `obj[key]`, which must be present and not null.
template <typename T>
void require_field(const json_value& obj, std::string_view key, T& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) throw json_error({error_code::required, std::string(key), "required field is missing"});
  at(key, [&] { read(*it, out); });
}

/// Reads a status counter: a non-negative int32 (or int64), absent meaning 0.
template <typename Int>
void read_count(const json_value& obj, std::string_view key, Int& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  at(key, [&] {
    out = static_cast<Int>(read_integer(*it, 0, std::numeric_limits<Int>::max(),
                                        sizeof(Int) == 4 ? "a 32-bit integer" : "a 64-bit integer"));
  });
}

/// Every member of `obj` whose key is not in `known`, as canonical JSON text (compact, keys sorted).
inline void collect_extra(const json_value& obj, std::span<const std::string_view> known, raw_fields& extra) {
  extra.clear();
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::ranges::find(known, std::string_view(it.key())) == known.end())
      extra.emplace_hint(extra.end(), it.key(), it->dump());
}

/// Writes the fields of `extra` back, parsed; a key already written (a modelled field) wins.
template <typename Json>
void write_extra(Json& j, const raw_fields& extra) {
  for (const auto& [key, text] : extra)
    if (!j.contains(key)) j[key] = Json::parse(text);
}

/// Writes `key` when `value` is non-empty (omitempty for strings, maps and lists).
template <typename Json, typename T>
void write_nonempty(Json& j, const char* key, const T& value) {
  if (!value.empty()) j[key] = value;
}

/// Writes `key` when the optional holds a value.
template <typename Json, typename T>
void write_optional(Json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

/// Writes an optional timestamp as RFC 3339.
template <typename Json>
void write_time(Json& j, const char* key, const std::optional<timestamp>& t) {
  if (t) j[key] = to_string(*t);
}

/// The node selector requirement and the label selector requirement share one JSON shape.
template <typename Requirement>
void read_requirement(const json_value& j, Requirement& r) {
  expect_object(j);
  read_field(j, "key", r.key);
  require_field(j, "operator", r.op);
  read_field(j, "values", r.values);
}

template <typename Json, typename Requirement>
void write_requirement(Json& j, const Requirement& r) {
  j = Json::object();
  j["key"] = r.key;
  j["operator"] = to_string(r.op);
  write_nonempty(j, "values", r.values);
}

}  // namespace detail

// ---- Metadata ---------------------------------------------------------------------------------

/// metav1.OwnerReference.
inline void from_json(const nlohmann::json& j, owner_reference& r) {
  detail::expect_object(j);
  detail::read_field(j, "apiVersion", r.api_version);
  detail::read_field(j, "kind", r.kind);
  detail::read_field(j, "name", r.name);
  detail::read_field(j, "uid", r.uid);
  detail::read_field(j, "controller", r.controller);
  detail::read_field(j, "blockOwnerDeletion", r.block_owner_deletion);
}

/// apiVersion, kind, name and uid always; controller and blockOwnerDeletion when set.
template <typename Json>
void to_json(Json& j, const owner_reference& r) {
  j = Json::object();
  j["apiVersion"] = r.api_version;
  j["kind"] = r.kind;
  j["name"] = r.name;
  j["uid"] = r.uid;
  detail::write_optional(j, "controller", r.controller);
  detail::write_optional(j, "blockOwnerDeletion", r.block_owner_deletion);
}

namespace detail {
/// The metadata fields object_metadata models; the rest go to `extra`.
inline constexpr std::string_view metadata_keys[] = {"name",          "generateName",      "namespace",
                                                     "uid",           "resourceVersion",   "generation",
                                                     "labels",        "annotations",       "ownerReferences",
                                                     "creationTimestamp", "deletionTimestamp"};
}  // namespace detail

/// metav1.ObjectMeta; fields it does not model (finalizers, managedFields, ...) land in `extra`.
inline void from_json(const nlohmann::json& j, object_metadata& m) {
  detail::expect_object(j);
  detail::read_field(j, "name", m.name);
  detail::read_field(j, "generateName", m.generate_name);
  detail::read_field(j, "namespace", m.namespace_);
  detail::read_field(j, "uid", m.uid);
  detail::read_field(j, "resourceVersion", m.resource_version);
  detail::read_field(j, "generation", m.generation);
  detail::read_field(j, "labels", m.labels);
  detail::read_field(j, "annotations", m.annotations);
  detail::read_field(j, "ownerReferences", m.owner_references);
  detail::read_field(j, "creationTimestamp", m.creation_timestamp);
  detail::read_field(j, "deletionTimestamp", m.deletion_timestamp);
  detail::collect_extra(j, detail::metadata_keys, m.extra);
}

/// Identity fields, generation when non-zero, timestamps as RFC 3339, then labels, annotations,
/// ownerReferences and every `extra` field; empty strings, maps and lists are left out (omitempty).
template <typename Json>
void to_json(Json& j, const object_metadata& m) {
  j = Json::object();
  detail::write_nonempty(j, "name", m.name);
  detail::write_nonempty(j, "generateName", m.generate_name);
  detail::write_nonempty(j, "namespace", m.namespace_);
  detail::write_nonempty(j, "uid", m.uid);
  detail::write_nonempty(j, "resourceVersion", m.resource_version);
  if (m.generation != 0) j["generation"] = m.generation;
  detail::write_time(j, "creationTimestamp", m.creation_timestamp);
  detail::write_time(j, "deletionTimestamp", m.deletion_timestamp);
  detail::write_nonempty(j, "labels", m.labels);
  detail::write_nonempty(j, "annotations", m.annotations);
  detail::write_nonempty(j, "ownerReferences", m.owner_references);
  detail::write_extra(j, m.extra);
}

// ---- Taints and tolerations -------------------------------------------------------------------

/// core/v1 Taint. `effect` is required; `timeAdded` is RFC 3339.
inline void from_json(const nlohmann::json& j, taint& t) {
  detail::expect_object(j);
  detail::read_field(j, "key", t.key);
  detail::read_field(j, "value", t.value);
  detail::require_field(j, "effect", t.effect);
  detail::read_field(j, "timeAdded", t.time_added);
}

/// key and effect always, value when non-empty, timeAdded when set.
template <typename Json>
void to_json(Json& j, const taint& t) {
  j = Json::object();
  j["key"] = t.key;
  detail::write_nonempty(j, "value", t.value);
  j["effect"] = to_string(t.effect);
  detail::write_time(j, "timeAdded", t.time_added);
}

/// core/v1 Toleration. An empty or absent operator is Equal; an empty effect is "every effect".
inline void from_json(const nlohmann::json& j, toleration& t) {
  detail::expect_object(j);
  detail::read_field(j, "key", t.key);
  detail::read_field(j, "operator", t.op);
  detail::read_field(j, "value", t.value);
  if (const auto it = j.find("effect"); it != j.end() && !(it->is_string() && it->get_ref<const std::string&>().empty()))
    detail::read_field(j, "effect", t.effect);
  detail::read_field(j, "tolerationSeconds", t.toleration_seconds);
}

/// operator always ("Equal" for the API's empty operator); key, value, effect and
/// tolerationSeconds when set.
template <typename Json>
void to_json(Json& j, const toleration& t) {
  j = Json::object();
  detail::write_nonempty(j, "key", t.key);
  j["operator"] = to_string(t.op);
  detail::write_nonempty(j, "value", t.value);
  if (t.effect) j["effect"] = to_string(*t.effect);
  detail::write_optional(j, "tolerationSeconds", t.toleration_seconds);
}

// ---- Selectors and affinity -------------------------------------------------------------------

/// metav1.LabelSelectorRequirement; `operator` is required.
inline void from_json(const nlohmann::json& j, label_selector_requirement& r) { detail::read_requirement(j, r); }

/// key, operator, and values when non-empty.
template <typename Json>
void to_json(Json& j, const label_selector_requirement& r) {
  detail::write_requirement(j, r);
}

/// metav1.LabelSelector. Hold a nullable selector as std::optional: null reads as nullopt.
inline void from_json(const nlohmann::json& j, label_selector& s) {
  detail::expect_object(j);
  detail::read_field(j, "matchLabels", s.match_labels);
  detail::read_field(j, "matchExpressions", s.match_expressions);
}

/// `{}` for the empty selector (which selects everything); a null selector is never written.
template <typename Json>
void to_json(Json& j, const label_selector& s) {
  j = Json::object();
  detail::write_nonempty(j, "matchLabels", s.match_labels);
  detail::write_nonempty(j, "matchExpressions", s.match_expressions);
}

/// core/v1 NodeSelectorRequirement; `operator` is required.
inline void from_json(const nlohmann::json& j, node_selector_requirement& r) { detail::read_requirement(j, r); }

/// key, operator, and values when non-empty.
template <typename Json>
void to_json(Json& j, const node_selector_requirement& r) {
  detail::write_requirement(j, r);
}

/// core/v1 NodeSelectorTerm.
inline void from_json(const nlohmann::json& j, node_selector_term& t) {
  detail::expect_object(j);
  detail::read_field(j, "matchExpressions", t.match_expressions);
  detail::read_field(j, "matchFields", t.match_fields);
}

/// matchExpressions and matchFields when non-empty; an empty term is `{}` (it matches nothing).
template <typename Json>
void to_json(Json& j, const node_selector_term& t) {
  j = Json::object();
  detail::write_nonempty(j, "matchExpressions", t.match_expressions);
  detail::write_nonempty(j, "matchFields", t.match_fields);
}

/// core/v1 NodeSelector; `nodeSelectorTerms` is always written (the API requires it).
inline void from_json(const nlohmann::json& j, node_selector& s) {
  detail::expect_object(j);
  detail::read_field(j, "nodeSelectorTerms", s.node_selector_terms);
}

/// nodeSelectorTerms, always.
template <typename Json>
void to_json(Json& j, const node_selector& s) {
  j = Json::object();
  j["nodeSelectorTerms"] = Json::array();
  for (const auto& t : s.node_selector_terms) j["nodeSelectorTerms"].push_back(t);
}

/// core/v1 PreferredSchedulingTerm.
inline void from_json(const nlohmann::json& j, preferred_scheduling_term& t) {
  detail::expect_object(j);
  detail::read_field(j, "weight", t.weight);
  detail::read_field(j, "preference", t.preference);
}

/// weight and preference, always.
template <typename Json>
void to_json(Json& j, const preferred_scheduling_term& t) {
  j = Json::object();
  j["weight"] = t.weight;
  j["preference"] = t.preference;
}

/// core/v1 NodeAffinity (the API's long field names).
inline void from_json(const nlohmann::json& j, node_affinity& a) {
  detail::expect_object(j);
  detail::read_field(j, "requiredDuringSchedulingIgnoredDuringExecution", a.required);
  detail::read_field(j, "preferredDuringSchedulingIgnoredDuringExecution", a.preferred);
}

/// The required selector when set, the preferred terms when any.
template <typename Json>
void to_json(Json& j, const node_affinity& a) {
  j = Json::object();
  detail::write_optional(j, "requiredDuringSchedulingIgnoredDuringExecution", a.required);
  detail::write_nonempty(j, "preferredDuringSchedulingIgnoredDuringExecution", a.preferred);
}

/// core/v1 Affinity: nodeAffinity modelled; podAffinity, podAntiAffinity and the rest in `extra`.
inline void from_json(const nlohmann::json& j, affinity& a) {
  static constexpr std::string_view known[] = {"nodeAffinity"};
  detail::expect_object(j);
  detail::read_field(j, "nodeAffinity", a.node_affinity);
  detail::collect_extra(j, known, a.extra);
}

/// nodeAffinity when set, then podAffinity, podAntiAffinity and the rest from `extra`.
template <typename Json>
void to_json(Json& j, const affinity& a) {
  j = Json::object();
  detail::write_optional(j, "nodeAffinity", a.node_affinity);
  detail::write_extra(j, a.extra);
}

// ---- Pods -------------------------------------------------------------------------------------

namespace detail {
/// The pod spec fields pod_spec models; the rest (containers, volumes, ...) go to `extra`.
inline constexpr std::string_view pod_spec_keys[] = {"nodeName",      "nodeSelector",  "affinity",
                                                     "tolerations",   "hostNetwork",   "restartPolicy",
                                                     "activeDeadlineSeconds"};
}  // namespace detail

/// core/v1 PodSpec: the placement fields modelled, every other field kept verbatim in `extra`.
inline void from_json(const nlohmann::json& j, pod_spec& s) {
  detail::expect_object(j);
  detail::read_field(j, "nodeName", s.node_name);
  detail::read_field(j, "nodeSelector", s.node_selector);
  detail::read_field(j, "affinity", s.affinity);
  detail::read_field(j, "tolerations", s.tolerations);
  detail::read_field(j, "hostNetwork", s.host_network);
  detail::read_field(j, "restartPolicy", s.restart_policy);
  detail::read_field(j, "activeDeadlineSeconds", s.active_deadline_seconds);
  detail::collect_extra(j, detail::pod_spec_keys, s.extra);
}

/// The modelled fields that are set (hostNetwork only when true, as the API's omitempty does),
/// then every `extra` field exactly as read: containers, volumes, securityContext, ...
template <typename Json>
void to_json(Json& j, const pod_spec& s) {
  j = Json::object();
  detail::write_nonempty(j, "nodeName", s.node_name);
  detail::write_nonempty(j, "nodeSelector", s.node_selector);
  detail::write_optional(j, "affinity", s.affinity);
  detail::write_nonempty(j, "tolerations", s.tolerations);
  if (s.host_network) j["hostNetwork"] = true;
  detail::write_nonempty(j, "restartPolicy", s.restart_policy);
  detail::write_optional(j, "activeDeadlineSeconds", s.active_deadline_seconds);
  detail::write_extra(j, s.extra);
}

/// core/v1 PodTemplateSpec.
inline void from_json(const nlohmann::json& j, pod_template& t) {
  detail::expect_object(j);
  detail::read_field(j, "metadata", t.metadata);
  detail::read_field(j, "spec", t.spec);
}

/// metadata and spec, always (a template's metadata is written even when empty, as Go does).
template <typename Json>
void to_json(Json& j, const pod_template& t) {
  j = Json::object();
  j["metadata"] = t.metadata;
  j["spec"] = t.spec;
}

/// A status condition: type, status (required), lastTransitionTime; reason, message and
/// heartbeat times are not modelled and not kept.
inline void from_json(const nlohmann::json& j, condition& c) {
  detail::expect_object(j);
  detail::read_field(j, "type", c.type);
  detail::require_field(j, "status", c.status);
  detail::read_field(j, "lastTransitionTime", c.last_transition_time);
}

/// type, status, and lastTransitionTime when set.
template <typename Json>
void to_json(Json& j, const condition& c) {
  j = Json::object();
  j["type"] = c.type;
  j["status"] = to_string(c.status);
  detail::write_time(j, "lastTransitionTime", c.last_transition_time);
}

/// core/v1 Pod: metadata, spec, status.phase and status.conditions.
inline void from_json(const nlohmann::json& j, pod& p) {
  detail::expect_object(j);
  detail::read_field(j, "metadata", p.metadata);
  detail::read_field(j, "spec", p.spec);
  if (const auto it = j.find("status"); it != j.end() && !it->is_null()) {
    detail::at("status", [&] {
      detail::expect_object(*it);
      detail::read_field(*it, "phase", p.phase);
      detail::read_field(*it, "conditions", p.conditions);
    });
  }
}

/// Writes `status` only when it says something: a phase other than Pending, or conditions.
template <typename Json>
void to_json(Json& j, const pod& p) {
  j = Json::object();
  j["apiVersion"] = "v1";
  j["kind"] = "Pod";
  j["metadata"] = p.metadata;
  j["spec"] = p.spec;
  if (p.phase != pod_phase::pending || !p.conditions.empty()) {
    Json status = Json::object();
    status["phase"] = to_string(p.phase);
    detail::write_nonempty(status, "conditions", p.conditions);
    j["status"] = std::move(status);
  }
}

// ---- Nodes ------------------------------------------------------------------------------------

/// core/v1 Node: metadata, spec.taints, spec.unschedulable, status.conditions. Everything else
/// (addresses, images, capacity, ...) is not modelled and not kept.
inline void from_json(const nlohmann::json& j, node& n) {
  detail::expect_object(j);
  detail::read_field(j, "metadata", n.metadata);
  if (const auto it = j.find("spec"); it != j.end() && !it->is_null()) {
    detail::at("spec", [&] {
      detail::expect_object(*it);
      detail::read_field(*it, "taints", n.taints);
      detail::read_field(*it, "unschedulable", n.unschedulable);
    });
  }
  if (const auto it = j.find("status"); it != j.end() && !it->is_null()) {
    detail::at("status", [&] {
      detail::expect_object(*it);
      detail::read_field(*it, "conditions", n.conditions);
    });
  }
}

/// apiVersion v1, kind Node, metadata, spec (taints, unschedulable) and status (conditions).
template <typename Json>
void to_json(Json& j, const node& n) {
  j = Json::object();
  j["apiVersion"] = "v1";
  j["kind"] = "Node";
  j["metadata"] = n.metadata;
  Json spec = Json::object();
  detail::write_nonempty(spec, "taints", n.taints);
  if (n.unschedulable) spec["unschedulable"] = true;
  j["spec"] = std::move(spec);
  Json status = Json::object();
  detail::write_nonempty(status, "conditions", n.conditions);
  j["status"] = std::move(status);
}

// ---- DaemonSets -------------------------------------------------------------------------------

/// intstr.IntOrString: a JSON number (int32) or a string ("10%").
inline void from_json(const nlohmann::json& j, int_or_percent& v) {
  if (j.is_string()) {
    v = from_string(j.get<std::string>());
  } else if (j.is_number()) {
    std::int32_t n = 0;
    detail::read(j, n);
    v = from_int(n);
  } else {
    detail::wrong_type("an integer or a percentage string", j);
  }
}

/// A JSON number for an int, a JSON string for a string ("10%", and also "5").
template <typename Json>
void to_json(Json& j, const int_or_percent& v) {
  if (v.is_string)
    j = v.string_value;
  else
    j = v.int_value;
}

/// apps/v1 RollingUpdateDaemonSet.
inline void from_json(const nlohmann::json& j, rolling_update_daemon_set& r) {
  detail::expect_object(j);
  detail::read_field(j, "maxUnavailable", r.max_unavailable);
  detail::read_field(j, "maxSurge", r.max_surge);
}

/// maxUnavailable and maxSurge when set (null fields are left for apply_defaults).
template <typename Json>
void to_json(Json& j, const rolling_update_daemon_set& r) {
  j = Json::object();
  detail::write_optional(j, "maxUnavailable", r.max_unavailable);
  detail::write_optional(j, "maxSurge", r.max_surge);
}

/// apps/v1 DaemonSetUpdateStrategy; an empty `type` is unset (apply_defaults makes it RollingUpdate).
inline void from_json(const nlohmann::json& j, daemon_set_update_strategy& s) {
  detail::expect_object(j);
  if (const auto it = j.find("type"); it != j.end() && !(it->is_string() && it->get_ref<const std::string&>().empty()))
    detail::read_field(j, "type", s.type);
  detail::read_field(j, "rollingUpdate", s.rolling_update);
}

/// type and rollingUpdate when set.
template <typename Json>
void to_json(Json& j, const daemon_set_update_strategy& s) {
  j = Json::object();
  if (s.type) j["type"] = to_string(*s.type);
  detail::write_optional(j, "rollingUpdate", s.rolling_update);
}

/// apps/v1 DaemonSetSpec. A null or absent selector reads as nullopt (selects nothing).
inline void from_json(const nlohmann::json& j, daemon_set_spec& s) {
  detail::expect_object(j);
  detail::read_field(j, "selector", s.selector);
  detail::read_field(j, "template", s.template_);
  detail::read_field(j, "updateStrategy", s.update_strategy);
  detail::read_field(j, "minReadySeconds", s.min_ready_seconds);
  detail::read_field(j, "revisionHistoryLimit", s.revision_history_limit);
}

/// selector when set (nullopt is omitted, i.e. null), template always, updateStrategy when any
/// part is set, minReadySeconds when non-zero, revisionHistoryLimit when set.
template <typename Json>
void to_json(Json& j, const daemon_set_spec& s) {
  j = Json::object();
  detail::write_optional(j, "selector", s.selector);
  j["template"] = s.template_;
  if (s.update_strategy.type || s.update_strategy.rolling_update) j["updateStrategy"] = s.update_strategy;
  if (s.min_ready_seconds != 0) j["minReadySeconds"] = s.min_ready_seconds;
  detail::write_optional(j, "revisionHistoryLimit", s.revision_history_limit);
}

/// apps/v1 DaemonSetStatus. Counters are non-negative; an absent counter is 0.
inline void from_json(const nlohmann::json& j, daemon_set_status& s) {
  detail::expect_object(j);
  detail::read_count(j, "currentNumberScheduled", s.current_number_scheduled);
  detail::read_count(j, "numberMisscheduled", s.number_misscheduled);
  detail::read_count(j, "desiredNumberScheduled", s.desired_number_scheduled);
  detail::read_count(j, "numberReady", s.number_ready);
  detail::read_count(j, "observedGeneration", s.observed_generation);
  detail::read_count(j, "updatedNumberScheduled", s.updated_number_scheduled);
  detail::read_count(j, "numberAvailable", s.number_available);
  detail::read_count(j, "numberUnavailable", s.number_unavailable);
  if (const auto it = j.find("collisionCount"); it != j.end() && !it->is_null()) {
    std::int32_t count = 0;
    detail::read_count(j, "collisionCount", count);
    s.collision_count = count;
  }
}

/// Every counter is written, in the order of the command-line contract.
template <typename Json>
void to_json(Json& j, const daemon_set_status& s) {
  j = Json::object();
  j["desiredNumberScheduled"] = s.desired_number_scheduled;
  j["currentNumberScheduled"] = s.current_number_scheduled;
  j["numberMisscheduled"] = s.number_misscheduled;
  j["numberReady"] = s.number_ready;
  j["numberAvailable"] = s.number_available;
  j["numberUnavailable"] = s.number_unavailable;
  j["updatedNumberScheduled"] = s.updated_number_scheduled;
  j["observedGeneration"] = s.observed_generation;
  detail::write_optional(j, "collisionCount", s.collision_count);
}

/// apps/v1 DaemonSet. `revision` is not part of the API object and is neither read nor written.
inline void from_json(const nlohmann::json& j, daemon_set& ds) {
  detail::expect_object(j);
  detail::read_field(j, "metadata", ds.metadata);
  detail::read_field(j, "spec", ds.spec);
  detail::read_field(j, "status", ds.status);
}

/// Writes `status` only when it differs from the zero status.
template <typename Json>
void to_json(Json& j, const daemon_set& ds) {
  j = Json::object();
  j["apiVersion"] = "apps/v1";
  j["kind"] = "DaemonSet";
  j["metadata"] = ds.metadata;
  j["spec"] = ds.spec;
  if (ds.status != daemon_set_status{}) j["status"] = ds.status;
}

// ---- Errors, plans and explanations (output only) ---------------------------------------------

/// {"code": "Invalid value", "field": "spec.x", "message": "..."}; code as kubectl spells it.
template <typename Json>
void to_json(Json& j, const error& e) {
  j = Json::object();
  j["code"] = to_string(e.code);
  j["field"] = e.field;
  j["message"] = e.message;
}

/// {"node": "n1", "pod": {the complete Pod}}.
template <typename Json>
void to_json(Json& j, const create_action& a) {
  j = Json::object();
  j["node"] = a.node;
  j["pod"] = a.pod;
}

/// {"namespace", "name", "node", "reason"}.
template <typename Json>
void to_json(Json& j, const delete_action& a) {
  j = Json::object();
  j["namespace"] = a.namespace_;
  j["name"] = a.name;
  j["node"] = a.node;
  j["reason"] = to_string(a.reason);
}

/// {"namespace", "name", "node", "action"}.
template <typename Json>
void to_json(Json& j, const update_action& a) {
  j = Json::object();
  j["namespace"] = a.namespace_;
  j["name"] = a.name;
  j["node"] = a.node;
  j["action"] = to_string(a.action);
}

/// The plan as the command-line contract prints it, without the `daemonSet` key (the plan does
/// not know its DaemonSet; plan_document() adds it): revision, create, delete, update, status,
/// requeueAfterSeconds (null when nothing time-dependent is pending), errors. Lists are always
/// written, empty or not.
template <typename Json>
void to_json(Json& j, const plan& p) {
  j = Json::object();
  j["revision"] = p.revision;
  j["create"] = Json::array();
  for (const auto& a : p.creates) j["create"].push_back(a);
  j["delete"] = Json::array();
  for (const auto& a : p.deletes) j["delete"].push_back(a);
  j["update"] = Json::array();
  for (const auto& a : p.updates) j["update"].push_back(a);
  j["status"] = p.status;
  j["requeueAfterSeconds"] = p.requeue_after ? Json(p.requeue_after->count()) : Json(nullptr);
  j["errors"] = Json::array();
  for (const auto& e : p.errors) j["errors"].push_back(e);
}

/// {"code": "UntoleratedTaint", "message": "..."}.
template <typename Json>
void to_json(Json& j, const reason& r) {
  j = Json::object();
  j["code"] = to_string(r.code);
  j["message"] = r.message;
}

/// {"node", "shouldRun", "shouldContinueRunning", "reasons": [...]}; reasons always written.
template <typename Json>
void to_json(Json& j, const node_explanation& e) {
  j = Json::object();
  j["node"] = e.node;
  j["shouldRun"] = e.verdict.should_run;
  j["shouldContinueRunning"] = e.verdict.should_continue_running;
  j["reasons"] = Json::array();
  for (const auto& r : e.reasons) j["reasons"].push_back(r);
}

/// `daemonplan plan -o json`: {"daemonSet": {"namespace", "name"}, then the plan's keys}. Use
/// nlohmann::ordered_json to keep the contract's key order, nlohmann::json for sorted keys.
template <typename Json = nlohmann::ordered_json>
[[nodiscard]] Json plan_document(const daemon_set& ds, const plan& p) {
  Json doc = Json::object();
  doc["daemonSet"] = Json::object();
  doc["daemonSet"]["namespace"] = ds.metadata.namespace_;
  doc["daemonSet"]["name"] = ds.metadata.name;
  Json body = p;
  for (auto it = body.begin(); it != body.end(); ++it) doc[it.key()] = std::move(*it);
  return doc;
}

/// `daemonplan explain -o json`: {"nodes": [...]}, in the order given (the tool sorts by name).
template <typename Json = nlohmann::ordered_json>
[[nodiscard]] Json explain_document(std::span<const node_explanation> nodes) {
  Json doc = Json::object();
  doc["nodes"] = Json::array();
  for (const auto& e : nodes) doc["nodes"].push_back(e);
  return doc;
}

// ---- Non-throwing entry points ----------------------------------------------------------------

/// from_json without exceptions: the value, or the first error with its field path. Also catches
/// nlohmann's own exceptions (reported as `invalid` at the top level).
template <typename T>
[[nodiscard]] result<T> try_from_json(const nlohmann::json& j) {
  try {
    T value{};
    from_json(j, value);
    return value;
  } catch (const json_error& e) {
    return e.error();
  } catch (const nlohmann::json::exception& e) {
    return error{error_code::invalid, "", e.what()};
  }
}


// ---- Reading lists and documents --------------------------------------------------------------

namespace detail {

struct field_filter;

/// One kept key of an object and the filter for its value (nullptr: keep the value whole).
struct kept_field {
  std::string_view key{};
  const field_filter* filter{nullptr};
};

/// The keys of an object that a reader keeps; every other key's value is skipped unparsed into
/// memory. A list value passes its filter on to each element.
struct field_filter {
  std::span<const kept_field> fields{};
};

/// object_metadata's modelled fields (so list reading leaves metadata.extra empty).
inline constexpr kept_field metadata_fields[] = {
    {"name", nullptr},        {"generateName", nullptr},    {"namespace", nullptr},
    {"uid", nullptr},         {"resourceVersion", nullptr}, {"generation", nullptr},
    {"labels", nullptr},      {"annotations", nullptr},     {"ownerReferences", nullptr},
    {"creationTimestamp", nullptr}, {"deletionTimestamp", nullptr}};
inline constexpr field_filter metadata_filter{metadata_fields};

inline constexpr kept_field condition_fields[] = {{"type", nullptr}, {"status", nullptr}, {"lastTransitionTime", nullptr}};
inline constexpr field_filter condition_filter{condition_fields};

inline constexpr kept_field node_spec_fields[] = {{"taints", nullptr}, {"unschedulable", nullptr}};
inline constexpr field_filter node_spec_filter{node_spec_fields};
inline constexpr kept_field node_status_fields[] = {{"conditions", &condition_filter}};
inline constexpr field_filter node_status_filter{node_status_fields};
inline constexpr kept_field node_fields[] = {{"apiVersion", nullptr},
                                             {"kind", nullptr},
                                             {"metadata", &metadata_filter},
                                             {"spec", &node_spec_filter},
                                             {"status", &node_status_filter}};
inline constexpr field_filter node_filter{node_fields};
inline constexpr kept_field node_root_fields[] = {{"apiVersion", nullptr},         {"kind", nullptr},
                                                  {"metadata", &metadata_filter},  {"spec", &node_spec_filter},
                                                  {"status", &node_status_filter}, {"items", &node_filter}};
inline constexpr field_filter node_root_filter{node_root_fields};

inline constexpr kept_field pod_spec_fields[] = {
    {"nodeName", nullptr},    {"nodeSelector", nullptr},  {"affinity", nullptr},
    {"tolerations", nullptr}, {"hostNetwork", nullptr},   {"restartPolicy", nullptr},
    {"activeDeadlineSeconds", nullptr}};
inline constexpr field_filter pod_spec_filter{pod_spec_fields};
inline constexpr kept_field pod_status_fields[] = {{"phase", nullptr}, {"conditions", &condition_filter}};
inline constexpr field_filter pod_status_filter{pod_status_fields};
inline constexpr kept_field pod_fields[] = {{"apiVersion", nullptr},
                                            {"kind", nullptr},
                                            {"metadata", &metadata_filter},
                                            {"spec", &pod_spec_filter},
                                            {"status", &pod_status_filter}};
inline constexpr field_filter pod_filter{pod_fields};
inline constexpr kept_field pod_root_fields[] = {{"apiVersion", nullptr},        {"kind", nullptr},
                                                 {"metadata", &metadata_filter}, {"spec", &pod_spec_filter},
                                                 {"status", &pod_status_filter}, {"items", &pod_filter}};
inline constexpr field_filter pod_root_filter{pod_root_fields};

/// The kind name and the streaming filter of each readable type. DaemonSets are read whole.
template <typename T>
struct object_traits;
template <>
struct object_traits<node> {
  static constexpr std::string_view kind = "Node";
  static constexpr std::string_view list_kind = "NodeList";
  static constexpr const field_filter* filter = &node_root_filter;
};
template <>
struct object_traits<pod> {
  static constexpr std::string_view kind = "Pod";
  static constexpr std::string_view list_kind = "PodList";
  static constexpr const field_filter* filter = &pod_root_filter;
};
template <>
struct object_traits<daemon_set> {
  static constexpr std::string_view kind = "DaemonSet";
  static constexpr std::string_view list_kind = "DaemonSetList";
  static constexpr const field_filter* filter = nullptr;
};

/// How deep objects and lists may nest: deeper input is rejected before anything recursive
/// (dump, destruction, from_json) could exhaust the stack.
inline constexpr std::size_t max_nesting = 512;

/// The `kind` of a document, or "" when it has none (or it is not a string).
[[nodiscard]] inline std::string_view kind_of(const json_value& doc) {
  const auto it = doc.find("kind");
  return it != doc.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view{};
}

/// How a document's kind relates to T: T itself, a list of T, or something else (an error).
enum class document_shape { single, list };

template <typename T>
[[nodiscard]] document_shape shape_of(std::string_view kind, bool has_items) {
  using traits = object_traits<T>;
  if (kind == traits::kind) return document_shape::single;
  if (kind == traits::list_kind || kind == "List" || (kind.empty() && has_items)) return document_shape::list;
  if (kind.empty()) throw json_error({error_code::required, "kind", "required field is missing"});
  throw json_error({error_code::invalid, "kind",
                    "expected " + std::string(traits::kind) + ", " + std::string(traits::list_kind) + " or List, got " +
                        quote(kind)});
}

/// One list item as T, or nothing when the item names another kind (skipped, as in a List
/// holding several kinds). Items without a kind are T (raw API lists carry none).
template <typename T>
void read_item(const json_value& item, std::size_t index, std::vector<T>& out) {
  at("items" + index_segment(index), [&] {
    expect_object(item);
    const auto kind = kind_of(item);
    if (!kind.empty() && kind != object_traits<T>::kind) return;
    from_json(item, out.emplace_back());
  });
}

/// An open object or list while filtered_dom_builder parses.
struct dom_frame {
  json_value* value{nullptr};
  const field_filter* filter{nullptr};
  bool items{false};  ///< the root's `items` list: completed elements go to on_item
};

/// nlohmann SAX handler that builds the DOM of only the kept fields (field_filter, nullptr: all),
/// rejects duplicate keys and nesting deeper than max_nesting, and, when `stream_items`, hands
/// each element of a top-level `items` list to `on_item` as soon as it is complete, then frees it.
template <typename OnItem>
class filtered_dom_builder {
 public:
  filtered_dom_builder(const field_filter* root_filter, bool stream_items, OnItem on_item)
      : root_filter_(root_filter), stream_items_(stream_items), on_item_(std::move(on_item)) {}

  bool null() { return value(json_value(nullptr)); }
  bool boolean(bool v) { return value(json_value(v)); }
  bool number_integer(json_value::number_integer_t v) { return value(json_value(v)); }
  bool number_unsigned(json_value::number_unsigned_t v) { return value(json_value(v)); }
  bool number_float(json_value::number_float_t v, const json_value::string_t&) { return value(json_value(v)); }
  bool string(json_value::string_t& v) {
    if (!skipping()) return value(json_value(v));
    skip_next_ = false;  // a skipped string is never copied
    return true;
  }
  bool binary(json_value::binary_t&) { return true; }
  bool start_object(std::size_t) { return start(json_value::value_t::object); }
  bool start_array(std::size_t) { return start(json_value::value_t::array); }
  bool end_object() { return end(); }
  bool end_array() { return end(); }

  bool key(json_value::string_t& k) {
    if (skip_depth_ > 0) return true;
    const field_filter* f = stack_.back().filter;
    pending_filter_ = nullptr;
    if (f != nullptr) {
      const auto it = std::ranges::find(f->fields, std::string_view(k), &kept_field::key);
      if (it == f->fields.end()) {
        skip_next_ = true;
        return true;
      }
      pending_filter_ = it->filter;
    }
    key_ = k;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
    std::string_view what = e.what();
    if (const auto at_pos = what.find(" at line "); at_pos != std::string_view::npos) what.remove_prefix(at_pos + 4);
    error_ = error{error_code::invalid, "", std::string(what)};
    return false;
  }

  /// The document (without the items handed to on_item), once parsing succeeded.
  [[nodiscard]] json_value& root() noexcept { return root_; }
  /// Whether the root had an `items` list.
  [[nodiscard]] bool had_items() const noexcept { return had_items_; }
  /// The error that stopped parsing, if any.
  [[nodiscard]] const std::optional<daemonplan::error>& failure() const noexcept { return error_; }

 private:
  [[nodiscard]] bool skipping() const noexcept { return skip_depth_ > 0 || skip_next_; }

  /// The path of the innermost open value, for errors.
  [[nodiscard]] std::string path() const {
    std::string out;
    for (std::size_t i = 1; i < stack_.size(); ++i) {
      const json_value& parent = *stack_[i - 1].value;
      if (stack_[i - 1].items) {
        out = join_path(out, index_segment(items_done_));
      } else if (parent.is_array()) {
        out = join_path(out, index_segment(static_cast<std::size_t>(stack_[i].value - &parent.front())));
      } else {
        for (auto it = parent.begin(); it != parent.end(); ++it)
          if (&*it == stack_[i].value) out = join_path(out, it.key());
      }
    }
    return out;
  }

  bool fail(std::string field, std::string message) {
    error_ = error{error_code::invalid, std::move(field), std::move(message)};
    return false;
  }

  /// Places a value in the innermost open container (or as the root); nullptr on a duplicate key.
  json_value* place(json_value&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json_value& top = *stack_.back().value;
    if (top.is_array()) {
      auto& array = top.get_ref<json_value::array_t&>();
      array.push_back(std::move(v));
      return &array.back();
    }
    auto [it, inserted] = top.get_ref<json_value::object_t&>().emplace(std::move(key_), std::move(v));
    return inserted ? &it->second : nullptr;
  }

  bool value(json_value&& v) {
    if (skip_depth_ > 0) return true;
    if (skip_next_) {
      skip_next_ = false;
      return true;
    }
    if (place(std::move(v)) == nullptr) return fail(path(), "duplicate key " + quote(key_));
    return true;
  }

  bool start(json_value::value_t type) {
    if (skip_depth_ > 0 || skip_next_) {
      skip_next_ = false;
      ++skip_depth_;
      return true;
    }
    if (stack_.size() >= max_nesting)
      return fail("", "objects and lists nested deeper than " + std::to_string(max_nesting) + " levels");
    const bool at_root = stack_.empty();
    const bool in_array = !at_root && stack_.back().value->is_array();
    const field_filter* filter = at_root ? root_filter_ : in_array ? stack_.back().filter : pending_filter_;
    const bool items = stream_items_ && stack_.size() == 1 && type == json_value::value_t::array && key_ == "items";
    json_value* slot = place(json_value(type));
    if (slot == nullptr) return fail(path(), "duplicate key " + quote(key_));
    had_items_ = had_items_ || items;
    stack_.push_back({slot, filter, items});
    return true;
  }

  bool end() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    stack_.pop_back();
    if (!stack_.empty() && stack_.back().items) {
      auto& array = stack_.back().value->get_ref<json_value::array_t&>();
      try {
        on_item_(array.back(), items_done_);
      } catch (const json_error& e) {
        error_ = e.error();
        return false;
      }
      array.pop_back();
      ++items_done_;
    }
    return true;
  }

  const field_filter* root_filter_;
  bool stream_items_;
  OnItem on_item_;
  json_value root_;
  std::vector<dom_frame> stack_;
  std::string key_;
  const field_filter* pending_filter_{nullptr};
  bool skip_next_{false};
  std::size_t skip_depth_{0};
  std::size_t items_done_{0};
  bool had_items_{false};
  std::optional<daemonplan::error> error_;
};

}  // namespace detail

/// Parses one JSON document by the readers' rules: a syntax error names its line and column; a
/// duplicate key, or objects and lists nested deeper than 512 levels, are errors (at their path).
/// nlohmann::json::parse accepts both; daemonplan rejects them, as the API server's strict decoder does.
[[nodiscard]] inline result<nlohmann::json> parse_json(std::string_view text) {
  auto no_items = [](const nlohmann::json&, std::size_t) {};
  detail::filtered_dom_builder<decltype(no_items)> builder(nullptr, false, no_items);
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (builder.failure()) return *builder.failure();
  if (!ok) return error{error_code::invalid, "", "malformed JSON"};
  return std::move(builder.root());
}

/// The objects of type T (node, pod, daemon_set) in one parsed document: a T, a `<Kind>List` or a
/// `List` with `items` (items of another kind are skipped; items without a kind are T). Any other
/// kind is an error at `kind`. Lossless: every field the model keeps is read.
template <typename T>
[[nodiscard]] result<std::vector<T>> objects_from_json(const nlohmann::json& doc) {
  try {
    detail::expect_object(doc);
    const auto items = doc.find("items");
    const bool has_items = items != doc.end() && !items->is_null();
    std::vector<T> out;
    if (detail::shape_of<T>(detail::kind_of(doc), has_items) == detail::document_shape::single) {
      from_json(doc, out.emplace_back());
      return out;
    }
    if (!has_items) return out;
    if (!items->is_array()) detail::at("items", [&] { detail::wrong_type("a list", *items); });
    out.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) detail::read_item((*items)[i], i, out);
    return out;
  } catch (const json_error& e) {
    return e.error();
  } catch (const nlohmann::json::exception& e) {
    return error{error_code::invalid, "", e.what()};
  }
}

/// Parses JSON text holding one document as objects_from_json() reads it, streaming: each list
/// item is converted as soon as it is parsed and its text freed, and for nodes and pods the
/// fields reconcile() never reads are skipped, not stored (node status.images, addresses,
/// capacity; pod containers and volumes; metadata.managedFields; ...), so node metadata.extra,
/// pod metadata.extra and pod spec.extra stay empty. DaemonSets are read whole. Syntax errors
/// name the line and column; duplicate keys (in the fields kept) and nesting deeper than 512
/// levels are errors. Skipped fields are still parsed: malformed JSON anywhere is an error.
template <typename T>
[[nodiscard]] result<std::vector<T>> read_objects(std::string_view text) {
  std::vector<T> out;
  auto on_item = [&out](const nlohmann::json& item, std::size_t index) { detail::read_item(item, index, out); };
  detail::filtered_dom_builder<decltype(on_item)> builder(detail::object_traits<T>::filter, true, on_item);
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok || builder.failure()) {
    if (builder.failure()) return *builder.failure();
    return error{error_code::invalid, "", "malformed JSON"};
  }
  try {
    const auto& doc = builder.root();
    detail::expect_object(doc);
    if (detail::shape_of<T>(detail::kind_of(doc), builder.had_items()) == detail::document_shape::single) {
      out.clear();
      from_json(doc, out.emplace_back());
    }
    return out;
  } catch (const json_error& e) {
    return e.error();
  } catch (const nlohmann::json::exception& e) {
    return error{error_code::invalid, "", e.what()};
  }
}

}  // namespace daemonplan
