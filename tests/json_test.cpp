// tests/json_test.cpp: daemonplan/json.hpp: Kubernetes JSON in and out, field paths of errors,
// list reading (streaming, skipping), and the command-line contract's plan and explain documents.
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/json.hpp>

#include "support/fixtures.hpp"

using namespace daemonplan;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The error try_from_json<T> reports for `text` (which must fail).
template <typename T>
error read_error(const std::string& text) {
  const auto r = try_from_json<T>(json::parse(text));
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

/// A minimal DaemonSet document with `spec` spliced in.
std::string daemon_set_with_spec(const std::string& spec) {
  return R"({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds", "namespace": "ns"}, "spec": )" +
         spec + "}";
}

timestamp at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

}  // namespace

TEST_CASE("taints: key, value, effect and timeAdded in, kubectl shape out", "[json]") {
  const auto t = json::parse(R"({"key": "dedicated", "value": "gpu", "effect": "NoExecute",
                                 "timeAdded": "2024-01-03T20:35:11Z"})").get<taint>();
  CHECK(t.key == "dedicated");
  CHECK(t.value == "gpu");
  CHECK(t.effect == taint_effect::no_execute);
  CHECK(t.time_added == at(2024, 1, 3, 20, 35, 11));
  CHECK(json(t) == json::parse(R"({"key": "dedicated", "value": "gpu", "effect": "NoExecute",
                                   "timeAdded": "2024-01-03T20:35:11Z"})"));
  // an empty value is omitted (omitempty), the effect is required
  CHECK(json(taint{.key = "k", .effect = taint_effect::no_schedule}) == json::parse(R"({"key": "k", "effect": "NoSchedule"})"));
}

TEST_CASE("an unknown enum string is rejected, never mapped to a default", "[json]") {
  auto e = read_error<taint>(R"({"key": "k", "effect": "NoExecuet"})");
  CHECK(e.code == error_code::not_supported);
  CHECK(e.field == "effect");
  CHECK(e.message.find("\"NoExecuet\"") != std::string::npos);

  CHECK(read_error<toleration>(R"({"operator": "exists"})").field == "operator");
  CHECK(read_error<label_selector_requirement>(R"({"key": "k", "operator": "in"})").code == error_code::not_supported);
  CHECK(read_error<condition>(R"({"type": "Ready", "status": "true"})").field == "status");
  CHECK(read_error<pod>(R"({"status": {"phase": "Runing"}})").field == "status.phase");
  CHECK(read_error<daemon_set_update_strategy>(R"({"type": "Recreate"})").field == "type");
}

TEST_CASE("errors name the Kubernetes field path from the object read", "[json]") {
  const auto spec = R"({"selector": {"matchLabels": {"a": "b"}},
    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"tolerations": [
      {"key": "a", "operator": "Exists"},
      {"key": "b", "operator": "Exists", "effect": "NoExecuet"}]}}})";
  const auto e = read_error<daemon_set>(daemon_set_with_spec(spec));
  CHECK(e.code == error_code::not_supported);
  CHECK(e.field == "spec.template.spec.tolerations[1].effect");
  CHECK(to_string(e).starts_with("spec.template.spec.tolerations[1].effect: unknown taint effect \"NoExecuet\""));

  // a map entry is named by its key, a nested list by its indexes
  CHECK(read_error<daemon_set>(daemon_set_with_spec(R"({"template": {"metadata": {"labels": {"app": 5}}}})")).field ==
        "spec.template.metadata.labels[app]");
  CHECK(read_error<daemon_set>(daemon_set_with_spec(R"({"template": {"spec": {"affinity": {"nodeAffinity": {
          "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{}, {"matchExpressions": [
          {"key": "k", "operator": "In", "values": ["a", 7]}]}]}}}}}})"))
            .field == "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                      ".nodeSelectorTerms[1].matchExpressions[0].values[1]");
}

