// tests/fixtures_test.cpp: the fixture lookup, and the example manifest that must stay an
// unchanged copy of its seed fixture.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "support/fixtures.hpp"

TEST_CASE("a missing fixture is reported as absent, not as an error", "[fixtures]") {
  CHECK_FALSE(daemonplan::test::fixture("no-such-dir/no-such-file.yaml").has_value());
}

TEST_CASE("examples/daemonset-example.yaml is the seed fixture, byte for byte", "[fixtures]") {
  DAEMONPLAN_FIXTURE_OR_SKIP(seed, "seed/daemonset-example.yaml");
  const auto example = std::filesystem::path(DAEMONPLAN_SOURCE_DIR) / "examples" / "daemonset-example.yaml";
  const std::string expected = daemonplan::test::read_file(seed);
  REQUIRE_FALSE(expected.empty());
  CHECK(daemonplan::test::read_file(example) == expected);
}
