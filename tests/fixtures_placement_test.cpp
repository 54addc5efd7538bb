// tests/fixtures_placement_test.cpp: the real DaemonSets and node dumps of
// ../shared/fixtures/real (see its README.md), their placement-relevant parts written out by hand
// in C++, and every DaemonSet x node verdict worked out from the placement spec (§2.1, §2.2, §3.5).
// The files themselves are only checked to exist and to mention what the hand-built copies rely
// on; loading them is the JSON/YAML reader's job.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/placement.hpp>
#include <daemonplan/validate.hpp>

#include "support/fixtures.hpp"

using namespace daemonplan;
using op = selector_operator;
using eff = taint_effect;

namespace {

constexpr node_verdict run{true, true};
constexpr node_verdict keep_only{false, true};
constexpr node_verdict neither{false, false};

const toleration tolerate_everything{.key = "", .op = toleration_operator::exists};

/// The shared shape of the five manifests: selector = the given labels, template labels a
/// superset, one container, a RollingUpdate strategy as written in the file.
daemon_set manifest(std::string ns, std::string name, label_map selector, label_map template_labels) {
  daemon_set ds;
  ds.metadata.namespace_ = std::move(ns);
  ds.metadata.name = std::move(name);
  ds.spec.selector = label_selector{.match_labels = std::move(selector), .match_expressions = {}};
  ds.spec.template_.metadata.labels = std::move(template_labels);
  ds.spec.template_.spec.extra["containers"] = R"([{"image":"example","name":"main"}])";
  return ds;
}

void require_terms(daemon_set& ds, std::vector<node_selector_term> terms) {
  ds.spec.template_.spec.affinity = affinity{.node_affinity = node_affinity{.required = node_selector{.node_selector_terms = std::move(terms)}}};
}

void max_unavailable(daemon_set& ds, std::string value) {
  ds.spec.update_strategy = {.type = update_strategy_type::rolling_update,
                             .rolling_update = rolling_update_daemon_set{.max_unavailable = from_string(std::move(value))}};
}

/// ds-kube-prometheus-node-exporter.yaml
daemon_set node_exporter() {
  auto ds = manifest("monitoring", "node-exporter",
                     {{"app.kubernetes.io/component", "exporter"}, {"app.kubernetes.io/name", "node-exporter"},
                      {"app.kubernetes.io/part-of", "kube-prometheus"}},
                     {{"app.kubernetes.io/component", "exporter"}, {"app.kubernetes.io/name", "node-exporter"},
                      {"app.kubernetes.io/part-of", "kube-prometheus"}, {"app.kubernetes.io/version", "1.12.1"}});
  auto& spec = ds.spec.template_.spec;
  spec.node_selector = {{"kubernetes.io/os", "linux"}};
  spec.tolerations = {tolerate_everything};
  spec.host_network = true;
  max_unavailable(ds, "10%");
  return ds;
}

/// ds-aws-ebs-csi-node.yaml (no namespace in the file: kubectl would use the context's).
daemon_set ebs_csi_node() {
  auto ds = manifest("", "ebs-csi-node", {{"app", "ebs-csi-node"}, {"app.kubernetes.io/name", "aws-ebs-csi-driver"}},
                     {{"app", "ebs-csi-node"}, {"app.kubernetes.io/name", "aws-ebs-csi-driver"}});
  ds.metadata.labels = {{"app.kubernetes.io/name", "aws-ebs-csi-driver"}};
  ds.spec.revision_history_limit = 10;
  require_terms(ds, {{.match_expressions = {{.key = "eks.amazonaws.com/compute-type", .op = op::not_in,
                                             .values = {"fargate", "auto", "hybrid"}}}}});
  auto& spec = ds.spec.template_.spec;
  spec.node_selector = {{"kubernetes.io/os", "linux"}};
  spec.tolerations = {tolerate_everything};
  spec.host_network = false;
  max_unavailable(ds, "10%");
  return ds;
}

/// ds-nvidia-gpu-feature-discovery.yaml: three ORed terms, no tolerations, no updateStrategy.
daemon_set gpu_feature_discovery() {
  auto ds = manifest("", "gpu-feature-discovery",
                     {{"app.kubernetes.io/name", "gpu-feature-discovery"}, {"app.kubernetes.io/part-of", "nvidia-gpu"}},
                     {{"app.kubernetes.io/name", "gpu-feature-discovery"}, {"app.kubernetes.io/version", "0.20.0"},
                      {"app.kubernetes.io/part-of", "nvidia-gpu"}});
  require_terms(ds, {
                        {.match_expressions = {{.key = "feature.node.kubernetes.io/pci-10de.present", .op = op::in, .values = {"true"}}}},
                        {.match_expressions = {{.key = "feature.node.kubernetes.io/cpu-model.vendor_id", .op = op::in, .values = {"NVIDIA"}}}},
                        {.match_expressions = {{.key = "nvidia.com/gpu.present", .op = op::in, .values = {"true"}}}},
                    });
  return ds;
}

/// ds-gke-nvidia-driver-installer-cos.yaml: one term, Exists AND two DoesNotExist.
daemon_set nvidia_driver_installer() {
  auto ds = manifest("kube-system", "nvidia-driver-installer", {{"k8s-app", "nvidia-driver-installer"}},
                     {{"name", "nvidia-driver-installer"}, {"k8s-app", "nvidia-driver-installer"}});
  ds.metadata.labels = {{"k8s-app", "nvidia-driver-installer"}};
  require_terms(ds, {{.match_expressions = {
                          {.key = "cloud.google.com/gke-accelerator", .op = op::exists, .values = {}},
                          {.key = "cloud.google.com/gke-gpu-driver-version", .op = op::does_not_exist, .values = {}},
                          {.key = "cloud.google.com/gke-confidential-nodes-instance-type", .op = op::does_not_exist, .values = {}},
                      }}});
  auto& spec = ds.spec.template_.spec;
  spec.tolerations = {tolerate_everything};
  spec.host_network = true;
  ds.spec.update_strategy = {.type = update_strategy_type::rolling_update, .rolling_update = std::nullopt};
  return ds;
}

/// ds-aws-vpc-cni-aws-node.multidoc.yaml (the DaemonSet document of the stream).
daemon_set aws_node() {
  auto ds = manifest("kube-system", "aws-node", {{"k8s-app", "aws-node"}},
                     {{"app.kubernetes.io/name", "aws-node"}, {"app.kubernetes.io/instance", "aws-vpc-cni"}, {"k8s-app", "aws-node"}});
  require_terms(ds, {{.match_expressions = {
                          {.key = "kubernetes.io/os", .op = op::in, .values = {"linux"}},
                          {.key = "kubernetes.io/arch", .op = op::in, .values = {"amd64", "arm64"}},
                          {.key = "eks.amazonaws.com/compute-type", .op = op::not_in, .values = {"fargate", "hybrid", "auto"}},
                      }}});
  auto& spec = ds.spec.template_.spec;
  spec.tolerations = {tolerate_everything};
  spec.host_network = true;
  max_unavailable(ds, "10%");
  return ds;
}

node make_node(std::string name, label_map labels, std::vector<taint> taints = {}, bool unschedulable = false) {
  node n;
  n.metadata.name = std::move(name);
  n.metadata.labels = std::move(labels);
  n.taints = std::move(taints);
  n.unschedulable = unschedulable;
  return n;
}

/// nodes-eks-honeycomb.json: two arm64 EKS nodes with the custom taint type=hound:NoSchedule.
std::vector<node> eks_nodes() {
  const auto eks = [](std::string name, std::string region, std::string zone) {
    return make_node(name,
                     {{"eks.amazonaws.com/capacityType", "ON_DEMAND"}, {"eks.amazonaws.com/nodegroup", "custom-1"},
                      {"kubernetes.io/arch", "arm64"}, {"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"},
                      {"node.kubernetes.io/instance-type", "m6gd.2xlarge"}, {"topology.kubernetes.io/region", region},
                      {"topology.kubernetes.io/zone", zone}},
                     {{.key = "type", .value = "hound", .effect = eff::no_schedule}});
  };
  return {eks("duckboat-01", "us-east-1", "us-east-1a"), eks("duckboat-02", "us-east-2", "us-east-2d")};
}

/// nodes-kubeadm-arm64-k8s-graph.json: kubeadm v1.9 with only the legacy beta.kubernetes.io/*
/// os/arch labels; the master has the pre-1.24 master taint.
std::vector<node> kubeadm_nodes() {
  const auto legacy = [](std::string name) {
    return label_map{{"beta.kubernetes.io/arch", "arm64"}, {"beta.kubernetes.io/os", "linux"}, {"kubernetes.io/hostname", name}};
  };
  auto master_labels = legacy("k8s-master");
  master_labels["node-role.kubernetes.io/master"] = "";
  std::vector<node> nodes{make_node("k8s-master", master_labels,
                                    {{.key = "node-role.kubernetes.io/master", .value = "", .effect = eff::no_schedule}})};
  for (const char* name : {"k8s-minion1", "k8s-minion2", "k8s-minion3", "k8s-minion4", "k8s-minion5"})
    nodes.push_back(make_node(name, legacy(name)));
  return nodes;
}

/// nodes-kind-popeye-edgecases.yaml: n1 control-plane labels only (no os label, no taint), n2 a
/// bare-key taint t2:NoSchedule, n3 pressure conditions without taints, n4 unschedulable without
/// the unschedulable taint, n5 plain.
std::vector<node> kind_nodes() {
  const auto worker = [](std::string name) {
    return label_map{{"beta.kubernetes.io/arch", "arm64"}, {"beta.kubernetes.io/os", "linux"}, {"kubernetes.io/arch", "arm64"},
                     {"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"}};
  };
  auto n3 = make_node("n3", worker("n3"));
  n3.conditions = {{.type = "MemoryPressure", .status = condition_status::true_, .last_transition_time = std::nullopt},
                   {.type = "DiskPressure", .status = condition_status::true_, .last_transition_time = std::nullopt},
                   {.type = "NetworkUnavailable", .status = condition_status::true_, .last_transition_time = std::nullopt}};
  auto n4 = make_node("n4", worker("n4"), {}, true);
  n4.conditions = {{.type = "Ready", .status = condition_status::false_, .last_transition_time = std::nullopt}};
  return {
      make_node("n1", {{"node-role.kubernetes.io/control-plane", ""}, {"node-role.kubernetes.io/master", ""},
                       {"node.kubernetes.io/exclude-from-external-load-balancers", ""}}),
      make_node("n2", worker("n2"), {{.key = "t2", .value = "", .effect = eff::no_schedule}}),
      n3,
      n4,
      make_node("n5", worker("n5")),
  };
}

struct expectation {
  std::string node;
  node_verdict verdict;
};

/// Verdicts per node for one DaemonSet over one node list, checked through evaluate() and explain().
void check_verdicts(const daemon_set& ds, const std::vector<node>& nodes, const std::vector<expectation>& expected) {
  const auto placement = daemon_placement::make(ds);
  REQUIRE(nodes.size() == expected.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    INFO(ds.metadata.name << " on " << nodes[i].metadata.name);
    REQUIRE(nodes[i].metadata.name == expected[i].node);
    CHECK(placement.evaluate(nodes[i]) == expected[i].verdict);
    CHECK(placement.explain(nodes[i]).reasons.empty() == expected[i].verdict.should_run);
  }
}

std::vector<expectation> all(const std::vector<node>& nodes, node_verdict v) {
  std::vector<expectation> out;
  for (const auto& n : nodes) out.push_back({n.metadata.name, v});
  return out;
}

}  // namespace