TEST_CASE("wrong JSON types are errors that say what was expected and what came", "[json]") {
  auto e = read_error<daemon_set>(daemon_set_with_spec(R"({"template": {"spec": {"tolerations": "everything"}}})"));
  CHECK(e.code == error_code::invalid);
  CHECK(e.field == "spec.template.spec.tolerations");
  CHECK(e.message == "expected a list, got the string \"everything\"");

  CHECK(read_error<daemon_set>(daemon_set_with_spec(R"([])")).message == "expected an object, got a list");
  CHECK(read_error<daemon_set>(daemon_set_with_spec(R"({"minReadySeconds": "5"})")).field == "spec.minReadySeconds");
  CHECK(read_error<pod>(R"({"spec": {"hostNetwork": "true"}})").field == "spec.hostNetwork");
  CHECK(read_error<object_metadata>(R"({"name": ["x"]})").message == "expected a string, got a list");
}

TEST_CASE("impossible numbers: int32 overflow, fractions, negative counters", "[json]") {
  // minReadySeconds is an int32 in the API: 2^31 does not fit, a fraction is not an integer
  CHECK(read_error<daemon_set_spec>(R"({"minReadySeconds": 2147483648})").message.find("32-bit") != std::string::npos);
  CHECK(json::parse(R"({"minReadySeconds": 2147483647})").get<daemon_set_spec>().min_ready_seconds == 2147483647);
  CHECK(read_error<daemon_set_spec>(R"({"minReadySeconds": 1.5})").field == "minReadySeconds");
  CHECK(read_error<daemon_set_spec>(R"({"minReadySeconds": 1.0})").field == "minReadySeconds");  // Go rejects 1.0 too
  CHECK(read_error<daemon_set_spec>(R"({"revisionHistoryLimit": -2147483649})").field == "revisionHistoryLimit");
  CHECK(read_error<int_or_percent>(R"(2147483648)").code == error_code::invalid);
  CHECK(read_error<toleration>(R"({"tolerationSeconds": 9223372036854775808})").field == "tolerationSeconds");
  // status counters cannot be negative
  const auto e = read_error<daemon_set_status>(R"({"numberReady": -1})");
  CHECK(e.field == "numberReady");
  CHECK(e.message.find("negative") != std::string::npos);
  // negative values that validation (not decoding) rejects are read as they are
  CHECK(json::parse(R"({"minReadySeconds": -5})").get<daemon_set_spec>().min_ready_seconds == -5);
}

TEST_CASE("missing required fields are `required` errors at their path", "[json]") {
  auto e = read_error<taint>(R"({"key": "k"})");
  CHECK(e.code == error_code::required);
  CHECK(e.field == "effect");
  CHECK(read_error<node_selector_requirement>(R"({"key": "k", "values": ["a"]})").field == "operator");
  CHECK(read_error<node>(R"({"metadata": {"name": "n"}, "status": {"conditions": [{"type": "Ready"}]}})").field ==
        "status.conditions[0].status");
}

TEST_CASE("timestamps are RFC 3339; malformed ones are errors, null is unset", "[json]") {
  const auto m = json::parse(R"({"creationTimestamp": "2024-01-03T21:35:11+01:00", "deletionTimestamp": null})")
                     .get<object_metadata>();
  CHECK(m.creation_timestamp == at(2024, 1, 3, 20, 35, 11));
  CHECK_FALSE(m.deletion_timestamp.has_value());
  CHECK(json(m)["creationTimestamp"] == "2024-01-03T20:35:11Z");
  CHECK(json::parse(R"({"creationTimestamp": "2024-01-03T20:35:11.999Z"})").get<object_metadata>().creation_timestamp ==
        at(2024, 1, 3, 20, 35, 11));
  for (const auto* bad : {"2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-03 20:35:11Z", "2024-01-03T20:35:11",
                          "", "yesterday", "2024-01-03T24:00:00Z"}) {
    CAPTURE(bad);
    const auto e = read_error<object_metadata>(json{{"creationTimestamp", bad}}.dump());
    CHECK(e.field == "creationTimestamp");
    CHECK(e.message.find("malformed timestamp") != std::string::npos);
  }
  CHECK(read_error<object_metadata>(R"({"creationTimestamp": 1700000000})").field == "creationTimestamp");
}

