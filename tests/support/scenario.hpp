// tests/support/scenario.hpp: the compact YAML schema of tests/conformance/ (see its README.md):
// nodes, a DaemonSet, pods and options read into daemonplan values, every error naming the file
// and the field path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <daemonplan/daemonplan.hpp>

#include "support/sim.hpp"

namespace daemonplan::test {

/// A scenario file that does not follow the schema: the message names the field path.
struct scenario_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& path, const std::string& what) { throw scenario_error(path + ": " + what); }

/// Rejects keys outside `allowed` (a typo in a scenario must not silently pass).
inline void check_keys(const YAML::Node& n, const std::string& path, std::initializer_list<std::string_view> allowed) {
  if (!n.IsMap()) fail(path, "expected a mapping");
  for (const auto& kv : n) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) fail(path + "." + key, "unknown field");
  }
}

template <typename T>
T scalar(const YAML::Node& n, const std::string& path) {
  if (!n.IsScalar()) fail(path, "expected a scalar");
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    fail(path, "cannot read \"" + n.Scalar() + "\"");
  }
}

inline std::vector<std::string> strings(const YAML::Node& n, const std::string& path) {
  if (!n.IsSequence()) fail(path, "expected a list");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(scalar<std::string>(n[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

inline label_map labels_of(const YAML::Node& n, const std::string& path) {
  if (!n.IsMap()) fail(path, "expected a mapping");
  label_map out;
  for (const auto& kv : n) {
    const auto key = kv.first.as<std::string>();
    out[key] = scalar<std::string>(kv.second, path + "." + key);
  }
  return out;
}

inline taint_effect effect_of(std::string_view s, const std::string& path) {
  const auto e = parse_taint_effect(s);
  if (!e) fail(path, "unknown taint effect \"" + std::string(s) + "\"");
  return *e;
}

/// "key=value:Effect" or "key:Effect".
inline taint taint_of(const std::string& s, const std::string& path) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) fail(path, "a taint is key[=value]:Effect, not \"" + s + "\"");
  const auto kv = s.substr(0, colon);
  const auto eq = kv.find('=');
  return {.key = kv.substr(0, eq),
          .value = eq == std::string::npos ? "" : kv.substr(eq + 1),
          .effect = effect_of(s.substr(colon + 1), path)};
}

/// "*" (tolerates everything), "key" / "key:Effect" (Exists), "key=value" / "key=value:Effect" (Equal).
inline toleration toleration_of(const std::string& s, const std::string& path) {
  if (s == "*") return {.op = toleration_operator::exists};
  const auto colon = s.rfind(':');
  const auto kv = s.substr(0, colon);
  toleration t;
  if (colon != std::string::npos) t.effect = effect_of(s.substr(colon + 1), path);
  const auto eq = kv.find('=');
  t.key = kv.substr(0, eq);
  if (eq == std::string::npos) {
    t.op = toleration_operator::exists;
  } else {
    t.value = kv.substr(eq + 1);
  }
  return t;
}

/// "key Op v1,v2"; a key "field:metadata.name" makes it a matchFields requirement.
inline node_selector_requirement requirement_of(const std::string& s, const std::string& path, bool& is_field) {
  const auto sp1 = s.find(' ');
  if (sp1 == std::string::npos) fail(path, "a requirement is \"key Op [values]\", not \"" + s + "\"");
  const auto sp2 = s.find(' ', sp1 + 1);
  std::string key = s.substr(0, sp1);
  const auto op_text = s.substr(sp1 + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp1 - 1);
  const auto op = parse_selector_operator(op_text);
  if (!op) fail(path, "unknown operator \"" + op_text + "\"");
  node_selector_requirement r{.op = *op};
  is_field = key.starts_with("field:");
  r.key = is_field ? key.substr(6) : key;
  if (sp2 != std::string::npos) {
    std::string rest = s.substr(sp2 + 1);
    std::size_t start = 0;
    while (true) {
      const auto comma = rest.find(',', start);
      r.values.push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return r;
}

/// A list of terms, each a list of requirement strings: [["zone In a,b", "field:metadata.name In n1"]].
inline node_selector terms_of(const YAML::Node& n, const std::string& path) {
  if (!n.IsSequence()) fail(path, "expected a list of terms");
  node_selector out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    node_selector_term term;
    const auto items = strings(n[i], at);
    for (std::size_t j = 0; j < items.size(); ++j) {
      bool is_field = false;
      auto r = requirement_of(items[j], at + "[" + std::to_string(j) + "]", is_field);
      (is_field ? term.match_fields : term.match_expressions).push_back(std::move(r));
    }
    out.node_selector_terms.push_back(std::move(term));
  }
  return out;
}

inline int_or_percent int_or_percent_of(const YAML::Node& n, const std::string& path) {
  const auto text = scalar<std::string>(n, path);
  if (n.Tag() == "!" || text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; }))
    return from_string(text);  // quoted, or not a number: a string ("10%", "abc")
  return from_int(scalar<std::int32_t>(n, path));
}

/// A node: a bare name, or {name, labels, taints}.
inline node node_of(const YAML::Node& n, const std::string& path) {
  if (n.IsScalar()) return {.metadata = {.name = n.as<std::string>()}};
  check_keys(n, path, {"name", "labels", "taints"});
  node out{.metadata = {.name = scalar<std::string>(n["name"], path + ".name")}};
  if (n["labels"]) out.metadata.labels = labels_of(n["labels"], path + ".labels");
  if (n["taints"]) {
    const auto list = strings(n["taints"], path + ".taints");
    for (std::size_t i = 0; i < list.size(); ++i) out.taints.push_back(taint_of(list[i], path + ".taints[" + std::to_string(i) + "]"));
  }
  return out;
}

inline std::vector<node> nodes_of(const YAML::Node& n, const std::string& path) {
  if (!n.IsSequence()) fail(path, "expected a list of nodes");
  std::vector<node> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(node_of(n[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

/// The DaemonSet every scenario starts from: default/foo, uid foo-uid, generation 1, selector and
/// template labels {app: foo}, one container, revision "new", apps/v1 defaults (RollingUpdate,
/// maxUnavailable 1, maxSurge 0).
inline daemon_set default_daemon_set() {
  daemon_set ds;
  ds.metadata = {.name = "foo", .namespace_ = "default", .uid = "foo-uid", .generation = 1};
  ds.spec.selector = label_selector{.match_labels = {{"app", "foo"}}};
  ds.spec.template_.metadata.labels = {{"app", "foo"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"image":"foo:1","name":"foo"}])"}};
  ds.revision = "new";
  return apply_defaults(ds);
}

/// Applies the fields present in `n` to `ds` (the DaemonSet or a step's partial update).
inline void update_daemon_set(daemon_set& ds, const YAML::Node& n, const std::string& path) {
  check_keys(n, path, {"name", "namespace", "uid", "generation", "observedGeneration", "selector", "selectorExpressions",
                       "labels", "revision", "templateGeneration", "strategy", "maxUnavailable", "maxSurge",
                       "minReadySeconds", "nodeSelector", "affinity", "tolerations", "hostNetwork", "nodeName",
                       "deleting", "image", "containers", "collisionCount", "defaults"});
  auto& spec = ds.spec;
  auto& tmpl = spec.template_;
  if (n["name"]) ds.metadata.name = scalar<std::string>(n["name"], path + ".name");
  if (n["namespace"]) ds.metadata.namespace_ = scalar<std::string>(n["namespace"], path + ".namespace");
  if (n["uid"]) ds.metadata.uid = scalar<std::string>(n["uid"], path + ".uid");
  if (n["generation"]) ds.metadata.generation = scalar<std::int64_t>(n["generation"], path + ".generation");
  if (n["observedGeneration"]) ds.status.observed_generation = scalar<std::int64_t>(n["observedGeneration"], path + ".observedGeneration");
  if (const auto s = n["selector"]) {
    if (s.IsNull())
      spec.selector.reset();
    else
      spec.selector = label_selector{.match_labels = labels_of(s, path + ".selector")};
  }
  if (const auto e = n["selectorExpressions"]) {
    if (!spec.selector) spec.selector.emplace();
    for (const auto& text : strings(e, path + ".selectorExpressions")) {
      bool is_field = false;
      const auto r = requirement_of(text, path + ".selectorExpressions", is_field);
      spec.selector->match_expressions.push_back({.key = r.key, .op = r.op, .values = r.values});
    }
  }
  if (n["labels"]) tmpl.metadata.labels = labels_of(n["labels"], path + ".labels");
  if (n["revision"]) ds.revision = scalar<std::string>(n["revision"], path + ".revision");
  if (n["templateGeneration"])
    ds.metadata.annotations[std::string(template_generation_annotation)] = scalar<std::string>(n["templateGeneration"], path + ".templateGeneration");
  if (const auto s = n["strategy"]) {
    const auto text = scalar<std::string>(s, path + ".strategy");
    spec.update_strategy.type = parse_update_strategy_type(text);
    if (!text.empty() && !spec.update_strategy.type) fail(path + ".strategy", "unknown strategy \"" + text + "\"");
    if (spec.update_strategy.type != update_strategy_type::rolling_update) spec.update_strategy.rolling_update.reset();
  }
  for (const auto* field : {"maxUnavailable", "maxSurge"}) {
    const auto v = n[field];
    if (!v) continue;
    auto& ru = spec.update_strategy.rolling_update;
    if (!ru) ru.emplace();
    auto& slot = std::string_view(field) == "maxSurge" ? ru->max_surge : ru->max_unavailable;
    if (v.IsNull())
      slot.reset();
    else
      slot = int_or_percent_of(v, path + "." + field);
  }
  if (n["minReadySeconds"]) spec.min_ready_seconds = scalar<std::int32_t>(n["minReadySeconds"], path + ".minReadySeconds");
  if (n["nodeSelector"]) tmpl.spec.node_selector = labels_of(n["nodeSelector"], path + ".nodeSelector");
  if (const auto a = n["affinity"]) {
    if (a.IsNull())
      tmpl.spec.affinity.reset();
    else
      tmpl.spec.affinity = affinity{.node_affinity = node_affinity{.required = terms_of(a, path + ".affinity")}};
  }
  if (const auto t = n["tolerations"]) {
    tmpl.spec.tolerations.clear();
    const auto list = strings(t, path + ".tolerations");
    for (std::size_t i = 0; i < list.size(); ++i)
      tmpl.spec.tolerations.push_back(toleration_of(list[i], path + ".tolerations[" + std::to_string(i) + "]"));
  }
  if (n["hostNetwork"]) tmpl.spec.host_network = scalar<bool>(n["hostNetwork"], path + ".hostNetwork");
  if (n["nodeName"]) tmpl.spec.node_name = scalar<std::string>(n["nodeName"], path + ".nodeName");
  if (n["deleting"]) ds.metadata.deletion_timestamp = at(scalar<long long>(n["deleting"], path + ".deleting"));
  if (n["image"])
    tmpl.spec.extra["containers"] = R"([{"image":")" + scalar<std::string>(n["image"], path + ".image") + R"(","name":"foo"}])";
  if (n["containers"] && !scalar<bool>(n["containers"], path + ".containers")) tmpl.spec.extra.erase("containers");
  if (n["collisionCount"]) ds.status.collision_count = scalar<std::int32_t>(n["collisionCount"], path + ".collisionCount");
  if (!n["defaults"] || scalar<bool>(n["defaults"], path + ".defaults")) ds = apply_defaults(std::move(ds));
}

/// A pod of the scenario; see README.md for the fields and their defaults.
inline pod pod_of(const YAML::Node& n, const std::string& path, const daemon_set& ds) {
  check_keys(n, path, {"name", "namespace", "node", "pinned", "affinity", "revision", "generation", "labels", "phase",
                       "ready", "readySince", "created", "deleting", "owner"});
  pod p;
  p.metadata.name = scalar<std::string>(n["name"], path + ".name");
  p.metadata.namespace_ = n["namespace"] ? scalar<std::string>(n["namespace"], path + ".namespace") : ds.metadata.namespace_;
  p.metadata.uid = p.metadata.namespace_ + "/" + p.metadata.name;
  p.metadata.labels = n["labels"] ? labels_of(n["labels"], path + ".labels") : ds.spec.template_.metadata.labels;
  const auto revision = n["revision"] ? scalar<std::string>(n["revision"], path + ".revision") : std::string("new");
  if (revision == "new")
    p.metadata.labels[std::string(revision_hash_label)] = current_revision(ds);
  else if (revision != "none")
    p.metadata.labels[std::string(revision_hash_label)] = revision;
  if (n["generation"]) p.metadata.labels[std::string(template_generation_label)] = scalar<std::string>(n["generation"], path + ".generation");
  if (n["node"]) p.spec.node_name = scalar<std::string>(n["node"], path + ".node");
  if (n["pinned"])
    pin_to_node(p.spec, scalar<std::string>(n["pinned"], path + ".pinned"));
  if (n["affinity"]) p.spec.affinity = affinity{.node_affinity = node_affinity{.required = terms_of(n["affinity"], path + ".affinity")}};
  if (n["phase"]) {
    const auto text = scalar<std::string>(n["phase"], path + ".phase");
    const auto phase = parse_pod_phase(text);
    if (!phase) fail(path + ".phase", "unknown phase \"" + text + "\"");
    p.phase = *phase;
  } else {
    p.phase = pod_phase::running;
  }
  if (n["ready"]) {
    std::optional<timestamp> since;
    if (n["readySince"]) since = at(scalar<long long>(n["readySince"], path + ".readySince"));
    set_ready(p, scalar<bool>(n["ready"], path + ".ready"), since);
  } else if (n["readySince"]) {
    fail(path + ".readySince", "needs ready: true");
  }
  if (n["created"]) p.metadata.creation_timestamp = at(scalar<long long>(n["created"], path + ".created"));
  if (n["deleting"]) p.metadata.deletion_timestamp = at(scalar<long long>(n["deleting"], path + ".deleting"));
  const auto owner = n["owner"] ? scalar<std::string>(n["owner"], path + ".owner") : std::string("ds");
  if (owner == "ds")
    p.metadata.owner_references.push_back(controller_reference(ds));
  else if (owner == "other")
    p.metadata.owner_references.push_back(
        {.api_version = "apps/v1", .kind = "DaemonSet", .name = "other", .uid = "other-uid", .controller = true, .block_owner_deletion = true});
  else if (owner != "none")
    fail(path + ".owner", "ds, none or other, not \"" + owner + "\"");
  return p;
}

inline std::vector<pod> pods_of(const YAML::Node& n, const std::string& path, const daemon_set& ds) {
  if (!n.IsSequence()) fail(path, "expected a list of pods");
  std::vector<pod> out;
  for (std::size_t i = 0; i < n.size(); ++i) out.push_back(pod_of(n[i], path + "[" + std::to_string(i) + "]", ds));
  return out;
}

inline void update_options(reconcile_options& o, const YAML::Node& n, const std::string& path) {
  check_keys(n, path, {"burstReplicas", "deletePodsOnVanishedNodes"});
  if (n["burstReplicas"]) o.burst_replicas = scalar<std::size_t>(n["burstReplicas"], path + ".burstReplicas");
  if (n["deletePodsOnVanishedNodes"])
    o.delete_pods_on_vanished_nodes = scalar<bool>(n["deletePodsOnVanishedNodes"], path + ".deletePodsOnVanishedNodes");
}

/// The backoff key of a node name, or the key itself when it holds a '/'.
inline std::string backoff_key(const daemon_set& ds, const std::string& key) {
  if (key.find('/') != std::string::npos) return key;
  return ds.metadata.uid + "/" + std::to_string(ds.status.observed_generation) + "/" + key;
}

/// {node-or-key: {delay: 2, lastUpdate: 100}, ...}
inline std::map<std::string, backoff_entry, std::less<>> backoff_of(const YAML::Node& n, const std::string& path,
                                                                     const daemon_set& ds) {
  if (!n.IsMap()) fail(path, "expected a mapping of backoff entries");
  std::map<std::string, backoff_entry, std::less<>> out;
  for (const auto& kv : n) {
    const auto key = kv.first.as<std::string>();
    const std::string at_key = path + "." + key;
    check_keys(kv.second, at_key, {"delay", "lastUpdate"});
    out[backoff_key(ds, key)] = {std::chrono::seconds{scalar<long long>(kv.second["delay"], at_key + ".delay")},
                                 at(scalar<long long>(kv.second["lastUpdate"], at_key + ".lastUpdate"))};
  }
  return out;
}

/// The whole file, or a scenario_error naming it.
inline YAML::Node load_scenario(const std::filesystem::path& file) {
  try {
    return YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    throw scenario_error(file.filename().string() + ": " + e.what());
  }
}

}  // namespace daemonplan::test
