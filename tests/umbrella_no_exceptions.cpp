// tests/umbrella_no_exceptions.cpp: the core umbrella built and run with -fno-exceptions (STYLE rule 12).
// Unlike the generated include-only TU, this one instantiates the templates (result<T> and its
// monadic helpers, the matchers, validation), so a `throw` anywhere in them fails the build. No
// core header needs exceptions. Exit status 0 when every check holds; no test framework, since
// Catch2 itself needs exceptions.
#include <cstdio>
#include <optional>
#include <string>

#include <daemonplan/daemonplan.hpp>

namespace {
int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  using namespace daemonplan;

  const result<int> three = 3;
  const result<int> bad = error{error_code::invalid, "spec", "bad"};
  check(three.has_value() && *three == 3, "result holds a value");
  check(!bad && bad.error().field == "spec", "result holds an error");
  check(three.transform([](int v) { return v * 2; }).value() == 6, "transform");
  check(bad.and_then([](int v) { return result<long>(v); }).error() == bad.error(), "and_then passes errors");

  const auto selector = label_selector_matcher::make(label_selector{.match_labels = {{"app", "web"}}});
  check(selector && selector->matches({{"app", "web"}}), "label selector");
  check(!label_selector_matcher::make(label_selector{.match_labels = {{"a b", "x"}}}), "bad label selector");

  daemon_set ds;
  ds.metadata.name = "web";
  ds.metadata.namespace_ = "default";
  ds.spec.selector = label_selector{.match_labels = {{"app", "web"}}};
  ds.spec.template_.metadata.labels = {{"app", "web"}};
  ds.spec.template_.spec.extra["containers"] = R"([{"name":"web"}])";
  ds = apply_defaults(ds);
  check(validate(ds).empty(), "valid DaemonSet");
  ds.spec.min_ready_seconds = -1;
  check(validate(ds).size() == 1, "one validation error");

  node n;
  n.metadata.name = "n1";
  n.taints = {{.key = "gpu", .value = "", .effect = taint_effect::no_schedule, .time_added = std::nullopt}};
  const auto verdict = daemon_placement::make(ds).evaluate(n);
  check(!verdict.should_run && verdict.should_continue_running, "placement verdict");
  check(scaled_value(from_string("10%"), 15, true).value() == 2, "scaled value");

  std::printf("no_exceptions: %d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
