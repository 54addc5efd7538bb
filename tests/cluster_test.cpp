// cluster.hpp: target_node (§3.1) and cluster_snapshot (nodes by name, pods grouped by namespace and
// controller, ordered by target node).

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/cluster.hpp>
#include <daemonplan/daemon_pod.hpp>
#include <daemonplan/detail/name_index.hpp>

using namespace daemonplan;

namespace {

node make_node(std::string name, label_map labels = {}) {
  return {.metadata = {.name = std::move(name), .labels = std::move(labels)}};
}

owner_reference controller(std::string uid) {
  return {.api_version = "apps/v1", .kind = "DaemonSet", .name = "ds", .uid = std::move(uid), .controller = true};
}

pod make_pod(std::string ns, std::string name, std::string node_name, std::optional<std::string> owner_uid = {}) {
  pod p{.metadata = {.name = std::move(name), .namespace_ = std::move(ns)}};
  p.spec.node_name = std::move(node_name);
  if (owner_uid) p.metadata.owner_references.push_back(controller(*owner_uid));
  return p;
}

node_selector_requirement field_in(std::vector<std::string> values) {
  return {.key = "metadata.name", .op = selector_operator::in, .values = std::move(values)};
}

pod with_required(node_selector required) {
  pod p;
  p.spec.affinity = affinity{.node_affinity = node_affinity{.required = std::move(required)}};
  return p;
}

std::vector<std::string> names(std::span<const cluster_snapshot::pod_entry> entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.object->metadata.name);
  return out;
}

/// A group as the snapshot shows it: each pod's target name ("" for none) and the pod.
using target_and_pod = std::pair<std::string, pod>;

std::vector<target_and_pod> shown(const cluster_snapshot& s, std::span<const cluster_snapshot::pod_entry> entries) {
  std::vector<target_and_pod> out;
  for (const auto& e : entries) out.emplace_back(std::string(s.target_name(e.target)), *e.object);
  return out;
}

/// The same group restated without the snapshot: the pods of `ns` whose controller has UID `uid`
/// (orphans: nullopt), sorted by target (node names in name order, then vanished names in name
/// order, then no target), then name, then value.
std::vector<target_and_pod> sorted_group(std::span<const node> nodes, std::span<const pod> pods, std::string_view ns,
                                         std::optional<std::string_view> uid) {
  std::vector<std::pair<std::pair<int, std::string>, pod>> keyed;
  for (const auto& p : pods) {
    const auto* ref = controller_of(p.metadata);
    if (p.metadata.namespace_ != ns || (ref != nullptr) != uid.has_value() || (ref && ref->uid != *uid)) continue;
    const auto t = target_node(p);
    const bool on_node = t && std::ranges::any_of(nodes, [&](const node& n) { return n.metadata.name == *t; });
    keyed.push_back({{!t ? 2 : on_node ? 0 : 1, std::string(t.value_or(""))}, p});
  }
  std::ranges::sort(keyed, [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second.metadata.name != b.second.metadata.name) return a.second.metadata.name < b.second.metadata.name;
    return a.second < b.second;
  });
  std::vector<target_and_pod> out;
  for (auto& [key, p] : keyed) out.emplace_back(key.second, std::move(p));
  return out;
}

}  // namespace

TEST_CASE("target_node: spec.nodeName wins over any pin", "[cluster]") {
  pod p = make_pod("ns", "p", "node-a");
  pin_to_node(p.spec, "node-b");
  CHECK(target_node(p) == std::optional<std::string_view>("node-a"));
}

TEST_CASE("target_node: the controller's metadata.name pin", "[cluster]") {
  pod p;
  pin_to_node(p.spec, "node-b");
  CHECK(target_node(p) == std::optional<std::string_view>("node-b"));
}

TEST_CASE("target_node: the first metadata.name In requirement decides alone", "[cluster]") {
  SECTION("two values: no target, even when a later term has one value") {
    const auto p = with_required({.node_selector_terms = {{.match_fields = {field_in({"a", "b"})}},
                                                          {.match_fields = {field_in({"c"})}}}});
    CHECK_FALSE(target_node(p).has_value());
  }
  SECTION("zero values: no target") {
    const auto p = with_required({.node_selector_terms = {{.match_fields = {field_in({})}}}});
    CHECK_FALSE(target_node(p).has_value());
  }
  SECTION("NotIn and other keys are skipped, the first In on metadata.name is used") {
    node_selector_term term{.match_fields = {{.key = "metadata.name", .op = selector_operator::not_in, .values = {"x"}},
                                             {.key = "metadata.uid", .op = selector_operator::in, .values = {"y"}},
                                             field_in({"z"})}};
    CHECK(target_node(with_required({.node_selector_terms = {term}})) == std::optional<std::string_view>("z"));
  }
  SECTION("matchExpressions on the hostname label do not pin") {
    node_selector_term term{.match_expressions = {{.key = "kubernetes.io/hostname", .op = selector_operator::in, .values = {"h"}}}};
    CHECK_FALSE(target_node(with_required({.node_selector_terms = {term}})).has_value());
  }
  SECTION("no affinity: no target") { CHECK_FALSE(target_node(pod{}).has_value()); }
}

