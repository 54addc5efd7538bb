// rollout.hpp: the revision, old versus new (§4.5), the budgets (§4.1), and the delete-first (§4.3)
// and create-first (§4.4) algorithms on hand-built node→pods maps.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/rollout.hpp>

using namespace daemonplan;

namespace {

timestamp at(long long s) { return timestamp{std::chrono::seconds{s}}; }

daemon_set strategy(std::optional<int_or_percent> max_unavailable, std::optional<int_or_percent> max_surge,
                    update_strategy_type type = update_strategy_type::rolling_update) {
  daemon_set ds;
  ds.spec.update_strategy = {.type = type, .rolling_update = rolling_update_daemon_set{max_unavailable, max_surge}};
  return ds;
}

/// A pod labelled with `revision`, Ready (since `ready_since`) or not.
pod daemon_pod(std::string name, std::string revision, bool ready, bool terminating = false) {
  pod p{.metadata = {.name = std::move(name), .labels = {{std::string(revision_hash_label), std::move(revision)}}}};
  if (ready) p.conditions.push_back({.type = "Ready", .status = condition_status::true_, .last_transition_time = at(0)});
  if (terminating) p.metadata.deletion_timestamp = at(0);
  return p;
}

/// A map entry over `pods` (which must outlive it).
rollout_node entry(std::string_view name, const std::vector<const pod*>& pods, bool should_run = true, bool exists = true) {
  return {.node = name, .exists = exists, .should_run = should_run, .pods = pods};
}

const rollout_context ctx{.revision = "new", .now = at(100)};

std::vector<std::string> deleted(const rollout_step& s) {
  std::vector<std::string> out;
  for (const auto& d : s.deletes) out.push_back(d.object->metadata.name + ":" + std::string(to_string(d.reason)));
  return out;
}

}  // namespace

TEST_CASE("current_revision: the supplied revision, else the template hash", "[rollout]") {
  daemon_set ds;
  ds.revision = "abc123";
  CHECK(current_revision(ds) == "abc123");
  ds.revision.clear();
  const auto computed = current_revision(ds);
  CHECK_FALSE(computed.empty());
  CHECK(current_revision(ds) == computed);  // stable
  for (char c : computed) CHECK(std::string_view("bcdfghjklmnpqrstvwxz2456789").find(c) != std::string_view::npos);
}

TEST_CASE("template_hash: every part of the template and the collision count change it", "[rollout]") {
  const pod_template base{};
  const auto h = detail::template_hash(base, std::nullopt);
  auto changed = [&](auto mutate) {
    pod_template t = base;
    mutate(t);
    return detail::template_hash(t, std::nullopt) != h;
  };
  CHECK(changed([](pod_template& t) { t.metadata.labels["a"] = "b"; }));
  CHECK(changed([](pod_template& t) { t.metadata.annotations["a"] = "b"; }));
  CHECK(changed([](pod_template& t) { t.metadata.extra["finalizers"] = R"(["x"])"; }));
  CHECK(changed([](pod_template& t) { t.spec.extra["containers"] = R"([{"image":"a"}])"; }));
  CHECK(changed([](pod_template& t) { t.spec.tolerations.push_back({.key = "k"}); }));
  CHECK(changed([](pod_template& t) { t.spec.node_selector["zone"] = "a"; }));
  CHECK(changed([](pod_template& t) { t.spec.host_network = true; }));
  CHECK(changed([](pod_template& t) { t.spec.affinity.emplace(); }));
  CHECK(changed([](pod_template& t) { t.spec.affinity = affinity{.extra = {{"podAntiAffinity", "{}"}}}; }));
  // field boundaries are part of the serialization: moving a byte between fields changes the hash
  pod_template ab = base, a_b = base;
  ab.metadata.labels["ab"] = "";
  a_b.metadata.labels["a"] = "b";
  CHECK(detail::template_hash(ab, std::nullopt) != detail::template_hash(a_b, std::nullopt));
  CHECK(detail::template_hash(base, 0) != h);
  CHECK(detail::template_hash(base, 1) != detail::template_hash(base, 0));
}

