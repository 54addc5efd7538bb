// tests/daemonset_test.cpp: the DaemonSet value type, apps/v1 defaulting and the template
// generation annotation (placement spec §5.1).
#include <optional>

#include <catch2/catch.hpp>

#include <daemonplan/daemonset.hpp>

using namespace daemonplan;

TEST_CASE("strategy types parse by their exact spelling", "[daemonset]") {
  CHECK(parse_update_strategy_type("RollingUpdate") == update_strategy_type::rolling_update);
  CHECK(parse_update_strategy_type("OnDelete") == update_strategy_type::on_delete);
  CHECK_FALSE(parse_update_strategy_type("rollingUpdate").has_value());
  CHECK_FALSE(parse_update_strategy_type("").has_value());
  CHECK(to_string(update_strategy_type::on_delete) == "OnDelete");
  CHECK(to_string(update_strategy_type::rolling_update) == "RollingUpdate");
}

TEST_CASE("§5.1: an empty DaemonSet gets RollingUpdate 1/0 and revisionHistoryLimit 10", "[daemonset]") {
  const auto ds = apply_defaults(daemon_set{});
  const auto& strategy = ds.spec.update_strategy;
  CHECK(strategy.type == update_strategy_type::rolling_update);
  REQUIRE(strategy.rolling_update.has_value());
  CHECK(strategy.rolling_update->max_unavailable == from_int(1));
  CHECK(strategy.rolling_update->max_surge == from_int(0));
  CHECK(ds.spec.revision_history_limit == 10);
  CHECK(ds.spec.template_.spec.restart_policy == "Always");  // pod template default
  CHECK_FALSE(ds.spec.selector.has_value());                   // apps/v1 never defaults the selector
}

TEST_CASE("§5.1 table: defaulting fills only what is null", "[daemonset]") {
  SECTION("RollingUpdate with maxSurge set keeps it and fills maxUnavailable") {
    daemon_set ds;
    ds.spec.update_strategy = {.type = update_strategy_type::rolling_update,
                               .rolling_update = rolling_update_daemon_set{.max_unavailable = std::nullopt,
                                                                           .max_surge = from_string("25%")}};
    const auto d = apply_defaults(ds);
    CHECK(d.spec.update_strategy.rolling_update->max_unavailable == from_int(1));
    CHECK(d.spec.update_strategy.rolling_update->max_surge == from_string("25%"));
  }
  SECTION("RollingUpdate with maxUnavailable set keeps it and fills maxSurge") {
    daemon_set ds;
    ds.spec.update_strategy = {.type = std::nullopt,
                               .rolling_update = rolling_update_daemon_set{.max_unavailable = from_string("10%"),
                                                                           .max_surge = std::nullopt}};
    const auto d = apply_defaults(ds);
    CHECK(d.spec.update_strategy.type == update_strategy_type::rolling_update);
    CHECK(d.spec.update_strategy.rolling_update->max_unavailable == from_string("10%"));
    CHECK(d.spec.update_strategy.rolling_update->max_surge == from_int(0));
  }
  SECTION("explicit zeros are kept") {
    daemon_set ds;
    ds.spec.update_strategy.rolling_update = rolling_update_daemon_set{.max_unavailable = from_int(0), .max_surge = from_int(0)};
    ds.spec.revision_history_limit = 0;
    const auto d = apply_defaults(ds);
    CHECK(d.spec.update_strategy.rolling_update->max_unavailable == from_int(0));
    CHECK(d.spec.revision_history_limit == 0);
  }
  SECTION("OnDelete gets no rollingUpdate block, and a present one is left alone") {
    daemon_set ds;
    ds.spec.update_strategy.type = update_strategy_type::on_delete;
    CHECK_FALSE(apply_defaults(ds).spec.update_strategy.rolling_update.has_value());
    ds.spec.update_strategy.rolling_update = rolling_update_daemon_set{};
    const auto d = apply_defaults(ds);
    REQUIRE(d.spec.update_strategy.rolling_update.has_value());
    CHECK_FALSE(d.spec.update_strategy.rolling_update->max_unavailable.has_value());
  }
  SECTION("a set restartPolicy and selector are kept") {
    daemon_set ds;
    ds.spec.template_.spec.restart_policy = "Never";
    ds.spec.selector = label_selector{};
    const auto d = apply_defaults(ds);
    CHECK(d.spec.template_.spec.restart_policy == "Never");
    CHECK(d.spec.selector == label_selector{});
  }
  SECTION("defaulting is idempotent") {
    const auto once = apply_defaults(daemon_set{});
    CHECK(apply_defaults(once) == once);
  }
}

TEST_CASE("the template generation comes from the deprecated.daemonset.template.generation annotation", "[daemonset]") {
  daemon_set ds;
  CHECK_FALSE(template_generation(ds).has_value());
  ds.metadata.annotations[std::string(template_generation_annotation)] = "3";
  CHECK(template_generation(ds) == 3);
  ds.metadata.annotations[std::string(template_generation_annotation)] = "-1";
  CHECK(template_generation(ds) == -1);
  ds.metadata.annotations[std::string(template_generation_annotation)] = "three";
  CHECK_FALSE(template_generation(ds).has_value());
  CHECK(template_generation_annotation == "deprecated.daemonset.template.generation");
}