TEST_CASE("cluster_snapshot: nodes in name order with a name lookup", "[cluster]") {
  const std::vector<node> nodes{make_node("c"), make_node("a"), make_node("b")};
  const auto s = cluster_snapshot::make(nodes, {});
  REQUIRE(s.node_count() == 3);
  CHECK(s.node_at(0).metadata.name == "a");
  CHECK(s.node_at(1).metadata.name == "b");
  CHECK(s.node_at(2).metadata.name == "c");
  CHECK(s.find_node("b") == std::optional<std::size_t>(1));
  CHECK_FALSE(s.find_node("d").has_value());
}

TEST_CASE("cluster_snapshot: a duplicate node name keeps the node first by value and is reported", "[cluster]") {
  const std::vector<node> nodes{make_node("a", {{"v", "2"}}), make_node("b"), make_node("a", {{"v", "1"}})};
  const auto s = cluster_snapshot::make(nodes, {});
  REQUIRE(s.node_count() == 2);
  CHECK(s.node_at(0).metadata.labels == label_map{{"v", "1"}});
  REQUIRE(s.duplicate_nodes().size() == 1);
  CHECK(s.duplicate_nodes()[0] == "a");
}

TEST_CASE("cluster_snapshot: vanished node names are targets after the nodes, in name order", "[cluster]") {
  const std::vector<node> nodes{make_node("n1")};
  std::vector<pod> pods{make_pod("ns", "p-z", "zz", "u"), make_pod("ns", "p-a", "aa", "u"), make_pod("ns", "p-n", "n1", "u")};
  pods.push_back(make_pod("ns", "p-pinned", "", "u"));
  pin_to_node(pods.back().spec, "mm");
  const auto s = cluster_snapshot::make(nodes, pods);
  REQUIRE(s.target_count() == 4);
  CHECK(s.target_name(0) == "n1");
  CHECK(s.target_name(1) == "aa");
  CHECK(s.target_name(2) == "mm");
  CHECK(s.target_name(3) == "zz");
  CHECK_FALSE(s.find_node("aa").has_value());  // a vanished name is not a node
  CHECK(s.target_name(cluster_snapshot::no_target).empty());
  CHECK(names(s.controlled_by("ns", "u")) == std::vector<std::string>{"p-n", "p-a", "p-pinned", "p-z"});
}

TEST_CASE("cluster_snapshot: pods grouped by namespace and controller UID, orphans apart", "[cluster]") {
  const std::vector<node> nodes{make_node("n1"), make_node("n2")};
  std::vector<pod> pods{
      make_pod("ns", "b", "n2", "uid-1"), make_pod("ns", "a", "n2", "uid-1"),   make_pod("ns", "c", "n1", "uid-1"),
      make_pod("ns", "o", "n1"),          make_pod("other", "x", "n1", "uid-1"), make_pod("ns", "y", "n1", "uid-2"),
      make_pod("ns", "no-target", "", "uid-1")};
  pods.push_back(make_pod("ns", "non-controller", "n1"));
  pods.back().metadata.owner_references.push_back({.uid = "uid-1", .controller = false});
  const auto s = cluster_snapshot::make(nodes, pods);

  // (target, name): n1's pod first, then n2's in name order, then the pod without a target
  const auto owned = s.controlled_by("ns", "uid-1");
  CHECK(names(owned) == std::vector<std::string>{"c", "a", "b", "no-target"});
  CHECK(owned.back().target == cluster_snapshot::no_target);
  CHECK(owned.front().target == 0);
  CHECK(names(s.controlled_by("other", "uid-1")) == std::vector<std::string>{"x"});
  CHECK(names(s.controlled_by("ns", "uid-2")) == std::vector<std::string>{"y"});
  // an ownerReference without controller=true does not make a pod controlled
  CHECK(names(s.orphans("ns")) == std::vector<std::string>{"non-controller", "o"});
  CHECK(s.controlled_by("ns", "uid-3").empty());
  CHECK(s.orphans("nowhere").empty());
}