TEST_CASE("the real fixtures are in place and mention what the hand-built copies rely on", "[fixtures][placement]") {
  const std::map<std::string, std::vector<std::string>> files{
      {"real/ds-kube-prometheus-node-exporter.yaml", {"kubernetes.io/os: linux", "operator: Exists", "maxUnavailable: 10%", "hostNetwork: true"}},
      {"real/ds-aws-ebs-csi-node.yaml", {"eks.amazonaws.com/compute-type", "operator: NotIn", "kubernetes.io/os: linux", "hostNetwork: false"}},
      {"real/ds-nvidia-gpu-feature-discovery.yaml", {"feature.node.kubernetes.io/pci-10de.present", "feature.node.kubernetes.io/cpu-model.vendor_id", "nvidia.com/gpu.present"}},
      {"real/ds-gke-nvidia-driver-installer-cos.yaml", {"cloud.google.com/gke-accelerator", "cloud.google.com/gke-gpu-driver-version", "cloud.google.com/gke-confidential-nodes-instance-type", "operator: DoesNotExist"}},
      {"real/ds-aws-vpc-cni-aws-node.multidoc.yaml", {"kind: DaemonSet", "kubernetes.io/arch", "- arm64", "maxUnavailable: 10%"}},
      {"real/nodes-eks-honeycomb.json", {"duckboat-01", "duckboat-02", "\"hound\""}},
      {"real/nodes-kubeadm-arm64-k8s-graph.json", {"k8s-master", "k8s-minion5", "node-role.kubernetes.io/master", "beta.kubernetes.io/os"}},
      {"real/nodes-kind-popeye-edgecases.yaml", {"name: n1", "name: n5", "key: t2", "unschedulable: true"}},
  };
  for (const auto& [relative, needles] : files) {
    INFO(relative);
    DAEMONPLAN_FIXTURE_OR_SKIP(path, relative);
    const auto text = daemonplan::test::read_file(path);
    REQUIRE_FALSE(text.empty());
    for (const auto& needle : needles) {
      INFO(needle);
      CHECK(text.find(needle) != std::string::npos);
    }
  }
}

