// tests/version_test.cpp: the version macros agree with the version CMake parsed from them.
#include <string>

#include <catch2/catch.hpp>

#include <daemonplan/version.hpp>

TEST_CASE("version macros match the project version CMake parsed", "[version]") {
  STATIC_REQUIRE(DAEMONPLAN_VERSION_MAJOR == DAEMONPLAN_CMAKE_VERSION_MAJOR);
  STATIC_REQUIRE(DAEMONPLAN_VERSION_MINOR == DAEMONPLAN_CMAKE_VERSION_MINOR);
  STATIC_REQUIRE(DAEMONPLAN_VERSION_PATCH == DAEMONPLAN_CMAKE_VERSION_PATCH);

  const std::string from_macros = std::to_string(DAEMONPLAN_VERSION_MAJOR) + "." +
                                  std::to_string(DAEMONPLAN_VERSION_MINOR) + "." +
                                  std::to_string(DAEMONPLAN_VERSION_PATCH);
  CHECK(from_macros == DAEMONPLAN_CMAKE_VERSION);
}
