// examples/daemonplan/input.cpp: input files to nodes, pods and DaemonSets.
#include "input.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include <daemonplan/json.hpp>
#include <daemonplan/validate.hpp>

#include "yaml.hpp"

namespace daemonplan::cli {
namespace {

using json = nlohmann::json;

/// Longest part (file, place, field path, message) of a line about bad input: a 50 MB label
/// value stays out of the terminal.
constexpr std::size_t max_part = 240;

/// A name in double quotes, JSON-escaped and cut, for messages.
std::string quote(std::string_view s) {
  const bool cut = s.size() > 64;
  return json(std::string(s.substr(0, 64))).dump(-1, ' ', false, json::error_handler_t::replace) + (cut ? "..." : "");
}

/// A parsed document and where it starts ("" when it is the file's only document).
struct document {
  json value{};
  std::string where{};
};

/// The documents of a file: the one JSON document, or every YAML document.
std::vector<document> documents(const input_file& file) {
  std::vector<document> out;
  if (is_json(file.text)) {
    auto parsed = parse_json(file.text);
    if (!parsed) throw input_error(describe(file, "", parsed.error()));
    out.push_back({std::move(*parsed), ""});
  } else {
    std::vector<yaml_document> docs;
    try {
      docs = parse_yaml(file.text);
    } catch (const yaml_error& e) {
      throw input_error(describe(file, "", {error_code::invalid, "", e.what()}));
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const std::string where =
          docs.size() == 1 ? "" : "document " + std::to_string(i + 1) + " (line " + std::to_string(docs[i].line) + ")";
      out.push_back({std::move(docs[i].value), where});
    }
  }
  if (out.empty()) throw input_error(file.name + ": no Kubernetes object in the file");
  for (const auto& d : out)
    if (!d.value.is_object())
      throw input_error(describe(file, d.where, {error_code::invalid, "", "expected a Kubernetes object, got " + detail::describe(d.value)}));
  return out;
}

std::string kind_of(const json& doc) {
  const auto it = doc.find("kind");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The index of the first object whose key (`key_of`) an earlier object already has, if any. By
/// sorting (key, index) pairs: no allocation per object, for lists of millions.
template <typename T, typename KeyOf>
std::optional<std::size_t> first_repeat(const std::vector<T>& objects, KeyOf key_of) {
  using key = decltype(key_of(objects.front()));
  std::vector<std::pair<key, std::size_t>> keyed;
  keyed.reserve(objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i) keyed.emplace_back(key_of(objects[i]), i);
  std::ranges::sort(keyed);  // equal keys in input order: each after the first of its key is a repeat
  std::optional<std::size_t> first;
  for (std::size_t j = 1; j < keyed.size(); ++j)
    if (keyed[j].first == keyed[j - 1].first) first = std::min(first.value_or(keyed[j].second), keyed[j].second);
  return first;
}

/// Objects of type T from every document of a wanted kind (T, its list, or List).
template <typename T>
std::vector<T> load_objects(const input_file& file) {
  using traits = detail::object_traits<T>;
  if (is_json(file.text)) {
    auto objects = read_objects<T>(file.text);
    if (!objects) throw input_error(describe(file, "", objects.error()));
    return std::move(*objects);
  }
  std::vector<T> out;
  bool found = false;
  for (const auto& doc : documents(file)) {
    const auto kind = kind_of(doc.value);
    if (kind != traits::kind && kind != traits::list_kind && kind != "List") continue;
    found = true;
    auto objects = objects_from_json<T>(doc.value);
    if (!objects) throw input_error(describe(file, doc.where, objects.error()));
    std::ranges::move(*objects, std::back_inserter(out));
  }
  if (!found)
    throw input_error(file.name + ": no " + std::string(traits::kind) + ", " + std::string(traits::list_kind) +
                      " or List object in the file");
  return out;
}

}  // namespace

input_file read_input(const std::string& path, std::istream& stdin_stream) {
  input_file file{.name = path == "-" ? "<stdin>" : path};
  std::ifstream in_file;
  if (path != "-") {
    in_file.open(path, std::ios::binary);
    if (!in_file) throw input_error(path + ": cannot open the file");
    std::error_code size_error;  // a size known in advance spares regrowing gigabytes of text
    if (const auto size = std::filesystem::file_size(path, size_error); !size_error) file.text.reserve(size);
  }
  std::istream& in = path == "-" ? stdin_stream : in_file;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) file.text.append(buffer, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw input_error(file.name + ": cannot read the file");
  if (const auto nul = file.text.find('\0'); nul != std::string::npos)
    throw input_error(file.name + ": binary data, not JSON or YAML (a NUL byte at offset " + std::to_string(nul) + ")");
  if (file.text.find_first_not_of(" \t\r\n") == std::string::npos) throw input_error(file.name + ": the file is empty");
  return file;
}

bool is_json(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

std::string describe(const input_file& file, std::string_view where, const error& e) {
  std::string line = file.name;
  for (std::string_view part : {where, std::string_view(e.field), std::string_view(e.message)})
    if (!part.empty()) line += ": " + std::string(part.substr(0, max_part)) + (part.size() > max_part ? "..." : "");
  std::ranges::replace(line, '\n', ' ');
  return line;
}

std::vector<node> load_nodes(const input_file& file) {
  auto nodes = load_objects<node>(file);
  for (const auto& n : nodes)
    if (const auto errors = validate_node(n); !errors.empty()) {
      auto first = errors.front();
      first.message = std::string(to_string(first.code)) + ": " + first.message;
      throw input_error(describe(file, "node " + quote(n.metadata.name), first));
    }
  if (const auto i = first_repeat(nodes, [](const node& n) { return std::string_view(n.metadata.name); }))
    throw input_error(file.name + ": duplicate node name " + quote(nodes[*i].metadata.name));
  return nodes;
}

std::vector<pod> load_pods(const input_file& file) {
  auto pods = load_objects<pod>(file);
  if (const auto i = first_repeat(pods, [](const pod& p) { return std::pair<std::string_view, std::string_view>(p.metadata.namespace_, p.metadata.name); }))
    throw input_error(file.name + ": duplicate pod " + quote(pods[*i].metadata.namespace_ + "/" + pods[*i].metadata.name));
  return pods;
}

std::vector<located_object> daemon_set_objects(const input_file& file) {
  std::vector<located_object> out;
  for (auto& doc : documents(file)) {
    const auto kind = kind_of(doc.value);
    if (kind == "DaemonSet") {
      out.push_back({std::move(doc.value), doc.where});
      continue;
    }
    if (kind != "DaemonSetList" && kind != "List") continue;
    const auto items = doc.value.find("items");
    if (items == doc.value.end() || items->is_null()) continue;
    if (!items->is_array())
      throw input_error(describe(file, doc.where, {error_code::invalid, "items", "expected a list, got " + detail::describe(*items)}));
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto& item = (*items)[i];
      const auto item_kind = item.is_object() ? kind_of(item) : std::string("?");
      if (item_kind != "DaemonSet" && !(item_kind.empty() && kind == "DaemonSetList")) continue;
      const std::string at = "items[" + std::to_string(i) + "]";
      out.push_back({std::move(item), doc.where.empty() ? at : doc.where + ": " + at});
    }
  }
  if (out.empty()) throw input_error(file.name + ": no DaemonSet in the file");
  return out;
}

std::string object_name(const json& object) {
  auto field = [&](const char* key) {
    const auto meta = object.find("metadata");
    if (meta == object.end() || !meta->is_object()) return std::string();
    const auto it = meta->find(key);
    return it != meta->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto ns = field("namespace");
  return (ns.empty() ? "default" : ns) + "/" + field("name");
}

const located_object& pick_daemon_set(const input_file& file, const std::vector<located_object>& objects,
                                      const std::string& wanted) {
  std::string names;
  for (const auto& o : objects) names += (names.empty() ? "" : ", ") + object_name(o.value);
  if (wanted.empty()) {
    if (objects.size() == 1) return objects.front();
    throw input_error(file.name + ": the file holds " + std::to_string(objects.size()) + " DaemonSets (" + names +
                      "); pick one with --name NAMESPACE/NAME");
  }
  const bool qualified = wanted.find('/') != std::string::npos;
  const located_object* found = nullptr;
  for (const auto& o : objects) {
    const auto name = object_name(o.value);
    if (qualified ? name != wanted : name.substr(name.find('/') + 1) != wanted) continue;
    if (found) throw input_error(file.name + ": --name " + wanted + " matches several DaemonSets (" + names + "); give NAMESPACE/NAME");
    found = &o;
  }
  if (!found) throw input_error(file.name + ": no DaemonSet named " + wanted + " (the file holds " + names + ")");
  return *found;
}

result<daemon_set> read_daemon_set(const json& object) {
  auto ds = try_from_json<daemon_set>(object);
  if (!ds) return ds.error();
  if (ds->metadata.namespace_.empty()) ds->metadata.namespace_ = "default";
  return apply_defaults(std::move(*ds));
}

daemon_set to_daemon_set(const input_file& file, const located_object& object) {
  auto ds = read_daemon_set(object.value);
  if (!ds) throw input_error(describe(file, object.where, ds.error()));
  return std::move(*ds);
}

}  // namespace daemonplan::cli
