// tests/selector_test.cpp: label requirements and LabelSelector conversion (placement spec §1.2,
// §1.3, §1.4; checklist items 1 and 2).
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/selector.hpp>

using namespace daemonplan;
using op = selector_operator;

namespace {

label_requirement requirement(std::string key, op o, std::vector<std::string> values) {
  auto r = label_requirement::make(std::move(key), o, std::move(values));
  REQUIRE(r.has_value());
  return *r;
}

std::vector<std::string> fields_of(const std::vector<error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

bool selects(const std::optional<label_selector>& s, const label_map& labels) {
  auto m = label_selector_matcher::make(s);
  REQUIRE(m.has_value());
  return m->matches(labels);
}

}  // namespace

TEST_CASE("operators parse by their exact, case-sensitive API spelling", "[selector]") {
  for (auto o : {op::in, op::not_in, op::exists, op::does_not_exist, op::gt, op::lt})
    CHECK(parse_selector_operator(to_string(o)) == o);
  CHECK_FALSE(parse_selector_operator("in").has_value());
  CHECK_FALSE(parse_selector_operator("notin").has_value());
  CHECK_FALSE(parse_selector_operator("Equals").has_value());
  CHECK_FALSE(parse_selector_operator("").has_value());
}

// §1.3: one row per operator, one column per label-map situation.
TEST_CASE("§1.3 table: a requirement against a label map", "[selector]") {
  struct row {
    const char* name;
    label_requirement r;
    bool absent;           // key absent
    bool present_in;       // key present, value "a" (in the requirement's values)
    bool present_out;      // key present, value "z" (not in the values)
    bool present_empty;    // key present, value ""
  };
  const row rows[] = {
      {"In [a,b]", requirement("k", op::in, {"a", "b"}), false, true, false, false},
      {"NotIn [a,b]", requirement("k", op::not_in, {"a", "b"}), true, false, true, true},
      {"Exists", requirement("k", op::exists, {}), false, true, true, true},
      {"DoesNotExist", requirement("k", op::does_not_exist, {}), true, false, false, false},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(r.r.matches({}) == r.absent);
    CHECK(r.r.matches({{"other", "a"}}) == r.absent);
    CHECK(r.r.matches({{"k", "a"}}) == r.present_in);
    CHECK(r.r.matches({{"k", "z"}}) == r.present_out);
    CHECK(r.r.matches({{"k", ""}}) == r.present_empty);
  }
}

TEST_CASE("§1.3 table: Gt and Lt parse the label as a Go int64, failures are false", "[selector]") {
  const auto gt5 = requirement("k", op::gt, {"5"});
  const auto lt5 = requirement("k", op::lt, {"5"});
  CHECK_FALSE(gt5.matches({}));  // key absent
  CHECK_FALSE(lt5.matches({}));
  const std::pair<std::string, std::pair<bool, bool>> cases[] = {
      {"6", {true, false}},
      {"5", {false, false}},  // strict comparison
      {"4", {false, true}},
      {"+7", {true, false}},   // a sign is fine on the node's label value
      {"-3", {false, true}},
      {"0006", {true, false}},  // leading zeros
      {"", {false, false}},
      {"abc", {false, false}},
      {"5.0", {false, false}},
      {" 6", {false, false}},
      {"9223372036854775808", {false, false}},  // out of int64 range: no match, no clamp
      {"-9223372036854775808", {false, true}},
  };
  for (const auto& [label, expected] : cases) {
    INFO("label \"" << label << "\"");
    CHECK(gt5.matches({{"k", label}}) == expected.first);
    CHECK(lt5.matches({{"k", label}}) == expected.second);
  }
  // The requirement's own value may have leading zeros: "0206" is 206.
  CHECK(requirement("k", op::gt, {"0206"}).matches({{"k", "207"}}));
  CHECK_FALSE(requirement("k", op::gt, {"0206"}).matches({{"k", "206"}}));
}

TEST_CASE("§1.3 table: the zero-value requirement matches nothing", "[selector]") {
  const label_requirement zero{};
  CHECK_FALSE(zero.matches({}));
  CHECK_FALSE(zero.matches({{"", ""}}));
  CHECK_FALSE(zero.matches({{"k", "v"}}));
}

TEST_CASE("§1.3: Equals (matchLabels) behaves as In with one value", "[selector]") {
  const label_selector s{.match_labels = {{"app", "web"}}};
  CHECK(selects(s, {{"app", "web"}, {"x", "y"}}));
  CHECK_FALSE(selects(s, {{"app", "Web"}}));
  CHECK_FALSE(selects(s, {}));
}

TEST_CASE("§1.3: all requirements are ANDed; one key may appear in several requirements", "[selector]") {
  const label_selector s{.match_expressions = {{.key = "x", .op = op::exists, .values = {}},
                                               {.key = "x", .op = op::not_in, .values = {"a"}}}};
  CHECK(selects(s, {{"x", "b"}}));
  CHECK(selects(s, {{"x", ""}}));
  CHECK_FALSE(selects(s, {{"x", "a"}}));
  CHECK_FALSE(selects(s, {}));  // Exists fails although NotIn alone would match
}

TEST_CASE("§1.3: NotIn [\"\"] means absent, or present with a non-empty value", "[selector]") {
  const auto r = requirement("k", op::not_in, {""});
  CHECK(r.matches({}));
  CHECK(r.matches({{"k", "v"}}));
  CHECK_FALSE(r.matches({{"k", ""}}));
}

TEST_CASE("§1.2 checklist 1: a null selector selects nothing, an empty one everything", "[selector]") {
  const auto null_matcher = label_selector_matcher::make(std::nullopt);
  REQUIRE(null_matcher.has_value());
  CHECK(null_matcher->selects_nothing());
  CHECK_FALSE(null_matcher->matches({}));  // not even the empty label set
  CHECK_FALSE(null_matcher->matches({{"a", "b"}}));

  const auto empty_matcher = label_selector_matcher::make(label_selector{});
  REQUIRE(empty_matcher.has_value());
  CHECK(empty_matcher->selects_everything());
  CHECK_FALSE(empty_matcher->selects_nothing());
  CHECK(empty_matcher->matches({}));
  CHECK(empty_matcher->matches({{"a", "b"}}));
}

TEST_CASE("§1.2: requirement order does not change matching", "[selector]") {
  const label_selector_requirement a{.key = "b", .op = op::in, .values = {"1"}};
  const label_selector_requirement b{.key = "a", .op = op::does_not_exist, .values = {}};
  const label_selector ab{.match_expressions = {a, b}};
  const label_selector ba{.match_expressions = {b, a}};
  for (const label_map& labels : {label_map{{"b", "1"}}, label_map{{"b", "1"}, {"a", "x"}}, label_map{}}) {
    CHECK(selects(ab, labels) == selects(ba, labels));
  }
  // Requirements are kept sorted by key (the string form's order).
  const auto m = label_selector_matcher::make(ab);
  REQUIRE(m.has_value());
  REQUIRE(m->requirements().size() == 2);
  CHECK(m->requirements()[0].key() == "a");
}

TEST_CASE("§1.2: conversion fails on the first bad requirement; Gt and Lt are not LabelSelector operators", "[selector]") {
  SECTION("Gt in a LabelSelector") {
    const label_selector s{.match_expressions = {{.key = "k", .op = op::gt, .values = {"1"}}}};
    const auto m = label_selector_matcher::make(s);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().field == "matchExpressions[0].operator");
  }
  SECTION("an invalid matchLabels key") {
    const label_selector s{.match_labels = {{"bad key", "v"}}};
    const auto m = label_selector_matcher::make(s);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().field == "matchLabels");
  }
  SECTION("an invalid value even for NotIn") {
    const label_selector s{.match_labels = {{"ok", "v"}},
                           .match_expressions = {{.key = "k", .op = op::not_in, .values = {"a b"}}}};
    const auto m = label_selector_matcher::make(s);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().code == error_code::invalid);
    CHECK(m.error().field == "matchExpressions[0].values[0][k]");
  }
  SECTION("In without values") {
    const label_selector s{.match_expressions = {{.key = "k", .op = op::in, .values = {}}}};
    const auto m = label_selector_matcher::make(s);
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().field == "matchExpressions[0].values");
  }
}

