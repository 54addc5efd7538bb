// examples/05-json-roundtrip.cpp: Kubernetes JSON in, a plan out. Reads a DaemonSet and a NodeList
// with daemonplan/json.hpp, reconciles, logs with daemonplan/format.hpp (one line per value) and
// shows that the created pod keeps the template's fields and that bad input names its field path.
#include <span>
#include <string>

#include <fmt/format.h>

#include <daemonplan/format.hpp>
#include <daemonplan/json.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/reconcile.hpp>

int main() {
  using namespace daemonplan;
  const std::string ds_json = R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
    "metadata": {"name": "agent", "namespace": "ops", "uid": "8d3c-41"},
    "spec": {"selector": {"matchLabels": {"app": "agent"}},
             "template": {"metadata": {"labels": {"app": "agent"}},
                          "spec": {"containers": [{"name": "agent", "image": "agent:1.0",
                                                   "env": [{"name": "PORT", "value": "9400"}]}]}}}})";
  const std::string nodes_json = R"({"kind": "NodeList", "apiVersion": "v1", "items": [
    {"metadata": {"name": "node-a"}, "status": {"images": [{"names": ["big/image:1"], "sizeBytes": 912345678}]}},
    {"metadata": {"name": "node-b"}, "spec": {"taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}}]})";

  // read: a DOM for the DaemonSet, streaming for the node list (status.images is skipped, not stored)
  const auto ds = try_from_json<daemon_set>(nlohmann::json::parse(ds_json));
  const auto nodes = read_objects<node>(nodes_json);
  if (!ds || !nodes) return 1;
  const auto stored = apply_defaults(*ds);  // what the API server would store

  const auto p = reconcile(stored, *nodes, std::span<const pod>{}, {.now = timestamp{}});
  fmt::print("{}\n", p);
  for (const auto& c : p.creates) fmt::print("  {}\n", c);
  const auto placement = daemon_placement::make(stored);
  for (const auto& n : *nodes) fmt::print("{}\n", placement.explain(n));

  // write: the pod to submit keeps every template field, "9400" still a string
  const nlohmann::json pod = p.creates.front().pod;
  fmt::print("containers: {}\n", pod["spec"]["containers"].dump());
  fmt::print("plan -o json keys: {}\n", plan_document(stored, p).size());

  // bad input: one error naming the field path
  const auto bad = read_objects<node>(R"({"kind": "NodeList", "items": [{"metadata": {"name": "n"},
    "spec": {"taints": [{"key": "k", "effect": "NoExecuet"}]}}]})");
  if (!bad) fmt::print("error: {}\n", bad.error());
}