TEST_CASE("template_hash: FNV-1a 64 and SafeEncodeString as published", "[rollout]") {
  // FNV-1a 64 test vectors (Fowler, Noll, Vo): offset basis, "a", "foobar"
  detail::fnv1a64 empty;
  CHECK(empty.value() == 0xcbf29ce484222325ULL);
  detail::fnv1a64 a;
  a.byte('a');
  CHECK(a.value() == 0xaf63dc4c8601ec8cULL);
  detail::fnv1a64 foobar;
  for (char c : std::string_view("foobar")) foobar.byte(static_cast<unsigned char>(c));
  CHECK(foobar.value() == 0x85944171f73967e8ULL);
  // SafeEncodeString maps c to alphabet[c % 27]: '0' (48) is index 21, '9' (57) index 3
  CHECK(detail::safe_encode("0123456789") == "456789bcdf");
}

TEST_CASE("is_pod_updated: hash label or template generation label (§4.5)", "[rollout]") {
  pod p{.metadata = {.labels = {{"controller-revision-hash", "h1"}, {"pod-template-generation", "3"}}}};
  CHECK(is_pod_updated(p, "h1", std::nullopt));
  CHECK_FALSE(is_pod_updated(p, "h2", std::nullopt));
  CHECK(is_pod_updated(p, "h2", 3));
  CHECK_FALSE(is_pod_updated(p, "h2", 4));
  const pod unlabelled;
  CHECK_FALSE(is_pod_updated(unlabelled, "", std::nullopt));  // an empty revision matches nothing
}

TEST_CASE("allows_surge: maxSurge scaled against one node is positive", "[rollout]") {
  CHECK(allows_surge(strategy(from_int(0), from_int(1))));
  CHECK(allows_surge(strategy(from_int(0), from_string("1%"))));
  CHECK_FALSE(allows_surge(strategy(from_int(1), from_int(0))));
  CHECK_FALSE(allows_surge(strategy(from_int(1), std::nullopt)));
  CHECK_FALSE(allows_surge(strategy(from_int(0), from_string("abc"))));
  CHECK_FALSE(allows_surge(strategy(std::nullopt, from_int(1), update_strategy_type::on_delete)));
  daemon_set no_rolling_update;
  no_rolling_update.spec.update_strategy.type = update_strategy_type::rolling_update;
  CHECK_FALSE(allows_surge(no_rolling_update));
}

TEST_CASE("rollout_budget_for: upstream's TestGetUnavailableNumbers", "[rollout]") {
  using b = rollout_budget;
  CHECK(*rollout_budget_for(strategy(from_int(0), std::nullopt), 0) == b{0, 0});                  // no nodes
  CHECK(*rollout_budget_for(strategy(from_int(1), std::nullopt), 2) == b{0, 1});                  // two nodes
  CHECK(*rollout_budget_for(strategy(from_int(0), std::nullopt), 2) == b{0, 1});                  // both 0: fallback 1
  CHECK(*rollout_budget_for(strategy(from_int(0), from_int(0)), 2) == b{0, 1});                   // surge 0: fallback
  CHECK(*rollout_budget_for(strategy(from_string("50%"), std::nullopt), 2) == b{0, 1});
  CHECK(*rollout_budget_for(strategy(from_int(0), from_string("50%")), 2) == b{1, 0});
  CHECK(*rollout_budget_for(strategy(from_int(0), from_string("100%")), 2) == b{2, 0});
  CHECK(*rollout_budget_for(strategy(from_string("50%"), std::nullopt), 3) == b{0, 2});           // rounds up
  CHECK(*rollout_budget_for(strategy(from_int(7), std::nullopt), 3) == b{0, 7});                  // ints not capped
  CHECK(*rollout_budget_for(strategy(from_string("10%"), std::nullopt), 0) == b{0, 0});
}

TEST_CASE("rollout_budget_for: errors name the field", "[rollout]") {
  const auto null_unavailable = rollout_budget_for(strategy(std::nullopt, from_int(1)), 3);
  REQUIRE_FALSE(null_unavailable.has_value());
  CHECK(null_unavailable.error().field == "spec.updateStrategy.rollingUpdate.maxUnavailable");
  const auto bad_surge = rollout_budget_for(strategy(from_int(0), from_string("5")), 3);
  REQUIRE_FALSE(bad_surge.has_value());
  CHECK(bad_surge.error().field == "spec.updateStrategy.rollingUpdate.maxSurge");
  // OnDelete has no budget: both 0, then the fallback
  CHECK(*rollout_budget_for(strategy(std::nullopt, std::nullopt, update_strategy_type::on_delete), 3) == rollout_budget{0, 1});
}