TEST_CASE("int-or-percent: a JSON number is an int, a JSON string stays a string", "[json]") {
  const auto r = json::parse(R"({"maxUnavailable": 2, "maxSurge": "10%"})").get<rolling_update_daemon_set>();
  CHECK(r.max_unavailable == from_int(2));
  CHECK(r.max_surge == from_string("10%"));
  // "1" as a string is a string (intstr keeps the JSON type), not the int 1
  CHECK(json::parse(R"("1")").get<int_or_percent>() == from_string("1"));
  CHECK(json(r) == json::parse(R"({"maxUnavailable": 2, "maxSurge": "10%"})"));
  CHECK(read_error<int_or_percent>("true").message == "expected an integer or a percentage string, got the boolean true");
  // null leaves the field unset, for apply_defaults to fill
  CHECK_FALSE(json::parse(R"({"maxUnavailable": null})").get<rolling_update_daemon_set>().max_unavailable.has_value());
}

TEST_CASE("a null or absent selector is nullopt, {} is the empty selector", "[json]") {
  CHECK_FALSE(json::parse(R"({})").get<daemon_set_spec>().selector.has_value());
  CHECK_FALSE(json::parse(R"({"selector": null})").get<daemon_set_spec>().selector.has_value());
  const auto s = json::parse(R"({"selector": {}})").get<daemon_set_spec>().selector;
  REQUIRE(s.has_value());
  CHECK(*s == label_selector{});
  CHECK(json(daemon_set_spec{.selector = label_selector{}})["selector"] == json::object());
}

TEST_CASE("fields daemonplan does not model are kept as canonical JSON and written back", "[json]") {
  const auto text = R"({"metadata": {"name": "p", "finalizers": ["x/y"], "managedFields": [{"manager": "m"}]},
    "spec": {"containers": [{"name": "c", "image": "i", "env": [{"name": "PORT", "value": "9200"}],
                             "resources": {"limits": {"cpu": 0.5}}}],
             "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": []}},
             "terminationGracePeriodSeconds": 30, "hostNetwork": true}})";
  const auto p = json::parse(text).get<pod>();
  CHECK(p.metadata.extra.at("finalizers") == R"(["x/y"])");
  CHECK(p.spec.extra.at("terminationGracePeriodSeconds") == "30");
  CHECK(p.spec.extra.at("containers") ==
        R"([{"env":[{"name":"PORT","value":"9200"}],"image":"i","name":"c","resources":{"limits":{"cpu":0.5}}}])");
  REQUIRE(p.spec.affinity.has_value());
  CHECK(p.spec.affinity->extra.count("podAntiAffinity") == 1);
  CHECK_FALSE(p.spec.extra.count("hostNetwork"));  // modelled, not duplicated
  CHECK(p.spec.host_network);

  auto expected = json::parse(text);
  expected["apiVersion"] = "v1";
  expected["kind"] = "Pod";
  CHECK(json(p) == expected);
  // the string "9200" stays a string on the way back
  CHECK(json(p)["spec"]["containers"][0]["env"][0]["value"].is_string());
}

TEST_CASE("nodes: metadata, taints, unschedulable and conditions; the rest is not kept", "[json]") {
  const auto n = json::parse(R"({"apiVersion": "v1", "kind": "Node",
      "metadata": {"name": "n1", "labels": {"kubernetes.io/os": "linux"}},
      "spec": {"podCIDR": "10.0.0.0/24", "unschedulable": true,
               "taints": [{"key": "t2", "effect": "NoSchedule"}]},
      "status": {"images": [{"names": ["a"], "sizeBytes": 1}],
                 "conditions": [{"type": "Ready", "status": "False", "reason": "KubeletNotReady",
                                 "lastTransitionTime": "2024-01-03T20:35:38Z"}]}})")
                     .get<node>();
  CHECK(n.metadata.name == "n1");
  CHECK(n.unschedulable);
  CHECK(n.taints == std::vector<taint>{{.key = "t2", .effect = taint_effect::no_schedule}});
  REQUIRE(n.conditions.size() == 1);
  CHECK(n.conditions[0].status == condition_status::false_);
  CHECK(n.conditions[0].last_transition_time == at(2024, 1, 3, 20, 35, 38));
  CHECK(json(n)["status"] == json::parse(R"({"conditions": [{"type": "Ready", "status": "False",
                                                              "lastTransitionTime": "2024-01-03T20:35:38Z"}]})"));
}

