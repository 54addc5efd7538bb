// tests/placement_test.cpp: NodeShouldRunDaemonPod, the default daemon tolerations and explain()
// (placement spec §3.5, §2.1; checklist item 8).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/placement.hpp>

using namespace daemonplan;
using eff = taint_effect;
using op = selector_operator;

namespace {

toleration exists(std::string key, std::optional<eff> effect) {
  return {.key = std::move(key), .op = toleration_operator::exists, .value = {}, .effect = effect};
}

taint hard(std::string key, eff effect) { return {.key = std::move(key), .value = {}, .effect = effect}; }

node make_node(std::string name, label_map labels = {}, std::vector<taint> taints = {}) {
  node n;
  n.metadata.name = std::move(name);
  n.metadata.labels = std::move(labels);
  n.taints = std::move(taints);
  return n;
}

daemon_set with_spec(pod_spec spec) {
  daemon_set ds;
  ds.spec.template_.spec = std::move(spec);
  return ds;
}

daemon_set with_required(std::vector<node_selector_term> terms) {
  pod_spec spec;
  spec.affinity = affinity{.node_affinity = node_affinity{.required = node_selector{.node_selector_terms = std::move(terms)}}};
  return with_spec(spec);
}

node_verdict verdict(const daemon_set& ds, const node& n) { return daemon_placement::make(ds).evaluate(n); }

std::vector<reason_code> codes(const node_explanation& e) {
  std::vector<reason_code> out;
  for (const auto& r : e.reasons) out.push_back(r.code);
  return out;
}

constexpr node_verdict run{true, true};
constexpr node_verdict keep_only{false, true};
constexpr node_verdict neither{false, false};

}  // namespace

TEST_CASE("§3.5.1: the default daemon tolerations, in upstream order", "[placement]") {
  const std::vector<toleration> expected{
      exists("node.kubernetes.io/not-ready", eff::no_execute),
      exists("node.kubernetes.io/unreachable", eff::no_execute),
      exists("node.kubernetes.io/disk-pressure", eff::no_schedule),
      exists("node.kubernetes.io/memory-pressure", eff::no_schedule),
      exists("node.kubernetes.io/pid-pressure", eff::no_schedule),
      exists("node.kubernetes.io/unschedulable", eff::no_schedule),
  };
  CHECK(default_daemon_tolerations(false) == expected);
  auto with_network = expected;
  with_network.push_back(exists("node.kubernetes.io/network-unavailable", eff::no_schedule));
  CHECK(default_daemon_tolerations(true) == with_network);
  CHECK(with_daemon_tolerations({}, false) == expected);
}

TEST_CASE("§3.5.1: defaults replace user tolerations of the same identity in place", "[placement]") {
  auto user_not_ready = exists("node.kubernetes.io/not-ready", eff::no_execute);
  user_not_ready.toleration_seconds = 300;
  const auto custom = exists("gpu", eff::no_schedule);

  SECTION("replaced in its position, losing tolerationSeconds (infinite from then on)") {
    const auto merged = with_daemon_tolerations({custom, user_not_ready}, false);
    REQUIRE(merged.size() == 7);
    CHECK(merged[0] == custom);
    CHECK(merged[1] == exists("node.kubernetes.io/not-ready", eff::no_execute));
    CHECK_FALSE(merged[1].toleration_seconds.has_value());
    CHECK(merged[2] == exists("node.kubernetes.io/unreachable", eff::no_execute));  // the rest appended
  }
  SECTION("every duplicate of the identity is replaced") {
    auto other = user_not_ready;
    other.toleration_seconds = 60;
    const auto merged = with_daemon_tolerations({user_not_ready, custom, other}, false);
    REQUIRE(merged.size() == 8);
    CHECK(merged[0] == exists("node.kubernetes.io/not-ready", eff::no_execute));
    CHECK(merged[2] == exists("node.kubernetes.io/not-ready", eff::no_execute));
    CHECK(std::ranges::count(merged, exists("node.kubernetes.io/not-ready", eff::no_execute)) == 2);
  }
  SECTION("an exact copy of the default does not save a same-identity toleration (no early return, spec §3.6)") {
    // upstream's "already deep-equal" shortcut compares a pointer with a value and never fires
    const auto exact = exists("node.kubernetes.io/not-ready", eff::no_execute);
    for (const auto& list : {std::vector<toleration>{user_not_ready, exact}, std::vector<toleration>{exact, user_not_ready}}) {
      const auto merged = with_daemon_tolerations(list, false);
      REQUIRE(merged.size() == 7);
      CHECK(merged[0] == exact);
      CHECK(merged[1] == exact);  // the 300s toleration lost its seconds, in its position
      CHECK_FALSE(merged[0].toleration_seconds.has_value());
      CHECK_FALSE(merged[1].toleration_seconds.has_value());
      CHECK(merged[2] == exists("node.kubernetes.io/unreachable", eff::no_execute));
    }
  }
  SECTION("a different identity (another effect, an Equal operator) is kept and the default appended") {
    const auto schedule = exists("node.kubernetes.io/not-ready", eff::no_schedule);
    const toleration equal{.key = "node.kubernetes.io/not-ready", .op = toleration_operator::equal, .value = "",
                           .effect = eff::no_execute, .toleration_seconds = 10};
    const auto merged = with_daemon_tolerations({schedule, equal}, false);
    REQUIRE(merged.size() == 8);
    CHECK(merged[0] == schedule);
    CHECK(merged[1] == equal);
    CHECK(merged[2] == exists("node.kubernetes.io/not-ready", eff::no_execute));
  }
  SECTION("network-unavailable is merged only for host-network pods") {
    auto user = exists("node.kubernetes.io/network-unavailable", eff::no_schedule);
    user.toleration_seconds = 5;  // invalid for NoSchedule, but only identity matters here
    CHECK(with_daemon_tolerations({user}, false).front() == user);
    CHECK(with_daemon_tolerations({user}, true).front() == exists("node.kubernetes.io/network-unavailable", eff::no_schedule));
  }
}