// plan_rollout itself keeps upstream's "any other type: nothing" for an unset type; reconcile()
// never passes one, since it works on apply_defaults(ds) (reconcile_test, conformance
// rollout-unset-strategy-defaults.yaml).
TEST_CASE("plan_rollout: OnDelete and an unset strategy type plan nothing", "[rollout]") {
  const pod old = daemon_pod("old", "v1", true);
  const std::vector<const pod*> pods{&old};
  const std::vector<rollout_node> nodes{entry("n1", pods)};
  CHECK(*plan_rollout(strategy(from_int(1), std::nullopt, update_strategy_type::on_delete), nodes, ctx) == rollout_step{});
  daemon_set unset = strategy(from_int(1), std::nullopt);
  unset.spec.update_strategy.type.reset();
  CHECK(*plan_rollout(unset, nodes, ctx) == rollout_step{});
}

TEST_CASE("plan_rollout: the delete-first table (§4.3)", "[rollout]") {
  const pod new_ready = daemon_pod("new-ready", "new", true);
  const pod new_unready = daemon_pod("new-unready", "new", false);
  const pod old_ready_1 = daemon_pod("old-ready-1", "v1", true);
  const pod old_ready_2 = daemon_pod("old-ready-2", "v1", true);
  const pod old_ready_3 = daemon_pod("old-ready-3", "v1", true);
  const pod old_unready = daemon_pod("old-unready", "v1", false);
  const pod old_going = daemon_pod("old-going", "v1", true, true);
  const pod excess = daemon_pod("excess", "new", true);

  SECTION("available old pods up to maxUnavailable, first in map order") {
    const std::vector<const pod*> a{&old_ready_1}, b{&old_ready_2}, c{&old_ready_3};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b), entry("c", c)};
    CHECK(deleted(*plan_rollout(strategy(from_int(2), std::nullopt), nodes, ctx)) ==
          std::vector<std::string>{"old-ready-1:RollingUpdate", "old-ready-2:RollingUpdate"});
  }
  SECTION("unavailable entries use the budget: empty node, terminating-only, excess, old+new, new unready") {
    const std::vector<const pod*> none, going{&old_going}, two_new{&new_ready, &excess}, both{&old_ready_2, &new_unready},
        unready{&new_unready}, candidate{&old_ready_1};
    const std::vector<rollout_node> base{entry("a", none), entry("b", going), entry("c", two_new), entry("d", both),
                                         entry("e", unready), entry("f", candidate)};
    CHECK(plan_rollout(strategy(from_int(5), std::nullopt), base, ctx)->deletes.empty());
    CHECK(deleted(*plan_rollout(strategy(from_int(6), std::nullopt), base, ctx)) == std::vector<std::string>{"old-ready-1:RollingUpdate"});
  }
  SECTION("an available new pod uses nothing") {
    const std::vector<const pod*> ready{&new_ready}, candidate{&old_ready_1};
    const std::vector<rollout_node> nodes{entry("a", ready), entry("b", candidate)};
    CHECK(deleted(*plan_rollout(strategy(from_int(1), std::nullopt), nodes, ctx)) == std::vector<std::string>{"old-ready-1:RollingUpdate"});
  }
  SECTION("unavailable old pods are always replaced and count against the budget") {
    const std::vector<const pod*> a{&old_ready_1}, b{&old_unready}, c{&old_ready_2}, d{&old_ready_3};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b), entry("c", c), entry("d", d)};
    CHECK(deleted(*plan_rollout(strategy(from_int(2), std::nullopt), nodes, ctx)) ==
          std::vector<std::string>{"old-unready:RollingUpdate", "old-ready-1:RollingUpdate"});
    CHECK(deleted(*plan_rollout(strategy(from_int(1), std::nullopt), nodes, ctx)) == std::vector<std::string>{"old-unready:RollingUpdate"});
  }
  SECTION("a candidate is skipped once the running unavailable count reaches the budget") {
    const std::vector<const pod*> a{&old_unready}, b{&old_ready_1};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b)};
    CHECK(deleted(*plan_rollout(strategy(from_int(1), std::nullopt), nodes, ctx)) == std::vector<std::string>{"old-unready:RollingUpdate"});
  }
  SECTION("minReadySeconds: Ready but not yet available old pods are replaced at once") {
    pod fresh = daemon_pod("fresh", "v1", true);
    fresh.conditions.front().last_transition_time = at(95);
    const std::vector<const pod*> a{&fresh}, b{&old_ready_1};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b)};
    daemon_set ds = strategy(from_int(1), std::nullopt);
    ds.spec.min_ready_seconds = 10;
    CHECK(deleted(*plan_rollout(ds, nodes, ctx)) == std::vector<std::string>{"fresh:RollingUpdate"});
  }
}

