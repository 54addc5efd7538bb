// Data-driven conformance: every tests/conformance/*.yaml scenario (schema in its README.md), each
// its own section, run step by step through reconcile() with the plans applied in between.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/daemonplan.hpp>

#include "support/scenario.hpp"
#include "support/sim.hpp"

namespace {

using namespace daemonplan;
using namespace daemonplan::test;

/// Every step is also reconciled on its nodes and pods shuffled with each of these seeds.
constexpr std::uint32_t shuffle_seeds[] = {1, 2, 3};

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DAEMONPLAN_SOURCE_DIR) / "tests/conformance"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::ranges::sort(files);
  return files;
}

/// "pod:Reason" (with "namespace/" when the pod is outside the DaemonSet's namespace).
std::string pod_key(const daemon_set& ds, const std::string& ns, const std::string& name, std::string_view what) {
  return (ns == ds.metadata.namespace_ ? "" : ns + "/") + name + ":" + std::string(what);
}

/// The list at `key` when given, else empty: unmentioned actions are expected not to happen.
std::vector<std::string> expected_list(const YAML::Node& expect, const char* key, const std::string& path) {
  return expect[key] ? strings(expect[key], path + "." + key) : std::vector<std::string>{};
}

void check_status(const daemon_set_status& got, const YAML::Node& n, const std::string& path) {
  check_keys(n, path, {"desired", "current", "misscheduled", "ready", "available", "unavailable", "updated", "observedGeneration"});
  const auto field = [&](const char* key, std::int64_t value) {
    if (!n[key]) return;
    INFO(path << "." << key);
    CHECK(value == scalar<std::int64_t>(n[key], path + "." + key));
  };
  field("desired", got.desired_number_scheduled);
  field("current", got.current_number_scheduled);
  field("misscheduled", got.number_misscheduled);
  field("ready", got.number_ready);
  field("available", got.number_available);
  field("unavailable", got.number_unavailable);
  field("updated", got.updated_number_scheduled);
  field("observedGeneration", got.observed_generation);
}

void check_plan(const plan& p, const daemon_set& ds, const YAML::Node& expect, const std::string& path) {
  check_keys(expect, path, {"creates", "createCount", "deletes", "deleteCount", "updates", "errors", "status",
                            "requeueAfter", "createsDeferred", "deletesDeferred", "backoff"});
  std::vector<std::string> creates, deletes, updates, errors;
  for (const auto& c : p.creates) creates.push_back(c.node);
  for (const auto& d : p.deletes) deletes.push_back(pod_key(ds, d.namespace_, d.name, to_string(d.reason)));
  for (const auto& u : p.updates) updates.push_back(pod_key(ds, u.namespace_, u.name, to_string(u.action)));
  for (const auto& e : p.errors) errors.push_back(e.field);
  if (expect["createCount"])
    CHECK(creates.size() == scalar<std::size_t>(expect["createCount"], path + ".createCount"));
  else
    CHECK(creates == expected_list(expect, "creates", path));
  if (expect["deleteCount"])
    CHECK(deletes.size() == scalar<std::size_t>(expect["deleteCount"], path + ".deleteCount"));
  else
    CHECK(deletes == expected_list(expect, "deletes", path));
  CHECK(updates == expected_list(expect, "updates", path));
  CHECK(errors == expected_list(expect, "errors", path));
  const auto count = [&](const char* key) {
    return expect[key] ? scalar<std::size_t>(expect[key], path + "." + key) : std::size_t{0};
  };
  CHECK(p.creates_deferred == count("createsDeferred"));
  CHECK(p.deletes_deferred == count("deletesDeferred"));
  if (expect["status"]) check_status(p.status, expect["status"], path + ".status");
  if (const auto r = expect["requeueAfter"]) {
    INFO(path << ".requeueAfter");
    if (r.IsNull())
      CHECK_FALSE(p.requeue_after.has_value());
    else
      CHECK(p.requeue_after == std::chrono::seconds{scalar<long long>(r, path + ".requeueAfter")});
  }
  if (expect["backoff"]) CHECK(p.next_state.failed_pod_backoff == backoff_of(expect["backoff"], path + ".backoff", ds));
}

/// Marks the named pods (or every pod for "all") Ready or not at `now`.
void set_readiness(cluster_state& c, const YAML::Node& n, const std::string& path, bool ready, timestamp now) {
  const bool all = n.IsScalar() && n.Scalar() == "all";
  const auto names = all ? std::vector<std::string>{} : strings(n, path);
  for (const auto& name : names)
    if (std::ranges::none_of(c.pods, [&](const pod& p) { return p.metadata.name == name; })) fail(path, "no pod " + name);
  for (auto& p : c.pods)
    if (all || std::ranges::find(names, p.metadata.name) != names.end()) set_ready(p, ready, now);
}

