// tests/validate_test.cpp: DaemonSet and node validation (placement spec §5.2-§5.5, §2.4, §3.6,
// §3.7, §1.6; checklist items 1, 7, 9, 11, 12). Errors are compared by code and field path, in
// order; message text is never compared.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/validate.hpp>

using namespace daemonplan;
using op = selector_operator;
using eff = taint_effect;

namespace {

/// "Invalid value metadata.name": code and field of every error, in order.
std::vector<std::string> summary(const std::vector<error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(std::string(to_string(e.code)) + " " + e.field);
  return out;
}

std::string invalid(const std::string& field) { return "Invalid value " + field; }
std::string required(const std::string& field) { return "Required value " + field; }
std::string forbidden(const std::string& field) { return "Forbidden " + field; }
std::string not_supported(const std::string& field) { return "Unsupported value " + field; }
std::string duplicate(const std::string& field) { return "Duplicate value " + field; }
std::string too_long(const std::string& field) { return "Too long " + field; }

/// A DaemonSet the API server accepts, as it would store it (defaults applied).
daemon_set valid_daemon_set() {
  daemon_set ds;
  ds.metadata.name = "fluentd";
  ds.metadata.namespace_ = "kube-system";
  ds.spec.selector = label_selector{.match_labels = {{"app", "fluentd"}}, .match_expressions = {}};
  ds.spec.template_.metadata.labels = {{"app", "fluentd"}, {"tier", "logging"}};
  ds.spec.template_.spec.extra["containers"] = R"([{"image":"fluentd:v1","name":"fluentd"}])";
  return apply_defaults(ds);
}

node_selector_requirement expr(std::string key, op o, std::vector<std::string> values = {}) {
  return {.key = std::move(key), .op = o, .values = std::move(values)};
}

/// Sets a required node affinity with the given terms on the template.
void set_required(daemon_set& ds, std::vector<node_selector_term> terms) {
  auto& a = ds.spec.template_.spec.affinity;
  if (!a) a = affinity{};
  if (!a->node_affinity) a->node_affinity = node_affinity{};
  a->node_affinity->required = node_selector{.node_selector_terms = std::move(terms)};
}

void set_preferred(daemon_set& ds, std::vector<preferred_scheduling_term> terms) {
  auto& a = ds.spec.template_.spec.affinity;
  if (!a) a = affinity{};
  if (!a->node_affinity) a->node_affinity = node_affinity{};
  a->node_affinity->preferred = std::move(terms);
}

struct row {
  const char* name;
  std::function<void(daemon_set&)> change;
  std::vector<std::string> expected;
};

void check_rows(const std::vector<row>& rows) {
  for (const auto& r : rows) {
    INFO(r.name);
    auto ds = valid_daemon_set();
    r.change(ds);
    CHECK(summary(validate(ds)) == r.expected);
  }
}

const std::string required_path = "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
const std::string terms_path = required_path + ".nodeSelectorTerms";
const std::string preferred_path = "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution";
const std::string tolerations_path = "spec.template.spec.tolerations";
const std::string rolling_path = "spec.updateStrategy.rollingUpdate";

}  // namespace

TEST_CASE("a valid, defaulted DaemonSet has no errors", "[validate]") {
  CHECK(validate(valid_daemon_set()).empty());
}

TEST_CASE("§5.2 metadata: name, namespace, generation, labels, annotations, owner references", "[validate]") {
  const std::string long_name(254, 'a');
  check_rows({
      {"empty name", [](daemon_set& d) { d.metadata.name.clear(); }, {required("metadata.name")}},
      {"upper-case name", [](daemon_set& d) { d.metadata.name = "Fluentd"; }, {invalid("metadata.name")}},
      {"dotted name is a subdomain", [](daemon_set& d) { d.metadata.name = "fluentd.v2"; }, {}},
      {"254-byte name: the length message only", [&](daemon_set& d) { d.metadata.name = long_name; },
       {invalid("metadata.name")}},
      {"254-byte upper-case name: length and shape", [&](daemon_set& d) { d.metadata.name = "A" + long_name; },
       {invalid("metadata.name"), invalid("metadata.name")}},
      {"generateName may end in a dash", [](daemon_set& d) { d.metadata.generate_name = "fluentd-"; }, {}},
      {"bad generateName", [](daemon_set& d) { d.metadata.generate_name = "Fluentd-"; }, {invalid("metadata.generateName")}},
      {"empty namespace", [](daemon_set& d) { d.metadata.namespace_.clear(); }, {required("metadata.namespace")}},
      {"dotted namespace", [](daemon_set& d) { d.metadata.namespace_ = "kube.system"; }, {invalid("metadata.namespace")}},
      {"64-byte upper-case namespace: one message", [](daemon_set& d) { d.metadata.namespace_ = std::string(64, 'A'); },
       {invalid("metadata.namespace")}},
      {"negative generation", [](daemon_set& d) { d.metadata.generation = -1; }, {invalid("metadata.generation")}},
      {"bad label key", [](daemon_set& d) { d.metadata.labels["a b"] = "x"; }, {invalid("metadata.labels")}},
      {"empty label key: two messages", [](daemon_set& d) { d.metadata.labels[""] = "x"; },
       {invalid("metadata.labels"), invalid("metadata.labels")}},
      {"bad label value", [](daemon_set& d) { d.metadata.labels["a"] = "a b"; }, {invalid("metadata.labels")}},
      {"long and malformed label value: two messages", [](daemon_set& d) { d.metadata.labels["a"] = "-" + std::string(64, 'x'); },
       {invalid("metadata.labels"), invalid("metadata.labels")}},
      {"bad key and value, both at the unkeyed path", [](daemon_set& d) { d.metadata.labels["a b"] = "c d"; },
       {invalid("metadata.labels"), invalid("metadata.labels")}},
      {"annotation keys are checked lower-cased", [](daemon_set& d) { d.metadata.annotations["Example.COM/Key"] = "any value at all!"; }, {}},
      {"bad annotation key", [](daemon_set& d) { d.metadata.annotations["a b"] = "x"; }, {invalid("metadata.annotations")}},
      {"annotations over 256 KiB", [](daemon_set& d) { d.metadata.annotations["big"] = std::string(256 * 1024, 'x'); },
       {too_long("metadata.annotations")}},
      {"annotations at exactly 256 KiB", [](daemon_set& d) { d.metadata.annotations["big"] = std::string(256 * 1024 - 3, 'x'); }, {}},
      {"owner reference with empty fields", [](daemon_set& d) { d.metadata.owner_references = {owner_reference{}}; },
       {invalid("metadata.ownerReferences.apiVersion"), invalid("metadata.ownerReferences.kind"),
        invalid("metadata.ownerReferences.name"), invalid("metadata.ownerReferences.uid")}},
      {"two controller owner references",
       [](daemon_set& d) {
         const owner_reference ref{.api_version = "apps/v1", .kind = "Thing", .name = "a", .uid = "1", .controller = true};
         auto other = ref;
         other.name = "b";
         d.metadata.owner_references = {ref, other};
       },
       {invalid("metadata.ownerReferences")}},
  });
}