TEST_CASE("the real DaemonSets validate once defaulted (namespace filled in where the file has none)", "[fixtures][validate]") {
  for (auto ds : {node_exporter(), ebs_csi_node(), gpu_feature_discovery(), nvidia_driver_installer(), aws_node()}) {
    INFO(ds.metadata.name);
    if (ds.metadata.namespace_.empty()) {
      // As written (no namespace), the API server's validation asks for one; kubectl fills it in.
      const auto errors = validate(apply_defaults(ds));
      REQUIRE(errors.size() == 1);
      CHECK(errors[0].code == error_code::required);
      CHECK(errors[0].field == "metadata.namespace");
      ds.metadata.namespace_ = "default";
    }
    CHECK(validate(apply_defaults(ds)).empty());
  }
  // Without defaulting, gke's `updateStrategy: {type: RollingUpdate}` lacks its rollingUpdate block
  // and gpu-feature-discovery has no strategy type at all.
  CHECK(validate(nvidia_driver_installer()).back().field == "spec.updateStrategy.rollingUpdate");
  auto gfd = gpu_feature_discovery();
  gfd.metadata.namespace_ = "default";
  CHECK(validate(gfd).back().field == "spec.updateStrategy");
}

TEST_CASE("real DaemonSets on the EKS nodes (custom taint type=hound:NoSchedule)", "[fixtures][placement]") {
  const auto nodes = eks_nodes();
  // The catch-all {operator: Exists} tolerates the custom taint; the os/arch labels are there and
  // compute-type is absent, which NotIn accepts.
  check_verdicts(node_exporter(), nodes, all(nodes, run));
  check_verdicts(ebs_csi_node(), nodes, all(nodes, run));
  check_verdicts(aws_node(), nodes, all(nodes, run));
  // No GPU labels: none of the three ORed terms matches, so the taint is never reached.
  check_verdicts(gpu_feature_discovery(), nodes, all(nodes, neither));
  // No gke-accelerator label: the Exists fails.
  check_verdicts(nvidia_driver_installer(), nodes, all(nodes, neither));
}

