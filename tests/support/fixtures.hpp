// tests/support/fixtures.hpp: finding the third-party fixtures, which are read in place from
// DAEMONPLAN_FIXTURES_DIR (a CMake cache path) and never copied into this repository.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace daemonplan::test {

/// The file `relative` under DAEMONPLAN_FIXTURES_DIR, or nullopt when it is not there (a checkout
/// without ../shared/fixtures): callers skip, see DAEMONPLAN_FIXTURE_OR_SKIP.
inline std::optional<std::filesystem::path> fixture(const std::string& relative) {
  auto path = std::filesystem::path(DAEMONPLAN_FIXTURES_DIR) / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

/// A whole file as bytes; empty when it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace daemonplan::test

/// Declares `const std::filesystem::path var` for the fixture `relative`, or reports the skip
/// (Catch2 2.x has no SKIP: a WARN line, then the test case returns) when the fixture is absent.
#define DAEMONPLAN_FIXTURE_OR_SKIP(var, relative)                                              \
  const auto var##_found = ::daemonplan::test::fixture(relative);                              \
  if (!var##_found) {                                                                         \
    WARN("skipped: fixture " << (relative) << " not found under " DAEMONPLAN_FIXTURES_DIR);    \
    return;                                                                                   \
  }                                                                                           \
  const std::filesystem::path& var = *var##_found