TEST_CASE("§5.2.1-3 and §1.6: spec.selector, its match against the template, the empty selector", "[validate]") {
  check_rows({
      // Checklist 1: null causes only the mismatch error; {} only the empty-selector error.
      {"null selector", [](daemon_set& d) { d.spec.selector.reset(); }, {invalid("spec.template.metadata.labels")}},
      {"empty selector", [](daemon_set& d) { d.spec.selector = label_selector{}; }, {invalid("spec.selector")}},
      {"selector does not match the template labels",
       [](daemon_set& d) { d.spec.selector->match_labels["app"] = "other"; }, {invalid("spec.template.metadata.labels")}},
      {"an expression excludes the template",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "tier", .op = op::not_in, .values = {"logging"}}}; },
       {invalid("spec.template.metadata.labels")}},
      // Checklist 12: matchLabels errors are unkeyed; a failed conversion skips the mismatch check.
      {"bad matchLabels key", [](daemon_set& d) { d.spec.selector->match_labels = {{"a b", "fluentd"}}; },
       {invalid("spec.selector.matchLabels")}},
      {"bad matchLabels value", [](daemon_set& d) { d.spec.selector->match_labels["app"] = "flu entd"; },
       {invalid("spec.selector.matchLabels")}},
      {"In without values",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "k", .op = op::in, .values = {}}}; },
       {required("spec.selector.matchExpressions[0].values")}},
      {"NotIn without values",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "k", .op = op::not_in, .values = {}}}; },
       {required("spec.selector.matchExpressions[0].values")}},
      {"Exists with values",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "app", .op = op::exists, .values = {"x"}}}; },
       {forbidden("spec.selector.matchExpressions[0].values")}},
      {"DoesNotExist with values",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "k", .op = op::does_not_exist, .values = {"x"}}}; },
       {forbidden("spec.selector.matchExpressions[0].values")}},
      {"Gt is not a selector operator",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "k", .op = op::gt, .values = {"1"}}}; },
       {invalid("spec.selector.matchExpressions[0].operator")}},
      {"bad expression key",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "-k", .op = op::exists, .values = {}}}; },
       {invalid("spec.selector.matchExpressions[0].key")}},
      {"bad expression value",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "app", .op = op::in, .values = {"fluentd", "a b"}}}; },
       {invalid("spec.selector.matchExpressions[0].values[1]")}},
      {"several problems in one expression, in upstream order",
       [](daemon_set& d) { d.spec.selector->match_expressions = {{.key = "a/b/c", .op = op::exists, .values = {"a b"}}}; },
       {forbidden("spec.selector.matchExpressions[0].values"), invalid("spec.selector.matchExpressions[0].key"),
        invalid("spec.selector.matchExpressions[0].values[0]")}},
      {"unsatisfiable but valid: only the mismatch",
       [](daemon_set& d) {
         d.spec.selector->match_expressions = {{.key = "app", .op = op::in, .values = {"fluentd"}},
                                               {.key = "app", .op = op::not_in, .values = {"fluentd"}}};
       },
       {invalid("spec.template.metadata.labels")}},
  });
}

TEST_CASE("§1.6: the invalid-label-value allowance skips only value checks", "[validate]") {
  auto ds = valid_daemon_set();
  ds.spec.selector->match_expressions = {{.key = "app", .op = op::in, .values = {"a b"}}};
  CHECK(summary(validate(ds)) == std::vector{invalid("spec.selector.matchExpressions[0].values[0]")});
  CHECK(validate(ds, {.allow_invalid_label_value_in_selector = true}).empty());
  ds.spec.selector->match_expressions[0].key = "-k";
  CHECK(summary(validate(ds, {.allow_invalid_label_value_in_selector = true})) ==
        std::vector{invalid("spec.selector.matchExpressions[0].key")});
}

