// daemonplan/validate.hpp: the API server's validation of DaemonSets (create, update, status
// update) and of node taints, as lists of field errors with Kubernetes field paths.
#pragma once

#include <algorithm>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>  // std::pair
#include <vector>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/labels.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

// What the types cannot hold, and so cannot fail here: an unknown operator, effect or strategy
// string, or an empty taint effect. The JSON adapter rejects those while reading (NotSupported at
// the field's own path; upstream says Invalid at `.operator` for selectors, NotSupported at
// `spec.updateStrategy` for the strategy, Required for an empty taint effect). Containers and the
// other unmodelled pod fields are JSON text in `extra`; of them only `containers` (present, not
// empty) and `ephemeralContainers` (absent or empty) are checked.

namespace daemonplan {

/// Knobs of upstream's validation options that matter for DaemonSets.
struct validate_options {
  /// Skip the label-value syntax check of spec.selector's matchExpressions values. Upstream sets
  /// it on update when the stored object's selector is already invalid ("ratcheting").
  bool allow_invalid_label_value_in_selector{false};
};

namespace detail {

/// A value as upstream's field errors print it: Go's %q for strings, digits for numbers.
[[nodiscard]] inline std::string quoted(std::string_view s) {
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// `path[i]`.
[[nodiscard]] inline std::string at_index(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

/// Collects field errors under a path prefix: `invalid(".key", value, detail)` and so on, each
/// message `"value": detail` the way kubectl prints it.
struct error_list {
  std::vector<error>& out;

  void invalid(std::string field, std::string_view value, std::string_view why) const {
    out.push_back({error_code::invalid, std::move(field), detail::quoted(value) + ": " + std::string(why)});
  }
  void invalid_number(std::string field, std::int64_t value, std::string_view why) const {
    out.push_back({error_code::invalid, std::move(field), std::to_string(value) + ": " + std::string(why)});
  }
  void required(std::string field, std::string_view why) const {
    out.push_back({error_code::required, std::move(field), std::string(why)});
  }
  void forbidden(std::string field, std::string_view why) const {
    out.push_back({error_code::forbidden, std::move(field), std::string(why)});
  }
  void not_supported(std::string field, std::string_view value, std::string_view supported) const {
    out.push_back({error_code::not_supported, std::move(field), detail::quoted(value) + ": supported values: " + std::string(supported)});
  }
};

inline constexpr std::string_view dns1123_label_message =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
inline constexpr std::string_view dns1123_subdomain_message =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
inline constexpr std::string_view qualified_name_message =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
inline constexpr std::string_view label_value_message =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

[[nodiscard]] inline std::string max_length_message(std::size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

/// IsDNS1123Label: at most one message; the length check wins, and a dotted subdomain is told
/// "must not contain dots".
[[nodiscard]] inline std::vector<std::string> dns1123_label_messages(std::string_view s) {
  if (s.size() > 63) return {max_length_message(63)};
  if (is_dns1123_label_shape(s)) return {};
  if (is_dns1123_subdomain_shape(s)) return {"must not contain dots"};
  return {std::string(dns1123_label_message)};
}

/// IsDNS1123Subdomain: the length and the shape are separate messages.
[[nodiscard]] inline std::vector<std::string> dns1123_subdomain_messages(std::string_view s) {
  std::vector<std::string> out;
  if (s.size() > 253) out.push_back(max_length_message(253));
  if (!is_dns1123_subdomain_shape(s)) out.emplace_back(dns1123_subdomain_message);
  return out;
}

/// IsQualifiedName (label keys, annotation keys, taint and toleration keys).
[[nodiscard]] inline std::vector<std::string> qualified_name_messages(std::string_view key) {
  std::vector<std::string> out;
  std::string_view name = key;
  if (const auto slash = key.find('/'); slash != std::string_view::npos) {
    if (key.find('/', slash + 1) != std::string_view::npos)
      return {"a qualified name " + std::string(qualified_name_message) +
              " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"};
    const auto prefix = key.substr(0, slash);
    if (prefix.empty()) out.emplace_back("prefix part must be non-empty");
    for (const auto& m : prefix.empty() ? std::vector<std::string>{} : dns1123_subdomain_messages(prefix))
      out.push_back("prefix part " + m);
    name = key.substr(slash + 1);
  }
  if (name.empty())
    out.emplace_back("name part must be non-empty");
  else if (name.size() > 63)
    out.push_back("name part " + max_length_message(63));
  if (!is_qualified_name_part(name)) out.push_back("name part " + std::string(qualified_name_message));
  return out;
}

/// IsValidLabelValue: the length and the shape are separate messages.
[[nodiscard]] inline std::vector<std::string> label_value_messages(std::string_view value) {
  std::vector<std::string> out;
  if (value.size() > 63) out.push_back(max_length_message(63));
  if (!value.empty() && !is_qualified_name_part(value)) out.emplace_back(label_value_message);
  return out;
}

/// ValidateLabelName: one Invalid per message, at the given (unkeyed) path.
inline void check_label_key(std::string_view key, const std::string& path, const error_list& errors) {
  for (const auto& m : qualified_name_messages(key)) errors.invalid(path, key, m);
}

/// ValidateLabels: every key and every value, all errors at the unkeyed path, in key order.
inline void check_labels(const label_map& labels, const std::string& path, const error_list& errors) {
  for (const auto& [key, value] : labels) {
    check_label_key(key, path, errors);
    for (const auto& m : label_value_messages(value)) errors.invalid(path, value, m);
  }
}

/// ValidateAnnotations: keys are label keys once lower-cased; the total size of keys and values is
/// at most 256 KiB (TooLong at the map's path).
inline void check_annotations(const label_map& annotations, const std::string& path, const error_list& errors) {
  constexpr std::size_t limit = 256 * 1024;
  std::size_t total = 0;
  for (const auto& [key, value] : annotations) {
    std::string lower = key;
    std::ranges::transform(lower, lower.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    for (const auto& m : qualified_name_messages(lower)) errors.invalid(path, key, m);
    total += key.size() + value.size();
  }
  if (total > limit)
    errors.out.push_back({error_code::too_long, path, "may not be more than " + std::to_string(limit) + " bytes"});
}

/// The name check of ValidateObjectMeta: Required when empty, else one Invalid per message.
/// `prefix` is generateName mode, where one trailing '-' is tolerated.
inline void check_subdomain_name(std::string_view name, bool prefix, const std::string& path, const error_list& errors) {
  std::string masked(name);
  if (prefix && masked.size() > 1 && masked.back() == '-') masked.back() = 'a';
  for (const auto& m : dns1123_subdomain_messages(masked)) errors.invalid(path, name, m);
}

/// apimachinery's schema.ParseGroupVersion(apiVersion).Version: "" for "", "a/b/c" or "g/".
[[nodiscard]] inline std::string_view api_version_version(std::string_view api_version) {
  const auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return api_version;
  if (api_version.find('/', slash + 1) != std::string_view::npos) return {};
  return api_version.substr(slash + 1);
}

/// ValidateOwnerReferences. Upstream reports at `ownerReferences.<field>`, not per index.
inline void check_owner_references(const std::vector<owner_reference>& refs, const std::string& path,
                                   const error_list& errors) {
  const owner_reference* first_controller = nullptr;
  for (const auto& ref : refs) {
    if (api_version_version(ref.api_version).empty())
      errors.invalid(path + ".apiVersion", ref.api_version, "version must not be empty");
    if (ref.kind.empty()) errors.invalid(path + ".kind", ref.kind, "must not be empty");
    if (ref.name.empty()) errors.invalid(path + ".name", ref.name, "must not be empty");
    if (ref.uid.empty()) errors.invalid(path + ".uid", ref.uid, "must not be empty");
    if (ref.api_version == "v1" && ref.kind == "Event")
      errors.invalid(path, ref.kind, "/v1, Kind=Event is disallowed from being an owner");
    if (!ref.controller.value_or(false)) continue;
    if (first_controller)
      errors.invalid(path, ref.kind + "/" + ref.name,
                     "only one reference can have controller set to true, found \"true\" in references for " +
                         first_controller->kind + "/" + first_controller->name + " and " + ref.kind + "/" + ref.name);
    else
      first_controller = &ref;
  }
}

/// ValidateObjectMeta at `metadata`: generateName, name (DNS-1123 subdomain), namespace (a
/// DNS-1123 label when namespaced, absent otherwise), generation, labels, annotations, owner
/// references. Finalizers and managedFields are not modelled.
inline void check_object_meta(const object_metadata& meta, bool namespaced, const error_list& errors) {
  if (!meta.generate_name.empty()) check_subdomain_name(meta.generate_name, true, "metadata.generateName", errors);
  if (meta.name.empty())
    errors.required("metadata.name", "name or generateName is required");
  else
    check_subdomain_name(meta.name, false, "metadata.name", errors);
  if (namespaced && meta.namespace_.empty()) {
    errors.required("metadata.namespace", "must be specified");
  } else if (namespaced) {
    for (const auto& m : dns1123_label_messages(meta.namespace_)) errors.invalid("metadata.namespace", meta.namespace_, m);
  } else if (!meta.namespace_.empty()) {
    errors.forbidden("metadata.namespace", "not allowed on this type");
  }
  if (meta.generation < 0) errors.invalid_number("metadata.generation", meta.generation, "must be greater than or equal to 0");
  check_labels(meta.labels, "metadata.labels", errors);
  check_annotations(meta.annotations, "metadata.annotations", errors);
  check_owner_references(meta.owner_references, "metadata.ownerReferences", errors);
}

/// The operator and key rules shared by LabelSelector and node-affinity requirements at `at`:
/// In/NotIn need values (Required), Exists/DoesNotExist take none (Forbidden); Gt/Lt take exactly
/// one value in node affinity (Required) and are no operator at all in a LabelSelector (Invalid);
/// then the key must be a label key.
inline void check_requirement(std::string_view key, selector_operator op, std::size_t value_count, bool node_affinity,
                              const std::string& at, const error_list& errors) {
  switch (op) {
    case selector_operator::in:
    case selector_operator::not_in:
      if (value_count == 0) errors.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
      break;
    case selector_operator::exists:
    case selector_operator::does_not_exist:
      if (value_count != 0)
        errors.forbidden(at + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
      break;
    case selector_operator::gt:
    case selector_operator::lt:
      if (!node_affinity)
        errors.invalid(at + ".operator", to_string(op), "not a valid selector operator");
      else if (value_count != 1)
        errors.required(at + ".values", "must be specified single value when `operator` is 'Lt' or 'Gt'");
      break;
  }
  check_label_key(key, at + ".key", errors);
}

/// ValidateLabelSelector at `path` (nothing for a null selector).
inline void check_label_selector(const std::optional<label_selector>& selector, const validate_options& options,
                                 const std::string& path, const error_list& errors) {
  if (!selector) return;
  check_labels(selector->match_labels, path + ".matchLabels", errors);
  for (std::size_t i = 0; i < selector->match_expressions.size(); ++i) {
    const auto& e = selector->match_expressions[i];
    const auto at = at_index(path + ".matchExpressions", i);
    check_requirement(e.key, e.op, e.values.size(), false, at, errors);
    if (options.allow_invalid_label_value_in_selector) continue;
    for (std::size_t j = 0; j < e.values.size(); ++j)
      for (const auto& m : label_value_messages(e.values[j])) errors.invalid(at_index(at + ".values", j), e.values[j], m);
  }
}

/// ValidateNodeSelectorTerm: expressions are checked for shape and key only (values are not
/// syntax-checked, Gt/Lt values not checked to be integers); fields must be `metadata.name`, In or
/// NotIn, with exactly one value that is a node name. Empty terms pass.
inline void check_node_selector_term(const node_selector_term& term, const std::string& path, const error_list& errors) {
  for (std::size_t j = 0; j < term.match_expressions.size(); ++j) {
    const auto& r = term.match_expressions[j];
    check_requirement(r.key, r.op, r.values.size(), true, at_index(path + ".matchExpressions", j), errors);
  }
  for (std::size_t j = 0; j < term.match_fields.size(); ++j) {
    const auto& r = term.match_fields[j];
    const auto at = at_index(path + ".matchFields", j);
    if (r.op != selector_operator::in && r.op != selector_operator::not_in)
      errors.invalid(at + ".operator", to_string(r.op), "not a valid selector operator");
    else if (r.values.size() != 1)
      errors.required(at + ".values", "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
    if (r.key != "metadata.name") {
      errors.invalid(at + ".key", r.key, "not a valid field selector key");
      continue;
    }
    for (std::size_t v = 0; v < r.values.size(); ++v)
      for (const auto& m : dns1123_subdomain_messages(r.values[v])) errors.invalid(at_index(at + ".values", v), r.values[v], m);
  }
}

/// validateNodeAffinity at `path` (`...affinity.nodeAffinity`).
inline void check_node_affinity(const node_affinity& na, const std::string& path, const error_list& errors) {
  if (na.required) {
    const auto terms = path + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
    if (na.required->node_selector_terms.empty()) errors.required(terms, "must have at least one node selector term");
    for (std::size_t i = 0; i < na.required->node_selector_terms.size(); ++i)
      check_node_selector_term(na.required->node_selector_terms[i], at_index(terms, i), errors);
  }
  for (std::size_t i = 0; i < na.preferred.size(); ++i) {
    const auto at = at_index(path + ".preferredDuringSchedulingIgnoredDuringExecution", i);
    const auto& term = na.preferred[i];
    if (term.weight <= 0 || term.weight > 100) errors.invalid_number(at + ".weight", term.weight, "must be in the range 1-100");
    check_node_selector_term(term.preference, at + ".preference", errors);
  }
}

/// ValidateTolerations at `path` (every item at `path[i]`). Value errors land on `.operator`, as
/// upstream reports them.
inline void check_tolerations(std::span<const toleration> tolerations, const std::string& path, const error_list& errors) {
  for (std::size_t i = 0; i < tolerations.size(); ++i) {
    const auto& t = tolerations[i];
    const auto at = at_index(path, i);
    if (!t.key.empty()) check_label_key(t.key, at + ".key", errors);
    if (t.key.empty() && t.op != toleration_operator::exists)
      errors.invalid(at + ".operator", to_string(t.op),
                     "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
    if (t.toleration_seconds && t.effect != taint_effect::no_execute)
      errors.invalid(at + ".effect", t.effect ? to_string(*t.effect) : "",
                     "effect must be 'NoExecute' when `tolerationSeconds` is set");
    if (t.op == toleration_operator::equal)
      for (const auto& m : label_value_messages(t.value)) errors.invalid(at + ".operator", t.value, m);
    else if (!t.value.empty())
      errors.invalid(at + ".operator", t.value, "value must be empty when `operator` is 'Exists'");
  }
}

/// validateNodeTaints at `path`: key a label key (an empty key fails), value a label value (one
/// error, messages joined by ";"), unique by (key, effect).
inline void check_taints(std::span<const taint> taints, const std::string& path, const error_list& errors) {
  for (std::size_t i = 0; i < taints.size(); ++i) {
    const auto& t = taints[i];
    const auto at = at_index(path, i);
    check_label_key(t.key, at + ".key", errors);
    if (const auto messages = label_value_messages(t.value); !messages.empty()) {
      std::string joined;
      for (const auto& m : messages) joined += (joined.empty() ? "" : ";") + m;
      errors.invalid(at + ".value", t.value, joined);
    }
    const auto earlier = taints.first(i);
    if (std::ranges::any_of(earlier, [&](const taint& e) { return same_identity(e, t); }))
      errors.out.push_back({error_code::duplicate, at, detail::quoted(to_string(t)) + ": taints must be unique by key and effect pair"});
  }
}

/// True when `s` matches `^[0-9]+%$` (IsValidPercent).
[[nodiscard]] constexpr bool is_valid_percent(std::string_view s) noexcept {
  if (s.size() < 2 || s.back() != '%') return false;
  return std::ranges::all_of(s.substr(0, s.size() - 1), [](char c) { return c >= '0' && c <= '9'; });
}

/// Go strconv.Atoi with its error ignored: a syntax error gives 0, an out-of-range number the
/// clamped extreme. Digits accumulate as a uint64 first (ParseUint): an overflow there stops the
/// scan with the clamped value, before any later junk character could make it a syntax error.
[[nodiscard]] constexpr std::int64_t go_atoi_ignoring_error(std::string_view s) noexcept {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  constexpr auto cutoff = static_cast<std::uint64_t>(max) + 1;
  if (s.empty()) return 0;
  std::uint64_t acc = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (acc > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return negative ? min : max;
    acc = acc * 10 + digit;
  }
  if (negative) return acc > cutoff ? min : static_cast<std::int64_t>(0 - acc);
  return acc >= cutoff ? max : static_cast<std::int64_t>(acc);
}

/// getIntOrPercentValue of apps validation: the number of a valid percent string, an int's
/// value, or Atoi of any other string with its error ignored ("abc" and "-5%" are 0, "5" is 5).
[[nodiscard]] constexpr std::int64_t lenient_number(const int_or_percent& v) noexcept {
  if (!v.is_string) return v.int_value;
  if (is_valid_percent(v.string_value)) return go_atoi_ignoring_error(std::string_view(v.string_value).substr(0, v.string_value.size() - 1));
  return go_atoi_ignoring_error(v.string_value);
}

/// ValidateRollingUpdateDaemonSet at `path`; a null field is the API's zero value, Int 0.
inline void check_rolling_update(const rolling_update_daemon_set& ru, const std::string& path, const error_list& errors) {
  const auto unavailable = ru.max_unavailable.value_or(int_or_percent{});
  const auto surge = ru.max_surge.value_or(int_or_percent{});
  const std::string unavailable_path = path + ".maxUnavailable";
  const std::string surge_path = path + ".maxSurge";
  for (const auto& [v, at] : {std::pair{&unavailable, &unavailable_path}, std::pair{&surge, &surge_path}}) {
    if (v->is_string && !is_valid_percent(v->string_value))
      errors.invalid(*at, v->string_value,
                     "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%')");
    else if (!v->is_string && v->int_value < 0)
      errors.invalid_number(*at, v->int_value, "must be greater than or equal to 0");
  }
  for (const auto& [v, at] : {std::pair{&unavailable, &unavailable_path}, std::pair{&surge, &surge_path}})
    if (v->is_string && is_valid_percent(v->string_value) && lenient_number(*v) > 100)
      errors.invalid(*at, v->string_value, "must not be greater than 100%");
  const bool has_unavailable = lenient_number(unavailable) != 0;
  const bool has_surge = lenient_number(surge) != 0;
  if (has_unavailable && has_surge)
    errors.invalid(surge_path, to_string(surge), "may not be set when maxUnavailable is non-zero");
  else if (!has_unavailable && !has_surge)
    errors.required(unavailable_path, "cannot be 0 when maxSurge is 0");
}

/// True for the JSON text of a nil or empty list: `null` or `[]` (what Go's semantic equality and
/// "required" checks treat as no list at all).
[[nodiscard]] inline bool is_empty_list_json(std::string_view text) noexcept { return text == "null" || text == "[]"; }

/// True when the unmodelled field `name` holds a non-empty list.
[[nodiscard]] inline bool has_raw_list(const raw_fields& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it != fields.end() && !is_empty_list_json(it->second);
}

/// ValidatePodTemplateSpec plus the DaemonSet-specific template rules, at `spec.template`.
inline void check_daemon_template(const pod_template& tmpl, const error_list& errors) {
  const auto& spec = tmpl.spec;
  check_labels(tmpl.metadata.labels, "spec.template.labels", errors);
  check_annotations(tmpl.metadata.annotations, "spec.template.annotations", errors);
  if (!has_raw_list(spec.extra, "containers"))
    errors.required("spec.template.spec.containers", "must have at least one container");
  if (spec.restart_policy.empty())
    errors.required("spec.template.spec.restartPolicy", "must be specified");
  else if (spec.restart_policy != "Always" && spec.restart_policy != "OnFailure" && spec.restart_policy != "Never")
    errors.not_supported("spec.template.spec.restartPolicy", spec.restart_policy, "\"Always\", \"OnFailure\", \"Never\"");
  check_labels(spec.node_selector, "spec.template.spec.nodeSelector", errors);
  if (spec.affinity && spec.affinity->node_affinity)
    check_node_affinity(*spec.affinity->node_affinity, "spec.template.spec.affinity.nodeAffinity", errors);
  if (!spec.node_name.empty())
    for (const auto& m : dns1123_subdomain_messages(spec.node_name)) errors.invalid("spec.template.spec.nodeName", spec.node_name, m);
  if (spec.active_deadline_seconds &&
      (*spec.active_deadline_seconds < 1 || *spec.active_deadline_seconds > std::numeric_limits<std::int32_t>::max()))
    errors.invalid_number("spec.template.spec.activeDeadlineSeconds", *spec.active_deadline_seconds,
                          "must be between 1 and 2147483647, inclusive");
  check_tolerations(spec.tolerations, "spec.template.spec.tolerations", errors);
  if (has_raw_list(spec.extra, "ephemeralContainers"))
    errors.forbidden("spec.template.spec.ephemeralContainers", "ephemeral containers not allowed in pod template");
  // The DaemonSet's own rules on top of the pod template's.
  if (spec.restart_policy != "Always")
    errors.not_supported("spec.template.spec.restartPolicy", spec.restart_policy, "\"Always\"");
  if (spec.active_deadline_seconds)
    errors.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in DaemonSet is not supported");
}

/// ValidateDaemonSetSpec at `spec`, in upstream order.
inline void check_daemon_set_spec(const daemon_set& ds, const validate_options& options, const error_list& errors) {
  const auto& spec = ds.spec;
  check_label_selector(spec.selector, options, "spec.selector", errors);
  if (const auto matcher = label_selector_matcher::make(spec.selector);
      matcher && !matcher->matches(spec.template_.metadata.labels))
    errors.out.push_back({error_code::invalid, "spec.template.metadata.labels", "`selector` does not match template `labels`"});
  if (spec.selector && spec.selector->match_labels.empty() && spec.selector->match_expressions.empty())
    errors.out.push_back({error_code::invalid, "spec.selector", "{}: empty selector is invalid for daemonset"});
  check_daemon_template(spec.template_, errors);
  if (spec.min_ready_seconds < 0)
    errors.invalid_number("spec.minReadySeconds", spec.min_ready_seconds, "must be greater than or equal to 0");
  if (const auto it = ds.metadata.annotations.find(template_generation_annotation); it != ds.metadata.annotations.end()) {
    if (const auto generation = template_generation(ds); !generation)
      errors.invalid("spec.templateGeneration", it->second,
                     "annotation " + std::string(template_generation_annotation) + " must be an integer");
    else if (*generation < 0)
      errors.invalid_number("spec.templateGeneration", *generation, "must be greater than or equal to 0");
  }
  const auto& strategy = spec.update_strategy;
  if (!strategy.type) {
    errors.not_supported("spec.updateStrategy", "", "\"RollingUpdate\", \"OnDelete\"");
  } else if (*strategy.type == update_strategy_type::rolling_update) {
    if (!strategy.rolling_update)
      errors.required("spec.updateStrategy.rollingUpdate", "must be specified for the RollingUpdate strategy");
    else
      check_rolling_update(*strategy.rolling_update, "spec.updateStrategy.rollingUpdate", errors);
  }
  if (spec.revision_history_limit && *spec.revision_history_limit < 0)
    errors.invalid_number("spec.revisionHistoryLimit", *spec.revision_history_limit, "must be greater than or equal to 0");
}

/// The update rules of ValidateObjectMetaUpdate that validate() does not already cover: a
/// resourceVersion, no generation decrement, immutable name, namespace, uid, creationTimestamp.
inline void check_object_meta_update(const object_metadata& updated, const object_metadata& old, const error_list& errors) {
  if (updated.resource_version.empty())
    errors.invalid("metadata.resourceVersion", updated.resource_version, "must be specified for an update");
  if (updated.generation < old.generation)
    errors.invalid_number("metadata.generation", updated.generation, "must not be decremented");
  if (updated.name != old.name) errors.invalid("metadata.name", updated.name, "field is immutable");
  if (updated.namespace_ != old.namespace_) errors.invalid("metadata.namespace", updated.namespace_, "field is immutable");
  if (updated.uid != old.uid) errors.invalid("metadata.uid", updated.uid, "field is immutable");
  if (updated.creation_timestamp != old.creation_timestamp)
    errors.out.push_back({error_code::invalid, "metadata.creationTimestamp", "field is immutable"});
}

/// Drops raw fields whose JSON is `null` or `[]`: Go's semantic equality treats a nil and an empty
/// slice alike. (`{}` is kept: for a pointer field it differs from null.)
inline void drop_empty_raw(raw_fields& fields) {
  std::erase_if(fields, [](const auto& entry) { return is_empty_list_json(entry.second); });
}

}  // namespace detail

/// apiequality.Semantic.DeepEqual on pod templates, as far as daemonplan can tell: modelled fields
/// compare by value (an empty map or list equals a null one there already); unmodelled fields
/// compare as JSON text, except that `null` and `[]` equal an absent field. Quantities inside
/// `extra` compare textually ("1" differs from "1000m"), a known difference from upstream.
[[nodiscard]] inline bool semantically_equal(pod_template a, pod_template b) {
  for (auto* t : {&a, &b}) {
    detail::drop_empty_raw(t->metadata.extra);
    detail::drop_empty_raw(t->spec.extra);
    if (t->spec.affinity) detail::drop_empty_raw(t->spec.affinity->extra);
  }
  return a == b;
}

/// ValidateDaemonSet: every error of the object as given (no defaulting: call apply_defaults
/// first to validate what the API server would store), in upstream order: metadata (name,
/// namespace, labels, annotations, owner references), spec.selector, the selector against the
/// template labels, the empty selector, the template (labels, annotations, containers,
/// restartPolicy, nodeSelector, affinity, nodeName, activeDeadlineSeconds, tolerations,
/// ephemeralContainers, then the DaemonSet's restartPolicy Always and activeDeadlineSeconds
/// rules), minReadySeconds, templateGeneration (the `deprecated.daemonset.template.generation`
/// annotation), updateStrategy, revisionHistoryLimit. Map entries are visited in key order
/// (upstream: Go map order). dnsPolicy and terminationGracePeriodSeconds, which the API server
/// defaults, are not checked.
[[nodiscard]] inline std::vector<error> validate(const daemon_set& ds, const validate_options& options = {}) {
  std::vector<error> out;
  const detail::error_list errors{out};
  detail::check_object_meta(ds.metadata, true, errors);
  detail::check_daemon_set_spec(ds, options, errors);
  return out;
}

/// The API server's update validation (the REST strategy's ValidateUpdate), each problem once:
/// validate(updated) (with the selector-value allowance when `old`'s selector is itself invalid),
/// then the metadata update rules (resourceVersion set, generation not decremented, name,
/// namespace, uid, creationTimestamp immutable), the templateGeneration rules at
/// `spec.templateGeneration` (not decremented; incremented exactly when the template changed
/// semantically), and the immutable selector at `spec.selector` (compared in order).
/// Upstream runs the spec checks twice (ValidateDaemonSet, then again inside
/// ValidateDaemonSetUpdate) and reports those errors twice; daemonplan keeps the first.
[[nodiscard]] inline std::vector<error> validate_update(const daemon_set& updated, const daemon_set& old) {
  std::vector<error> old_selector_errors;
  detail::check_label_selector(old.spec.selector, {}, "spec.selector", detail::error_list{old_selector_errors});
  auto out = validate(updated, {.allow_invalid_label_value_in_selector = !old_selector_errors.empty()});
  const detail::error_list errors{out};
  detail::check_object_meta_update(updated.metadata, old.metadata, errors);
  const bool has_annotation = updated.metadata.annotations.contains(template_generation_annotation);
  const bool old_has_annotation = old.metadata.annotations.contains(template_generation_annotation);
  const auto generation = has_annotation ? template_generation(updated) : std::optional<std::int64_t>{0};
  const auto old_generation = old_has_annotation ? template_generation(old) : std::optional<std::int64_t>{0};
  if (generation && old_generation) {  // an unreadable annotation is already reported by validate()
    const bool template_changed = !semantically_equal(updated.spec.template_, old.spec.template_);
    if (*generation < *old_generation)
      errors.invalid_number("spec.templateGeneration", *generation, "must not be decremented");
    if (*generation == *old_generation && template_changed)
      errors.invalid_number("spec.templateGeneration", *generation, "must be incremented upon template update");
    else if (*generation > *old_generation && !template_changed)
      errors.invalid_number("spec.templateGeneration", *generation, "must not be incremented without template update");
  }
  if (updated.spec.selector != old.spec.selector)
    out.push_back({error_code::invalid, "spec.selector", "field is immutable"});
  return out;
}

/// ValidateDaemonSetStatusUpdate: the metadata update rules (including labels, annotations and
/// owner references of `updated`), every status counter >= 0 in upstream order, and
/// collisionCount neither decremented nor unset once set.
[[nodiscard]] inline std::vector<error> validate_status_update(const daemon_set& updated, const daemon_set& old) {
  std::vector<error> out;
  const detail::error_list errors{out};
  detail::check_object_meta_update(updated.metadata, old.metadata, errors);
  detail::check_labels(updated.metadata.labels, "metadata.labels", errors);
  detail::check_annotations(updated.metadata.annotations, "metadata.annotations", errors);
  detail::check_owner_references(updated.metadata.owner_references, "metadata.ownerReferences", errors);
  const auto& s = updated.status;
  const std::pair<std::int64_t, std::string_view> counters[] = {
      {s.current_number_scheduled, "currentNumberScheduled"},
      {s.number_misscheduled, "numberMisscheduled"},
      {s.desired_number_scheduled, "desiredNumberScheduled"},
      {s.number_ready, "numberReady"},
      {s.observed_generation, "observedGeneration"},
      {s.updated_number_scheduled, "updatedNumberScheduled"},
      {s.number_available, "numberAvailable"},
      {s.number_unavailable, "numberUnavailable"},
      {s.collision_count.value_or(0), "collisionCount"},
  };
  for (const auto& [value, name] : counters)
    if (value < 0) errors.invalid_number("status." + std::string(name), value, "must be greater than or equal to 0");
  const auto& count = s.collision_count;
  const auto& old_count = old.status.collision_count;
  if ((!count && old_count) || (count && old_count && *count < *old_count))
    errors.invalid_number("status.collisionCount", count.value_or(0), "cannot be decremented");
  return out;
}

/// ValidateNode, the parts daemonplan models: metadata (name a DNS-1123 subdomain, no namespace,
/// labels, annotations, owner references) and `spec.taints` (key a label key, value a label
/// value, unique by key and effect). For readers that want to reject impossible nodes.
[[nodiscard]] inline std::vector<error> validate_node(const node& n) {
  std::vector<error> out;
  const detail::error_list errors{out};
  detail::check_object_meta(n.metadata, false, errors);
  detail::check_taints(n.taints, "spec.taints", errors);
  return out;
}

}  // namespace daemonplan