TEST_CASE("real DaemonSets on the kubeadm v1.9 nodes (legacy beta.kubernetes.io labels only)", "[fixtures][placement]") {
  const auto nodes = kubeadm_nodes();
  // Non-obvious: these nodes carry only beta.kubernetes.io/os, so every DaemonSet that selects on
  // kubernetes.io/os (nodeSelector or affinity) runs nowhere, the master taint notwithstanding.
  check_verdicts(node_exporter(), nodes, all(nodes, neither));
  check_verdicts(ebs_csi_node(), nodes, all(nodes, neither));
  check_verdicts(aws_node(), nodes, all(nodes, neither));
  check_verdicts(gpu_feature_discovery(), nodes, all(nodes, neither));
  check_verdicts(nvidia_driver_installer(), nodes, all(nodes, neither));
}

TEST_CASE("real DaemonSets on the kind edge-case nodes", "[fixtures][placement]") {
  const auto nodes = kind_nodes();
  // n1 has no kubernetes.io/os label (control-plane labels only): neither. n2's bare-key taint
  // t2:NoSchedule is tolerated by {operator: Exists}. n3's pressure *conditions* and n4's
  // spec.unschedulable are never read (only taints matter, and there are none): both run.
  const std::vector<expectation> linux_everywhere{
      {"n1", neither}, {"n2", run}, {"n3", run}, {"n4", run}, {"n5", run}};
  check_verdicts(node_exporter(), nodes, linux_everywhere);
  check_verdicts(ebs_csi_node(), nodes, linux_everywhere);
  check_verdicts(aws_node(), nodes, linux_everywhere);
  check_verdicts(gpu_feature_discovery(), nodes, all(nodes, neither));
  check_verdicts(nvidia_driver_installer(), nodes, all(nodes, neither));
}

