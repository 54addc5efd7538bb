// examples/02-tolerations.cpp: a DaemonSet's tolerations (with the controller's default daemon
// tolerations merged in) against tainted nodes: which nodes get a pod, which keep an existing
// one, and why.
#include <cstdio>
#include <string>
#include <vector>

#include <daemonplan/daemonplan.hpp>

int main() {
  using namespace daemonplan;

  daemon_set ds;
  ds.metadata = {.name = "gpu-agent", .namespace_ = "kube-system"};
  auto& spec = ds.spec.template_.spec;
  spec.tolerations = {
      {.key = "gpu", .op = toleration_operator::exists, .effect = taint_effect::no_schedule},
      // Replaced by the default daemon toleration of the same identity: its 300s are lost.
      {.key = "node.kubernetes.io/not-ready", .op = toleration_operator::exists, .effect = taint_effect::no_execute,
       .toleration_seconds = 300},
  };
  const auto placement = daemon_placement::make(ds);  // compile once, evaluate per node

  std::printf("effective tolerations:\n");
  for (const auto& t : placement.tolerations()) std::printf("  %s\n", to_string(t).c_str());

  const auto node_with = [](std::string name, std::vector<taint> taints) {
    node n;
    n.metadata.name = std::move(name);
    n.taints = std::move(taints);
    return n;
  };
  const std::vector<node> nodes{
      node_with("n1", {}),
      node_with("n2", {{.key = "gpu", .value = "a100", .effect = taint_effect::no_schedule}}),
      node_with("n3", {{.key = "dedicated", .value = "infra", .effect = taint_effect::no_schedule}}),
      node_with("n4", {{.key = "node.kubernetes.io/not-ready", .effect = taint_effect::no_execute}}),
      node_with("n5", {{.key = "maintenance", .effect = taint_effect::no_execute}}),
      node_with("n6", {{.key = "spot", .effect = taint_effect::prefer_no_schedule}}),  // ignored
  };
  std::string run;
  std::string keep;
  for (const auto& n : nodes) {
    const auto e = placement.explain(n);
    std::printf("%s\n", to_string(e).c_str());
    if (e.verdict.should_run) run += (run.empty() ? "" : ",") + n.metadata.name;
    if (e.verdict.should_continue_running) keep += (keep.empty() ? "" : ",") + n.metadata.name;
  }
  std::printf("shouldRun: %s; shouldContinueRunning: %s\n", run.c_str(), keep.c_str());
  return 0;
}
