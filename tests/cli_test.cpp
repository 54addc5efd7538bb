// tests/cli_test.cpp: the command-line tool's readers: YAML typed like kubectl (examples/daemonplan/
// yaml.hpp), input files to objects (input.hpp), and the round trip of every real manifest's pod
// template into the pod a create action carries, field by field.
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/daemon_pod.hpp>
#include <daemonplan/json.hpp>

#include "input.hpp"
#include "support/fixtures.hpp"
#include "yaml.hpp"

using namespace daemonplan;
using namespace daemonplan::cli;
using nlohmann::json;

namespace {

/// The only document of a YAML text.
json yaml1(const std::string& text) {
  auto docs = parse_yaml(text);
  REQUIRE(docs.size() == 1);
  return docs.front().value;
}

/// The message of the yaml_error that parsing `text` throws.
std::string yaml_failure(const std::string& text) {
  try {
    (void)parse_yaml(text);
  } catch (const yaml_error& e) {
    return e.what();
  }
  FAIL("no yaml_error for: " << text);
  return {};
}

input_file file_of(const std::string& name, const std::string& text) { return {.name = name, .text = text}; }

/// The message of the input_error `f` throws.
template <typename F>
std::string input_failure(F&& f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  FAIL("no input_error");
  return {};
}

}  // namespace

TEST_CASE("YAML scalars are typed as kubectl types them", "[cli][yaml]") {
  const auto doc = yaml1(R"(quoted: "9200"
plain: 9200
single: '9200'
negative: -5
hex: 0x1F
octal: 0755
underscored: 1_000
float: 1.5
exponent: 1e3
version: 1.12.1
percent: 10%
yes_bool: yes
true_bool: true
off_bool: Off
quoted_bool: "true"
tilde: ~
null_word: null
empty:
tagged: !!str 12
tagged_int: !!int "12"
timestamp: 2024-01-03T20:35:11Z
block: |
  line one
  line two
)");
  CHECK(doc["quoted"] == "9200");
  CHECK(doc["plain"] == 9200);
  CHECK(doc["single"] == "9200");
  CHECK(doc["negative"] == -5);
  CHECK(doc["hex"] == 31);
  CHECK(doc["octal"] == 493);
  CHECK(doc["underscored"] == 1000);
  CHECK(doc["float"] == 1.5);
  CHECK(doc["exponent"].is_number_float());
  CHECK(doc["exponent"] == 1000.0);
  CHECK(doc["version"] == "1.12.1");
  CHECK(doc["percent"] == "10%");
  CHECK(doc["yes_bool"] == true);
  CHECK(doc["true_bool"] == true);
  CHECK(doc["off_bool"] == false);
  CHECK(doc["quoted_bool"] == "true");
  CHECK(doc["tilde"].is_null());
  CHECK(doc["null_word"].is_null());
  CHECK(doc["empty"].is_null());
  CHECK(doc["tagged"] == "12");
  CHECK(doc["tagged_int"] == 12);
  CHECK(doc["timestamp"] == "2024-01-03T20:35:11Z");
  CHECK(doc["block"] == "line one\nline two\n");
}

TEST_CASE("YAML streams: documents split by ---, empty ones dropped, lines kept", "[cli][yaml]") {
  const auto docs = parse_yaml("---\na: 1\n---\n# nothing here\n---\nb: 2\n...\n---\nc: [1, 2]\n");
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].value == json::parse(R"({"a": 1})"));
  CHECK(docs[0].line == 1);
  CHECK(docs[1].value == json::parse(R"({"b": 2})"));
  CHECK(docs[1].line == 5);
  CHECK(docs[2].value == json::parse(R"({"c": [1, 2]})"));
  CHECK(parse_yaml("# only a comment\n").empty());
}

TEST_CASE("YAML anchors, aliases and merge keys", "[cli][yaml]") {
  const auto doc = yaml1("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n  z: 4\n");
  CHECK(doc["copy"] == json::parse(R"({"x": 1, "y": 2})"));
  CHECK(doc["merged"] == json::parse(R"({"x": 1, "y": 3, "z": 4})"));  // explicit keys win
}