TEST_CASE("derived variants of the real nodes exercise the taint rules", "[fixtures][placement]") {
  // gpu-feature-discovery has no tolerations of its own: only the daemon defaults.
  auto kind = kind_nodes();
  for (auto& n : kind) n.metadata.labels["nvidia.com/gpu.present"] = "true";
  // n1 now matches the third term and has no taint; n2's t2:NoSchedule is untolerated, so no new
  // pod there but an existing one keeps running; n4's unschedulable flag is still ignored.
  check_verdicts(gpu_feature_discovery(), kind,
                 {{"n1", run}, {"n2", keep_only}, {"n3", run}, {"n4", run}, {"n5", run}});

  // The legacy master taint node-role.kubernetes.io/master:NoSchedule is not a daemon default.
  auto kubeadm = kubeadm_nodes();
  for (auto& n : kubeadm) n.metadata.labels["kubernetes.io/os"] = "linux";
  auto gfd_on_master = kubeadm;
  for (auto& n : gfd_on_master) n.metadata.labels["feature.node.kubernetes.io/pci-10de.present"] = "true";
  auto expected = all(gfd_on_master, run);
  expected[0].verdict = keep_only;  // k8s-master
  check_verdicts(gpu_feature_discovery(), gfd_on_master, expected);
  // node-exporter tolerates everything and now finds its os label on every node, master included.
  check_verdicts(node_exporter(), kubeadm, all(kubeadm, run));
  // aws-node also needs kubernetes.io/arch, which these legacy nodes lack.
  check_verdicts(aws_node(), kubeadm, all(kubeadm, neither));

  // The GKE installer on an EKS node given an accelerator label: the custom taint is tolerated.
  auto eks = eks_nodes();
  eks[0].metadata.labels["cloud.google.com/gke-accelerator"] = "nvidia-tesla-t4";
  eks[1].metadata.labels["cloud.google.com/gke-accelerator"] = "nvidia-tesla-t4";
  eks[1].metadata.labels["cloud.google.com/gke-gpu-driver-version"] = "default";  // DoesNotExist fails
  check_verdicts(nvidia_driver_installer(), eks, {{"duckboat-01", run}, {"duckboat-02", neither}});
  // A fargate node is excluded by the NotIn of ebs-csi-node and aws-node.
  eks[0].metadata.labels["eks.amazonaws.com/compute-type"] = "fargate";
  check_verdicts(ebs_csi_node(), eks, {{"duckboat-01", neither}, {"duckboat-02", run}});
  check_verdicts(aws_node(), eks, {{"duckboat-01", neither}, {"duckboat-02", run}});
}

TEST_CASE("10% maxUnavailable rounds up over the real clusters' desired counts", "[fixtures][int_or_percent]") {
  const auto budget = [](const daemon_set& ds, const std::vector<node>& nodes) {
    const auto placement = daemon_placement::make(ds);
    std::int64_t desired = 0;
    for (const auto& n : nodes) desired += placement.evaluate(n).should_run ? 1 : 0;
    return scaled_value(*apply_defaults(ds).spec.update_strategy.rolling_update->max_unavailable, desired, true).value();
  };
  CHECK(budget(node_exporter(), eks_nodes()) == 1);   // 10% of 2 = 0.2 -> 1
  CHECK(budget(node_exporter(), kind_nodes()) == 1);  // 10% of 4 = 0.4 -> 1
  CHECK(budget(node_exporter(), kubeadm_nodes()) == 0);  // nothing desired
  CHECK(apply_defaults(gpu_feature_discovery()).spec.update_strategy.rolling_update->max_unavailable == from_int(1));
}