TEST_CASE("daemon sets read whole and write the API shape", "[json]") {
  const auto text = R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
    "metadata": {"name": "ds", "namespace": "ns", "generation": 4,
                 "annotations": {"deprecated.daemonset.template.generation": "3"}},
    "spec": {"selector": {"matchLabels": {"app": "x"},
                          "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]},
             "template": {"metadata": {"labels": {"app": "x"}},
                          "spec": {"containers": [{"name": "c", "image": "i"}], "nodeSelector": {"os": "linux"}}},
             "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%"}},
             "minReadySeconds": 5, "revisionHistoryLimit": 3},
    "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberMisscheduled": 0,
               "numberReady": 2, "numberAvailable": 2, "numberUnavailable": 1, "updatedNumberScheduled": 3,
               "observedGeneration": 4}})";
  const auto ds = json::parse(text).get<daemon_set>();
  CHECK(ds.metadata.generation == 4);
  CHECK(template_generation(ds) == 3);
  REQUIRE(ds.spec.selector.has_value());
  CHECK(ds.spec.selector->match_expressions[0].op == selector_operator::not_in);
  CHECK(ds.spec.update_strategy.type == update_strategy_type::rolling_update);
  CHECK(ds.spec.update_strategy.rolling_update->max_unavailable == from_string("10%"));
  CHECK(ds.spec.min_ready_seconds == 5);
  CHECK(ds.status.number_unavailable == 1);
  CHECK(json(ds) == json::parse(text));
}

TEST_CASE("an empty updateStrategy type is unset, for apply_defaults", "[json]") {
  const auto s = json::parse(R"({"type": ""})").get<daemon_set_update_strategy>();
  CHECK_FALSE(s.type.has_value());
  CHECK(apply_defaults(daemon_set{.spec = {.update_strategy = s}}).spec.update_strategy.type ==
        update_strategy_type::rolling_update);
}

TEST_CASE("objects_from_json: a single object, its List kind, or a List; other kinds are errors", "[json]") {
  auto nodes = objects_from_json<node>(json::parse(R"({"kind": "NodeList", "items": [
      {"metadata": {"name": "a"}}, {"kind": "Node", "metadata": {"name": "b"}}]})"));
  REQUIRE(nodes.has_value());
  CHECK(nodes->size() == 2);

  // a List may mix kinds: the others are skipped
  auto mixed = objects_from_json<node>(json::parse(R"({"kind": "List", "items": [
      {"kind": "Pod", "metadata": {"name": "p"}}, {"kind": "Node", "metadata": {"name": "n"}}]})"));
  REQUIRE(mixed.has_value());
  REQUIRE(mixed->size() == 1);
  CHECK(mixed->front().metadata.name == "n");

  auto single = objects_from_json<daemon_set>(json::parse(R"({"kind": "DaemonSet", "metadata": {"name": "d"}})"));
  REQUIRE(single.has_value());
  CHECK(single->front().metadata.name == "d");

  auto wrong = objects_from_json<node>(json::parse(R"({"kind": "ConfigMap", "data": {}})"));
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().field == "kind");
  auto kindless = objects_from_json<node>(json::parse(R"({"metadata": {"name": "n"}})"));
  REQUIRE_FALSE(kindless.has_value());
  CHECK(kindless.error().code == error_code::required);

  auto bad_item = objects_from_json<node>(json::parse(R"({"kind": "NodeList", "items": [
      {"metadata": {"name": "a"}}, {"spec": {"taints": [{"key": "k", "effect": "NoExecuet"}]}}]})"));
  REQUIRE_FALSE(bad_item.has_value());
  CHECK(bad_item.error().field == "items[1].spec.taints[0].effect");
}