TEST_CASE("§5.2.4-6: the pod template", "[validate]") {
  check_rows({
      {"template labels are reported at spec.template.labels",
       [](daemon_set& d) { d.spec.template_.metadata.labels["a b"] = "x"; }, {invalid("spec.template.labels")}},
      {"template annotations", [](daemon_set& d) { d.spec.template_.metadata.annotations["a b"] = "x"; },
       {invalid("spec.template.annotations")}},
      {"containers absent", [](daemon_set& d) { d.spec.template_.spec.extra.erase("containers"); },
       {required("spec.template.spec.containers")}},
      {"containers empty", [](daemon_set& d) { d.spec.template_.spec.extra["containers"] = "[]"; },
       {required("spec.template.spec.containers")}},
      {"containers null", [](daemon_set& d) { d.spec.template_.spec.extra["containers"] = "null"; },
       {required("spec.template.spec.containers")}},
      {"empty restartPolicy: Required, then the DaemonSet's NotSupported",
       [](daemon_set& d) { d.spec.template_.spec.restart_policy.clear(); },
       {required("spec.template.spec.restartPolicy"), not_supported("spec.template.spec.restartPolicy")}},
      {"OnFailure is a pod policy, not a DaemonSet one", [](daemon_set& d) { d.spec.template_.spec.restart_policy = "OnFailure"; },
       {not_supported("spec.template.spec.restartPolicy")}},
      {"Never", [](daemon_set& d) { d.spec.template_.spec.restart_policy = "Never"; },
       {not_supported("spec.template.spec.restartPolicy")}},
      {"an unknown policy fails both checks", [](daemon_set& d) { d.spec.template_.spec.restart_policy = "always"; },
       {not_supported("spec.template.spec.restartPolicy"), not_supported("spec.template.spec.restartPolicy")}},
      {"ephemeral containers are forbidden in a template",
       [](daemon_set& d) { d.spec.template_.spec.extra["ephemeralContainers"] = R"([{"name":"debug"}])"; },
       {forbidden("spec.template.spec.ephemeralContainers")}},
      {"an empty ephemeralContainers list is none", [](daemon_set& d) { d.spec.template_.spec.extra["ephemeralContainers"] = "[]"; }, {}},
      {"activeDeadlineSeconds is forbidden", [](daemon_set& d) { d.spec.template_.spec.active_deadline_seconds = 30; },
       {forbidden("spec.template.spec.activeDeadlineSeconds")}},
      {"activeDeadlineSeconds 0 is also out of the pod range",
       [](daemon_set& d) { d.spec.template_.spec.active_deadline_seconds = 0; },
       {invalid("spec.template.spec.activeDeadlineSeconds"), forbidden("spec.template.spec.activeDeadlineSeconds")}},
      {"bad nodeName", [](daemon_set& d) { d.spec.template_.spec.node_name = "Node_1"; }, {invalid("spec.template.spec.nodeName")}},
      {"good nodeName", [](daemon_set& d) { d.spec.template_.spec.node_name = "ip-10-0-0-1.ec2.internal"; }, {}},
      // Checklist 12: nodeSelector key and value errors land on the unkeyed path.
      {"bad nodeSelector key", [](daemon_set& d) { d.spec.template_.spec.node_selector["a b"] = "x"; },
       {invalid("spec.template.spec.nodeSelector")}},
      {"bad nodeSelector value", [](daemon_set& d) { d.spec.template_.spec.node_selector["disk"] = "s s d"; },
       {invalid("spec.template.spec.nodeSelector")}},
      {"errors come in upstream order",
       [](daemon_set& d) {
         d.spec.template_.spec.tolerations = {{.key = "", .op = toleration_operator::equal}};
         d.spec.template_.spec.node_selector["a b"] = "x";
         d.spec.template_.spec.extra.erase("containers");
         d.spec.template_.metadata.labels["c d"] = "x";
         d.spec.min_ready_seconds = -1;
       },
       {invalid("spec.template.labels"), required("spec.template.spec.containers"),
        invalid("spec.template.spec.nodeSelector"), invalid(tolerations_path + "[0].operator"), invalid("spec.minReadySeconds")}},
  });
}