// §3.5.2-5: the verdict rules, one row per rule.
TEST_CASE("§3.5 table: (shouldRun, shouldContinueRunning)", "[placement]") {
  pod_spec plain;
  pod_spec bound;
  bound.node_name = "n1";
  pod_spec selecting;
  selecting.node_selector = {{"disk", "ssd"}};
  pod_spec host_network;
  host_network.host_network = true;
  pod_spec tolerates_gpu;
  tolerates_gpu.tolerations = {exists("gpu", std::nullopt)};

  struct row {
    const char* name;
    daemon_set ds;
    node n;
    node_verdict expected;
  };
  const row rows[] = {
      {"no constraints", with_spec(plain), make_node("n1"), run},
      {"template nodeName matches", with_spec(bound), make_node("n1"), run},
      {"template nodeName differs", with_spec(bound), make_node("n2"), neither},
      {"nodeSelector matches", with_spec(selecting), make_node("n1", {{"disk", "ssd"}}), run},
      {"nodeSelector value differs", with_spec(selecting), make_node("n1", {{"disk", "hdd"}}), neither},
      {"nodeSelector key missing", with_spec(selecting), make_node("n1"), neither},
      {"nodeSelector fails even on an untainted node", with_spec(selecting), make_node("n1", {}, {}), neither},
      {"required affinity matches", with_required({{.match_expressions = {{.key = "a", .op = op::exists, .values = {}}}}}),
       make_node("n1", {{"a", "1"}}), run},
      {"required affinity fails", with_required({{.match_expressions = {{.key = "a", .op = op::exists, .values = {}}}}}),
       make_node("n1"), neither},
      {"required affinity with only empty terms matches nothing", with_required({{}}), make_node("n1", {{"a", "1"}}), neither},
      {"required affinity with an unbuildable term counts as no match",
       with_required({{.match_expressions = {{.key = "a", .op = op::gt, .values = {"-1"}}}}}), make_node("n1", {{"a", "5"}}),
       neither},
      {"untolerated NoSchedule", with_spec(plain), make_node("n1", {}, {hard("gpu", eff::no_schedule)}), keep_only},
      {"untolerated NoExecute", with_spec(plain), make_node("n1", {}, {hard("gpu", eff::no_execute)}), neither},
      {"untolerated NoSchedule and NoExecute", with_spec(plain),
       make_node("n1", {}, {hard("a", eff::no_schedule), hard("b", eff::no_execute)}), neither},
      {"PreferNoSchedule is ignored", with_spec(plain), make_node("n1", {}, {hard("gpu", eff::prefer_no_schedule)}), run},
      {"user toleration", with_spec(tolerates_gpu),
       make_node("n1", {}, {hard("gpu", eff::no_schedule), hard("gpu", eff::no_execute)}), run},
      {"not-ready NoExecute tolerated by default", with_spec(plain),
       make_node("n1", {}, {hard("node.kubernetes.io/not-ready", eff::no_execute)}), run},
      {"unreachable NoExecute tolerated by default", with_spec(plain),
       make_node("n1", {}, {hard("node.kubernetes.io/unreachable", eff::no_execute)}), run},
      {"pressure and unschedulable taints tolerated by default", with_spec(plain),
       make_node("n1", {},
                 {hard("node.kubernetes.io/disk-pressure", eff::no_schedule),
                  hard("node.kubernetes.io/memory-pressure", eff::no_schedule),
                  hard("node.kubernetes.io/pid-pressure", eff::no_schedule),
                  hard("node.kubernetes.io/unschedulable", eff::no_schedule)}),
       run},
      {"not-ready NoSchedule is not a default", with_spec(plain),
       make_node("n1", {}, {hard("node.kubernetes.io/not-ready", eff::no_schedule)}), keep_only},
      {"network-unavailable without hostNetwork", with_spec(plain),
       make_node("n1", {}, {hard("node.kubernetes.io/network-unavailable", eff::no_schedule)}), keep_only},
      {"network-unavailable with hostNetwork", with_spec(host_network),
       make_node("n1", {}, {hard("node.kubernetes.io/network-unavailable", eff::no_schedule)}), run},
      {"out-of-service is not tolerated by default", with_spec(plain),
       make_node("n1", {}, {hard("node.kubernetes.io/out-of-service", eff::no_execute)}), neither},
      {"cloud-provider uninitialized is not tolerated by default", with_spec(plain),
       make_node("n1", {}, {hard("node.cloudprovider.kubernetes.io/uninitialized", eff::no_schedule)}), keep_only},
      {"node selection fails before taints are looked at", with_spec(selecting),
       make_node("n1", {}, {hard("gpu", eff::no_schedule)}), neither},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto p = daemon_placement::make(r.ds);
    CHECK(p.evaluate(r.n) == r.expected);
    // The two halves agree with the whole.
    const bool fits = p.fits_node(r.n.metadata.name, r.n.metadata.labels);
    CHECK((fits ? p.taint_verdict(r.n.taints) : neither) == r.expected);
    // explain() gives the same verdict and a reason exactly when the pod may not run.
    const auto e = p.explain(r.n);
    CHECK(e.verdict == r.expected);
    CHECK(e.node == r.n.metadata.name);
    CHECK(e.reasons.empty() == r.expected.should_run);
  }
}

