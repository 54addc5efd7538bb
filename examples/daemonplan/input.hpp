// examples/daemonplan/input.hpp: reading the tool's input files (JSON or YAML, `-` for stdin) into
// nodes, pods and DaemonSets, with one-line errors naming the file, the field path and the problem.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <daemonplan/daemonset.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan::cli {

/// Unusable input or usage; what() is the one line printed after "daemonplan: ".
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A file's name as messages show it ("<stdin>" for `-`), and its bytes.
struct input_file {
  std::string name{};
  std::string text{};
};

/// Reads `path`; `-` reads `stdin_stream` to its end. A missing or unreadable file, an empty one
/// and binary data (a NUL byte) are input_errors.
[[nodiscard]] input_file read_input(const std::string& path, std::istream& stdin_stream);

/// True when the text is JSON (its first non-blank character is `{` or `[`), else it is YAML.
[[nodiscard]] bool is_json(std::string_view text);

/// "FILE: WHERE: FIELD: MESSAGE" with the empty parts left out, cut to one line of sane length.
[[nodiscard]] std::string describe(const input_file& file, std::string_view where, const error& e);

/// The nodes of a file: a Node, a NodeList, a List, or YAML documents of these (other kinds are
/// skipped). JSON is read streaming, skipping what placement never reads. Each node must be one
/// the API server would store (validate_node), and names must be unique.
[[nodiscard]] std::vector<node> load_nodes(const input_file& file);

/// The pods of a file, read like load_nodes; (namespace, name) must be unique.
[[nodiscard]] std::vector<pod> load_pods(const input_file& file);

/// A DaemonSet object found in a file, still as JSON, and where: "" for the whole file,
/// "items[2]", "document 3 (line 40)", "document 3 (line 40): items[0]".
struct located_object {
  nlohmann::json value{};
  std::string where{};
};

/// The DaemonSet objects of a file (lists expanded, other kinds skipped); none is an input_error.
[[nodiscard]] std::vector<located_object> daemon_set_objects(const input_file& file);

/// "namespace/name" of a DaemonSet object as the tool names it: an empty namespace is "default".
[[nodiscard]] std::string object_name(const nlohmann::json& object);

/// The one DaemonSet the command works on: the only one in the file, or the one `wanted`
/// ("NAMESPACE/NAME", or "NAME" when that is unambiguous) names.
[[nodiscard]] const located_object& pick_daemon_set(const input_file& file, const std::vector<located_object>& objects,
                                                    const std::string& wanted);

/// The DaemonSet as the API server would store it: read, namespace "default" when empty, then
/// apply_defaults(); or the read error (its field path relative to the object).
[[nodiscard]] result<daemon_set> read_daemon_set(const nlohmann::json& object);

/// read_daemon_set(), with a read error as an input_error.
[[nodiscard]] daemon_set to_daemon_set(const input_file& file, const located_object& object);

}  // namespace daemonplan::cli