TEST_CASE("bad YAML gives one clear line: tabs, duplicates, keys, tags, bombs, encoding", "[cli][yaml]") {
  CHECK(yaml_failure("metadata:\n\tname: x\n") == "line 2: a tab character in the indentation (YAML indents with spaces)");
  CHECK(yaml_failure("spec:\n  template:\n    metadata:\n      labels:\n        a: 1\n        a: 2\n") ==
        "spec.template.metadata.labels: line 6, column 9: duplicate key \"a\"");
  CHECK(yaml_failure("? [a, b]\n: c\n").find("mapping keys must be scalars") != std::string::npos);
  CHECK(yaml_failure("a: !custom 5\n").find("unsupported YAML tag") != std::string::npos);
  CHECK(yaml_failure("a: .inf\n").find("no JSON equivalent") != std::string::npos);
  CHECK(yaml_failure("a: [1, 2\n").starts_with("line "));
  CHECK(yaml_failure("- a\nb: 1\n").find("line 2") != std::string::npos);
  CHECK(yaml_failure("a: \"\xff\"\n") == "line 1, column 5: invalid UTF-8");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'h'; ++level) {
    const char prev = static_cast<char>(level - 1);
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  CHECK(yaml_failure(bomb).find("alias") != std::string::npos);
  CHECK(yaml_failure(std::string(3000, '[')).find("line 1") != std::string::npos);
}

TEST_CASE("input detection, empty and binary files", "[cli]") {
  CHECK(is_json("  \n{\"kind\": \"Node\"}"));
  CHECK(is_json("\xEF\xBB\xBF[]"));
  CHECK_FALSE(is_json("kind: Node\n"));
  std::istringstream none;
  CHECK(input_failure([&] { (void)read_input("/no/such/file.yaml", none); }) == "/no/such/file.yaml: cannot open the file");
  std::istringstream blank(" \n\n");
  CHECK(input_failure([&] { (void)read_input("-", blank); }) == "<stdin>: the file is empty");
  std::istringstream binary(std::string("kind: \0Node", 11));
  CHECK(input_failure([&] { (void)read_input("-", binary); }) ==
        "<stdin>: binary data, not JSON or YAML (a NUL byte at offset 6)");
}

TEST_CASE("pods: (namespace, name) unique, the first repeat named", "[cli]") {
  const auto pods = load_pods(file_of("p.json", R"({"kind": "PodList", "items": [
      {"metadata": {"name": "a", "namespace": "x"}}, {"metadata": {"name": "a", "namespace": "y"}}]})"));
  CHECK(pods.size() == 2);
  CHECK(input_failure([] { (void)load_pods(file_of("p.json", R"({"kind": "PodList", "items": [
      {"metadata": {"name": "a", "namespace": "x"}}, {"metadata": {"name": "b", "namespace": "x"}},
      {"metadata": {"name": "b", "namespace": "x"}}, {"metadata": {"name": "a", "namespace": "x"}}]})")); }) ==
        "p.json: duplicate pod \"x/b\"");
}

