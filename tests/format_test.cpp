// tests/format_test.cpp: daemonplan/format.hpp: fmt formatters in kubectl notation, one line per value.
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/format.hpp>

using namespace daemonplan;
using namespace std::chrono_literals;

TEST_CASE("taints print as kubectl taint does: key=value:Effect, key:Effect", "[format]") {
  CHECK(fmt::format("{}", taint{.key = "dedicated", .value = "gpu", .effect = taint_effect::no_schedule}) ==
        "dedicated=gpu:NoSchedule");
  CHECK(fmt::format("{}", taint{.key = "node-role.kubernetes.io/control-plane", .effect = taint_effect::no_schedule}) ==
        "node-role.kubernetes.io/control-plane:NoSchedule");
  CHECK(fmt::format("{}", taint_effect::prefer_no_schedule) == "PreferNoSchedule");
}

TEST_CASE("formatters take width and alignment like strings", "[format]") {
  const taint t{.key = "t2", .effect = taint_effect::no_execute};
  CHECK(fmt::format("[{:<15}]", t) == "[t2:NoExecute   ]");
  CHECK(fmt::format("[{:>15}]", t) == "[   t2:NoExecute]");
  CHECK(fmt::format("[{:^7}]", taint_effect::no_execute) == "[NoExecute]");  // wider than the field: unchanged
}

TEST_CASE("tolerations: Equal with its value, Exists without, * for tolerate-everything", "[format]") {
  CHECK(fmt::format("{}", toleration{.key = "dedicated", .value = "gpu", .effect = taint_effect::no_schedule}) ==
        "dedicated=gpu:NoSchedule");
  CHECK(fmt::format("{}", toleration{.key = "node.kubernetes.io/not-ready", .op = toleration_operator::exists,
                                     .effect = taint_effect::no_execute, .toleration_seconds = 300}) ==
        "node.kubernetes.io/not-ready:NoExecute for 300s");
  CHECK(fmt::format("{}", toleration{.op = toleration_operator::exists}) == "*");
}

TEST_CASE("label selectors: matchLabels as k=v, then expressions, comma-joined", "[format]") {
  const label_selector s{.match_labels = {{"app", "web"}, {"tier", "front"}},
                         .match_expressions = {{.key = "env", .op = selector_operator::in, .values = {"prod", "staging"}},
                                               {.key = "legacy", .op = selector_operator::does_not_exist}}};
  CHECK(fmt::format("{}", s) == "app=web,tier=front,env in (prod,staging),!legacy");
  CHECK(fmt::format("{}", label_selector{}) == "");  // the empty selector, which selects everything
  CHECK(fmt::format("{}", label_selector_requirement{.key = "n", .op = selector_operator::not_in, .values = {"a"}}) ==
        "n notin (a)");
  const auto compiled = label_requirement::make("cores", selector_operator::gt, {"8"});
  REQUIRE(compiled.has_value());
  CHECK(fmt::format("{}", *compiled) == "cores>8");
}

TEST_CASE("node selectors: terms ORed, requirements within a term comma-joined", "[format]") {
  const node_selector s{.node_selector_terms = {
                            {.match_expressions = {{.key = "kubernetes.io/os", .op = selector_operator::in, .values = {"linux"}},
                                                   {.key = "gpu", .op = selector_operator::exists}},
                             .match_fields = {{.key = "metadata.name", .op = selector_operator::in, .values = {"n1"}}}},
                            {}}};
  CHECK(fmt::format("{}", s) == "kubernetes.io/os in (linux),gpu,metadata.name in (n1) or {}");
  CHECK(fmt::format("{}", node_selector{}) == "{}");
}

TEST_CASE("int-or-percent and errors", "[format]") {
  CHECK(fmt::format("{} {}", from_int(1), from_string("10%")) == "1 10%");
  CHECK(fmt::format("{}", error{error_code::invalid, "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                "\"120%\": must not be greater than 100%"}) ==
        "spec.updateStrategy.rollingUpdate.maxUnavailable: \"120%\": must not be greater than 100%");
  CHECK(fmt::format("{}", error_code::not_supported) == "Unsupported value");
}

TEST_CASE("verdicts and explanations, one line each", "[format]") {
  CHECK(fmt::format("{}", node_verdict{true, true}) == "should run");
  CHECK(fmt::format("{}", node_verdict{false, true}) == "should not run, may continue running");
  CHECK(fmt::format("{}", node_verdict{false, false}) == "should not run");
  const node_explanation e{.node = "gpu-1",
                           .verdict = {false, true},
                           .reasons = {{reason_code::untolerated_taint, "taint nvidia.com/gpu=present:NoSchedule is not tolerated"},
                                       {reason_code::node_selector_mismatch, "nodeSelector needs a=b, the node has no label a"}}};
  CHECK(fmt::format("{}", e) ==
        "gpu-1: should not run, may continue running: taint nvidia.com/gpu=present:NoSchedule is not tolerated; "
        "nodeSelector needs a=b, the node has no label a");
  CHECK(fmt::format("{}", e.reasons[0]) == "UntoleratedTaint: taint nvidia.com/gpu=present:NoSchedule is not tolerated");
  CHECK(fmt::format("{}", node_explanation{.node = "n1", .verdict = {true, true}}) == "n1: should run");
}

TEST_CASE("plan actions and the plan's summary line", "[format]") {
  plan p;
  p.creates = {{.node = "node-a"}, {.node = "node-b"}, {.node = "node-c"}};
  p.deletes = {{.namespace_ = "kube-system", .name = "fluentd-x2k9", .node = "node-b", .reason = delete_reason::node_ineligible}};
  p.status = {.desired_number_scheduled = 5, .number_ready = 2, .number_available = 2};
  CHECK(fmt::format("{}", p) == "3 to create, 1 to delete, 0 to update; desired 5, ready 2, available 2");
  CHECK(fmt::format("{}", p.creates[0]) == "create pod on node-a");
  CHECK(fmt::format("{}", p.deletes[0]) == "delete kube-system/fluentd-x2k9 on node-b (NodeIneligible)");
  CHECK(fmt::format("{}", delete_action{.namespace_ = "ns", .name = "p", .reason = delete_reason::failed}) ==
        "delete ns/p (Failed)");
  CHECK(fmt::format("{}", update_action{.namespace_ = "ns", .name = "p", .node = "n", .action = update_kind::release}) ==
        "release ns/p on n");

  p.creates_deferred = 7;
  p.errors.push_back({});
  CHECK(fmt::format("{}", p) == "3 (+7 deferred) to create, 1 to delete, 0 to update; desired 5, ready 2, available 2; 1 error");
}

TEST_CASE("every enum prints its API spelling", "[format]") {
  CHECK(fmt::format("{} {} {} {} {} {} {} {}", toleration_operator::exists, selector_operator::does_not_exist,
                    pod_phase::running, condition_status::true_, update_strategy_type::on_delete,
                    reason_code::node_affinity_mismatch, delete_reason::surge_replaced, update_kind::adopt) ==
        "Exists DoesNotExist Running True OnDelete NodeAffinityMismatch SurgeReplaced Adopt");
}
