// cluster.hpp: target_node (§3.1) and cluster_snapshot (nodes by name, pods grouped by namespace and
// controller, ordered by target node).

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/cluster.hpp>
#include <daemonplan/daemon_pod.hpp>

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