TEST_CASE("read_objects streams list items and skips what reconcile never reads", "[json]") {
  const std::string text = R"({"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
    "items": [{"metadata": {"name": "a", "labels": {"x": "1"}, "managedFields": [{"manager": "kubelet"}]},
               "spec": {"providerID": "aws:///a", "taints": [{"key": "t", "effect": "NoSchedule"}]},
               "status": {"images": [{"names": ["big"], "sizeBytes": 123456}], "nodeInfo": {"kubeletVersion": "v1"},
                          "conditions": [{"type": "Ready", "status": "True", "message": "ok"}]}},
              {"metadata": {"name": "b"}}]})";
  const auto streamed = read_objects<node>(text);
  REQUIRE(streamed.has_value());
  REQUIRE(streamed->size() == 2);
  // everything placement reads is there...
  CHECK(streamed->at(0).metadata.labels.at("x") == "1");
  CHECK(streamed->at(0).taints.size() == 1);
  CHECK(streamed->at(0).conditions.at(0).status == condition_status::true_);
  // ... unmodelled metadata is skipped, so the node equals the DOM read minus metadata.extra
  CHECK(streamed->at(0).metadata.extra.empty());
  auto whole = objects_from_json<node>(json::parse(text));
  REQUIRE(whole.has_value());
  CHECK(whole->at(0).metadata.extra.count("managedFields") == 1);
  whole->at(0).metadata.extra.clear();
  CHECK(*streamed == *whole);

  // `kind` may come after `items` (kubectl's List output is sorted)
  const auto sorted = read_objects<node>(R"({"apiVersion": "v1", "items": [{"metadata": {"name": "a"}}], "kind": "List"})");
  REQUIRE(sorted.has_value());
  CHECK(sorted->size() == 1);
}

TEST_CASE("read_objects reports item errors with the item's index, and the right kind", "[json]") {
  const auto e = read_objects<node>(R"({"kind": "NodeList", "items": [{"metadata": {"name": "a"}},
      {"metadata": {"name": "b"}, "spec": {"taints": [{"key": "k", "effect": "NoExecuet"}]}}]})");
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().field == "items[1].spec.taints[0].effect");

  const auto pods_as_nodes = read_objects<node>(R"({"kind": "PodList", "items": []})");
  REQUIRE_FALSE(pods_as_nodes.has_value());
  CHECK(pods_as_nodes.error().field == "kind");

  const auto pods = read_objects<pod>(R"({"kind": "Pod", "metadata": {"name": "p", "namespace": "ns"},
      "spec": {"nodeName": "n1", "containers": [{"name": "c"}]}, "status": {"phase": "Running", "podIP": "1.2.3.4"}})");
  REQUIRE(pods.has_value());
  CHECK(pods->at(0).spec.node_name == "n1");
  CHECK(pods->at(0).phase == pod_phase::running);
  CHECK(pods->at(0).spec.extra.empty());  // containers are never read for existing pods
}

TEST_CASE("syntax errors give line and column; duplicate keys and deep nesting are rejected", "[json]") {
  const auto truncated = read_objects<node>("{\"kind\": \"NodeList\",\n \"items\": [{\"metadata\": ");
  REQUIRE_FALSE(truncated.has_value());
  CHECK(truncated.error().message.starts_with("line 2, column "));

  const auto duplicate = parse_json(R"({"metadata": {"name": "a", "name": "b"}})");
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error().field == "metadata");
  CHECK(duplicate.error().message == "duplicate key \"name\"");

  const std::string deep = std::string(600, '[') + std::string(600, ']');
  const auto nested = parse_json(deep);
  REQUIRE_FALSE(nested.has_value());
  CHECK(nested.error().message.find("nested deeper than 512") != std::string::npos);
  CHECK(parse_json(std::string(500, '[') + std::string(500, ']')).has_value());

  // skipped subtrees are still parsed, so garbage inside them is still an error
  const auto garbage = read_objects<node>(R"({"kind": "Node", "status": {"images": [1, 2,, 3]}})");
  CHECK_FALSE(garbage.has_value());
}

TEST_CASE("every real node fixture reads, by streaming and whole, to the same nodes", "[json][fixtures]") {
  for (const auto* name : {"real/nodes-eks-honeycomb.json", "real/nodes-kubeadm-arm64-k8s-graph.json"}) {
    DAEMONPLAN_FIXTURE_OR_SKIP(path, name);
    const auto text = daemonplan::test::read_file(path);
    const auto streamed = read_objects<node>(text);
    REQUIRE(streamed.has_value());
    auto whole = objects_from_json<node>(json::parse(text));
    REQUIRE(whole.has_value());
    for (auto& n : *whole) n.metadata.extra.clear();
    CHECK(*streamed == *whole);
    CHECK_FALSE(streamed->empty());
  }
}