TEST_CASE("cluster_snapshot: made for DaemonSets, it indexes their pods and every orphan, nothing else", "[cluster]") {
  const std::vector<node> nodes{make_node("n1"), make_node("n2")};
  const std::vector<pod> pods{make_pod("ns", "a", "n1", "uid-1"), make_pod("ns", "r", "n1", "rs-uid"),
                              make_pod("ns", "b", "n2", "uid-1"), make_pod("ns", "o", "n2"),
                              make_pod("other", "x", "n1", "uid-1"), make_pod("elsewhere", "e", "n1")};
  daemon_set ds;
  ds.metadata.namespace_ = "ns";
  ds.metadata.uid = "uid-1";
  const auto s = cluster_snapshot::make(nodes, pods, std::span(&ds, 1));
  CHECK(s.indexes("ns", "uid-1"));
  CHECK_FALSE(s.indexes("ns", "rs-uid"));
  CHECK_FALSE(s.indexes("other", "uid-1"));  // the same UID in another namespace is another controller
  CHECK(names(s.controlled_by("ns", "uid-1")) == std::vector<std::string>{"a", "b"});
  CHECK(s.controlled_by("ns", "rs-uid").empty());
  CHECK(s.controlled_by("other", "uid-1").empty());
  CHECK(names(s.orphans("ns")) == std::vector<std::string>{"o"});
  CHECK(names(s.orphans("elsewhere")) == std::vector<std::string>{"e"});
  CHECK(s.pods().size() == pods.size());
  CHECK(s.nodes().size() == nodes.size());

  const auto all = cluster_snapshot::make(nodes, pods);
  CHECK(all.indexes("ns", "rs-uid"));
  CHECK(names(all.controlled_by("ns", "rs-uid")) == std::vector<std::string>{"r"});
}

TEST_CASE("cluster_snapshot: groups over many lookup batches equal a plain sort, made for all or for DaemonSets", "[cluster]") {
  // Several name-lookup batches (name_index::batch_size pods each) of pods of four controllers in
  // two namespaces (one UID in both, one empty UID) and orphans, interleaved, so that a snapshot
  // made for some DaemonSets skips pods inside every batch; runs of one controller's pods on one
  // node, names arriving out of order and repeating (then the value decides); targets that are
  // nodes, vanished names (bound or pinned), pins to nodes, and none; a duplicate node name.
  std::vector<node> nodes;
  for (int i = 9; i >= 0; --i) nodes.push_back(make_node("node-" + std::to_string(i)));
  nodes.push_back(make_node("node-3", {{"copy", "1"}}));
  const std::array<std::string, 2> namespaces{"ns-a", "ns-b"};
  const std::array<std::optional<std::string>, 4> owners{"uid-1", "uid-2", "", std::nullopt};
  std::vector<pod> pods;
  for (std::size_t i = 0; i < 7 * detail::name_index::batch_size + 5; ++i) {
    const auto slot = (i * 37) % 17;
    std::string bound = slot < 10 ? "node-" + std::to_string(slot) : slot < 13 ? "gone-" + std::to_string(slot - 10) : "";
    auto p = make_pod(namespaces[(i / 3) % 2], "p" + std::to_string((i * 53) % 61), std::move(bound), owners[(i / 5) % 4]);
    if (slot == 13) pin_to_node(p.spec, "node-" + std::to_string(i % 10));
    if (slot == 14) pin_to_node(p.spec, "gone-pinned");
    p.phase = i % 3 == 0 ? pod_phase::failed : pod_phase::running;
    pods.push_back(std::move(p));
  }
  const auto check_group = [&](const cluster_snapshot& s, std::string_view ns, std::optional<std::string_view> uid) {
    INFO(ns << " " << uid.value_or("(orphans)"));
    const auto entries = uid ? s.controlled_by(ns, *uid) : s.orphans(ns);
    const auto expected = sorted_group(nodes, pods, ns, uid);
    REQUIRE(expected.size() > 10);  // the group has runs to sort
    CHECK(shown(s, entries) == expected);
    CHECK(std::ranges::is_sorted(entries, {}, &cluster_snapshot::pod_entry::target));
    for (const auto& e : entries) {
      CHECK(e.facts.phase == e.object->phase);
      if (e.target < s.node_count()) CHECK(s.node_at(e.target).metadata.name == s.target_name(e.target));
    }
  };

  const auto all = cluster_snapshot::make(nodes, pods);
  REQUIRE(all.node_count() == 10);
  CHECK(all.node_at(*all.find_node("node-3")).metadata.labels.empty());  // the first by value
  CHECK(all.target_count() == 10 + 4);  // gone-0..2, gone-pinned
  for (const auto& ns : namespaces) {
    for (const auto& uid : owners) check_group(all, ns, uid);
  }

  // made for two DaemonSets of one UID in different namespaces and one with an empty UID
  std::vector<daemon_set> daemon_sets(3);
  daemon_sets[0].metadata = {.namespace_ = "ns-a", .uid = "uid-1"};
  daemon_sets[1].metadata = {.namespace_ = "ns-b", .uid = "uid-1"};
  daemon_sets[2].metadata = {.namespace_ = "ns-b", .uid = ""};
  const auto listed = cluster_snapshot::make(nodes, pods, std::span<const daemon_set>(daemon_sets));
  CHECK(listed.indexes("ns-a", "uid-1"));
  CHECK(listed.indexes("ns-b", "uid-1"));
  CHECK(listed.indexes("ns-b", ""));
  CHECK_FALSE(listed.indexes("ns-a", ""));
  CHECK_FALSE(listed.indexes("ns-a", "uid-2"));
  check_group(listed, "ns-a", "uid-1");
  check_group(listed, "ns-b", "uid-1");
  check_group(listed, "ns-b", "");
  for (const auto& ns : namespaces) check_group(listed, ns, std::nullopt);
  CHECK(listed.controlled_by("ns-a", "").empty());
  CHECK(listed.controlled_by("ns-a", "uid-2").empty());
  CHECK(listed.controlled_by("ns-b", "uid-2").empty());
}

