// daemonplan/placement.hpp: NodeShouldRunDaemonPod as a compiled, per-DaemonSet matcher: the
// default daemon tolerations, the node verdict (shouldRun, shouldContinueRunning) and its reasons.
#pragma once

#include <compare>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// Tolerations the DaemonSet controller adds to every daemon pod, in upstream order: not-ready and
/// unreachable (NoExecute), disk-, memory-, pid-pressure and unschedulable (NoSchedule), and
/// network-unavailable (NoSchedule) only for host-network pods. All Exists, no tolerationSeconds.
[[nodiscard]] inline std::vector<toleration> default_daemon_tolerations(bool host_network) {
  auto make = [](std::string key, taint_effect effect) {
    return toleration{.key = std::move(key), .op = toleration_operator::exists, .effect = effect};
  };
  std::vector<toleration> list{
      make("node.kubernetes.io/not-ready", taint_effect::no_execute),
      make("node.kubernetes.io/unreachable", taint_effect::no_execute),
      make("node.kubernetes.io/disk-pressure", taint_effect::no_schedule),
      make("node.kubernetes.io/memory-pressure", taint_effect::no_schedule),
      make("node.kubernetes.io/pid-pressure", taint_effect::no_schedule),
      make("node.kubernetes.io/unschedulable", taint_effect::no_schedule),
  };
  if (host_network) list.push_back(make("node.kubernetes.io/network-unavailable", taint_effect::no_schedule));
  return list;
}

/// AddOrUpdateDaemonPodTolerations, one AddOrUpdateTolerationInPodSpec per default, in upstream
/// order. For each default, every toleration with its identity (key, operator, value, effect) is
/// replaced in place by it, duplicates included, losing its tolerationSeconds; when none has that
/// identity the default is appended. Upstream's "already deep-equal, return unchanged" shortcut
/// compares a pointer with a value and never fires, so it is not ported: an exact copy of the
/// default elsewhere in the list does not save a same-identity toleration with tolerationSeconds.
[[nodiscard]] inline std::vector<toleration> with_daemon_tolerations(std::vector<toleration> tolerations,
                                                                     bool host_network) {
  for (const auto& def : default_daemon_tolerations(host_network)) {
    bool replaced = false;
    for (auto& t : tolerations)
      if (same_identity(t, def)) {
        t = def;
        replaced = true;
      }
    if (!replaced) tolerations.push_back(def);
  }
  return tolerations;
}

/// (shouldRun, shouldContinueRunning) for one node.
struct node_verdict {
  bool should_run{false};
  bool should_continue_running{false};
  friend auto operator<=>(const node_verdict&, const node_verdict&) = default;
};

/// Why a node does not run the daemon pod; the contract's reason codes.
enum class reason_code { node_name_mismatch, node_selector_mismatch, node_affinity_mismatch, untolerated_taint };

/// "NodeNameMismatch", "NodeSelectorMismatch", "NodeAffinityMismatch", "UntoleratedTaint".
[[nodiscard]] constexpr std::string_view to_string(reason_code c) noexcept {
  switch (c) {
    case reason_code::node_name_mismatch: return "NodeNameMismatch";
    case reason_code::node_selector_mismatch: return "NodeSelectorMismatch";
    case reason_code::node_affinity_mismatch: return "NodeAffinityMismatch";
    case reason_code::untolerated_taint: return "UntoleratedTaint";
  }
  return "NodeNameMismatch";
}

/// One reason, with a plain-words message naming what failed.
struct reason {
  reason_code code{reason_code::node_name_mismatch};
  std::string message{};
  friend auto operator<=>(const reason&, const reason&) = default;
};

/// A node's verdict with every reason behind it (empty when the pod should run).
struct node_explanation {
  std::string node{};
  node_verdict verdict{};
  std::vector<reason> reasons{};
  friend auto operator<=>(const node_explanation&, const node_explanation&) = default;
};

/// "should run", "should not run, may continue running" (an untolerated NoSchedule taint only),
/// or "should not run".
[[nodiscard]] inline std::string to_string(const node_verdict& v) {
  if (v.should_run) return "should run";
  return v.should_continue_running ? "should not run, may continue running" : "should not run";
}

/// "UntoleratedTaint: taint dedicated=gpu:NoSchedule is not tolerated".
[[nodiscard]] inline std::string to_string(const reason& r) {
  return std::string(to_string(r.code)) + ": " + r.message;
}

/// One line: "node-b: should not run: taint dedicated=gpu:NoSchedule is not tolerated; ...".
[[nodiscard]] inline std::string to_string(const node_explanation& e) {
  std::string out = e.node + ": " + to_string(e.verdict);
  for (std::size_t i = 0; i < e.reasons.size(); ++i) out += (i == 0 ? ": " : "; ") + e.reasons[i].message;
  return out;
}

/// A DaemonSet's placement rules compiled once: the template's nodeName, nodeSelector, required
/// node affinity (lazy errors) and tolerations with the daemon defaults merged in. evaluate()
/// allocates nothing.
class daemon_placement {
 public:
  /// Compiles the placement of `ds`'s pod template.
  [[nodiscard]] static daemon_placement make(const daemon_set& ds) {
    const auto& spec = ds.spec.template_.spec;
    daemon_placement p;
    p.node_name_ = spec.node_name;
    p.node_selector_ = spec.node_selector;
    if (spec.affinity && spec.affinity->node_affinity && spec.affinity->node_affinity->required)
      p.required_ = node_selector_matcher::make(*spec.affinity->node_affinity->required);
    p.tolerations_ = with_daemon_tolerations(spec.tolerations, spec.host_network);
    return p;
  }

