// tests/taint_test.cpp: taints, tolerations and the matching rules (placement spec §3.1, §3.2,
// §3.3; checklist item 7).
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/taint.hpp>

using namespace daemonplan;
using eff = taint_effect;

namespace {
toleration exists(std::string key, std::optional<eff> effect = std::nullopt) {
  return {.key = std::move(key), .op = toleration_operator::exists, .value = {}, .effect = effect};
}
toleration equal(std::string key, std::string value, std::optional<eff> effect = std::nullopt) {
  return {.key = std::move(key), .op = toleration_operator::equal, .value = std::move(value), .effect = effect};
}
}  // namespace

TEST_CASE("§3.1: effects and operators parse only by their exact API spelling", "[taint]") {
  for (auto e : {eff::no_schedule, eff::prefer_no_schedule, eff::no_execute}) CHECK(parse_taint_effect(to_string(e)) == e);
  CHECK_FALSE(parse_taint_effect("NoExecuet").has_value());
  CHECK_FALSE(parse_taint_effect("NoScheduleNoAdmit").has_value());  // commented out upstream
  CHECK_FALSE(parse_taint_effect("noschedule").has_value());
  CHECK_FALSE(parse_taint_effect("").has_value());

  CHECK(parse_toleration_operator("") == toleration_operator::equal);  // empty means Equal
  CHECK(parse_toleration_operator("Equal") == toleration_operator::equal);
  CHECK(parse_toleration_operator("Exists") == toleration_operator::exists);
  CHECK_FALSE(parse_toleration_operator("exists").has_value());
  CHECK_FALSE(parse_toleration_operator("Lt").has_value());  // gated alpha operators: unsupported
  CHECK_FALSE(parse_toleration_operator("Gt").has_value());
}

// §3.2 ToleratesTaint, one row per rule.
TEST_CASE("§3.2 table: ToleratesTaint", "[taint]") {
  struct row {
    const char* name;
    toleration t;
    taint x;
    bool tolerated;
  };
  const taint gpu{.key = "gpu", .value = "true", .effect = eff::no_schedule};
  const row rows[] = {
      {"same key, value and effect", equal("gpu", "true", eff::no_schedule), gpu, true},
      {"effect differs", equal("gpu", "true", eff::no_execute), gpu, false},
      {"empty effect matches NoSchedule", equal("gpu", "true"), gpu, true},
      {"empty effect matches NoExecute", equal("gpu", "true"), {.key = "gpu", .value = "true", .effect = eff::no_execute}, true},
      {"empty effect matches PreferNoSchedule", exists("gpu"), {.key = "gpu", .value = "", .effect = eff::prefer_no_schedule}, true},
      {"key differs", equal("tpu", "true"), gpu, false},
      {"Equal compares values byte for byte", equal("gpu", "True"), gpu, false},
      {"Equal with the empty value vs a valued taint", equal("gpu", ""), gpu, false},
      {"Equal with the empty value vs an unvalued taint", equal("gpu", ""), {.key = "gpu", .value = "", .effect = eff::no_schedule}, true},
      {"Exists ignores the value", exists("gpu"), gpu, true},
      {"Exists with effect, same effect", exists("gpu", eff::no_schedule), gpu, true},
      {"Exists with effect, other effect", exists("gpu", eff::prefer_no_schedule), gpu, false},
      {"empty key + Exists tolerates everything", exists(""), gpu, true},
      {"empty key + Exists + effect", exists("", eff::no_execute), gpu, false},
      // Validation forbids it, matching does not: any key whose taint value is equal.
      {"empty key + Equal, same value", equal("", "true"), gpu, true},
      {"empty key + Equal, other value", equal("", "false"), gpu, false},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(tolerates(r.t, r.x) == r.tolerated);
    // tolerationSeconds never takes part in matching.
    auto timed = r.t;
    timed.toleration_seconds = 0;
    CHECK(tolerates(timed, r.x) == r.tolerated);
    timed.toleration_seconds = -5;
    CHECK(tolerates(timed, r.x) == r.tolerated);
  }
}

