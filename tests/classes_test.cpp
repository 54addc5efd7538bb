// tests/classes_test.cpp: node equivalence classes give exactly the verdicts of the plain per-node
// evaluation, over generated clusters with adversarial DaemonSets and shuffled inputs.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/cluster.hpp>
#include <daemonplan/node_classes.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/reconcile.hpp>
#include <daemonplan/rollout.hpp>
#include <daemonplan/synth.hpp>

using namespace daemonplan;

namespace {

[[nodiscard]] node make_node(std::string name, label_map labels, std::vector<taint> taints = {}) {
  labels.emplace(std::string(hostname_label), name);
  return {.metadata = {.name = std::move(name), .labels = std::move(labels)}, .taints = std::move(taints)};
}

[[nodiscard]] daemon_set with_spec(pod_spec spec) {
  daemon_set ds;
  ds.spec.template_.spec = std::move(spec);
  return ds;
}

[[nodiscard]] std::vector<node_verdict> plain_verdicts(const daemon_placement& p, const std::vector<node>& nodes) {
  std::vector<node_verdict> out;
  for (const auto& n : nodes) out.push_back(p.evaluate(n));
  return out;
}

template <typename T>
void shuffle(std::vector<T>& v, synth_random& r) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.below(i)]);
}

template <typename T>
[[nodiscard]] const T& pick(const std::vector<T>& v, synth_random& r) {
  return v[r.below(v.size())];
}

// A random requirement over the keys and values the cluster has, the hostname among them.
[[nodiscard]] node_selector_requirement random_requirement(const std::vector<node>& nodes, synth_random& r) {
  const auto& labels = pick(nodes, r).metadata.labels;
  auto it = labels.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(r.below(labels.size())));
  const auto& other = pick(nodes, r).metadata.labels;
  const std::string other_value = other.contains(it->first) ? other.at(it->first) : "absent";
  switch (r.below(7)) {
    case 0: return {.key = it->first, .op = selector_operator::in, .values = {it->second}};
    case 1: return {.key = it->first, .op = selector_operator::in, .values = {it->second, other_value}};
    case 2: return {.key = it->first, .op = selector_operator::not_in, .values = {it->second}};
    case 3: return {.key = it->first, .op = selector_operator::exists};
    case 4: return {.key = it->first, .op = selector_operator::does_not_exist};
    case 5: return {.key = "nvidia.com/gpu.count", .op = r.chance(500) ? selector_operator::gt : selector_operator::lt, .values = {"2"}};
    default: return {.key = "Not A Key!", .op = selector_operator::in, .values = {"x"}};  // a term that never parses
  }
}

// Mutates a catalogue DaemonSet into one the class path must treat carefully: hostname selectors,
// matchFields, a template nodeName, broken terms, extra tolerations.
[[nodiscard]] daemon_set mutate(daemon_set ds, const std::vector<node>& nodes, synth_random& r) {
  auto& spec = ds.spec.template_.spec;
  const auto& someone = pick(nodes, r).metadata.name;
  switch (r.below(6)) {
    case 0: spec.node_selector[std::string(hostname_label)] = someone; break;
    case 1: spec.node_name = r.chance(800) ? someone : "no-such-node"; break;
    case 2: spec.node_selector["topology.kubernetes.io/zone"] = pick(nodes, r).metadata.labels.at("topology.kubernetes.io/zone"); break;
    default: break;
  }
  if (r.chance(600)) {
    node_selector required;
    const auto terms = 1 + r.below(3);
    for (std::size_t t = 0; t < terms; ++t) {
      node_selector_term term;
      const auto expressions = r.below(3);
      for (std::size_t e = 0; e < expressions; ++e) term.match_expressions.push_back(random_requirement(nodes, r));
      if (r.chance(300)) {
        const auto op = r.chance(500) ? selector_operator::in : selector_operator::not_in;
        std::vector<std::string> values{pick(nodes, r).metadata.name};
        if (r.chance(100)) values.push_back("second");  // invalid: the term never matches
        term.match_fields.push_back({.key = r.chance(900) ? "metadata.name" : "metadata.uid", .op = op, .values = values});
      }
      required.node_selector_terms.push_back(std::move(term));
    }
    spec.affinity = affinity{.node_affinity = node_affinity{.required = std::move(required)}};
  }
  if (r.chance(300)) spec.tolerations.push_back({.key = "spot", .op = toleration_operator::exists});
  if (r.chance(300)) spec.tolerations.push_back({.key = "node.kubernetes.io/not-ready", .op = toleration_operator::exists});
  if (r.chance(200)) spec.tolerations.push_back({.key = "node.kubernetes.io/out-of-service", .op = toleration_operator::equal,
                                                 .value = "nodeshutdown", .effect = taint_effect::no_execute});
  return ds;
}

