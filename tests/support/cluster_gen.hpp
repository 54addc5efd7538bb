// tests/support/cluster_gen.hpp: small random clusters for property tests, deterministic from a
// seed (splitmix64; no std distributions, whose output differs between standard libraries).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <daemonplan/daemonplan.hpp>

#include "support/sim.hpp"

namespace daemonplan::test {

/// splitmix64 with the few draws the generator needs.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi].
  long long between(long long lo, long long hi) { return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  /// True with probability percent/100.
  bool chance(int percent) { return between(0, 99) < percent; }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) { return items[static_cast<std::size_t>(between(0, N - 1))]; }
  /// Fisher-Yates.
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(between(0, static_cast<long long>(i) - 1))]);
  }

 private:
  std::uint64_t state_;
};

/// A generated DaemonSet and cluster at time `now`.
struct generated {
  daemon_set ds{};
  cluster_state cluster{};
  timestamp now{};
};

/// 3 to 25 nodes with zone/role/gpu labels and a mix of taints; a valid DaemonSet (revision "v2")
/// with a random placement, strategy (OnDelete, delete-first or surge, ints and percentages) and
/// minReadySeconds; 0 to 3 pods per node of revision v1 or v2 (or unlabelled), in every phase,
/// Ready or not, some terminating, some orphaned or owned by another controller, some relabelled
/// out of the selector, some only pinned by affinity, plus a few on vanished nodes.
inline generated generate(std::uint64_t seed) {
  rng r(seed);
  generated g;
  g.now = at(1000);

  const auto node_count = r.between(3, 25);
  for (long long i = 0; i < node_count; ++i) {
    node n{.metadata = {.name = "node-" + std::to_string(i)}};
    n.metadata.labels["zone"] = r.pick(std::array<std::string, 3>{"a", "b", "c"});
    n.metadata.labels["role"] = r.chance(80) ? "worker" : "infra";
    if (r.chance(20)) n.metadata.labels["gpu"] = "yes";
    if (r.chance(15)) n.taints.push_back({.key = "dedicated", .value = "infra", .effect = taint_effect::no_schedule});
    if (r.chance(5)) n.taints.push_back({.key = "maintenance", .effect = taint_effect::no_execute});
    if (r.chance(10)) n.taints.push_back({.key = "soft", .effect = taint_effect::prefer_no_schedule});
    if (r.chance(5)) n.taints.push_back({.key = "node.kubernetes.io/not-ready", .effect = taint_effect::no_execute});
    g.cluster.nodes.push_back(std::move(n));
  }

  auto& ds = g.ds;
  ds.metadata = {.name = "foo", .namespace_ = "default", .uid = "foo-uid", .generation = 2};
  ds.spec.selector = label_selector{.match_labels = {{"app", "foo"}}};
  ds.spec.template_.metadata.labels = {{"app", "foo"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"image":"foo:2","name":"foo"}])"}};
  ds.revision = "v2";
  auto& spec = ds.spec.template_.spec;
  if (r.chance(40)) spec.node_selector = {{"role", "worker"}};
  if (r.chance(20))
    spec.affinity = affinity{.node_affinity = node_affinity{
                                 .required = node_selector{.node_selector_terms = {{.match_expressions = {
                                                               {.key = "zone", .op = selector_operator::in, .values = {"a", "b"}}}}}}}};
  if (r.chance(30)) spec.tolerations.push_back({.key = "dedicated", .value = "infra", .effect = taint_effect::no_schedule});
  const auto kind = r.between(0, 99);
  auto& strategy = ds.spec.update_strategy;
  if (kind < 25) {
    strategy.type = update_strategy_type::on_delete;
  } else if (kind < 65) {
    strategy.type = update_strategy_type::rolling_update;
    const std::array<int_or_percent, 5> budgets{from_int(1), from_int(2), from_int(3), from_string("25%"), from_string("50%")};
    strategy.rolling_update = rolling_update_daemon_set{r.pick(budgets), from_int(0)};
  } else {
    strategy.type = update_strategy_type::rolling_update;
    const std::array<int_or_percent, 4> budgets{from_int(1), from_int(2), from_string("30%"), from_string("100%")};
    strategy.rolling_update = rolling_update_daemon_set{from_int(0), r.pick(budgets)};
  }
  ds.spec.min_ready_seconds = r.chance(50) ? 0 : static_cast<std::int32_t>(r.pick(std::array<int, 3>{5, 10, 30}));
  ds = apply_defaults(std::move(ds));

  const auto add_pod = [&](const std::string& name, const std::string& node_name) {
    pod p{.metadata = {.name = name, .namespace_ = "default", .uid = "default/" + name, .labels = {{"app", "foo"}}}};
    const auto revision = r.between(0, 99);
    if (revision < 50)
      p.metadata.labels["controller-revision-hash"] = "v2";
    else if (revision < 95)
      p.metadata.labels["controller-revision-hash"] = "v1";
    if (r.chance(5)) p.metadata.labels["app"] = "other";
    const auto owner = r.between(0, 99);
    if (owner < 85)
      p.metadata.owner_references.push_back(controller_reference(ds));
    else if (owner < 90)
      p.metadata.owner_references.push_back({.api_version = "apps/v1", .kind = "DaemonSet", .name = "bar", .uid = "bar-uid", .controller = true});
    if (r.chance(90))
      p.spec.node_name = node_name;
    else
      pin_to_node(p.spec, node_name);
    const auto phase = r.between(0, 99);
    p.phase = phase < 85 ? pod_phase::running : phase < 90 ? pod_phase::pending : phase < 95 ? pod_phase::failed : pod_phase::succeeded;
    if (p.phase == pod_phase::running && r.chance(70)) set_ready(p, true, g.now - std::chrono::seconds{r.between(0, 60)});
    if (r.chance(30)) p.metadata.creation_timestamp = at(r.between(0, 900));
    if (r.chance(8)) p.metadata.deletion_timestamp = g.now - std::chrono::seconds{5};
    g.cluster.pods.push_back(std::move(p));
  };
  for (long long i = 0; i < node_count; ++i) {
    const auto roll = r.between(0, 99);
    const int pods_here = roll < 30 ? 0 : roll < 85 ? 1 : roll < 95 ? 2 : 3;
    for (int k = 0; k < pods_here; ++k) add_pod("p" + std::to_string(i) + "-" + std::to_string(k), "node-" + std::to_string(i));
  }
  const auto vanished = r.between(0, 2);
  for (long long v = 0; v < vanished; ++v) add_pod("gone-" + std::to_string(v), "gone-node-" + std::to_string(v));
  return g;
}

}  // namespace daemonplan::test
