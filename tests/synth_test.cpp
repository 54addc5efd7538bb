// tests/synth_test.cpp: the synthetic cluster generator is deterministic, shaped as documented,
// and its "converged" state is one the controller has nothing to do about.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/placement.hpp>
#include <daemonplan/reconcile.hpp>
#include <daemonplan/synth.hpp>

using namespace daemonplan;

namespace {

[[nodiscard]] bool has_taint(const node& n, std::string_view key, taint_effect effect) {
  return std::ranges::any_of(n.taints, [&](const taint& t) { return t.key == key && t.effect == effect; });
}

[[nodiscard]] std::string label_of(const node& n, const std::string& key) {
  const auto it = n.metadata.labels.find(key);
  return it == n.metadata.labels.end() ? "<none>" : it->second;
}

[[nodiscard]] const std::string& owner_name(const pod& p) { return p.metadata.owner_references.front().name; }

}  // namespace

TEST_CASE("synth_random is splitmix64: the published reference outputs", "[synth]") {
  synth_random zero(0);
  CHECK(zero() == 0xE220A8397B1DCDAFULL);
  synth_random r(1234567);
  CHECK(r() == 6457827717110365317ULL);
  CHECK(r() == 3203168211198807973ULL);
  CHECK(r() == 9817491932198370423ULL);
  CHECK(r() == 4593380528125082431ULL);
  CHECK(r() == 16408922859458223821ULL);
}

TEST_CASE("synth_random::below stays in range and reaches every value", "[synth]") {
  synth_random r(42);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto v = r.below(7);
    REQUIRE(v < 7);
    seen.insert(v);
  }
  CHECK(seen.size() == 7);
}

TEST_CASE("synth_state spellings round-trip", "[synth]") {
  for (auto s : {synth_state::converged, synth_state::rollout}) CHECK(parse_synth_state(to_string(s)) == s);
  CHECK_FALSE(parse_synth_state("Converged").has_value());
  CHECK_FALSE(parse_synth_state("").has_value());
}

TEST_CASE("the same options give the same cluster; another seed another one", "[synth]") {
  const synth_options o{.seed = 11, .nodes = 300, .daemon_sets = 30, .state = synth_state::rollout, .workload_pods = 200};
  const auto a = synthesize(o);
  const auto b = synthesize(o);
  CHECK(a == b);
  auto other = o;
  other.seed = 12;
  const auto c = synthesize(other);
  CHECK(c.nodes != a.nodes);
  CHECK(c.pods != a.pods);
}

TEST_CASE("a smaller cluster is a prefix of a larger one with the same seed", "[synth]") {
  const auto small = synth_nodes({.seed = 5, .nodes = 100});
  const auto large = synth_nodes({.seed = 5, .nodes = 1000});
  REQUIRE(small.size() == 100);
  REQUIRE(large.size() == 1000);
  CHECK(std::equal(small.begin(), small.end(), large.begin()));
}

TEST_CASE("node names, node UIDs and pod names are unique", "[synth]") {
  const auto c = synthesize({.seed = 3, .nodes = 2000, .workload_pods = 3000});
  std::set<std::string> names;
  std::set<std::string> uids;
  for (const auto& n : c.nodes) {
    names.insert(n.metadata.name);
    uids.insert(n.metadata.uid);
  }
  CHECK(names.size() == c.nodes.size());
  CHECK(uids.size() == c.nodes.size());
  std::set<std::pair<std::string, std::string>> pod_names;
  for (const auto& p : c.pods) pod_names.emplace(p.metadata.namespace_, p.metadata.name);
  CHECK(pod_names.size() == c.pods.size());
}