TEST_CASE("§2.4: node affinity validation", "[validate]") {
  check_rows({
      {"no terms", [](daemon_set& d) { set_required(d, {}); }, {required(terms_path)}},
      // Checklist 4: empty terms pass validation (they match nothing at runtime).
      {"an empty term is accepted", [](daemon_set& d) { set_required(d, {{}}); }, {}},
      {"In without values", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::in)}}}); },
       {required(terms_path + "[0].matchExpressions[0].values")}},
      {"NotIn without values", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::not_in)}}}); },
       {required(terms_path + "[0].matchExpressions[0].values")}},
      {"Exists with values", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::exists, {"v"})}}}); },
       {forbidden(terms_path + "[0].matchExpressions[0].values")}},
      {"DoesNotExist with values",
       [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::does_not_exist, {"v"})}}}); },
       {forbidden(terms_path + "[0].matchExpressions[0].values")}},
      {"Gt without a value", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::gt)}}}); },
       {required(terms_path + "[0].matchExpressions[0].values")}},
      {"Lt with two values", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::lt, {"1", "2"})}}}); },
       {required(terms_path + "[0].matchExpressions[0].values")}},
      // Checklist 3: values are not checked by validation.
      {"Gt -1 passes validation", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::gt, {"-1"})}}}); }, {}},
      {"Gt abc passes validation", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::gt, {"abc"})}}}); }, {}},
      {"NotIn with a space passes validation",
       [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("k", op::not_in, {"a b"})}}}); }, {}},
      {"bad key", [](daemon_set& d) { set_required(d, {{.match_expressions = {expr("a b", op::exists)}}}); },
       {invalid(terms_path + "[0].matchExpressions[0].key")}},
      // Checklist 5: matchFields.
      {"the metadata.name pin", [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::in, {"node-1"})}}}); }, {}},
      {"field NotIn", [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::not_in, {"node-1"})}}}); }, {}},
      {"field Exists", [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::exists)}}}); },
       {invalid(terms_path + "[0].matchFields[0].operator")}},
      {"field Gt", [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::gt, {"1"})}}}); },
       {invalid(terms_path + "[0].matchFields[0].operator")}},
      {"field In with two values",
       [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::in, {"a", "b"})}}}); },
       {required(terms_path + "[0].matchFields[0].values")}},
      {"field In without values", [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::in)}}}); },
       {required(terms_path + "[0].matchFields[0].values")}},
      {"field key other than metadata.name",
       [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.namespace", op::in, {"a"})}}}); },
       {invalid(terms_path + "[0].matchFields[0].key")}},
      {"field value not a node name",
       [](daemon_set& d) { set_required(d, {{.match_fields = {expr("metadata.name", op::in, {"Node_1"})}}}); },
       {invalid(terms_path + "[0].matchFields[0].values[0]")}},
      {"several terms, indices kept",
       [](daemon_set& d) {
         set_required(d, {{}, {.match_expressions = {expr("k", op::in)}, .match_fields = {expr("spec.x", op::in, {"a"})}}});
       },
       {required(terms_path + "[1].matchExpressions[0].values"), invalid(terms_path + "[1].matchFields[0].key")}},
      {"preferred weights 1 and 100",
       [](daemon_set& d) {
         set_preferred(d, {{.weight = 1, .preference = {.match_expressions = {expr("k", op::exists)}}},
                           {.weight = 100, .preference = {}}});
       },
       {}},
      {"preferred weight 0", [](daemon_set& d) { set_preferred(d, {{.weight = 0, .preference = {}}}); },
       {invalid(preferred_path + "[0].weight")}},
      {"preferred weight 101", [](daemon_set& d) { set_preferred(d, {{.weight = 101, .preference = {}}}); },
       {invalid(preferred_path + "[0].weight")}},
      {"preferred weight -1 and a bad preference",
       [](daemon_set& d) { set_preferred(d, {{.weight = -1, .preference = {.match_expressions = {expr("k", op::in)}}}}); },
       {invalid(preferred_path + "[0].weight"), required(preferred_path + "[0].preference.matchExpressions[0].values")}},
      {"required and preferred together",
       [](daemon_set& d) {
         set_required(d, {});
         set_preferred(d, {{.weight = 0, .preference = {}}});
       },
       {required(terms_path), invalid(preferred_path + "[0].weight")}},
  });
}

TEST_CASE("§3.6: toleration validation, with the .operator quirk (checklist 7)", "[validate]") {
  const auto at = [](int i, const char* field) { return tolerations_path + "[" + std::to_string(i) + "]." + field; };
  const auto with = [](std::vector<toleration> list) {
    return [list](daemon_set& d) { d.spec.template_.spec.tolerations = list; };
  };
  check_rows({
      {"Exists with an empty key tolerates everything: valid",
       with({{.key = "", .op = toleration_operator::exists}}), {}},
      {"a normal Equal toleration", with({{.key = "gpu", .op = toleration_operator::equal, .value = "true", .effect = eff::no_schedule}}), {}},
      {"NoExecute with tolerationSeconds",
       with({{.key = "k", .op = toleration_operator::exists, .effect = eff::no_execute, .toleration_seconds = 300}}), {}},
      {"bad key", with({{.key = "a b", .op = toleration_operator::exists}}), {invalid(at(0, "key"))}},
      {"empty key with Equal (also the API's empty operator)", with({{.key = "", .op = toleration_operator::equal}}),
       {invalid(at(0, "operator"))}},
      {"tolerationSeconds with NoSchedule",
       with({{.key = "k", .op = toleration_operator::exists, .effect = eff::no_schedule, .toleration_seconds = 1}}),
       {invalid(at(0, "effect"))}},
      {"tolerationSeconds with the empty effect",
       with({{.key = "k", .op = toleration_operator::exists, .effect = std::nullopt, .toleration_seconds = 1}}),
       {invalid(at(0, "effect"))}},
      {"an Equal value that is not a label value is reported at .operator",
       with({{.key = "k", .op = toleration_operator::equal, .value = "a b"}}), {invalid(at(0, "operator"))}},
      {"Exists with a value is reported at .operator",
       with({{.key = "k", .op = toleration_operator::exists, .value = "v"}}), {invalid(at(0, "operator"))}},
      {"empty key, Equal, bad value: two errors at .operator",
       with({{.key = "", .op = toleration_operator::equal, .value = "a b"}}),
       {invalid(at(0, "operator")), invalid(at(0, "operator"))}},
      {"everything wrong at once, in upstream order",
       with({{.key = "a b", .op = toleration_operator::equal, .value = "-", .effect = eff::no_schedule, .toleration_seconds = 5}}),
       {invalid(at(0, "key")), invalid(at(0, "effect")), invalid(at(0, "operator"))}},
      {"duplicates are not rejected on pods",
       with({{.key = "k", .op = toleration_operator::exists}, {.key = "k", .op = toleration_operator::exists}}), {}},
      {"indices", with({{.key = "ok", .op = toleration_operator::exists}, {.key = "", .op = toleration_operator::equal}}),
       {invalid(at(1, "operator"))}},
  });
}