TEST_CASE("the kubeadm fixture: six arm64 nodes, the master's legacy taint", "[json][fixtures]") {
  DAEMONPLAN_FIXTURE_OR_SKIP(path, "real/nodes-kubeadm-arm64-k8s-graph.json");
  const auto nodes = read_objects<node>(daemonplan::test::read_file(path));
  REQUIRE(nodes.has_value());
  REQUIRE(nodes->size() == 6);  // 1 master + 5 workers (fixtures README)
  const auto& master = nodes->front();
  CHECK(master.metadata.name == "k8s-master");
  CHECK(master.taints == std::vector<taint>{{.key = "node-role.kubernetes.io/master", .effect = taint_effect::no_schedule}});
  CHECK(master.metadata.labels.at("beta.kubernetes.io/arch") == "arm64");
}

TEST_CASE("plan document: the contract's keys, in order, lists always present", "[json]") {
  const daemon_set ds{.metadata = {.name = "fluentd", .namespace_ = "kube-system"}};
  plan p;
  p.revision = "6f7c9d8b5";
  p.creates.push_back({.node = "node-a", .pod = pod{.metadata = {.generate_name = "fluentd-", .namespace_ = "kube-system"}}});
  p.deletes.push_back({.namespace_ = "kube-system", .name = "fluentd-x2k9", .node = "node-b", .reason = delete_reason::node_ineligible});
  p.updates.push_back({.namespace_ = "kube-system", .name = "fluentd-q8v2", .node = "node-c", .action = update_kind::adopt});
  p.status = {.current_number_scheduled = 3, .desired_number_scheduled = 3, .number_ready = 2, .observed_generation = 4,
              .updated_number_scheduled = 3, .number_available = 2, .number_unavailable = 1};
  p.requeue_after = 30s;

  const auto doc = plan_document(ds, p);
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"daemonSet", "revision", "create", "delete", "update", "status",
                                         "requeueAfterSeconds", "errors"});
  CHECK(doc["daemonSet"].dump() == R"({"namespace":"kube-system","name":"fluentd"})");
  CHECK(doc["create"][0]["node"] == "node-a");
  CHECK(doc["create"][0]["pod"]["kind"] == "Pod");
  CHECK(doc["delete"].dump() == R"([{"namespace":"kube-system","name":"fluentd-x2k9","node":"node-b","reason":"NodeIneligible"}])");
  CHECK(doc["update"].dump() == R"([{"namespace":"kube-system","name":"fluentd-q8v2","node":"node-c","action":"Adopt"}])");
  CHECK(doc["status"].dump() ==
        R"({"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberMisscheduled":0,"numberReady":2,)"
        R"("numberAvailable":2,"numberUnavailable":1,"updatedNumberScheduled":3,"observedGeneration":4})");
  CHECK(doc["requeueAfterSeconds"] == 30);
  CHECK(doc["errors"] == nlohmann::ordered_json::array());

  p.requeue_after.reset();
  p.errors.push_back({error_code::invalid, "spec.x", "bad"});
  const auto later = plan_document(ds, p);
  CHECK(later["requeueAfterSeconds"].is_null());
  CHECK(later["errors"].dump() == R"([{"code":"Invalid value","field":"spec.x","message":"bad"}])");
}

TEST_CASE("explain document: nodes with shouldRun, shouldContinueRunning and reasons", "[json]") {
  const std::vector<node_explanation> nodes{
      {.node = "n1", .verdict = {true, true}},
      {.node = "n2", .verdict = {false, true},
       .reasons = {{reason_code::untolerated_taint, "taint dedicated=gpu:NoSchedule is not tolerated"}}}};
  CHECK(explain_document(nodes).dump() ==
        R"({"nodes":[{"node":"n1","shouldRun":true,"shouldContinueRunning":true,"reasons":[]},)"
        R"({"node":"n2","shouldRun":false,"shouldContinueRunning":true,"reasons":[{"code":"UntoleratedTaint",)"
        R"("message":"taint dedicated=gpu:NoSchedule is not tolerated"}]}]})");
}

TEST_CASE("try_from_json turns nlohmann's own exceptions into errors too", "[json]") {
  // a JSON document with a number where an object belongs, at the top
  const auto r = try_from_json<node>(json(42));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "expected an object, got the number 42");
  CHECK(try_from_json<node>(json::parse(R"({"metadata": {"name": "n"}})")).has_value());
}