TEST_CASE("§3.2: TolerationsTolerateTaint is an OR; an empty list tolerates nothing", "[taint]") {
  const taint x{.key = "a", .value = "1", .effect = eff::no_execute};
  CHECK_FALSE(tolerated_by_any({}, x));
  const std::vector<toleration> list{equal("b", "1"), equal("a", "2"), exists("a", eff::no_execute)};
  CHECK(tolerated_by_any(list, x));
  CHECK_FALSE(tolerated_by_any(std::span(list).first(2), x));
}

TEST_CASE("§3.2: FindMatchingUntoleratedTaint returns the first kept untolerated taint in node order", "[taint]") {
  const std::vector<taint> taints{
      {.key = "soft", .value = "", .effect = eff::prefer_no_schedule},
      {.key = "ok", .value = "", .effect = eff::no_schedule},
      {.key = "first", .value = "", .effect = eff::no_schedule},
      {.key = "second", .value = "", .effect = eff::no_execute},
  };
  const std::vector<toleration> tolerations{exists("ok")};
  const auto all = [](const taint&) { return true; };
  const auto hard = [](const taint& t) { return t.effect != eff::prefer_no_schedule; };
  const auto execute = [](const taint& t) { return t.effect == eff::no_execute; };
  CHECK(first_untolerated_taint(taints, tolerations, all) == &taints[0]);
  CHECK(first_untolerated_taint(taints, tolerations, hard) == &taints[2]);
  CHECK(first_untolerated_taint(taints, tolerations, execute) == &taints[3]);
  const std::vector<toleration> everything{exists("")};
  CHECK(first_untolerated_taint(taints, everything, all) == nullptr);
  CHECK(first_untolerated_taint({}, tolerations, all) == nullptr);
}

TEST_CASE("§3.3: MatchToleration ignores tolerationSeconds only; MatchTaint is (key, effect)", "[taint]") {
  auto a = exists("k", eff::no_execute);
  auto b = a;
  b.toleration_seconds = 300;
  CHECK(same_identity(a, b));
  b = a;
  b.effect = std::nullopt;
  CHECK_FALSE(same_identity(a, b));
  b = a;
  b.key = "j";
  CHECK_FALSE(same_identity(a, b));
  CHECK_FALSE(same_identity(equal("k", "v"), equal("k", "w")));
  CHECK_FALSE(same_identity(equal("k", ""), exists("k")));

  const taint x{.key = "k", .value = "1", .effect = eff::no_schedule};
  CHECK(same_identity(x, taint{.key = "k", .value = "2", .effect = eff::no_schedule}));
  CHECK_FALSE(same_identity(x, taint{.key = "k", .value = "1", .effect = eff::no_execute}));
  CHECK_FALSE(same_identity(x, taint{.key = "j", .value = "1", .effect = eff::no_schedule}));
}

TEST_CASE("§3.3: taint string form", "[taint]") {
  CHECK(to_string(taint{.key = "k", .value = "v", .effect = eff::no_schedule}) == "k=v:NoSchedule");
  CHECK(to_string(taint{.key = "k", .value = "", .effect = eff::no_execute}) == "k:NoExecute");
  CHECK(to_string(taint{.key = "k", .value = "", .effect = eff::prefer_no_schedule}) == "k:PreferNoSchedule");
}

TEST_CASE("toleration string form", "[taint]") {
  CHECK(to_string(exists("")) == "*");
  CHECK(to_string(exists("k", eff::no_execute)) == "k:NoExecute");
  CHECK(to_string(equal("k", "v", eff::no_schedule)) == "k=v:NoSchedule");
  auto timed = exists("k", eff::no_execute);
  timed.toleration_seconds = 300;
  CHECK(to_string(timed) == "k:NoExecute for 300s");
}