// Perturbs a few nodes: an empty name (matchFields are skipped there), a taint with a new
// timeAdded (must not split its class), a label flip, a duplicate of another node's labels.
void perturb(std::vector<node>& nodes, synth_random& r) {
  if (nodes.size() < 4) return;
  nodes[r.below(nodes.size())].metadata.name.clear();
  for (auto& n : nodes)
    for (auto& t : n.taints)
      if (t.time_added && r.chance(300)) *t.time_added += std::chrono::seconds(1 + r.below(99));
  nodes[r.below(nodes.size())].metadata.labels["topology.kubernetes.io/zone"] = "elsewhere-1z";
  auto copy = nodes[r.below(nodes.size())];
  copy.metadata.name += "-twin";
  copy.metadata.labels[std::string(hostname_label)] = copy.metadata.name;
  nodes.push_back(std::move(copy));
}

}  // namespace

TEST_CASE("the hostname label does not split classes; other labels and taints do", "[node_classes]") {
  const label_map base{{"kubernetes.io/os", "linux"}, {"topology.kubernetes.io/zone", "a"}};
  auto other_zone = base;
  other_zone["topology.kubernetes.io/zone"] = "b";
  const taint gpu{.key = "nvidia.com/gpu", .value = "present", .effect = taint_effect::no_schedule};
  auto gpu_later = gpu;
  gpu_later.time_added = timestamp{std::chrono::seconds(1000)};
  auto gpu_other_value = gpu;
  gpu_other_value.value = "absent";
  const std::vector<node> nodes{make_node("n0", base),        make_node("n1", base),
                                make_node("n2", other_zone),  make_node("n3", base, {gpu}),
                                make_node("n4", base, {gpu_later}), make_node("n5", base, {gpu_other_value}),
                                make_node("n6", {}),          make_node("n7", {})};
  const auto classes = node_classes::make(nodes);
  REQUIRE(classes.node_count() == nodes.size());
  CHECK(classes.class_of(0) == classes.class_of(1));
  CHECK(classes.class_of(0) != classes.class_of(2));
  CHECK(classes.class_of(0) != classes.class_of(3));
  CHECK(classes.class_of(3) == classes.class_of(4));  // timeAdded is not read by placement
  CHECK(classes.class_of(3) != classes.class_of(5));
  CHECK(classes.class_of(6) == classes.class_of(7));
  CHECK(classes.class_of(6) != classes.class_of(0));
  CHECK(classes.class_count() == 5);
  CHECK(&classes.representative(classes.class_of(1)) == &nodes[0]);
}

TEST_CASE("which DaemonSets a class decides", "[node_classes]") {
  const auto all_keys = node_classes::make(std::span<const node>{});
  const auto check = [&](const pod_spec& spec) { return all_keys.decided_by_class(daemon_placement::make(with_spec(spec))); };
  const auto term = [](node_selector_term t) {
    return affinity{.node_affinity = node_affinity{.required = node_selector{{std::move(t)}}}};
  };
  CHECK(check({}));
  CHECK(check({.node_selector = {{"kubernetes.io/os", "linux"}}}));
  CHECK(check({.affinity = term({.match_expressions = {{.key = "zone", .op = selector_operator::exists}}})}));
  CHECK_FALSE(check({.node_name = "n1"}));
  CHECK_FALSE(check({.node_selector = {{std::string(hostname_label), "n1"}}}));
  CHECK_FALSE(check({.affinity = term({.match_expressions = {{.key = std::string(hostname_label), .op = selector_operator::not_in, .values = {"n1"}}}})}));
  CHECK_FALSE(check({.affinity = term({.match_fields = {{.key = "metadata.name", .op = selector_operator::in, .values = {"n1"}}}})}));
  // a term that never parses cannot depend on anything
  CHECK(check({.affinity = term({.match_fields = {{.key = "metadata.name", .op = selector_operator::exists}}})}));

  // classes over chosen keys decide only DaemonSets reading nothing else
  const auto zone_only = node_classes::make(std::span<const node>{}, std::vector<std::string>{"zone", std::string(hostname_label)});
  CHECK(zone_only.keys() == std::vector<std::string>{"zone"});
  const auto decided = [&](const pod_spec& spec) { return zone_only.decided_by_class(daemon_placement::make(with_spec(spec))); };
  CHECK(decided({.node_selector = {{"zone", "a"}}}));
  CHECK(decided({.tolerations = {{.op = toleration_operator::exists}}}));
  CHECK_FALSE(decided({.node_selector = {{"zone", "a"}, {"os", "linux"}}}));
  CHECK_FALSE(decided({.affinity = term({.match_expressions = {{.key = "os", .op = selector_operator::exists}}})}));
}