TEST_CASE("nodes: JSON or YAML, lists, impossible and duplicate nodes rejected", "[cli]") {
  const auto yaml_nodes = load_nodes(file_of("n.yaml", "kind: List\nitems:\n- kind: Node\n  metadata: {name: a}\n"
                                                       "- kind: Pod\n  metadata: {name: p}\n"));
  REQUIRE(yaml_nodes.size() == 1);
  CHECK(yaml_nodes[0].metadata.name == "a");
  CHECK(input_failure([] { (void)load_nodes(file_of("n.json", R"({"kind": "NodeList", "items": [
      {"metadata": {"name": "a"}}, {"metadata": {"name": "a"}}]})")); }) == "n.json: duplicate node name \"a\"");
  CHECK(input_failure([] { (void)load_nodes(file_of("n.json", R"({"kind": "NodeList", "items": [
      {"metadata": {"name": "a", "labels": {"k": "not a label value"}}}]})")); })
            .starts_with("n.json: node \"a\": metadata.labels: Invalid value: "));
  CHECK(input_failure([] { (void)load_nodes(file_of("n.json", R"({"kind": "NodeList", "items": [
      {"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}, {"metadata": {"name": "b"}}, {"metadata": {"name": "a"}}]})")); }) ==
        "n.json: duplicate node name \"b\"");  // the first node whose name came before
  CHECK(input_failure([] { (void)load_nodes(file_of("n.yaml", "kind: ConfigMap\ndata: {}\n")); }) ==
        "n.yaml: no Node, NodeList or List object in the file");
  CHECK(input_failure([] { (void)load_nodes(file_of("n.yaml", "just text\n")); }) ==
        "n.yaml: expected a Kubernetes object, got the string \"just text\"");
  CHECK(input_failure([] { (void)load_nodes(file_of("n.yaml", "kind: Node\nmetadata: {name: a}\n---\nkind: Node\n"
                                                               "metadata: {name: b}\nspec: {taints: [{key: k}]}\n")); }) ==
        "n.yaml: document 2 (line 3): spec.taints[0].effect: required field is missing");  // the `---` line
}

TEST_CASE("the popeye fixture: five nodes, a bare-key taint, a cordoned node", "[cli][fixtures]") {
  DAEMONPLAN_FIXTURE_OR_SKIP(path, "real/nodes-kind-popeye-edgecases.yaml");
  const auto nodes = load_nodes(file_of(path.string(), daemonplan::test::read_file(path)));
  REQUIRE(nodes.size() == 5);
  const auto find = [&](const std::string& name) -> const node& {
    for (const auto& n : nodes)
      if (n.metadata.name == name) return n;
    FAIL("no node " << name);
    return nodes.front();
  };
  CHECK(find("n1").taints.empty());  // control-plane label, no taint
  CHECK(find("n2").taints == std::vector<taint>{{.key = "t2", .effect = taint_effect::no_schedule}});
  CHECK(find("n4").unschedulable);
}

TEST_CASE("DaemonSets: the multi-document manifest's one DaemonSet, picking by --name", "[cli][fixtures]") {
  DAEMONPLAN_FIXTURE_OR_SKIP(path, "real/ds-aws-vpc-cni-aws-node.multidoc.yaml");
  const auto file = file_of("aws.yaml", daemonplan::test::read_file(path));
  const auto objects = daemon_set_objects(file);
  REQUIRE(objects.size() == 1);  // CRD, ServiceAccount, ConfigMap, ClusterRole(Binding) skipped
  CHECK(objects[0].where.starts_with("document 6 (line "));
  CHECK(object_name(objects[0].value) == "kube-system/aws-node");
  CHECK(&pick_daemon_set(file, objects, "") == &objects[0]);
  CHECK(&pick_daemon_set(file, objects, "aws-node") == &objects[0]);
  CHECK(input_failure([&] { (void)pick_daemon_set(file, objects, "default/aws-node"); }) ==
        "aws.yaml: no DaemonSet named default/aws-node (the file holds kube-system/aws-node)");
}

TEST_CASE("several DaemonSets in one file need --name", "[cli]") {
  const auto file = file_of("two.yaml", "kind: DaemonSet\nmetadata: {name: a, namespace: x}\n---\n"
                                        "kind: DaemonSetList\nitems:\n- metadata: {name: b}\n");
  const auto objects = daemon_set_objects(file);
  REQUIRE(objects.size() == 2);
  CHECK(objects[1].where == "document 2 (line 3): items[0]");
  CHECK(input_failure([&] { (void)pick_daemon_set(file, objects, ""); }) ==
        "two.yaml: the file holds 2 DaemonSets (x/a, default/b); pick one with --name NAMESPACE/NAME");
  CHECK(object_name(pick_daemon_set(file, objects, "default/b").value) == "default/b");
  const auto ds = to_daemon_set(file, objects[1]);
  CHECK(ds.metadata.namespace_ == "default");  // as kubectl's default namespace
  CHECK(ds.spec.update_strategy.type == update_strategy_type::rolling_update);  // apply_defaults ran
}

namespace {

/// The template's value with null members removed (`creationTimestamp: null` means unset).
json without_nulls(json j) {
  if (!j.is_object()) return j;
  for (auto it = j.begin(); it != j.end();)
    it = it->is_null() ? j.erase(it) : std::next(it);
  return j;
}

/// A template spec without the modelled fields that hold their API zero value (`hostNetwork:
/// false`, `nodeSelector: {}`): Go's omitempty drops them, the API server never returns them, and
/// daemonplan's writer leaves them out too. Unmodelled fields are compared as they are.
json without_zero_modelled_fields(json spec) {
  for (const auto* key : {"hostNetwork", "nodeName", "nodeSelector", "restartPolicy"}) {
    const auto it = spec.find(key);
    if (it != spec.end() && (*it == false || *it == "" || *it == json::object())) spec.erase(it);
  }
  return spec;
}

/// A toleration as the writer spells it: the API's empty operator is Equal.
json normalized_toleration(json t) {
  if (!t.contains("operator") || t["operator"] == "") t["operator"] = "Equal";
  if (t.contains("effect") && t["effect"] == "") t.erase("effect");
  return t;
}

}  // namespace

TEST_CASE("every real manifest's pod template survives into the created pod, field by field", "[cli][fixtures]") {
  for (const auto* name : {"real/ds-aws-ebs-csi-node.yaml", "real/ds-aws-vpc-cni-aws-node.multidoc.yaml",
                           "real/ds-gke-nvidia-driver-installer-cos.yaml", "real/ds-kube-prometheus-node-exporter.yaml",
                           "real/ds-nvidia-gpu-feature-discovery.yaml"}) {
    DAEMONPLAN_FIXTURE_OR_SKIP(path, name);
    CAPTURE(name);
    const auto file = file_of(name, daemonplan::test::read_file(path));
    const auto objects = daemon_set_objects(file);
    REQUIRE(objects.size() == 1);
    const json tmpl = objects[0].value.at("spec").at("template");
    const auto ds = to_daemon_set(file, objects[0]);
    const json created = make_daemon_pod(ds, "abc123", "node-x");
    const json& meta = created.at("metadata");
    const json& spec = created.at("spec");

    // metadata: every template field as it was; labels gain only the controller's
    const auto tmeta = without_nulls(tmpl.value("metadata", json::object()));
    for (auto it = tmeta.begin(); it != tmeta.end(); ++it) {
      CAPTURE(it.key());
      if (it.key() == "labels") {
        for (auto l = it->begin(); l != it->end(); ++l) CHECK(meta.at("labels").at(l.key()) == *l);
        CHECK(meta.at("labels").size() == it->size() + 1);
        CHECK(meta.at("labels").at("controller-revision-hash") == "abc123");
      } else {
        CHECK(meta.at(it.key()) == *it);
      }
    }
    for (auto it = meta.begin(); it != meta.end(); ++it) {
      CAPTURE(it.key());
      CHECK((tmeta.contains(it.key()) || it.key() == "namespace" || it.key() == "generateName" ||
             it.key() == "ownerReferences" || it.key() == "labels"));
    }
    CHECK(meta.at("ownerReferences").at(0).at("kind") == "DaemonSet");

    // spec: every field identical (types too: "9200" stays a string), except what the controller
    // sets: tolerations (defaults merged in), the required node affinity (the pin), restartPolicy
    // (API default)
    const auto tspec = without_zero_modelled_fields(without_nulls(tmpl.at("spec")));
    for (auto it = tspec.begin(); it != tspec.end(); ++it) {
      CAPTURE(it.key());
      if (it.key() == "tolerations") {
        for (const auto& t : *it) {
          const auto want = normalized_toleration(t);
          const bool is_default = want.value("key", "").starts_with("node.kubernetes.io/");
          CHECK((is_default || std::find(spec.at("tolerations").begin(), spec.at("tolerations").end(), want) !=
                                   spec.at("tolerations").end()));
        }
      } else if (it.key() == "affinity") {
        auto want = *it;
        auto got = spec.at("affinity");
        if (want.contains("nodeAffinity")) want["nodeAffinity"].erase("requiredDuringSchedulingIgnoredDuringExecution");
        got["nodeAffinity"].erase("requiredDuringSchedulingIgnoredDuringExecution");
        if (want.contains("nodeAffinity") && want["nodeAffinity"].empty()) want.erase("nodeAffinity");
        if (got["nodeAffinity"].empty()) got.erase("nodeAffinity");
        CHECK(got == want);
      } else {
        CHECK(spec.at(it.key()) == *it);
      }
    }
    for (auto it = spec.begin(); it != spec.end(); ++it) {
      CAPTURE(it.key());
      CHECK((tspec.contains(it.key()) || it.key() == "tolerations" || it.key() == "affinity" ||
             it.key() == "restartPolicy"));
    }
    CHECK(spec.at("affinity").at("nodeAffinity").at("requiredDuringSchedulingIgnoredDuringExecution") ==
          json::parse(R"({"nodeSelectorTerms": [{"matchFields": [
              {"key": "metadata.name", "operator": "In", "values": ["node-x"]}]}]})"));
  }
}
