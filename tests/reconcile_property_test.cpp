// Properties of reconcile() over generated clusters (tests/support/cluster_gen.hpp): determinism
// under input permutation, convergence when plans are applied, and the rollout budgets.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/daemonplan.hpp>

#include "support/cluster_gen.hpp"
#include "support/sim.hpp"

using namespace daemonplan;
using namespace daemonplan::test;

namespace {

constexpr std::uint64_t seeds = 300;

/// The DaemonSet's pod by the claim rules (§3.1): in its namespace and matching its selector, and
/// either controlled by it or an orphan that is not terminating (adopted in the same sync).
bool is_daemon_pod(const daemon_set& ds, const pod& p) {
  if (p.metadata.namespace_ != ds.metadata.namespace_ || !labels_contain(p.metadata.labels, ds.spec.selector->match_labels))
    return false;
  const auto* ref = controller_of(p.metadata);
  return ref ? ref->uid == ds.metadata.uid : !detail::is_terminating(p);
}

/// Nodes (in the node list) with an available old pod and a new pod that is not available yet,
/// both not terminating: the surges in flight.
std::size_t surges_in_flight(const daemon_set& ds, const cluster_state& c, timestamp now) {
  std::size_t count = 0;
  for (const auto& n : c.nodes) {
    bool old_available = false, new_pending = false;
    for (const auto& p : c.pods) {
      if (!is_daemon_pod(ds, p) || detail::is_terminating(p) || target_node(p) != std::optional<std::string_view>(n.metadata.name))
        continue;
      const bool available = is_available(p, ds.spec.min_ready_seconds, now);
      if (is_pod_updated(p, ds.revision, template_generation(ds)))
        new_pending = new_pending || !available;
      else
        old_available = old_available || available;
    }
    if (old_available && new_pending) ++count;
  }
  return count;
}

/// Applying `p` (at the same instant) keeps the rollout inside its budget, except where upstream
/// allows more: delete-first leaves at most max(unavailable before, maxUnavailable) desired nodes
/// without an available pod (unavailable old pods are replaced beyond the budget); create-first
/// leaves at most max(surges before, maxSurge) surges in flight (unavailable old pods get their
/// new pod beyond the budget, and so do nodes without a running pod).
void check_budget(const daemon_set& ds, const cluster_state& before, const plan& p, const reconcile_options& opts,
                  const reconcile_state& state) {
  if (ds.spec.update_strategy.type != update_strategy_type::rolling_update || !p.errors.empty()) return;
  const auto budget = rollout_budget_for(ds, p.status.desired_number_scheduled);
  REQUIRE(budget.has_value());
  cluster_state after = before;
  apply_plan(after, p, opts.now, "check");
  if (budget->max_surge == 0) {
    const auto unavailable_after = reconcile(ds, after.nodes, after.pods, opts, state).status.number_unavailable;
    CHECK(unavailable_after <= std::max<std::int64_t>(p.status.number_unavailable, budget->max_unavailable));
  } else {
    CHECK(surges_in_flight(ds, after, opts.now) <=
          std::max<std::size_t>(surges_in_flight(ds, before, opts.now), static_cast<std::size_t>(budget->max_surge)));
  }
}

/// The converged cluster: one available pod on every node that should run it (of the current
/// revision under RollingUpdate), none where the pod may not continue, none on vanished nodes, at
/// most one where it may only continue; the status agrees.
void check_converged(const daemon_set& ds, const cluster_state& c, const plan& last, timestamp now) {
  const auto placement = daemon_placement::make(ds);
  const bool rolling = ds.spec.update_strategy.type == update_strategy_type::rolling_update;
  std::int32_t desired = 0;
  for (const auto& n : c.nodes) {
    const auto verdict = placement.evaluate(n);
    std::vector<const pod*> here;
    for (const auto& p : c.pods)
      if (is_daemon_pod(ds, p) && target_node(p) == std::optional<std::string_view>(n.metadata.name)) here.push_back(&p);
    INFO("node " << n.metadata.name);
    if (verdict.should_run) {
      ++desired;
      REQUIRE(here.size() == 1);
      CHECK(is_available(*here[0], ds.spec.min_ready_seconds, now));
      if (rolling) CHECK(is_pod_updated(*here[0], ds.revision, std::nullopt));
    } else if (!verdict.should_continue_running) {
      CHECK(here.empty());
    } else {
      CHECK(here.size() <= 1);
      if (rolling && !here.empty()) CHECK(is_pod_updated(*here[0], ds.revision, std::nullopt));
    }
  }
  for (const auto& p : c.pods) {
    if (!is_daemon_pod(ds, p)) continue;
    const auto target = target_node(p);
    if (!target) continue;
    CHECK(std::ranges::any_of(c.nodes, [&](const node& n) { return n.metadata.name == *target; }));
  }
  CHECK(last.status.desired_number_scheduled == desired);
  CHECK(last.status.current_number_scheduled == desired);
  CHECK(last.status.number_available == desired);
  CHECK(last.status.number_unavailable == 0);
  if (rolling) CHECK(last.status.updated_number_scheduled == desired);
}

}  // namespace