// §1.4: NewRequirement's construction rules, all errors collected, relative paths.
TEST_CASE("§1.4 table: requirement construction rules", "[selector]") {
  struct row {
    const char* name;
    std::string key;
    op o;
    std::vector<std::string> values;
    std::vector<std::string> fields;  // expected error fields, in order
  };
  const std::string v64(64, 'v');
  const row rows[] = {
      {"valid In", "k", op::in, {"a", "b"}, {}},
      {"bad key", "a b", op::in, {"x"}, {"key"}},
      {"In without values", "k", op::in, {}, {"values"}},
      {"NotIn without values", "k", op::not_in, {}, {"values"}},
      {"Exists with a value", "k", op::exists, {"x"}, {"values"}},
      {"DoesNotExist with a value", "k", op::does_not_exist, {"x"}, {"values"}},
      {"Exists without values", "k", op::exists, {}, {}},
      {"Gt with one integer", "k", op::gt, {"10"}, {}},
      {"Gt with leading zeros", "k", op::gt, {"0206"}, {}},
      {"Gt without values", "k", op::gt, {}, {"values"}},
      {"Lt with two values", "k", op::lt, {"1", "2"}, {"values"}},
      {"Gt with a non-integer", "k", op::gt, {"x"}, {"values[0]"}},
      // "-5" parses as an integer but is not a label value.
      {"Gt with -5", "k", op::gt, {"-5"}, {"values[0][k]"}},
      {"Lt with +5", "k", op::lt, {"+5"}, {"values[0][k]"}},
      {"NotIn with a space", "k", op::not_in, {"ok", "a b"}, {"values[1][k]"}},
      {"In with 64 bytes", "k", op::in, {v64}, {"values[0][k]"}},
      {"every error collected", "-k", op::exists, {"a b"}, {"key", "values", "values[0][-k]"}},
      {"Gt non-integer, not a label value", "k", op::gt, {"1.5"}, {"values[0]"}},
      {"Gt empty value", "k", op::gt, {""}, {"values[0]"}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto errors = label_requirement::check(r.key, r.o, r.values);
    CHECK(fields_of(errors) == r.fields);
    for (const auto& e : errors) CHECK(e.code == (e.field == "operator" ? error_code::not_supported : error_code::invalid));
    const auto made = label_requirement::make(r.key, r.o, r.values);
    CHECK(made.has_value() == r.fields.empty());
    if (!made) CHECK(made.error() == errors.front());
  }
}

TEST_CASE("§1.4: a Gt requirement with \"-1\" can never be built, so it never matches", "[selector]") {
  CHECK_FALSE(label_requirement::make("k", op::gt, {"-1"}).has_value());
  CHECK_FALSE(label_requirement::check("k", op::gt, {"-1"}).empty());
}

TEST_CASE("to_string(label_requirement) uses the apimachinery notation", "[selector]") {
  CHECK(to_string(requirement("k", op::in, {"b", "a"})) == "k in (a,b)");
  CHECK(to_string(requirement("k", op::not_in, {"a"})) == "k notin (a)");
  CHECK(to_string(requirement("k", op::exists, {})) == "k");
  CHECK(to_string(requirement("k", op::does_not_exist, {})) == "!k");
  CHECK(to_string(requirement("k", op::gt, {"5"})) == "k>5");
  CHECK(to_string(requirement("k", op::lt, {"5"})) == "k<5");
}
