// examples/daemonplan/yaml.hpp: YAML streams as nlohmann::json documents (yaml-cpp 0.7), with the
// scalar typing kubectl applies (YAML 1.1 via go-yaml v2), so YAML and JSON input read the same way.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace daemonplan::cli {

/// A YAML document that is not well-formed, or that has no JSON equivalent. what() is one line:
/// "line 3, column 5: duplicate key \"name\"", with the field path when it is known.
struct yaml_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One document of a YAML stream as JSON, and the 1-based line it starts on.
struct yaml_document {
  nlohmann::json value{};
  std::size_t line{1};
};

/// Every document of a YAML stream (`---` separated; empty and null documents are dropped).
/// Plain scalars are typed as kubectl types them (go-yaml v2, YAML 1.1): `~`/`null`/empty is null;
/// true/false, yes/no, on/off, y/n (any of the three casings) are booleans; decimal, 0x, 0o, 0b and
/// leading-zero octal integers (with `_` separators) are integers; `1.5`, `1e3` are floats.
/// Quoted and block scalars are always strings; `!!str`, `!!int`, `!!bool`, `!!float`, `!!null`
/// tags are honoured. Merge keys (`<<: *anchor`) are applied. Rejected with a yaml_error: syntax
/// errors (a tab in indentation named as such), duplicate keys, non-scalar keys, other tags,
/// .inf/.nan, invalid UTF-8, nesting deeper than 512 levels, and aliases that expand beyond
/// the input's size (alias bombs).
[[nodiscard]] std::vector<yaml_document> parse_yaml(std::string_view text);

}  // namespace daemonplan::cli