TEST_CASE("property: the same plan whatever the order of nodes and pods", "[reconcile][property]") {
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    const auto g = generate(seed);
    const reconcile_options opts{.now = g.now};
    const auto reference = reconcile(g.ds, g.cluster.nodes, g.cluster.pods, opts);
    rng r(seed * 7919);
    auto nodes = g.cluster.nodes;
    auto pods = g.cluster.pods;
    for (int round = 0; round < 3; ++round) {
      r.shuffle(nodes);
      r.shuffle(pods);
      CHECK(reconcile(g.ds, nodes, pods, opts) == reference);
    }
    // and through a snapshot built once and reused
    const auto snapshot = cluster_snapshot::make(nodes, pods);
    CHECK(reconcile(g.ds, snapshot, opts) == reference);
    CHECK(reconcile(g.ds, snapshot, opts) == reference);
  }
}

TEST_CASE("property: applying plans converges, within the rollout budgets at every step", "[reconcile][property]") {
  constexpr int max_steps = 200;
  int longest = 0;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    auto g = generate(seed);
    // a small burst in some clusters, so that deferred actions are exercised too
    reconcile_options opts{.now = g.now, .burst_replicas = seed % 4 == 0 ? std::size_t{3} : std::size_t{250}};
    const auto foreign = [](const pod& x) {
      const auto* ref = controller_of(x.metadata);
      return ref && ref->uid == "bar-uid";
    };
    const auto names_of_foreign = [&](const std::vector<pod>& pods) {
      std::vector<std::string> out;
      for (const auto& x : pods)
        if (foreign(x) && !detail::is_terminating(x)) out.push_back(x.metadata.name);
      std::ranges::sort(out);
      return out;
    };
    const auto others = names_of_foreign(g.cluster.pods);
    reconcile_state state;
    plan p;
    int step = 0;
    for (; step < max_steps; ++step) {
      INFO("step " << step << "\n" << describe(p));
      p = reconcile(g.ds, g.cluster.nodes, g.cluster.pods, opts, state);
      // the one rollout error a valid DaemonSet can meet: a surge reaching a pod on a vanished
      // node whose NodeGone delete the burst deferred (it clears once the delete goes through)
      for (const auto& e : p.errors) {
        CHECK(p.deletes_deferred > 0);
        CHECK(e.message.find("couldn't get node") != std::string::npos);
      }
      check_budget(g.ds, g.cluster, p, opts, state);
      if (p.creates.empty() && p.deletes.empty() && p.updates.empty() && p.creates_deferred == 0 && p.deletes_deferred == 0) break;
      apply_plan(g.cluster, p, opts.now, std::to_string(step));
      // the world moves on: terminating pods finish, running pods become Ready, time passes
      std::erase_if(g.cluster.pods, [](const pod& x) { return detail::is_terminating(x); });
      for (auto& x : g.cluster.pods)
        if (!detail::is_terminal(x) && !is_ready(x)) set_ready(x, true, opts.now);
      state = p.next_state;
      opts.now += std::chrono::seconds{60};
    }
    REQUIRE(step < max_steps);
    longest = std::max(longest, step);
    check_converged(g.ds, g.cluster, p, opts.now);
    // pods of another controller are never deleted (terminating ones finished on their own)
    CHECK(names_of_foreign(g.cluster.pods) == others);
  }
  CHECK(longest > 2);  // the generator does produce multi-step rollouts
}