TEST_CASE("nodes carry the labels and taints real nodes carry", "[synth]") {
  const auto nodes = synth_nodes({.seed = 9, .nodes = 10000});
  std::map<std::string, std::size_t> pools;
  std::size_t cordoned = 0;
  std::size_t not_ready = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    INFO(n.metadata.name);
    CHECK(label_of(n, "kubernetes.io/hostname") == n.metadata.name);
    CHECK((label_of(n, "kubernetes.io/os") == "linux" || label_of(n, "kubernetes.io/os") == "windows"));
    CHECK((label_of(n, "kubernetes.io/arch") == "amd64" || label_of(n, "kubernetes.io/arch") == "arm64"));
    const auto zone = label_of(n, "topology.kubernetes.io/zone");
    CHECK(zone.rfind(label_of(n, "topology.kubernetes.io/region"), 0) == 0);
    CHECK(label_of(n, "node.kubernetes.io/instance-type") != "<none>");
    const bool control_plane = n.metadata.labels.contains("node-role.kubernetes.io/control-plane");
    CHECK(control_plane == (i < 3));
    CHECK(control_plane == has_taint(n, "node-role.kubernetes.io/control-plane", taint_effect::no_schedule));
    const auto pool = control_plane ? std::string("control-plane") : label_of(n, "eks.amazonaws.com/nodegroup");
    ++pools[pool];
    CHECK((pool == "gpu") == has_taint(n, "nvidia.com/gpu", taint_effect::no_schedule));
    CHECK((pool == "gpu") == (label_of(n, "nvidia.com/gpu.present") == "true"));
    CHECK((pool == "spot") == has_taint(n, "spot", taint_effect::no_schedule));
    CHECK((pool == "spot") == (label_of(n, "eks.amazonaws.com/capacityType") == "SPOT"));
    CHECK((pool == "arm64") == (label_of(n, "kubernetes.io/arch") == "arm64"));
    CHECK((pool == "windows") == (label_of(n, "kubernetes.io/os") == "windows"));
    CHECK(n.unschedulable == has_taint(n, "node.kubernetes.io/unschedulable", taint_effect::no_schedule));
    cordoned += n.unschedulable;
    const auto* ready = find_condition(n.conditions, "Ready");
    REQUIRE(ready);
    const bool is_not_ready = ready->status == condition_status::false_;
    CHECK(is_not_ready == has_taint(n, "node.kubernetes.io/not-ready", taint_effect::no_execute));
    not_ready += is_not_ready;
  }
  CHECK(pools["control-plane"] == 3);
  // documented shares of 9997 workers, within a few standard deviations
  CHECK(pools["general"] == Approx(4000).margin(200));
  CHECK(pools["compute"] == Approx(1500).margin(150));
  CHECK(pools["memory"] == Approx(1000).margin(120));
  CHECK(pools["gpu"] == Approx(500).margin(90));
  CHECK(pools["spot"] == Approx(1500).margin(150));
  CHECK(pools["arm64"] == Approx(1300).margin(140));
  CHECK(pools["windows"] == Approx(200).margin(60));
  CHECK(cordoned == Approx(100).margin(40));
  CHECK(not_ready == Approx(50).margin(30));
}

TEST_CASE("30 catalogue DaemonSets, defaulted, with distinct names; more repeat renamed", "[synth]") {
  const auto ds = synth_daemon_sets({.seed = 1, .daemon_sets = 45});
  REQUIRE(ds.size() == 45);
  std::set<std::string> names;
  for (const auto& d : ds) {
    names.insert(d.metadata.namespace_ + "/" + d.metadata.name);
    CHECK(d == apply_defaults(d));
    CHECK(d.spec.selector.has_value());
    CHECK(labels_contain(d.spec.template_.metadata.labels, d.spec.selector->match_labels));
    CHECK_FALSE(d.revision.empty());
    CHECK(template_generation(d) == 1);
  }
  CHECK(names.size() == 45);
  CHECK(ds[0].metadata.name == "falco");
  CHECK(ds[30].metadata.name == "falco-2");
}

TEST_CASE("GPU agents run only on GPU nodes; falco on every node", "[synth]") {
  const synth_options o{.seed = 21, .nodes = 2000};
  const auto nodes = synth_nodes(o);
  const auto sets = synth_daemon_sets(o);
  for (const auto& d : sets) {
    const auto placement = daemon_placement::make(d);
    const bool gpu_agent = d.metadata.namespace_ == "gpu-operator";
    for (const auto& n : nodes) {
      const auto v = placement.evaluate(n);
      if (gpu_agent && v.should_run) CHECK(label_of(n, "nvidia.com/gpu.present") == "true");
      if (d.metadata.name == "falco") CHECK(v.should_run);
      if (d.metadata.name == "windows-exporter" && v.should_run) CHECK(label_of(n, "kubernetes.io/os") == "windows");
    }
  }
}

