// examples/03-reconcile.cpp: one sync of a DaemonSet over a small cluster: every action with its
// reason, the status counters, and when to look again.
#include <cstdio>
#include <string>
#include <vector>

#include <daemonplan/daemonplan.hpp>

using namespace daemonplan;

int main() {
  daemon_set ds{.metadata = {.name = "fluentd", .namespace_ = "kube-system", .uid = "f-uid", .generation = 4}};
  ds.spec.selector = label_selector{.match_labels = {{"app", "fluentd"}}};
  ds.spec.template_.metadata.labels = {{"app", "fluentd"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"name":"fluentd","image":"fluentd:1.16"}])"}};
  ds.spec.min_ready_seconds = 30;
  ds.revision = "5d9c7b8f4";
  ds = apply_defaults(ds);

  const auto tainted = [](std::string name, std::string key, taint_effect effect) {
    return node{.metadata = {.name = std::move(name)}, .taints = {{.key = std::move(key), .effect = effect}}};
  };
  const std::vector<node> nodes{{.metadata = {.name = "node-1"}},
                                tainted("node-2", "maintenance", taint_effect::no_execute),
                                tainted("node-3", "dedicated", taint_effect::no_schedule),
                                {.metadata = {.name = "node-4"}},
                                {.metadata = {.name = "node-5"}},
                                {.metadata = {.name = "node-6"}}};
  const timestamp now{std::chrono::seconds{1'700'000'000}};
  const auto daemon_pod = [&](std::string name, std::string node_name, bool owned = true) {
    pod p{.metadata = {.name = std::move(name), .namespace_ = "kube-system",
                       .labels = {{"app", "fluentd"}, {"controller-revision-hash", "5d9c7b8f4"}}}};
    if (owned) p.metadata.owner_references.push_back(controller_reference(ds));
    p.spec.node_name = std::move(node_name);
    p.phase = pod_phase::running;
    p.conditions = {{.type = "Ready", .status = condition_status::true_, .last_transition_time = now - std::chrono::seconds{20}}};
    return p;
  };
  std::vector<pod> pods{daemon_pod("fluentd-a", "node-1"), daemon_pod("fluentd-b", "node-2"), daemon_pod("fluentd-c", "node-3"),
                        daemon_pod("fluentd-d", "node-4"), daemon_pod("stray", "node-5", false),
                        daemon_pod("fluentd-e", "node-9")};
  pods[3].phase = pod_phase::failed;  // its node gets a new pod once it is gone
  pods[3].conditions.clear();

  const plan p = reconcile(ds, nodes, pods, {.now = now});
  for (const auto& c : p.creates) std::printf("%s\n", to_string(c).c_str());
  for (const auto& d : p.deletes) std::printf("%s\n", to_string(d).c_str());
  for (const auto& u : p.updates) std::printf("%s\n", to_string(u).c_str());
  const auto& s = p.status;
  std::printf("status: desired %d, current %d, misscheduled %d, ready %d, available %d, updated %d\n",
              s.desired_number_scheduled, s.current_number_scheduled, s.number_misscheduled, s.number_ready,
              s.number_available, s.updated_number_scheduled);
  std::printf("requeue after %llds\n", static_cast<long long>(p.requeue_after.value_or(std::chrono::seconds{0}).count()));
  return 0;
}