TEST_CASE("§3.5.5: node.spec.unschedulable and node conditions are never read", "[placement]") {
  auto n = make_node("n1");
  n.unschedulable = true;
  n.conditions = {{.type = "Ready", .status = condition_status::false_, .last_transition_time = std::nullopt},
                  {.type = "NetworkUnavailable", .status = condition_status::true_, .last_transition_time = std::nullopt}};
  CHECK(verdict(with_spec({}), n) == run);
}

TEST_CASE("§2.1: nodeSelector and required affinity must both hold", "[placement]") {
  auto ds = with_required({{.match_expressions = {{.key = "eks.amazonaws.com/compute-type", .op = op::not_in, .values = {"fargate"}}}}});
  ds.spec.template_.spec.node_selector = {{"kubernetes.io/os", "linux"}};
  CHECK(verdict(ds, make_node("a", {{"kubernetes.io/os", "linux"}})) == run);
  CHECK(verdict(ds, make_node("b", {{"kubernetes.io/os", "linux"}, {"eks.amazonaws.com/compute-type", "fargate"}})) == neither);
  CHECK(verdict(ds, make_node("c", {{"eks.amazonaws.com/compute-type", "ec2"}})) == neither);
}

TEST_CASE("§2.1: a null affinity, nodeAffinity or required selector is no constraint", "[placement]") {
  pod_spec spec;
  spec.affinity = affinity{};
  CHECK(verdict(with_spec(spec), make_node("n")) == run);
  spec.affinity = affinity{.node_affinity = node_affinity{}};
  CHECK(verdict(with_spec(spec), make_node("n")) == run);
  // Preferred terms are never used by the DaemonSet controller.
  spec.affinity->node_affinity->preferred = {{.weight = 100, .preference = {.match_expressions = {{.key = "x", .op = op::exists, .values = {}}}}}};
  CHECK(verdict(with_spec(spec), make_node("n")) == run);
  // required present but empty: matches nothing.
  spec.affinity->node_affinity->required = node_selector{};
  CHECK(verdict(with_spec(spec), make_node("n")) == neither);
}