TEST_CASE("converged: one current, Ready pod wherever the DaemonSet should run", "[synth]") {
  const synth_options o{.seed = 8, .nodes = 500};
  const auto c = synthesize(o);
  std::map<std::pair<std::string, std::string>, std::vector<const pod*>> by_ds_node;
  for (const auto& p : c.pods) by_ds_node[{owner_name(p), p.spec.node_name}].push_back(&p);
  for (const auto& d : c.daemon_sets) {
    const auto placement = daemon_placement::make(d);
    for (const auto& n : c.nodes) {
      const auto v = placement.evaluate(n);
      const auto it = by_ds_node.find({d.metadata.name, n.metadata.name});
      const std::size_t count = it == by_ds_node.end() ? 0 : it->second.size();
      INFO(d.metadata.name << " on " << n.metadata.name);
      if (v.should_run) {
        REQUIRE(count == 1);
        const auto& p = *it->second.front();
        CHECK(p.metadata.labels.at(std::string(revision_hash_label)) == d.revision);
        CHECK(is_ready(p));
        CHECK(p.phase == pod_phase::running);
      } else if (!v.should_continue_running) {
        CHECK(count == 0);
      }
    }
  }
}

TEST_CASE("converged: reconcile plans no create, delete or update for any DaemonSet", "[synth]") {
  const synth_options o{.seed = 13, .nodes = 400, .workload_pods = 800};
  const auto c = synthesize(o);
  const auto cluster = cluster_snapshot::make(c.nodes, c.pods);
  for (const auto& d : c.daemon_sets) {
    INFO(d.metadata.name);
    const auto p = reconcile(d, cluster, {.now = o.now});
    CHECK(p.errors.empty());
    CHECK(p.creates.empty());
    CHECK(p.deletes.empty());
    CHECK(p.updates.empty());
    CHECK(p.status.desired_number_scheduled == p.status.updated_number_scheduled);
    CHECK(p.status.number_unavailable == 0);
  }
}

TEST_CASE("rollout: old, new, not-ready, failed and terminating pods, generation 2", "[synth]") {
  const synth_options o{.seed = 4, .nodes = 3000, .daemon_sets = 1, .state = synth_state::rollout};
  const auto c = synthesize(o);
  REQUIRE(c.daemon_sets.size() == 1);
  const auto& d = c.daemon_sets.front();
  CHECK(template_generation(d) == 2);
  CHECK(d.spec.update_strategy.rolling_update->max_unavailable == from_string("10%"));
  std::size_t current = 0;
  std::size_t previous = 0;
  std::size_t not_ready = 0;
  std::size_t failed = 0;
  std::size_t terminating = 0;
  for (const auto& p : c.pods) {
    const bool is_current = p.metadata.labels.at(std::string(revision_hash_label)) == d.revision;
    CHECK(p.metadata.labels.at(std::string(template_generation_label)) == (is_current ? "2" : "1"));
    current += is_current;
    previous += !is_current;
    not_ready += !is_ready(p);
    failed += p.phase == pod_phase::failed;
    terminating += p.metadata.deletion_timestamp.has_value();
  }
  // falco runs on every node: 99.5% of them have a pod, 33.5% + 2% of them current
  CHECK(c.pods.size() == Approx(2985).margin(15));
  CHECK(current == Approx(0.355 * 3000).margin(80));
  CHECK(previous == Approx(0.64 * 3000).margin(80));
  CHECK(not_ready == Approx(0.05 * 3000).margin(40));
  CHECK(failed == Approx(30).margin(20));
  CHECK(terminating == Approx(30).margin(20));
}

TEST_CASE("workload pods belong to ReplicaSets and sit on untainted nodes", "[synth]") {
  const synth_options o{.seed = 2, .nodes = 200, .daemon_sets = 0, .workload_pods = 1000};
  const auto c = synthesize(o);
  REQUIRE(c.pods.size() == 1000);
  std::map<std::string, const node*> nodes;
  for (const auto& n : c.nodes) nodes[n.metadata.name] = &n;
  for (const auto& p : c.pods) {
    REQUIRE(p.metadata.owner_references.size() == 1);
    CHECK(p.metadata.owner_references.front().kind == "ReplicaSet");
    REQUIRE(nodes.contains(p.spec.node_name));
    CHECK(nodes[p.spec.node_name]->taints.empty());
  }
}
