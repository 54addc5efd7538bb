// tests/affinity_test.cpp: the lazy-error node selector (placement spec §2.2; checklist items 3, 4
// and 5).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/affinity.hpp>

using namespace daemonplan;
using op = selector_operator;

namespace {

node_selector_requirement expr(std::string key, op o, std::vector<std::string> values = {}) {
  return {.key = std::move(key), .op = o, .values = std::move(values)};
}

node_selector_term labels_term(std::vector<node_selector_requirement> expressions) {
  return {.match_expressions = std::move(expressions), .match_fields = {}};
}

node_selector_term fields_term(std::vector<node_selector_requirement> fields) {
  return {.match_expressions = {}, .match_fields = std::move(fields)};
}

std::vector<std::string> fields_of(const std::vector<error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

}  // namespace

TEST_CASE("§2.2: terms are ORed, requirements inside a term ANDed", "[affinity]") {
  const auto m = node_selector_matcher::make({.node_selector_terms = {
                                                  labels_term({expr("a", op::in, {"1"}), expr("b", op::exists)}),
                                                  labels_term({expr("c", op::in, {"1"})}),
                                              }});
  CHECK(m.errors().empty());
  CHECK(m.matches("n", {{"a", "1"}, {"b", ""}}));
  CHECK(m.matches("n", {{"c", "1"}}));
  CHECK_FALSE(m.matches("n", {{"a", "1"}}));  // b missing, c missing
  CHECK_FALSE(m.matches("n", {}));
}

TEST_CASE("§2.2 checklist 4: empty terms are dropped and match nothing", "[affinity]") {
  SECTION("no terms at all") {
    const auto m = node_selector_matcher::make({});
    CHECK(m.terms().empty());
    CHECK_FALSE(m.matches("n", {}));
    CHECK_FALSE(m.matches("n", {{"a", "b"}}));
  }
  SECTION("only empty terms") {
    const auto m = node_selector_matcher::make({.node_selector_terms = {node_selector_term{}, node_selector_term{}}});
    CHECK(m.terms().empty());
    CHECK(m.errors().empty());  // not an error, just nothing
    CHECK_FALSE(m.matches("n", {}));
    CHECK_FALSE(m.matches("", {}));
  }
  SECTION("an empty term next to a real one keeps its index out of the way") {
    const auto m = node_selector_matcher::make(
        {.node_selector_terms = {node_selector_term{}, labels_term({expr("a", op::exists)})}});
    REQUIRE(m.terms().size() == 1);
    CHECK(m.terms()[0].index == 1);
    CHECK(m.matches("n", {{"a", "x"}}));
    CHECK_FALSE(m.matches("n", {}));
  }
}

TEST_CASE("§2.2 checklist 3: a term with a construction error never matches and does not poison the others",
          "[affinity]") {
  // Term 0 is unbuildable because "a b" is not a label value, even for NotIn and an absent key.
  const auto m = node_selector_matcher::make({.node_selector_terms = {
                                                  labels_term({expr("k", op::not_in, {"a b"})}),
                                                  labels_term({expr("zone", op::in, {"z1"})}),
                                              }});
  CHECK(fields_of(m.errors()) == std::vector<std::string>{"nodeSelectorTerms[0].matchExpressions[0].values[0][k]"});
  REQUIRE(m.terms().size() == 1);
  CHECK(m.terms()[0].index == 1);
  CHECK_FALSE(m.matches("n", {}));                  // term 0 would match an absent key if it were valid
  CHECK(m.matches("n", {{"zone", "z1"}}));         // term 1 still matches
}

TEST_CASE("§2.2 checklist 3: runtime syntax errors per term, all of them collected", "[affinity]") {
  struct row {
    const char* name;
    node_selector_term term;
    std::vector<std::string> fields;
  };
  const row rows[] = {
      {"Gt -1 is not a label value", labels_term({expr("k", op::gt, {"-1"})}),
       {"nodeSelectorTerms[0].matchExpressions[0].values[0][k]"}},
      {"Gt with a non-integer", labels_term({expr("k", op::gt, {"x"})}),
       {"nodeSelectorTerms[0].matchExpressions[0].values[0]"}},
      {"Lt with two values", labels_term({expr("k", op::lt, {"1", "2"})}),
       {"nodeSelectorTerms[0].matchExpressions[0].values"}},
      {"bad key", labels_term({expr("a/b/c", op::exists)}), {"nodeSelectorTerms[0].matchExpressions[0].key"}},
      {"In without values", labels_term({expr("k", op::in)}), {"nodeSelectorTerms[0].matchExpressions[0].values"}},
      {"Exists with values", labels_term({expr("k", op::exists, {"v"})}),
       {"nodeSelectorTerms[0].matchExpressions[0].values"}},
      {"two bad expressions", labels_term({expr("-k", op::in, {"ok"}), expr("k", op::in, {"v", "-x"})}),
       {"nodeSelectorTerms[0].matchExpressions[0].key", "nodeSelectorTerms[0].matchExpressions[1].values[1][k]"}},
      {"field Exists", fields_term({expr("metadata.name", op::exists)}),
       {"nodeSelectorTerms[0].matchFields[0].operator"}},
      {"field Gt", fields_term({expr("metadata.name", op::gt, {"1"})}), {"nodeSelectorTerms[0].matchFields[0].operator"}},
      {"field In with two values", fields_term({expr("metadata.name", op::in, {"a", "b"})}),
       {"nodeSelectorTerms[0].matchFields[0].values"}},
      {"field NotIn without values", fields_term({expr("metadata.name", op::not_in)}),
       {"nodeSelectorTerms[0].matchFields[0].values"}},
      {"expression and field both bad",
       {.match_expressions = {expr("k", op::gt, {"x"})}, .match_fields = {expr("metadata.name", op::in)}},
       {"nodeSelectorTerms[0].matchExpressions[0].values[0]", "nodeSelectorTerms[0].matchFields[0].values"}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto m = node_selector_matcher::make({.node_selector_terms = {r.term}});
    CHECK(fields_of(m.errors()) == r.fields);
    CHECK(m.terms().empty());
    for (const auto& e : m.errors())
      CHECK(e.code == (e.field.ends_with(".operator") ? error_code::not_supported : error_code::invalid));
    // An unbuildable term matches no node, whatever its labels and name.
    CHECK_FALSE(m.matches("n", {}));
    CHECK_FALSE(m.matches("n", {{"k", "5"}}));
    CHECK_FALSE(m.matches("", {{"k", "5"}}));
  }
}

TEST_CASE("§2.2: node-affinity Gt/Lt use Go ParseInt on the label; values may have leading zeros", "[affinity]") {
  const auto m = node_selector_matcher::make({.node_selector_terms = {labels_term({expr("cpu", op::gt, {"0206"})})}});
  CHECK(m.errors().empty());
  CHECK(m.matches("n", {{"cpu", "207"}}));
  CHECK(m.matches("n", {{"cpu", "+300"}}));
  CHECK_FALSE(m.matches("n", {{"cpu", "206"}}));
  CHECK_FALSE(m.matches("n", {{"cpu", "lots"}}));
  CHECK_FALSE(m.matches("n", {}));
}

TEST_CASE("§2.2 checklist 5: matchFields In/NotIn on metadata.name, ANDed with each other and the labels",
          "[affinity]") {
  struct row {
    const char* name;
    node_selector_term term;
    const char* node;
    label_map labels;
    bool match;
  };
  const row rows[] = {
      {"In, same name", fields_term({expr("metadata.name", op::in, {"n1"})}), "n1", {}, true},
      {"In, other name", fields_term({expr("metadata.name", op::in, {"n1"})}), "n2", {}, false},
      {"NotIn, same name", fields_term({expr("metadata.name", op::not_in, {"n1"})}), "n1", {}, false},
      {"NotIn, other name", fields_term({expr("metadata.name", op::not_in, {"n1"})}), "n2", {}, true},
      {"two fields ANDed", fields_term({expr("metadata.name", op::not_in, {"n1"}), expr("metadata.name", op::not_in, {"n2"})}),
       "n2", {}, false},
      {"two fields ANDed, neither", fields_term({expr("metadata.name", op::not_in, {"n1"}), expr("metadata.name", op::not_in, {"n2"})}),
       "n3", {}, true},
      // Keys are not checked at match time: any other key reads as the empty string.
      {"unknown key In \"\"", fields_term({expr("metadata.namespace", op::in, {""})}), "n1", {}, true},
      {"unknown key In x", fields_term({expr("spec.foo", op::in, {"x"})}), "n1", {}, false},
      {"unknown key NotIn x", fields_term({expr("spec.foo", op::not_in, {"x"})}), "n1", {}, true},
      {"fields and labels ANDed, label fails",
       {.match_expressions = {expr("a", op::exists)}, .match_fields = {expr("metadata.name", op::in, {"n1"})}},
       "n1", {}, false},
      {"fields and labels ANDed, both hold",
       {.match_expressions = {expr("a", op::exists)}, .match_fields = {expr("metadata.name", op::in, {"n1"})}},
       "n1", {{"a", ""}}, true},
      // The empty-name quirk: a node without a name has no fields; matchFields are skipped.
      {"empty name, In", fields_term({expr("metadata.name", op::in, {"n1"})}), "", {}, true},
      {"empty name, NotIn", fields_term({expr("metadata.name", op::not_in, {""})}), "", {}, true},
      {"empty name, labels still count",
       {.match_expressions = {expr("a", op::exists)}, .match_fields = {expr("metadata.name", op::in, {"n1"})}},
       "", {}, false},
      // matchExpressions on metadata.name test a label spelled that way, not the node's name.
      {"label named metadata.name, absent", labels_term({expr("metadata.name", op::in, {"n1"})}), "n1", {}, false},
      {"label named metadata.name, present", labels_term({expr("metadata.name", op::in, {"n1"})}), "other",
       {{"metadata.name", "n1"}}, true},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto m = node_selector_matcher::make({.node_selector_terms = {r.term}});
    REQUIRE(m.errors().empty());
    CHECK(m.matches(r.node, r.labels) == r.match);
  }
}

TEST_CASE("§2.2: label In accepts many values where field In accepts exactly one", "[affinity]") {
  const auto labels = node_selector_matcher::make({.node_selector_terms = {labels_term({expr("k", op::in, {"a", "b"})})}});
  CHECK(labels.errors().empty());
  CHECK(labels.matches("n", {{"k", "b"}}));
  const auto fields = node_selector_matcher::make({.node_selector_terms = {fields_term({expr("metadata.name", op::in, {"a", "b"})})}});
  CHECK_FALSE(fields.errors().empty());
  CHECK_FALSE(fields.matches("a", {}));
}
