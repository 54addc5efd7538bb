// tests/fuzz/fuzz_readers.cpp: libFuzzer target for every reader of untrusted text: the JSON
// adapter (parse_json, streaming read_objects, objects_from_json), the tool's YAML reader and its
// input loading. Beyond "no crash, no sanitizer report", it checks one property: a DaemonSet, node
// or pod that reads successfully writes JSON that reads back to the same value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <daemonplan/json.hpp>

#include "input.hpp"
#include "yaml.hpp"

namespace {

/// Aborts (a finding) unless every T read from `doc` survives to_json / from_json unchanged.
template <typename T>
void check_round_trip(const nlohmann::json& doc) {
  const auto objects = daemonplan::objects_from_json<T>(doc);
  if (!objects) return;
  for (const auto& object : *objects) {
    const nlohmann::json written = object;
    const auto again = daemonplan::try_from_json<T>(written);
    if (!again || !(*again == object)) __builtin_trap();
  }
}

void check_document(const nlohmann::json& doc) {
  check_round_trip<daemonplan::daemon_set>(doc);
  check_round_trip<daemonplan::node>(doc);
  check_round_trip<daemonplan::pod>(doc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)daemonplan::read_objects<daemonplan::node>(text);
  (void)daemonplan::read_objects<daemonplan::pod>(text);
  (void)daemonplan::read_objects<daemonplan::daemon_set>(text);
  if (const auto doc = daemonplan::parse_json(text)) check_document(*doc);

  try {
    for (const auto& doc : daemonplan::cli::parse_yaml(text)) check_document(doc.value);
  } catch (const daemonplan::cli::yaml_error&) {
  }

  // the tool's loading: format detection, documents, kinds, node and DaemonSet checks
  const daemonplan::cli::input_file file{.name = "fuzz", .text = std::string(text)};
  try {
    (void)daemonplan::cli::load_nodes(file);
  } catch (const daemonplan::cli::input_error&) {
  }
  try {
    for (const auto& object : daemonplan::cli::daemon_set_objects(file)) (void)daemonplan::cli::read_daemon_set(object.value);
  } catch (const daemonplan::cli::input_error&) {
  }
  return 0;
}
