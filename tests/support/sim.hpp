// tests/support/sim.hpp: an in-memory cluster that applies plans instantly (an API server with a
// scheduler that binds at once and a kubelet that never runs), for multi-step tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/daemonplan.hpp>

namespace daemonplan::test {

/// Seconds since the epoch as a timestamp.
inline timestamp at(long long seconds) { return timestamp{std::chrono::seconds{seconds}}; }

/// Nodes and pods, applied to by plans.
struct cluster_state {
  std::vector<node> nodes{};
  std::vector<pod> pods{};
};

/// Sets the pod's Ready condition (lastTransitionTime = `since` when it changes status).
inline void set_ready(pod& p, bool ready, std::optional<timestamp> since) {
  const auto status = ready ? condition_status::true_ : condition_status::false_;
  for (auto& c : p.conditions)
    if (c.type == "Ready") {
      if (c.status != status) c.last_transition_time = since;
      c.status = status;
      return;
    }
  p.conditions.push_back({.type = "Ready", .status = status, .last_transition_time = since});
}

/// Applies `p` as the API server would, at once: each delete removes the pod; each create adds the
/// plan's pod named `<generateName><node>-<suffix>`, bound to its node (spec.nodeName, as the
/// scheduler does), created at `now`, phase Running, not Ready; adopt adds the ownerReference,
/// release removes it.
inline void apply_plan(cluster_state& c, const plan& p, timestamp now, std::string_view suffix) {
  const auto same = [](const pod& x, std::string_view ns, std::string_view name) {
    return x.metadata.namespace_ == ns && x.metadata.name == name;
  };
  for (const auto& d : p.deletes)
    std::erase_if(c.pods, [&](const pod& x) { return same(x, d.namespace_, d.name); });
  for (const auto& u : p.updates)
    for (auto& x : c.pods) {
      if (!same(x, u.namespace_, u.name)) continue;
      auto& refs = x.metadata.owner_references;
      if (u.action == update_kind::adopt)
        refs.push_back(u.owner);
      else
        std::erase_if(refs, [&](const owner_reference& r) { return r.uid == u.owner.uid; });
    }
  for (const auto& cr : p.creates) {
    pod created = cr.pod;
    created.metadata.name = created.metadata.generate_name + cr.node + "-" + std::string(suffix);
    created.metadata.uid = created.metadata.namespace_ + "/" + created.metadata.name;
    created.metadata.creation_timestamp = now;
    created.spec.node_name = cr.node;
    created.phase = pod_phase::running;
    c.pods.push_back(std::move(created));
  }
}

/// "create n1", "delete ns/p:Reason", "update ns/p:Adopt", one line each, for failure messages.
inline std::string describe(const plan& p) {
  std::string out;
  for (const auto& c : p.creates) out += "create " + c.node + "\n";
  for (const auto& d : p.deletes)
    out += "delete " + d.namespace_ + "/" + d.name + " on " + d.node + ": " + std::string(to_string(d.reason)) + "\n";
  for (const auto& u : p.updates) out += "update " + u.namespace_ + "/" + u.name + ": " + std::string(to_string(u.action)) + "\n";
  for (const auto& e : p.errors) out += "error " + to_string(e) + "\n";
  return out.empty() ? "(empty plan)" : out;
}

}  // namespace daemonplan::test