  /// NodeShouldRunDaemonPod: a foreign template nodeName or failed nodeSelector / required affinity
  /// gives (false, false); then among NoSchedule and NoExecute taints (PreferNoSchedule ignored), an
  /// untolerated NoExecute gives (false, false), an untolerated NoSchedule alone (false, true).
  [[nodiscard]] node_verdict evaluate(const node& n) const noexcept {
    if (!fits_node(n.metadata.name, n.metadata.labels)) return {false, false};
    return taint_verdict(n.taints);
  }

  /// The name- and label-dependent half of evaluate(): nodeName, nodeSelector and required affinity.
  [[nodiscard]] bool fits_node(std::string_view name, const label_map& labels) const noexcept {
    if (!node_name_.empty() && node_name_ != name) return false;
    if (!labels_contain(labels, node_selector_)) return false;
    return !required_ || required_->matches(name, labels);
  }

  /// The taint half of evaluate().
  [[nodiscard]] node_verdict taint_verdict(std::span<const taint> taints) const noexcept {
    const auto schedule_or_execute = [](const taint& t) { return t.effect != taint_effect::prefer_no_schedule; };
    if (!first_untolerated_taint(taints, tolerations_, schedule_or_execute)) return {true, true};
    const auto execute = [](const taint& t) { return t.effect == taint_effect::no_execute; };
    return {false, !first_untolerated_taint(taints, tolerations_, execute)};
  }

  /// The verdict with every reason: the nodeName mismatch, each nodeSelector key that differs
  /// (with both values), each affinity term and the requirement that failed it (or its parse
  /// error), and each untolerated taint with its effect.
  [[nodiscard]] node_explanation explain(const node& n) const {
    node_explanation out{.node = n.metadata.name, .verdict = evaluate(n)};
    const auto& name = n.metadata.name;
    const auto& labels = n.metadata.labels;
    if (!node_name_.empty() && node_name_ != name)
      out.reasons.push_back({reason_code::node_name_mismatch,
                             "the pod template is bound to node \"" + node_name_ + "\""});
    for (const auto& [key, want] : node_selector_) {
      const auto it = labels.find(key);
      if (it == labels.end())
        out.reasons.push_back({reason_code::node_selector_mismatch,
                               "nodeSelector needs " + key + "=" + want + ", the node has no label " + key});
      else if (it->second != want)
        out.reasons.push_back({reason_code::node_selector_mismatch,
                               "nodeSelector needs " + key + "=" + want + ", the node has " + key + "=" + it->second});
    }
    if (required_ && !required_->matches(name, labels)) explain_affinity(name, labels, out.reasons);
    for (const auto& t : n.taints)
      if (t.effect != taint_effect::prefer_no_schedule && !tolerated_by_any(tolerations_, t))
        out.reasons.push_back({reason_code::untolerated_taint, "taint " + to_string(t) + " is not tolerated"});
    return out;
  }

  /// The template's nodeName ("" when unset).
  [[nodiscard]] const std::string& node_name() const noexcept { return node_name_; }
  /// The template's nodeSelector.
  [[nodiscard]] const label_map& node_selector() const noexcept { return node_selector_; }
  /// The compiled required node affinity, if any.
  [[nodiscard]] const std::optional<node_selector_matcher>& required_affinity() const noexcept { return required_; }
  /// The effective tolerations: the template's with the daemon defaults merged in.
  [[nodiscard]] const std::vector<toleration>& tolerations() const noexcept { return tolerations_; }

 private:
  void explain_affinity(const std::string& name, const label_map& labels, std::vector<reason>& out) const {
    const auto& m = *required_;
    if (m.terms().empty() && m.errors().empty())
      out.push_back({reason_code::node_affinity_mismatch,
                     "required node affinity has no non-empty term, so it matches no node"});
    for (const auto& e : m.errors())
      out.push_back({reason_code::node_affinity_mismatch, "required node affinity " + e.field + " is invalid (" +
                                                              e.message + "), so that term never matches"});
    for (const auto& t : m.terms()) {
      const std::string term = "required node affinity term " + std::to_string(t.index) + ": ";
      for (const auto& r : t.expressions) {
        if (r.matches(labels)) continue;
        const auto it = labels.find(r.key());
        const std::string has = it == labels.end() ? "the node has no label " + r.key()
                                                   : "the node has " + r.key() + "=" + it->second;
        out.push_back({reason_code::node_affinity_mismatch, term + to_string(r) + " is not met, " + has});
      }
      if (name.empty()) continue;
      for (const auto& f : t.fields)
        if (!node_selector_matcher::field_matches(f, name))
          out.push_back({reason_code::node_affinity_mismatch,
                         term + "metadata.name " + (f.in ? "in (" : "notin (") + f.value + ") is not met"});
    }
  }

  std::string node_name_;
  label_map node_selector_;
  std::optional<node_selector_matcher> required_;
  std::vector<toleration> tolerations_;
};

}  // namespace daemonplan
