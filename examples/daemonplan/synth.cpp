// examples/daemonplan/synth.cpp: `daemonplan synth`.
#include "synth.hpp"

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <daemonplan/json.hpp>

namespace daemonplan::cli {
namespace {

/// One `<Kind>List` on one line, written item by item (a 3,000,000-pod list is never one DOM).
template <typename T>
void write_list(std::ostream& out, std::string_view api_version, std::string_view kind, const std::vector<T>& items) {
  out << R"({"apiVersion":")" << api_version << R"(","items":[)";
  for (std::size_t i = 0; i < items.size(); ++i) out << (i == 0 ? "" : ",") << nlohmann::json(items[i]).dump();
  out << R"(],"kind":")" << kind << R"(","metadata":{}})" << '\n';
}

}  // namespace

CLI::App* add_synth_command(CLI::App& app, synth_arguments& args) {
  auto* cmd = app.add_subcommand(
      "synth", "Generate a cluster (EKS-style nodes, real-shaped DaemonSets, their pods) as Kubernetes JSON");
  cmd->add_option("--nodes", args.nodes, "Number of nodes")->required();
  cmd->add_option("--seed", args.seed, "Seed: the same seed and options give the same cluster, byte for byte")
      ->required();
  cmd->add_option("--daemonsets", args.daemon_sets, "Number of DaemonSets (30 shapes, repeated beyond)")
      ->capture_default_str();
  cmd->add_option("--state", args.state, "converged, or rollout (mid-rollout pods: old, new, not ready, failed, terminating)")
      ->check(CLI::IsMember({"converged", "rollout"}))
      ->capture_default_str();
  cmd->add_option("--workload-pods", args.workload_pods, "ReplicaSet-owned application pods to add")->capture_default_str();
  cmd->footer(
      "Output: three lines, each one JSON document: a NodeList, a DaemonSetList, a PodList. Split them with\n"
      "  daemonplan synth --nodes 100 --seed 1 > c.jsonl; sed -n 1p c.jsonl > nodes.json;\n"
      "  sed -n 2p c.jsonl > daemonsets.json; sed -n 3p c.jsonl > pods.json\n"
      "then e.g. daemonplan plan --daemonset daemonsets.json --name kube-system/kube-proxy --nodes nodes.json\n"
      "--pods pods.json --now 2025-06-01T00:00:00Z (the generated cluster's clock).");
  return cmd;
}

int run_synth(const synth_arguments& args, std::ostream& out) {
  const synth_options options{.seed = args.seed,
                              .nodes = args.nodes,
                              .daemon_sets = args.daemon_sets,
                              .state = *parse_synth_state(args.state),
                              .workload_pods = args.workload_pods};
  const auto nodes = synth_nodes(options);
  write_list(out, "v1", "NodeList", nodes);
  const auto daemon_sets = synth_daemon_sets(options);
  write_list(out, "apps/v1", "DaemonSetList", daemon_sets);
  write_list(out, "v1", "PodList", synth_pods(options, nodes, daemon_sets));
  return 0;
}

}  // namespace daemonplan::cli
