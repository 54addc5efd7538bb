// benchmarks/reconcile_bench.cpp: whole syncs. reconcile/cluster: a converged cluster with ~30 pods
// per node (daemon pods plus ReplicaSet pods), the snapshot built from the plain vectors for the 30
// DaemonSets (node classes over the label keys they read) and all 30 reconciled against it, all timed. reconcile/rollout: one DaemonSet (maxUnavailable
// 10%) mid-rollout over 1,000,000 nodes, through the one-off-snapshot overload. Each has a /plain
// twin that computes eligibility per node instead of per node class, and a /read_floor twin that
// only reads what a snapshot must read of the input.
#include <cstddef>
#include <string_view>

#include <benchmark/benchmark.h>

#include <daemonplan/cluster.hpp>
#include <daemonplan/reconcile.hpp>

#include "support.hpp"

namespace {

using namespace daemonplan;

// Working memory beyond the input, after the timed loop (untimed): the peak heap growth while a
// snapshot of the nodes alone is built, per node; then while the whole sync runs (snapshot of nodes
// and pods, every DaemonSet reconciled, plans included), what that adds per pod.
void report_memory(benchmark::State& state, const synth_cluster& c, eligibility_path path) {
  std::size_t node_bytes = 0;
  {
    const bench::allocation_meter meter;
    const auto snapshot = cluster_snapshot::make(c.nodes, {}, c.daemon_sets, path);
    node_bytes = meter.peak();
  }
  std::size_t all_bytes = 0;
  {
    const bench::allocation_meter meter;
    const auto snapshot = cluster_snapshot::make(c.nodes, c.pods, c.daemon_sets, path);
    for (const auto& ds : c.daemon_sets) {
      const auto p = reconcile(ds, snapshot, {.now = synth_options{}.now});
      benchmark::DoNotOptimize(p.status);
    }
    all_bytes = meter.peak();
  }
  state.counters["work_bytes_per_node"] = static_cast<double>(node_bytes) / static_cast<double>(c.nodes.size());
  state.counters["work_bytes_per_pod"] =
      static_cast<double>(all_bytes > node_bytes ? all_bytes - node_bytes : 0) / static_cast<double>(c.pods.size());
}

bench::input_key cluster_input(std::size_t nodes) {
  return {.options = {.seed = bench::seed, .nodes = nodes, .daemon_sets = 30}, .pods = true, .pods_per_node = 30};
}

bench::input_key rollout_input(std::size_t nodes) {
  return {.options = {.seed = bench::seed, .nodes = nodes, .daemon_sets = 1, .state = synth_state::rollout}, .pods = true};
}

void cluster(benchmark::State& state, std::size_t nodes, eligibility_path path) {
  const auto key = cluster_input(nodes);
  const auto& c = bench::input(key);
  const reconcile_options opts{.now = key.options.now};
  const bench::per_item_timer timer;
  for (auto _ : state) {
    const auto snapshot = path == eligibility_path::plain ? cluster_snapshot::make(c.nodes, c.pods, path)
                                                          : cluster_snapshot::make(c.nodes, c.pods, c.daemon_sets, path);
    for (const auto& ds : c.daemon_sets) {
      const auto p = reconcile(ds, snapshot, opts);
      benchmark::DoNotOptimize(p.status);
    }
  }
  timer.set(state, "ns_per_pod", static_cast<double>(c.pods.size()));
  state.counters["pods"] = static_cast<double>(c.pods.size());
  report_memory(state, c, path);
}

// The floor under a tier on this machine: no index, no decision, only the reads a snapshot cannot
// avoid, in memory order: every node's name and taints; every pod's namespace, controller reference
// and node name, and of a DaemonSet's pod also its name, labels, timestamps, phase and conditions.
// (The node labels the DaemonSets select on are left out.) What a tier costs beyond it is the
// snapshot's and the syncs' own work.
void read_floor(benchmark::State& state, const bench::input_key& key) {
  const auto& c = bench::input(key);
  const auto byte = [](std::string_view s) { return s.empty() ? 0U : static_cast<unsigned char>(s.front()); };
  const bench::per_item_timer timer;
  for (auto _ : state) {
    std::size_t sum = 0;
    for (const auto& n : c.nodes) {
      sum += byte(n.metadata.name);
      for (const auto& t : n.taints) sum += byte(t.key) + byte(t.value);
    }
    for (const auto& p : c.pods) {
      sum += byte(p.metadata.namespace_) + byte(p.spec.node_name);
      const auto* ref = controller_of(p.metadata);
      if (!ref || ref->kind != "DaemonSet") continue;
      sum += byte(ref->uid) + byte(p.metadata.name) + static_cast<std::size_t>(p.phase);
      for (const auto& [k, v] : p.metadata.labels) sum += byte(k) + byte(v);
      sum += p.metadata.creation_timestamp.has_value() + p.metadata.deletion_timestamp.has_value();
      for (const auto& cond : p.conditions) sum += byte(cond.type) + cond.last_transition_time.has_value();
    }
    benchmark::DoNotOptimize(sum);
  }
  timer.set(state, "ns_per_pod", static_cast<double>(c.pods.size()));
}

void rollout(benchmark::State& state, std::size_t nodes, eligibility_path path) {
  const auto key = rollout_input(nodes);
  const auto& c = bench::input(key);
  const reconcile_options opts{.now = key.options.now};
  const auto& ds = c.daemon_sets.front();
  const bench::per_item_timer timer;
  for (auto _ : state) {
    const auto p = path == eligibility_path::plain ? reconcile(ds, cluster_snapshot::make(c.nodes, c.pods, path), opts)
                                                   : reconcile(ds, c.nodes, c.pods, opts);  // classes for `ds`
    benchmark::DoNotOptimize(p.status);
  }
  timer.set(state, "ns_per_pod", static_cast<double>(c.pods.size()));
  state.counters["pods"] = static_cast<double>(c.pods.size());
  report_memory(state, c, path);
}

[[maybe_unused]] const bool registered = [] {
  for (const std::size_t n : {std::size_t{1000}, std::size_t{10000}, std::size_t{100000}}) {
    const auto name = bench::name("reconcile/cluster", n, "/daemonsets:30");
    benchmark::RegisterBenchmark(name.c_str(), cluster, n, eligibility_path::classes)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/plain").c_str(), cluster, n, eligibility_path::plain)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/read_floor").c_str(), read_floor, cluster_input(n))->Unit(benchmark::kMillisecond);
  }
  for (const std::size_t n : {std::size_t{1000}, std::size_t{1'000'000}}) {  // 1000: CI's smoke tier
    const auto name = bench::name("reconcile/rollout", n);
    benchmark::RegisterBenchmark(name.c_str(), rollout, n, eligibility_path::classes)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/plain").c_str(), rollout, n, eligibility_path::plain)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/read_floor").c_str(), read_floor, rollout_input(n))->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