TEST_CASE("§5.2.7-10: minReadySeconds, templateGeneration, updateStrategy, revisionHistoryLimit", "[validate]") {
  const std::string annotation(template_generation_annotation);
  check_rows({
      {"negative minReadySeconds", [](daemon_set& d) { d.spec.min_ready_seconds = -1; }, {invalid("spec.minReadySeconds")}},
      {"zero minReadySeconds", [](daemon_set& d) { d.spec.min_ready_seconds = 0; }, {}},
      {"templateGeneration 0", [&](daemon_set& d) { d.metadata.annotations[annotation] = "0"; }, {}},
      {"negative templateGeneration", [&](daemon_set& d) { d.metadata.annotations[annotation] = "-1"; },
       {invalid("spec.templateGeneration")}},
      {"unreadable templateGeneration", [&](daemon_set& d) { d.metadata.annotations[annotation] = "one"; },
       {invalid("spec.templateGeneration")}},
      // Checklist 9: NotSupported at spec.updateStrategy, not .type; validate does not default.
      {"null strategy type", [](daemon_set& d) { d.spec.update_strategy.type.reset(); }, {not_supported("spec.updateStrategy")}},
      {"RollingUpdate without rollingUpdate",
       [](daemon_set& d) { d.spec.update_strategy.rolling_update.reset(); }, {required(rolling_path)}},
      {"OnDelete ignores an invalid rollingUpdate",
       [](daemon_set& d) {
         d.spec.update_strategy.type = update_strategy_type::on_delete;
         d.spec.update_strategy.rolling_update = rolling_update_daemon_set{.max_unavailable = from_string("abc"), .max_surge = from_int(-1)};
       },
       {}},
      {"negative revisionHistoryLimit", [](daemon_set& d) { d.spec.revision_history_limit = -1; },
       {invalid("spec.revisionHistoryLimit")}},
      {"zero revisionHistoryLimit", [](daemon_set& d) { d.spec.revision_history_limit = 0; }, {}},
      {"null revisionHistoryLimit", [](daemon_set& d) { d.spec.revision_history_limit.reset(); }, {}},
      {"spec errors in upstream order",
       [&](daemon_set& d) {
         d.spec.revision_history_limit = -1;
         d.spec.update_strategy.type.reset();
         d.metadata.annotations[annotation] = "-2";
         d.spec.min_ready_seconds = -1;
         d.spec.template_.spec.active_deadline_seconds = 10;
         d.spec.template_.spec.restart_policy = "Never";
         d.spec.selector = label_selector{};
         d.metadata.name.clear();
       },
       {required("metadata.name"), invalid("spec.selector"), not_supported("spec.template.spec.restartPolicy"),
        forbidden("spec.template.spec.activeDeadlineSeconds"), invalid("spec.minReadySeconds"),
        invalid("spec.templateGeneration"), not_supported("spec.updateStrategy"), invalid("spec.revisionHistoryLimit")}},
  });
}

