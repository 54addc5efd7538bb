// benchmarks/support.hpp: the generated clusters the benchmarks read, built outside the timed
// loops and kept in one slot (asking for another cluster frees the previous one, so a run holds
// one tier's input at a time), and the per-item counters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>  // clock_gettime
#include <memory>
#include <span>
#include <string>
#include <utility>

#include <benchmark/benchmark.h>

#include <daemonplan/synth.hpp>

namespace daemonplan::bench {

/// Every benchmark input comes from this seed.
inline constexpr std::uint64_t seed = 1;

/// What a benchmark needs generated.
struct input_key {
  synth_options options{};
  bool pods{false};                 ///< generate pods (converged or rollout, per options.state)
  std::size_t pods_per_node{0};     ///< top the pods up to this many per node with workload pods
  friend bool operator==(const input_key&, const input_key&) = default;
};

/// The cluster `key` describes, generated on first use. Not timed by any benchmark.
inline const synth_cluster& input(const input_key& key) {
  static input_key held{};
  static std::unique_ptr<synth_cluster> slot;
  if (slot && held == key) return *slot;
  slot.reset();
  auto c = std::make_unique<synth_cluster>();
  c->nodes = synth_nodes(key.options);
  c->daemon_sets = synth_daemon_sets(key.options);
  if (key.pods) {
    c->pods = synth_pods(key.options, c->nodes, c->daemon_sets);
    const std::size_t target = key.pods_per_node * c->nodes.size();
    if (target > c->pods.size()) {
      auto workload = key.options;
      workload.workload_pods = target - c->pods.size();
      auto extra = synth_pods(workload, c->nodes, std::span<const daemon_set>{});
      c->pods.insert(c->pods.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    }
  }
  held = key;
  slot = std::move(c);
  return *slot;
}

/// This thread's CPU time in nanoseconds (what Google Benchmark's "CPU" column measures too), so
/// that per-item figures do not depend on what else the shared machine runs.
[[nodiscard]] inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

/// Started right before the timed loop; sets a "nanoseconds per item" counter after it.
class per_item_timer {
 public:
  void set(benchmark::State& state, const char* counter, double items_per_iteration) const {
    const double spent = thread_cpu_ns() - start_;
    state.counters[counter] = spent / (items_per_iteration * static_cast<double>(state.iterations()));
  }
  /// Bytes per second of CPU time, in MB (10^6 bytes).
  void set_mb_per_s(benchmark::State& state, const char* counter, double bytes_per_iteration) const {
    const double spent = thread_cpu_ns() - start_;
    state.counters[counter] = bytes_per_iteration * static_cast<double>(state.iterations()) / spent * 1e3;
  }

 private:
  double start_{thread_cpu_ns()};
};

namespace detail {
extern std::size_t live_bytes;  // alloc_meter.cpp: bytes live on the heap (operator new)
extern std::size_t peak_bytes;  // the most live at once since the last allocation_meter
}  // namespace detail

/// Heap bytes allocated through operator new while it lives, at the peak, beyond what was live
/// when it was made: the working memory of what runs in between (not single-threaded-safe, like
/// the benchmarks).
class allocation_meter {
 public:
  allocation_meter() noexcept : base_(detail::live_bytes) { detail::peak_bytes = base_; }
  [[nodiscard]] std::size_t peak() const noexcept { return detail::peak_bytes - base_; }

 private:
  std::size_t base_;
};

/// "<prefix>/nodes:<n><suffix>", the contract's benchmark names.
[[nodiscard]] inline std::string name(const std::string& prefix, std::size_t nodes, const std::string& suffix = "") {
  return prefix + "/nodes:" + std::to_string(nodes) + suffix;
}

}  // namespace daemonplan::bench
