// examples/01-match-selector.cpp: compile a DaemonSet's label selector once, match it against
// label sets, and see why a null selector and an empty one are opposites.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <daemonplan/daemonplan.hpp>

int main() {
  using namespace daemonplan;

  // spec.selector: {matchLabels: {app: fluentd}, matchExpressions: [{key: tier, operator: NotIn, values: [canary]}]}
  const label_selector selector{
      .match_labels = {{"app", "fluentd"}},
      .match_expressions = {{.key = "tier", .op = selector_operator::not_in, .values = {"canary"}}},
  };
  const auto matcher = label_selector_matcher::make(selector);  // parse once, match many
  if (!matcher) {
    std::printf("invalid selector: %s\n", to_string(matcher.error()).c_str());
    return 1;
  }

  struct labelled {
    std::string name;
    label_map labels;
  };
  const std::vector<labelled> pods{
      {"pod-a", {{"app", "fluentd"}, {"tier", "stable"}}},
      {"pod-b", {{"app", "fluentd"}, {"tier", "canary"}}},
      {"pod-c", {{"app", "fluentd"}}},  // NotIn matches an absent key
      {"pod-d", {{"app", "nginx"}}},
  };
  std::printf("selector: %s\n", to_string(selector).c_str());
  std::string selected;
  for (const auto& p : pods) {
    const bool match = matcher->matches(p.labels);
    std::printf("%s: %s\n", p.name.c_str(), match ? "match" : "no match");
    if (match) selected += (selected.empty() ? "" : ",") + p.name;
  }
  std::printf("selected: %s\n", selected.c_str());

  // A null selector selects nothing; an empty one ({}) selects everything.
  const auto nothing = label_selector_matcher::make(std::nullopt);
  const auto everything = label_selector_matcher::make(label_selector{});
  std::printf("null selector matches {}: %s\n", nothing->matches({}) ? "yes" : "no");
  std::printf("empty selector matches {}: %s\n", everything->matches({}) ? "yes" : "no");

  // A value that is not a label value cannot be compiled, even for NotIn.
  const auto bad = label_selector_matcher::make(label_selector{
      .match_expressions = {{.key = "tier", .op = selector_operator::not_in, .values = {"not a value"}}}});
  std::printf("bad selector: %s\n", bad ? "compiled" : bad.error().field.c_str());
  return 0;
}