TEST_CASE("cluster_snapshot: no nodes: every target is a vanished name", "[cluster]") {
  const std::vector<pod> pods{make_pod("ns", "b", "gone-2", "u"), make_pod("ns", "a", "gone-1", "u"), make_pod("ns", "c", "", "u"),
                              make_pod("ns", "d", "gone-1", "u")};
  for (const auto& s : {cluster_snapshot::make(std::span<const node>{}, pods),
                        cluster_snapshot::make(std::span<const node>{}, pods, eligibility_path::plain)}) {
    CHECK(s.node_count() == 0);
    CHECK(s.target_count() == 2);
    CHECK_FALSE(s.find_node("gone-1").has_value());
    CHECK(s.verdicts(daemon_placement::make(daemon_set{})).empty());
    CHECK(shown(s, s.controlled_by("ns", "u")) == std::vector<target_and_pod>{{"gone-1", pods[1]}, {"gone-1", pods[3]},
                                                                              {"gone-2", pods[0]}, {"", pods[2]}});
  }
}

TEST_CASE("cluster_snapshot: made for a DaemonSet none of whose pods exist, it indexes only the orphans", "[cluster]") {
  const std::vector<node> nodes{make_node("n1")};
  const std::vector<pod> pods{make_pod("ns", "r1", "n1", "rs"), make_pod("ns", "r2", "gone", "rs")};
  daemon_set ds;
  ds.metadata = {.namespace_ = "ns", .uid = "ds"};
  const auto s = cluster_snapshot::make(nodes, pods, std::span(&ds, 1));
  CHECK(s.controlled_by("ns", "ds").empty());
  CHECK(s.controlled_by("ns", "rs").empty());
  CHECK(s.orphans("ns").empty());
  CHECK(s.target_count() == 1);  // "gone" is read only from a pod that is not indexed
  CHECK(s.label_set_count() == 0);
}