// §5.3: rows of (maxUnavailable, maxSurge); nullopt is the API's null (Int 0).
TEST_CASE("§5.3 table: rolling update validation (checklist 9)", "[validate]") {
  using iop = std::optional<int_or_percent>;
  const std::string mu = rolling_path + ".maxUnavailable";
  const std::string ms = rolling_path + ".maxSurge";
  struct rolling_row {
    const char* name;
    iop unavailable;
    iop surge;
    std::vector<std::string> expected;
  };
  const rolling_row rows[] = {
      {"1 / 0", from_int(1), from_int(0), {}},
      {"0 / 1", from_int(0), from_int(1), {}},
      {"10% / 0", from_string("10%"), from_int(0), {}},
      {"0 / 10%", from_int(0), from_string("10%"), {}},
      {"100% / 0%", from_string("100%"), from_string("0%"), {}},
      {"150 / 0: ints above 100 are counts", from_int(150), from_int(0), {}},
      {"null / null", std::nullopt, std::nullopt, {required(mu)}},
      {"0 / 0", from_int(0), from_int(0), {required(mu)}},
      {"0% / 0", from_string("0%"), from_int(0), {required(mu)}},
      {"00% / 0%", from_string("00%"), from_string("0%"), {required(mu)}},
      {"1 / 1", from_int(1), from_int(1), {invalid(ms)}},
      {"10% / 10%", from_string("10%"), from_string("10%"), {invalid(ms)}},
      {"null / 1", std::nullopt, from_int(1), {}},
      // Negative ints: a shape error, and they count as non-zero.
      {"-1 / 0", from_int(-1), from_int(0), {invalid(mu)}},
      {"-1 / 1", from_int(-1), from_int(1), {invalid(mu), invalid(ms)}},
      {"0 / -1", from_int(0), from_int(-1), {invalid(ms)}},
      // Invalid strings: a shape error, then Atoi with its error ignored.
      {"abc / 0: counts as 0", from_string("abc"), from_int(0), {invalid(mu), required(mu)}},
      {"5 / 0: counts as 5", from_string("5"), from_int(0), {invalid(mu)}},
      {"+5 / 0: counts as 5", from_string("+5"), from_int(0), {invalid(mu)}},
      {"-5% / 0: counts as 0", from_string("-5%"), from_int(0), {invalid(mu), required(mu)}},
      {"5 % / 0: counts as 0", from_string("5 %"), from_int(0), {invalid(mu), required(mu)}},
      {"empty string / 0", from_string(""), from_int(0), {invalid(mu), required(mu)}},
      {"5 / 1: both non-zero", from_string("5"), from_int(1), {invalid(mu), invalid(ms)}},
      {"huge digits count as non-zero", from_string("99999999999999999999"), from_int(0), {invalid(mu)}},
      {"huge negative digits count as non-zero", from_string("-99999999999999999999"), from_int(0), {invalid(mu)}},
      // ParseUint overflows on the 20th digit before it sees the junk: clamped, non-zero.
      {"20 nines and junk", from_string("99999999999999999999x"), from_int(0), {invalid(mu)}},
      // 19 nines fit a uint64, so the junk is reached: a syntax error, 0.
      {"19 nines and junk", from_string("9999999999999999999x"), from_int(0), {invalid(mu), required(mu)}},
      // The 100% ceiling applies to valid percent strings only.
      {"101% / 0", from_string("101%"), from_int(0), {invalid(mu)}},
      {"0 / 150%", from_int(0), from_string("150%"), {invalid(ms)}},
      {"huge percent", from_string("99999999999999999999%"), from_int(0), {invalid(mu)}},
      {"101% / 101%: ceilings first, then both non-zero", from_string("101%"), from_string("101%"),
       {invalid(mu), invalid(ms), invalid(ms)}},
      {"abc / -1%: shapes in field order, then both zero", from_string("abc"), from_string("-1%"),
       {invalid(mu), invalid(ms), required(mu)}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    auto ds = valid_daemon_set();
    ds.spec.update_strategy.rolling_update = rolling_update_daemon_set{.max_unavailable = r.unavailable, .max_surge = r.surge};
    CHECK(summary(validate(ds)) == r.expected);
  }
}

TEST_CASE("§5.4: update validation (checklist 11)", "[validate]") {
  auto old = valid_daemon_set();
  old.metadata.resource_version = "41";
  old.metadata.uid = "uid-1";
  old.metadata.generation = 3;
  old.metadata.creation_timestamp = timestamp{std::chrono::seconds{1'700'000'000}};
  const std::string annotation(template_generation_annotation);
  old.metadata.annotations[annotation] = "2";
  const auto change_template = [](daemon_set& d) { d.spec.template_.spec.node_selector["disk"] = "ssd"; };

  struct update_row {
    const char* name;
    std::function<void(daemon_set&)> change;
    std::vector<std::string> expected;
  };
  const update_row rows[] = {
      {"no change", [](daemon_set&) {}, {}},
      {"empty resourceVersion", [](daemon_set& d) { d.metadata.resource_version.clear(); }, {invalid("metadata.resourceVersion")}},
      {"generation decremented", [](daemon_set& d) { d.metadata.generation = 2; }, {invalid("metadata.generation")}},
      {"generation incremented", [](daemon_set& d) { d.metadata.generation = 4; }, {}},
      // The new name is also checked by validate(new) first.
      {"name changed", [](daemon_set& d) { d.metadata.name = "other"; }, {invalid("metadata.name")}},
      {"namespace changed", [](daemon_set& d) { d.metadata.namespace_ = "other"; }, {invalid("metadata.namespace")}},
      {"uid changed", [](daemon_set& d) { d.metadata.uid = "uid-2"; }, {invalid("metadata.uid")}},
      {"creationTimestamp changed", [](daemon_set& d) { d.metadata.creation_timestamp.reset(); },
       {invalid("metadata.creationTimestamp")}},
      {"labels may change", [](daemon_set& d) { d.metadata.labels["team"] = "obs"; }, {}},
      // The selector is immutable, compared in order.
      {"selector changed", [](daemon_set& d) { d.spec.selector->match_labels["tier"] = "logging"; }, {invalid("spec.selector")}},
      {"selector made null",
       [](daemon_set& d) { d.spec.selector.reset(); }, {invalid("spec.template.metadata.labels"), invalid("spec.selector")}},
      // templateGeneration: decrement, increment without change, change without increment.
      {"template changed with a bumped generation",
       [&](daemon_set& d) {
         change_template(d);
         d.metadata.annotations[annotation] = "3";
       },
       {}},
      {"template changed, generation bumped by more than one",
       [&](daemon_set& d) {
         change_template(d);
         d.metadata.annotations[annotation] = "7";
       },
       {}},
      {"template changed without a bump", change_template, {invalid("spec.templateGeneration")}},
      {"generation bumped without a change", [&](daemon_set& d) { d.metadata.annotations[annotation] = "3"; },
       {invalid("spec.templateGeneration")}},
      {"generation decremented, template unchanged", [&](daemon_set& d) { d.metadata.annotations[annotation] = "1"; },
       {invalid("spec.templateGeneration")}},
      {"generation decremented, template changed",
       [&](daemon_set& d) {
         change_template(d);
         d.metadata.annotations[annotation] = "1";
       },
       {invalid("spec.templateGeneration")}},
      {"annotation removed (0 < 2), template unchanged", [&](daemon_set& d) { d.metadata.annotations.erase(annotation); },
       {invalid("spec.templateGeneration")}},
      {"an unreadable annotation is reported once, by validate", [&](daemon_set& d) { d.metadata.annotations[annotation] = "x"; },
       {invalid("spec.templateGeneration")}},
      // Semantic equality: null and [] equal an absent unmodelled field; {} does not.
      {"volumes [] vs absent is no change", [](daemon_set& d) { d.spec.template_.spec.extra["volumes"] = "[]"; }, {}},
      {"volumes null vs absent is no change", [](daemon_set& d) { d.spec.template_.spec.extra["volumes"] = "null"; }, {}},
      {"securityContext {} vs absent is a change", [](daemon_set& d) { d.spec.template_.spec.extra["securityContext"] = "{}"; },
       {invalid("spec.templateGeneration")}},
      {"affinity {} vs null is a change", [](daemon_set& d) { d.spec.template_.spec.affinity = affinity{}; },
       {invalid("spec.templateGeneration")}},
      // Each problem once: validate(new) first, then the update rules.
      {"a spec error is reported once, before the update errors",
       [](daemon_set& d) {
         d.spec.min_ready_seconds = -1;
         d.metadata.resource_version.clear();
       },
       {invalid("spec.minReadySeconds"), invalid("metadata.resourceVersion")}},
      {"everything in order",
       [&](daemon_set& d) {
         d.spec.selector->match_labels["tier"] = "logging";
         change_template(d);
         d.metadata.uid = "x";
         d.metadata.labels["a b"] = "c";
       },
       {invalid("metadata.labels"), invalid("metadata.uid"), invalid("spec.templateGeneration"), invalid("spec.selector")}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    auto updated = old;
    r.change(updated);
    CHECK(summary(validate_update(updated, old)) == r.expected);
  }
}

TEST_CASE("§5.4: the selector comparison is order-sensitive for lists, not for matchLabels", "[validate]") {
  auto old = valid_daemon_set();
  old.metadata.resource_version = "1";
  old.spec.selector->match_expressions = {{.key = "tier", .op = op::in, .values = {"logging", "x"}},
                                          {.key = "zone", .op = op::does_not_exist, .values = {}}};
  REQUIRE(validate(old).empty());
  auto swapped_expressions = old;
  std::swap(swapped_expressions.spec.selector->match_expressions[0], swapped_expressions.spec.selector->match_expressions[1]);
  CHECK(summary(validate_update(swapped_expressions, old)) == std::vector{invalid("spec.selector")});
  auto swapped_values = old;
  std::swap(swapped_values.spec.selector->match_expressions[0].values[0], swapped_values.spec.selector->match_expressions[0].values[1]);
  CHECK(summary(validate_update(swapped_values, old)) == std::vector{invalid("spec.selector")});
  CHECK(validate_update(old, old).empty());
}

TEST_CASE("§5.4: an old selector that is already invalid lets its values through (ratcheting)", "[validate]") {
  auto old = valid_daemon_set();
  old.metadata.resource_version = "1";
  old.spec.selector->match_expressions = {{.key = "tier", .op = op::not_in, .values = {"a b"}}};
  CHECK(summary(validate(old)) == std::vector{invalid("spec.selector.matchExpressions[0].values[0]")});
  CHECK(validate_update(old, old).empty());
  auto fresh = valid_daemon_set();
  fresh.metadata.resource_version = "1";
  auto updated = fresh;
  updated.spec.selector = old.spec.selector;
  CHECK(summary(validate_update(updated, fresh)) ==
        std::vector{invalid("spec.selector.matchExpressions[0].values[0]"), invalid("spec.selector")});
}

TEST_CASE("semantically_equal(pod_template): nil and empty lists agree, pointers and text do not", "[validate]") {
  pod_template a;
  auto b = a;
  b.spec.extra["tolerationsRaw"] = "[]";
  b.metadata.extra["finalizers"] = "null";
  CHECK(semantically_equal(a, b));
  b.spec.extra["hostname"] = "\"x\"";
  CHECK_FALSE(semantically_equal(a, b));
  auto c = a;
  c.spec.affinity = affinity{.node_affinity = std::nullopt, .extra = {{"podAffinity", "null"}}};
  auto d = a;
  d.spec.affinity = affinity{};
  CHECK(semantically_equal(c, d));
  CHECK_FALSE(semantically_equal(a, d));
}

TEST_CASE("§5.4: status update validation", "[validate]") {
  auto old = valid_daemon_set();
  old.metadata.resource_version = "7";
  old.status.collision_count = 2;
  using status_change = std::function<void(daemon_set_status&)>;
  const std::pair<status_change, std::string> negatives[] = {
      {[](daemon_set_status& s) { s.current_number_scheduled = -1; }, "status.currentNumberScheduled"},
      {[](daemon_set_status& s) { s.number_misscheduled = -1; }, "status.numberMisscheduled"},
      {[](daemon_set_status& s) { s.desired_number_scheduled = -1; }, "status.desiredNumberScheduled"},
      {[](daemon_set_status& s) { s.number_ready = -1; }, "status.numberReady"},
      {[](daemon_set_status& s) { s.observed_generation = -1; }, "status.observedGeneration"},
      {[](daemon_set_status& s) { s.updated_number_scheduled = -1; }, "status.updatedNumberScheduled"},
      {[](daemon_set_status& s) { s.number_available = -1; }, "status.numberAvailable"},
      {[](daemon_set_status& s) { s.number_unavailable = -1; }, "status.numberUnavailable"},
  };
  for (const auto& [change, field] : negatives) {
    INFO(field);
    auto updated = old;
    change(updated.status);
    CHECK(summary(validate_status_update(updated, old)) == std::vector{invalid(field)});
  }
  CHECK(validate_status_update(old, old).empty());
  auto updated = old;
  updated.status.collision_count = 3;
  CHECK(validate_status_update(updated, old).empty());
  updated.status.collision_count = 1;
  CHECK(summary(validate_status_update(updated, old)) == std::vector{invalid("status.collisionCount")});
  updated.status.collision_count.reset();
  CHECK(summary(validate_status_update(updated, old)) == std::vector{invalid("status.collisionCount")});
  updated.status.collision_count = -1;
  CHECK(summary(validate_status_update(updated, old)) ==
        std::vector{invalid("status.collisionCount"), invalid("status.collisionCount")});
  auto unset_old = old;
  unset_old.status.collision_count.reset();
  updated.status.collision_count = 0;
  CHECK(validate_status_update(updated, unset_old).empty());  // unset -> set is fine
  // The spec is not validated on a status update, the metadata update rules are.
  updated = old;
  updated.spec.min_ready_seconds = -1;
  updated.metadata.resource_version.clear();
  updated.metadata.labels["a b"] = "x";
  CHECK(summary(validate_status_update(updated, old)) ==
        std::vector{invalid("metadata.resourceVersion"), invalid("metadata.labels")});
}

TEST_CASE("§3.7: node taint validation", "[validate]") {
  const auto with_taints = [](std::vector<taint> taints) {
    node n;
    n.metadata.name = "node-1";
    n.taints = std::move(taints);
    return summary(validate_node(n));
  };
  const auto t = [](std::string key, std::string value, eff e) { return taint{.key = std::move(key), .value = std::move(value), .effect = e}; };
  CHECK(with_taints({t("node-role.kubernetes.io/master", "", eff::no_schedule), t("gpu", "true", eff::no_execute)}).empty());
  CHECK(with_taints({t("", "", eff::no_schedule)}) ==
        std::vector{invalid("spec.taints[0].key"), invalid("spec.taints[0].key")});  // empty key: two messages
  CHECK(with_taints({t("a b", "", eff::no_schedule)}) == std::vector{invalid("spec.taints[0].key")});
  CHECK(with_taints({t("k", "a b", eff::no_schedule)}) == std::vector{invalid("spec.taints[0].value")});
  // Two value messages, one error (joined).
  CHECK(with_taints({t("k", "-" + std::string(64, 'x'), eff::no_schedule)}) == std::vector{invalid("spec.taints[0].value")});
  // Unique by (key, effect): the value does not matter, the effect does.
  CHECK(with_taints({t("k", "1", eff::no_schedule), t("k", "2", eff::no_schedule)}) == std::vector{duplicate("spec.taints[1]")});
  CHECK(with_taints({t("k", "1", eff::no_schedule), t("k", "1", eff::no_execute)}).empty());
  CHECK(with_taints({t("k", "", eff::no_schedule), t("j", "", eff::no_schedule), t("k", "", eff::no_schedule),
                     t("k", "", eff::no_schedule)}) ==
        std::vector{duplicate("spec.taints[2]"), duplicate("spec.taints[3]")});
  CHECK(with_taints({t("k", "", eff::no_schedule), t("a b", "c d", eff::no_schedule)}) ==
        std::vector{invalid("spec.taints[1].key"), invalid("spec.taints[1].value")});
}

TEST_CASE("validate_node: node metadata", "[validate]") {
  node n;
  CHECK(summary(validate_node(n)) == std::vector{required("metadata.name")});
  n.metadata.name = "Node_1";
  CHECK(summary(validate_node(n)) == std::vector{invalid("metadata.name")});
  n.metadata.name = "ip-10-0-0-1.ec2.internal";
  n.metadata.labels = {{"kubernetes.io/hostname", "ip-10-0-0-1"}, {"node-role.kubernetes.io/master", ""}};
  CHECK(validate_node(n).empty());
  n.metadata.namespace_ = "default";  // nodes are cluster-scoped
  CHECK(summary(validate_node(n)) == std::vector{forbidden("metadata.namespace")});
}

TEST_CASE("messages are lower-case and name the offending value", "[validate]") {
  auto ds = valid_daemon_set();
  ds.metadata.name = "Fluentd";
  ds.spec.template_.spec.tolerations = {{.key = "k", .op = toleration_operator::exists, .value = "oops"}};
  ds.spec.update_strategy.rolling_update->max_surge = from_string("7 percent");
  ds.spec.min_ready_seconds = -42;
  const auto errors = validate(ds);
  REQUIRE(errors.size() == 4);
  for (const auto& e : errors) {
    INFO(e.field << ": " << e.message);
    REQUIRE_FALSE(e.message.empty());
    CHECK_FALSE((e.message.front() >= 'A' && e.message.front() <= 'Z'));
  }
  CHECK(errors[0].message.find("\"Fluentd\"") != std::string::npos);
  CHECK(errors[1].message.find("\"oops\"") != std::string::npos);
  CHECK(errors[2].message.find("-42") != std::string::npos);
  CHECK(errors[3].message.find("\"7 percent\"") != std::string::npos);
}

// The message lists behind validation agree with the boolean predicates of labels.hpp, and give
// upstream's number of messages.
TEST_CASE("§5.5: name rule message lists agree with the predicates", "[validate]") {
  const std::string samples[] = {"", "a", "A", "a.b", "a-b", "-a", "a-", "a b", "a/b", "/a", "a/", "a/b/c", "Example.com/x",
                                 "example.com/X", std::string(63, 'a'), std::string(64, 'a'), std::string(253, 'a'),
                                 std::string(254, 'a'), "a..b", "a_b", "\xc3\xa9", std::string(254, 'a') + "/b"};
  for (const auto& s : samples) {
    INFO("\"" << s << "\"");
    CHECK(detail::qualified_name_messages(s).empty() == is_label_key(s));
    CHECK(detail::label_value_messages(s).empty() == is_label_value(s));
    CHECK(detail::dns1123_label_messages(s).empty() == is_dns1123_label(s));
    CHECK(detail::dns1123_subdomain_messages(s).empty() == is_dns1123_subdomain(s));
  }
  CHECK(detail::qualified_name_messages("").size() == 2);               // empty, and the shape
  CHECK(detail::qualified_name_messages("/a").size() == 1);             // empty prefix
  CHECK(detail::qualified_name_messages("a/").size() == 2);             // empty name, and the shape
  CHECK(detail::qualified_name_messages("a/b/c").size() == 1);          // one message for two slashes
  CHECK(detail::qualified_name_messages(std::string(64, 'a')).size() == 1);
  CHECK(detail::qualified_name_messages("-" + std::string(64, 'a')).size() == 2);
  CHECK(detail::qualified_name_messages("A_/x").size() == 1);           // the prefix's shape
  CHECK(detail::dns1123_label_messages("a.b") == std::vector<std::string>{"must not contain dots"});
  CHECK(detail::dns1123_label_messages(std::string(64, 'A')).size() == 1);
  CHECK(detail::dns1123_subdomain_messages("A" + std::string(253, 'a')).size() == 2);
  CHECK(detail::label_value_messages("-" + std::string(63, 'a')).size() == 2);
}