TEST_CASE("§3.5.6 context: the metadata.name pin matches only its node, and any node with an empty name", "[placement]") {
  const auto ds = with_required({{.match_fields = {{.key = "metadata.name", .op = op::in, .values = {"n1"}}}}});
  CHECK(verdict(ds, make_node("n1")) == run);
  CHECK(verdict(ds, make_node("n2")) == neither);
  CHECK(verdict(ds, make_node("")) == run);
}

TEST_CASE("the placement is compiled once: tolerations include the defaults", "[placement]") {
  pod_spec spec;
  spec.host_network = true;
  spec.tolerations = {exists("gpu", eff::no_schedule)};
  const auto p = daemon_placement::make(with_spec(spec));
  CHECK(p.tolerations().size() == 8);
  CHECK(p.tolerations().front() == exists("gpu", eff::no_schedule));
  CHECK_FALSE(p.required_affinity().has_value());
  CHECK(p.node_name().empty());
}

TEST_CASE("explain(): one reason per failed rule, with the contract's codes", "[placement]") {
  SECTION("nodeName") {
    pod_spec spec;
    spec.node_name = "n1";
    const auto e = daemon_placement::make(with_spec(spec)).explain(make_node("n2"));
    CHECK(codes(e) == std::vector{reason_code::node_name_mismatch});
  }
  SECTION("each nodeSelector key that differs") {
    pod_spec spec;
    spec.node_selector = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
    const auto e = daemon_placement::make(with_spec(spec)).explain(make_node("n", {{"a", "1"}, {"b", "x"}}));
    CHECK(codes(e) == std::vector{reason_code::node_selector_mismatch, reason_code::node_selector_mismatch});
    CHECK(e.verdict == neither);
  }
  SECTION("affinity: every failing requirement of every term, and unbuildable terms") {
    const auto ds = with_required({
        {.match_expressions = {{.key = "a", .op = op::exists, .values = {}}, {.key = "b", .op = op::in, .values = {"1"}}}},
        {.match_expressions = {{.key = "c", .op = op::gt, .values = {"x"}}}},
        {.match_fields = {{.key = "metadata.name", .op = op::in, .values = {"other"}}}},
    });
    const auto e = daemon_placement::make(ds).explain(make_node("n", {{"b", "2"}}));
    // term 0: a and b fail; term 1: unbuildable; term 2: the name pin fails.
    CHECK(codes(e) == std::vector<reason_code>(4, reason_code::node_affinity_mismatch));
  }
  SECTION("affinity with only empty terms") {
    const auto e = daemon_placement::make(with_required({{}})).explain(make_node("n"));
    CHECK(codes(e) == std::vector{reason_code::node_affinity_mismatch});
  }
  SECTION("every untolerated NoSchedule and NoExecute taint, never PreferNoSchedule") {
    const auto e = daemon_placement::make(with_spec({})).explain(make_node(
        "n", {},
        {hard("a", eff::no_schedule), hard("b", eff::prefer_no_schedule), hard("c", eff::no_execute),
         hard("node.kubernetes.io/not-ready", eff::no_execute)}));
    CHECK(codes(e) == std::vector{reason_code::untolerated_taint, reason_code::untolerated_taint});
    CHECK(e.verdict == neither);
    CHECK(e.reasons[0].message.find("a:NoSchedule") != std::string::npos);  // names the taint and effect
    CHECK(e.reasons[1].message.find("c:NoExecute") != std::string::npos);
  }
  SECTION("reason code spellings") {
    CHECK(to_string(reason_code::node_name_mismatch) == "NodeNameMismatch");
    CHECK(to_string(reason_code::node_selector_mismatch) == "NodeSelectorMismatch");
    CHECK(to_string(reason_code::node_affinity_mismatch) == "NodeAffinityMismatch");
    CHECK(to_string(reason_code::untolerated_taint) == "UntoleratedTaint");
  }
}