void run_scenario(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  const auto root = load_scenario(file);
  check_keys(root, name, {"description", "upstream", "daemonset", "nodes", "pods", "options", "state", "now", "expect", "steps"});
  if (!root["description"]) fail(name, "a scenario needs a description");
  if (root["steps"] && root["expect"]) fail(name, "use expect (one step) or steps, not both");
  if (!root["steps"] && !root["expect"]) fail(name, "nothing is expected");

  daemon_set ds = default_daemon_set();
  if (root["daemonset"]) update_daemon_set(ds, root["daemonset"], name + ".daemonset");
  cluster_state cluster;
  if (root["nodes"]) cluster.nodes = nodes_of(root["nodes"], name + ".nodes");
  if (root["pods"]) cluster.pods = pods_of(root["pods"], name + ".pods", ds);
  reconcile_options opts{.now = at(root["now"] ? scalar<long long>(root["now"], name + ".now") : 1000)};
  if (root["options"]) update_options(opts, root["options"], name + ".options");
  reconcile_state state;
  if (root["state"]) {
    check_keys(root["state"], name + ".state", {"backoff"});
    state.failed_pod_backoff = backoff_of(root["state"]["backoff"], name + ".state.backoff", ds);
  }

  YAML::Node steps(YAML::NodeType::Sequence);
  if (root["steps"]) {
    steps = root["steps"];
  } else {
    YAML::Node only;
    only["expect"] = root["expect"];
    steps.push_back(only);
  }
  if (!steps.IsSequence() || steps.size() == 0) fail(name + ".steps", "expected a non-empty list");
  plan previous;
  timestamp previous_now = opts.now;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto step = steps[i];
    const std::string path = name + ".steps[" + std::to_string(i) + "]";
    check_keys(step, path, {"note", "apply", "now", "advance", "daemonset", "nodes", "removeNodes", "addPods",
                            "deletePods", "phase", "ready", "unready", "options", "expect"});
    if (i > 0 && (!step["apply"] || scalar<bool>(step["apply"], path + ".apply")))
      apply_plan(cluster, previous, previous_now, std::to_string(i));
    if (step["now"]) opts.now = at(scalar<long long>(step["now"], path + ".now"));
    if (step["advance"]) opts.now += std::chrono::seconds{scalar<long long>(step["advance"], path + ".advance")};
    if (step["daemonset"]) update_daemon_set(ds, step["daemonset"], path + ".daemonset");
    if (step["nodes"]) cluster.nodes = nodes_of(step["nodes"], path + ".nodes");
    if (step["removeNodes"])
      for (const auto& gone : strings(step["removeNodes"], path + ".removeNodes"))
        std::erase_if(cluster.nodes, [&](const node& n) { return n.metadata.name == gone; });
    if (step["addPods"])
      for (auto& p : pods_of(step["addPods"], path + ".addPods", ds)) cluster.pods.push_back(std::move(p));
    if (step["deletePods"])
      for (const auto& gone : strings(step["deletePods"], path + ".deletePods"))
        std::erase_if(cluster.pods, [&](const pod& p) { return p.metadata.name == gone; });
    if (const auto phases = step["phase"]) {
      for (const auto& [pod_name, phase] : labels_of(phases, path + ".phase"))
        for (auto& p : cluster.pods)
          if (p.metadata.name == pod_name) p.phase = parse_pod_phase(phase).value_or(pod_phase::unknown);
    }
    if (step["ready"]) set_readiness(cluster, step["ready"], path + ".ready", true, opts.now);
    if (step["unready"]) set_readiness(cluster, step["unready"], path + ".unready", false, opts.now);
    if (step["options"]) update_options(opts, step["options"], path + ".options");
    if (!step["expect"]) fail(path, "a step needs expect");

    const auto p = reconcile(ds, cluster.nodes, cluster.pods, opts, state);
    INFO(path << " at t=" << opts.now.time_since_epoch().count() << "\nplan:\n" << describe(p));
    check_plan(p, ds, step["expect"], path + ".expect");

    // the same plan whatever the order of the input vectors: reversed, then shuffled
    const std::vector<node> nodes_reversed(cluster.nodes.rbegin(), cluster.nodes.rend());
    const std::vector<pod> pods_reversed(cluster.pods.rbegin(), cluster.pods.rend());
    CHECK(reconcile(ds, nodes_reversed, pods_reversed, opts, state) == p);
    for (const std::uint32_t seed : shuffle_seeds) {
      INFO("shuffled with seed " << seed);
      std::mt19937 rng(seed);
      auto nodes = cluster.nodes;
      auto pods = cluster.pods;
      std::shuffle(nodes.begin(), nodes.end(), rng);
      std::shuffle(pods.begin(), pods.end(), rng);
      CHECK(reconcile(ds, nodes, pods, opts, state) == p);
    }

    state = p.next_state;
    previous = p;
    previous_now = opts.now;
  }
}

}  // namespace

TEST_CASE("conformance scenarios from tests/conformance", "[reconcile][conformance]") {
  const auto files = scenario_files();
  CHECK(files.size() >= 60);  // the suite's promised breadth; every file still runs below
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      try {
        run_scenario(file);
      } catch (const scenario_error& e) {
        FAIL("bad scenario " << e.what());
      }
    }
  }
}