TEST_CASE("label_keys_read: nodeSelector and valid affinity terms, sorted, once each", "[node_classes]") {
  pod_spec spec{.node_selector = {{"b", "1"}, {"a", "2"}}};
  spec.affinity = affinity{.node_affinity = node_affinity{.required = node_selector{{
                               {.match_expressions = {{.key = "c", .op = selector_operator::exists},
                                                      {.key = "a", .op = selector_operator::exists}}},
                               {.match_expressions = {{.key = "Bad Key", .op = selector_operator::exists}}}}}}};
  CHECK(label_keys_read(daemon_placement::make(with_spec(spec))) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("classes over chosen keys ignore the other labels", "[node_classes]") {
  const std::vector<node> nodes{make_node("n0", {{"zone", "a"}, {"pool", "x"}}), make_node("n1", {{"zone", "a"}, {"pool", "y"}}),
                                make_node("n2", {{"zone", "b"}, {"pool", "x"}}), make_node("n3", {{"pool", "x"}})};
  const auto classes = node_classes::make(nodes, std::vector<std::string>{"zone"});
  CHECK(classes.class_of(0) == classes.class_of(1));
  CHECK(classes.class_of(0) != classes.class_of(2));
  CHECK(classes.class_of(0) != classes.class_of(3));  // absent differs from any value
  CHECK(classes.class_count() == 3);
  // a DaemonSet reading `pool` is still right: its labels are read per node
  const auto p = daemon_placement::make(with_spec({.node_selector = {{"pool", "x"}}}));
  CHECK(classes.verdicts(p) == plain_verdicts(p, nodes));
}

TEST_CASE("name-dependent DaemonSets are decided per node", "[node_classes]") {
  const label_map same{{"kubernetes.io/os", "linux"}};
  std::vector<node> nodes{make_node("a", same), make_node("b", same), make_node("c", same), make_node("", same)};
  nodes[3].metadata.labels.erase(std::string(hostname_label));
  const auto classes = node_classes::make(nodes);
  CHECK(classes.class_of(0) == classes.class_of(2));

  const auto run = [&](const pod_spec& spec) {
    std::vector<bool> out;
    for (const auto& v : classes.verdicts(daemon_placement::make(with_spec(spec)))) out.push_back(v.should_run);
    return out;
  };
  CHECK(run({.node_name = "b"}) == std::vector<bool>{false, true, false, false});
  CHECK(run({.node_selector = {{std::string(hostname_label), "c"}}}) == std::vector<bool>{false, false, true, false});
  const auto fields = affinity{.node_affinity = node_affinity{.required = node_selector{{
                                   {.match_fields = {{.key = "metadata.name", .op = selector_operator::in, .values = {"a"}}}}}}}};
  // a node without a name has no fields: its matchFields are skipped (the upstream quirk)
  CHECK(run({.affinity = fields}) == std::vector<bool>{true, false, false, true});
}

TEST_CASE("class verdicts equal plain verdicts over generated clusters", "[node_classes][synth]") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    synth_random r(seed * 977);
    const synth_options o{.seed = seed, .nodes = 50 + r.below(400)};
    auto nodes = synth_nodes(o);
    perturb(nodes, r);
    shuffle(nodes, r);
    auto sets = synth_daemon_sets(o);
    for (std::size_t k = 0; k < 30; ++k) sets.push_back(mutate(pick(sets, r), nodes, r));
    const auto classes = node_classes::make(nodes);
    CHECK(classes.class_count() < nodes.size());
    // classes over the keys of the catalogue only: the mutants read other keys too
    std::vector<std::string> keys;
    for (std::size_t k = 0; k < 30; ++k)
      for (auto& key : label_keys_read(daemon_placement::make(sets[k]))) keys.push_back(std::move(key));
    const auto keyed = node_classes::make(nodes, keys);
    CHECK(keyed.class_count() <= classes.class_count());
    for (const auto& ds : sets) {
      const auto placement = daemon_placement::make(ds);
      const auto expected = plain_verdicts(placement, nodes);
      REQUIRE(classes.verdicts(placement) == expected);
      REQUIRE(keyed.verdicts(placement) == expected);
    }
  }
}

