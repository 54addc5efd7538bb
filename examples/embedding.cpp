// examples/embedding.cpp: a controller built around reconcile(): each plan is applied to an
// in-memory cluster (where a real controller calls its API client) until nothing is left to do.
#include <cstdio>
#include <string>
#include <vector>

#include <daemonplan/daemonplan.hpp>

using namespace daemonplan;

int main() {
  // A DaemonSet whose template moved to revision v2, two nodes running v1 pods, a third node
  // tainted NoSchedule, which the template does not tolerate.
  daemon_set ds{.metadata = {.name = "agent", .namespace_ = "default", .uid = "agent-uid", .generation = 2}};
  ds.spec.selector = label_selector{.match_labels = {{"app", "agent"}}};
  ds.spec.template_.metadata.labels = {{"app", "agent"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"name":"agent","image":"agent:2"}])"}};
  ds.revision = "v2";
  ds = apply_defaults(ds);  // RollingUpdate, maxUnavailable 1, as the API server stores it
  std::vector<node> nodes{{.metadata = {.name = "node-a"}}, {.metadata = {.name = "node-b"}},
                          {.metadata = {.name = "node-c"}, .taints = {{.key = "dedicated", .value = "db"}}}};
  std::vector<pod> pods;
  for (std::string n : {"node-a", "node-b"}) {
    pod p{.metadata = {.name = "agent-v1-" + n, .namespace_ = "default", .labels = {{"app", "agent"}, {"controller-revision-hash", "v1"}},
                       .owner_references = {controller_reference(ds)}}};
    p.spec.node_name = n;
    p.conditions = {{.type = "Ready", .status = condition_status::true_}};
    pods.push_back(p);
  }

  // The controller loop.
  reconcile_state state;
  timestamp now{std::chrono::seconds{1'700'000'000}};
  for (int sync = 1;; ++sync) {
    const plan p = reconcile(ds, nodes, pods, {.now = now}, state);
    std::printf("sync %d: %s\n", sync, to_string(p).c_str());
    if (p.creates.empty() && p.deletes.empty() && p.updates.empty()) break;
    for (const auto& d : p.deletes) {  // client.delete(d.namespace_, d.name)
      std::printf("  %s\n", to_string(d).c_str());
      std::erase_if(pods, [&](const pod& x) { return x.metadata.name == d.name; });
    }
    for (const auto& c : p.creates) {  // client.create(c.pod); here it is scheduled and Ready at once
      std::printf("  %s\n", to_string(c).c_str());
      pod created = c.pod;
      created.metadata.name = created.metadata.generate_name + c.node;
      created.spec.node_name = c.node;
      created.conditions = {{.type = "Ready", .status = condition_status::true_, .last_transition_time = now}};
      pods.push_back(std::move(created));
    }
    state = p.next_state;  // the failed-pod backoff, carried to the next sync
    now += p.requeue_after.value_or(std::chrono::seconds{10});
  }

  std::printf("converged: ");
  for (const auto& p : pods) std::printf("%s@%s ", p.metadata.name.c_str(), p.spec.node_name.c_str());
  std::printf("\n");
  return 0;
}