TEST_CASE("name_index: numbers given in name order, names entered in memory order, batched lookups", "[name_index]") {
  // memory order c, a, b, a (a duplicate shares its number); numbers are name order
  std::vector<std::string> storage{"node-c", "node-a", "node-b", "node-a"};
  const std::vector<std::string_view> names(storage.begin(), storage.end());
  const std::vector<std::uint32_t> numbers{2, 0, 1, 0};
  detail::name_index index;
  index.insert_numbered(names, numbers);
  REQUIRE(index.names().size() == 3);
  CHECK(index.names()[0] == "node-a");
  CHECK(index.names()[1] == "node-b");
  CHECK(index.names()[2] == "node-c");
  CHECK(index.find("node-b") == std::optional<std::uint32_t>(1));
  CHECK_FALSE(index.find("node-d").has_value());
  CHECK(index.insert("node-d") == 3);  // later names are numbered after
  CHECK(index.insert("node-a") == 0);

  // a full batch, every other name absent; an empty batch
  std::vector<std::string> asked;
  for (std::size_t k = 0; k < detail::name_index::batch_size; ++k) asked.push_back(k % 2 ? "node-x" + std::to_string(k) : "node-" + std::string(1, "abcd"[k / 2 % 4]));
  const std::vector<std::string_view> asked_views(asked.begin(), asked.end());
  std::vector<std::optional<std::uint32_t>> found(asked.size(), std::uint32_t{99});
  index.find_batch(asked_views, found);
  for (std::size_t k = 0; k < asked.size(); ++k) CHECK(found[k] == index.find(asked[k]));
  CHECK(found[0] == std::optional<std::uint32_t>(0));
  CHECK_FALSE(found[1].has_value());
  index.find_batch({}, {});

  // an empty table finds nothing, batched or not
  const detail::name_index empty;
  std::vector<std::optional<std::uint32_t>> none(2, std::uint32_t{7});
  empty.find_batch(std::span(asked_views).first(2), none);
  CHECK(none == std::vector<std::optional<std::uint32_t>>(2));
  CHECK_FALSE(empty.find("node-a").has_value());
}

TEST_CASE("cluster_snapshot: the same indexes whatever the input order", "[cluster]") {
  const std::vector<node> nodes{make_node("n3"), make_node("n1"), make_node("n2")};
  const std::vector<pod> pods{make_pod("ns", "p1", "n1", "u"), make_pod("ns", "p2", "gone", "u"), make_pod("ns", "p3", "n3", "u"),
                              make_pod("ns", "p0", "n1", "u"), make_pod("ns", "o1", "n2")};
  const auto reference = cluster_snapshot::make(nodes, pods);
  auto nodes_permuted = nodes;  // a viewing snapshot's inputs must not change: permute copies
  auto pods_permuted = pods;
  std::ranges::reverse(nodes_permuted);
  std::rotate(pods_permuted.begin(), pods_permuted.begin() + 2, pods_permuted.end());
  const auto permuted = cluster_snapshot::make(nodes_permuted, pods_permuted);
  for (std::size_t t = 0; t < reference.target_count(); ++t) CHECK(reference.target_name(static_cast<std::uint32_t>(t)) == permuted.target_name(static_cast<std::uint32_t>(t)));
  CHECK(names(reference.controlled_by("ns", "u")) == names(permuted.controlled_by("ns", "u")));
  CHECK(names(reference.controlled_by("ns", "u")) == std::vector<std::string>{"p0", "p1", "p3", "p2"});
}

TEST_CASE("cluster_snapshot: an owning snapshot outlives its inputs; copies share them", "[cluster]") {
  cluster_snapshot copy;
  {
    std::vector<node> nodes{make_node("n1")};
    std::vector<pod> pods{make_pod("ns", "p", "n1", "u")};
    const auto owned = cluster_snapshot::make(std::move(nodes), std::move(pods));
    copy = owned;
  }
  REQUIRE(copy.node_count() == 1);
  CHECK(copy.node_at(0).metadata.name == "n1");
  CHECK(names(copy.controlled_by("ns", "u")) == std::vector<std::string>{"p"});
  CHECK(copy.pods().size() == 1);
}

TEST_CASE("cluster_snapshot: an empty snapshot has nothing", "[cluster]") {
  const cluster_snapshot s;
  CHECK(s.node_count() == 0);
  CHECK(s.target_count() == 0);
  CHECK(s.orphans("ns").empty());
  CHECK(s.verdicts(daemon_placement::make(daemon_set{})).empty());
}

TEST_CASE("cluster_snapshot: verdicts per node in name order, on both eligibility paths", "[cluster]") {
  daemon_set ds;
  ds.spec.template_.spec.node_selector = {{"role", "worker"}};
  const std::vector<node> nodes{make_node("c", {{"role", "worker"}}), make_node("a"), make_node("b", {{"role", "worker"}})};
  const auto placement = daemon_placement::make(ds);
  const std::vector<node_verdict> expected{{false, false}, {true, true}, {true, true}};
  CHECK(cluster_snapshot::make(nodes, {}).verdicts(placement) == expected);
  CHECK(cluster_snapshot::make(nodes, {}, eligibility_path::plain).verdicts(placement) == expected);
}