TEST_CASE("plans are identical with and without the class path, whatever the input order", "[node_classes][reconcile]") {
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    INFO("seed " << seed);
    synth_random r(seed * 7919);
    const synth_options o{.seed = seed, .nodes = 40 + r.below(300), .daemon_sets = 30,
                          .state = seed % 2 == 0 ? synth_state::rollout : synth_state::converged,
                          .workload_pods = r.below(200)};
    auto c = synthesize(o);
    auto sets = c.daemon_sets;
    for (std::size_t k = 0; k < 12; ++k) sets.push_back(mutate(pick(c.daemon_sets, r), c.nodes, r));
    // the mutated DaemonSets share their originals' UIDs and selectors, so they claim their pods
    const auto plain = cluster_snapshot::make(c.nodes, c.pods, eligibility_path::plain);
    const auto classes = cluster_snapshot::make(c.nodes, c.pods, eligibility_path::classes);
    auto nodes = c.nodes;
    auto pods = c.pods;
    perturb(nodes, r);  // a name cleared, timeAdded moved, a zone flipped, a twin node
    shuffle(nodes, r);
    shuffle(pods, r);
    const auto plain_perturbed = cluster_snapshot::make(nodes, pods, eligibility_path::plain);
    const auto classes_perturbed = cluster_snapshot::make(nodes, pods, eligibility_path::classes);
    const auto pods_shuffled = cluster_snapshot::make(c.nodes, pods, eligibility_path::classes);
    // classes over the catalogue's keys only; the mutants read other keys as well
    const auto keyed = cluster_snapshot::make(c.nodes, c.pods, std::span<const daemon_set>(c.daemon_sets));
    // made for the first ten: the others' pods are not indexed, so reconcile() builds them their own
    const auto keyed_ten = cluster_snapshot::make(c.nodes, c.pods, std::span<const daemon_set>(c.daemon_sets).first(10));
    for (const auto& ds : sets) {
      INFO(ds.metadata.name);
      const reconcile_options opts{.now = o.now};
      const auto expected = reconcile(ds, plain, opts);
      REQUIRE(reconcile(ds, classes, opts) == expected);
      REQUIRE(reconcile(ds, pods_shuffled, opts) == expected);
      REQUIRE(reconcile(ds, keyed, opts) == expected);
      REQUIRE(reconcile(ds, keyed_ten, opts) == expected);
      REQUIRE(reconcile(ds, c.nodes, c.pods, opts) == expected);  // one-off snapshot, classes for `ds`
      REQUIRE(reconcile(ds, classes_perturbed, opts) == reconcile(ds, plain_perturbed, opts));
    }
  }
}

TEST_CASE("a snapshot copy keeps working after the original is gone", "[node_classes][cluster]") {
  auto c = synthesize({.seed = 3, .nodes = 30});
  c.nodes[0].metadata.name = "a";  // a name short enough for the small-string buffer
  c.nodes[0].metadata.labels[std::string(hostname_label)] = "a";
  const reconcile_options opts{.now = synth_options{}.now};
  std::optional<cluster_snapshot> original = cluster_snapshot::make(c.nodes, c.pods);
  const auto expected = reconcile(c.daemon_sets[1], *original, opts);
  const cluster_snapshot copy = *original;
  auto moved = std::move(*original);
  original.reset();
  CHECK(reconcile(c.daemon_sets[1], copy, opts) == expected);
  CHECK(reconcile(c.daemon_sets[1], moved, opts) == expected);
  CHECK(copy.find_node("a") == std::optional<std::size_t>(0));
  CHECK(copy.target_name(0) == "a");
}

TEST_CASE("the rollout's pod states from the snapshot's facts equal those read from the pods", "[rollout]") {
  // reconcile() feeds the rollout terminating / updated / available from pod_facts and the label
  // set answers, never from the pods; detail::rollout_state_of reads the pods themselves.
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    const synth_options o{.seed = seed, .nodes = 300, .daemon_sets = 3, .state = synth_state::rollout};
    const auto c = synthesize(o);
    const auto snapshot = cluster_snapshot::make(c.nodes, c.pods);
    for (auto ds : c.daemon_sets) {
      for (const std::int32_t min_ready : {0, 30, 600}) {
        ds.spec.min_ready_seconds = min_ready;
        const rollout_context ctx{.revision = ds.revision, .template_generation = template_generation(ds), .now = o.now};
        const auto selector = label_selector_matcher::make(ds.spec.selector);
        REQUIRE(selector.has_value());
        detail::label_set_answers answers(snapshot, *selector, ds.revision, template_generation(ds));
        std::size_t available = 0;
        std::size_t updated = 0;
        const auto entries = snapshot.controlled_by(ds.metadata.namespace_, ds.metadata.uid);
        REQUIRE_FALSE(entries.empty());
        for (const auto& e : entries) {
          const rollout_pod_state from_facts{.terminating = e.facts.terminating,
                                             .updated = answers.of(e.facts.label_set).updated(),
                                             .available = e.facts.available(min_ready, o.now)};
          REQUIRE(from_facts == detail::rollout_state_of(*e.object, ds, ctx));
          available += from_facts.available ? 1 : 0;
          updated += from_facts.updated ? 1 : 0;
        }
        // the mix the comparison needs: some pods of each kind
        CHECK(available > 0);
        CHECK(available < entries.size());
        CHECK(updated > 0);
        CHECK(updated < entries.size());
      }
    }
  }
}
