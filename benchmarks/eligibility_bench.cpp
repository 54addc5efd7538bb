// benchmarks/eligibility_bench.cpp: NodeShouldRunDaemonPod for every (node, DaemonSet) pair of a
// generated cluster with the 30 catalogue DaemonSets, through cluster_snapshot::verdicts(): once
// per node (plain, the baseline) and once per node class (classes). The snapshot and the compiled
// placements are built outside the timed loop; eligibility/build times the class index alone.
#include <cstddef>
#include <vector>

#include <benchmark/benchmark.h>

#include <daemonplan/cluster.hpp>
#include <daemonplan/node_classes.hpp>
#include <daemonplan/placement.hpp>

#include "support.hpp"

namespace {

using namespace daemonplan;

const synth_cluster& nodes_and_daemon_sets(std::size_t nodes) {
  return bench::input({.options = {.seed = bench::seed, .nodes = nodes, .daemon_sets = 30}});
}

void eligibility(benchmark::State& state, std::size_t nodes, eligibility_path path) {
  const auto& c = nodes_and_daemon_sets(nodes);
  const auto snapshot = cluster_snapshot::make(c.nodes, {}, path);
  std::vector<daemon_placement> placements;
  for (const auto& ds : c.daemon_sets) placements.push_back(daemon_placement::make(ds));
  const bench::per_item_timer timer;
  for (auto _ : state) {
    for (const auto& p : placements) {
      auto verdicts = snapshot.verdicts(p);
      benchmark::DoNotOptimize(verdicts.data());
      benchmark::ClobberMemory();
    }
  }
  timer.set(state, "ns_per_pair", static_cast<double>(nodes * placements.size()));
  state.counters["classes"] = static_cast<double>(node_classes::make(c.nodes).class_count());
}

void build(benchmark::State& state, std::size_t nodes) {
  const auto& c = nodes_and_daemon_sets(nodes);
  const bench::per_item_timer timer;
  for (auto _ : state) {
    auto classes = node_classes::make(c.nodes);
    benchmark::DoNotOptimize(classes.class_count());
  }
  timer.set(state, "ns_per_node", static_cast<double>(nodes));
}

[[maybe_unused]] const bool registered = [] {
  for (const std::size_t n : {std::size_t{1000}, std::size_t{10000}, std::size_t{100000}}) {
    benchmark::RegisterBenchmark(bench::name("eligibility/plain", n, "/daemonsets:30").c_str(), eligibility, n,
                                 eligibility_path::plain)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(bench::name("eligibility/classes", n, "/daemonsets:30").c_str(), eligibility, n,
                                 eligibility_path::classes)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(bench::name("eligibility/build", n).c_str(), build, n)->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