TEST_CASE("plan_rollout: the create-first branches (§4.4)", "[rollout]") {
  const pod new_ready = daemon_pod("new-ready", "new", true);
  const pod new_unready = daemon_pod("new-unready", "new", false);
  const pod old_a = daemon_pod("old-a", "v1", true);
  const pod old_b = daemon_pod("old-b", "v1", true);
  const pod old_c = daemon_pod("old-c", "v1", true);
  const pod old_unready = daemon_pod("old-unready", "v1", false);
  const auto surge = [](int n) { return strategy(from_int(0), from_int(n)); };

  SECTION("candidates up to maxSurge minus surges in flight") {
    const std::vector<const pod*> a{&old_a}, b{&old_b}, c{&old_c}, in_flight{&old_a, &new_unready};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b), entry("c", c), entry("d", in_flight)};
    const auto step = *plan_rollout(surge(2), nodes, ctx);
    CHECK(step.creates == std::vector<std::size_t>{0});  // d's surge uses one of the two
    CHECK(step.budget == rollout_budget{2, 0});
  }
  SECTION("an unavailable old pod gets a new pod beyond the budget") {
    const std::vector<const pod*> a{&old_unready}, b{&old_unready}, c{&old_a};
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", b), entry("c", c)};
    CHECK(plan_rollout(surge(1), nodes, ctx)->creates == std::vector<std::size_t>{0, 1, 2});
  }
  SECTION("an old pod beside an available new pod is deleted") {
    const std::vector<const pod*> both{&old_a, &new_ready};
    const std::vector<rollout_node> nodes{entry("a", both)};
    CHECK(deleted(*plan_rollout(surge(1), nodes, ctx)) == std::vector<std::string>{"old-a:SurgeReplaced"});
  }
  SECTION("where the new template should not run: unavailable old pods go, available ones once capacity allows") {
    const std::vector<const pod*> unready{&old_unready}, ready_here{&old_a}, b{&old_b}, c{&old_c};
    const std::vector<rollout_node> enough{entry("x", unready, false), entry("y", ready_here, false), entry("b", b), entry("c", c)};
    // desired 2 (b, c), available 3 (y, b, c): one should-not-run pod may go
    CHECK(deleted(*plan_rollout(surge(1), enough, ctx)) ==
          std::vector<std::string>{"old-unready:NodeIneligible", "old-a:NodeIneligible"});
    const std::vector<rollout_node> short_of{entry("y", ready_here, false), entry("b", unready)};
    // desired 1, available 1: the pod stays; b's unavailable pod is replaced
    const auto step = *plan_rollout(surge(1), short_of, ctx);
    CHECK(step.deletes.empty());
    CHECK(step.creates == std::vector<std::size_t>{1});
  }
  SECTION("excess pods count as a surge") {
    const std::vector<const pod*> excess{&new_ready, &new_unready}, a{&old_a};
    const std::vector<rollout_node> nodes{entry("x", excess), entry("a", a)};
    CHECK(plan_rollout(surge(1), nodes, ctx)->creates.empty());
  }
  SECTION("an old-only pod on a vanished node fails the rollout; new pods there do not") {
    const std::vector<const pod*> lost{&old_a}, fine{&new_ready};
    const std::vector<rollout_node> bad{entry("gone", lost, false, false)};
    const auto failed = plan_rollout(surge(1), bad, ctx);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().message.find("gone") != std::string::npos);
    const std::vector<rollout_node> good{entry("gone", fine, false, false)};
    CHECK(plan_rollout(surge(1), good, ctx).has_value());
  }
  SECTION("desired counts only existing nodes that should run") {
    const std::vector<const pod*> a{&old_a}, none;
    const std::vector<rollout_node> nodes{entry("a", a), entry("b", none, false), entry("gone", none, true, false)};
    CHECK(plan_rollout(strategy(from_int(0), from_string("100%")), nodes, ctx)->budget == rollout_budget{1, 0});
  }
}
