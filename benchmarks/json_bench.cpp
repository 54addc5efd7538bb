// benchmarks/json_bench.cpp: reading a generated 10,000-node NodeList shaped like
// `kubectl get nodes -o json` (managedFields, addresses, capacity, nodeInfo and a list of images
// around every node's modelled fields). json/nodes: the streaming reader the command-line tool
// uses (read_objects, unneeded fields skipped); json/dom: the baseline, a whole nlohmann DOM
// then objects_from_json. The text is made outside the timed loop.
#include <cstddef>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <daemonplan/json.hpp>

#include "support.hpp"

namespace {

using namespace daemonplan;
using nlohmann::json;

// What the API server adds to a node that daemonplan does not model (sizes as in the
// nodes-eks-honeycomb and nodes-kubeadm-arm64 fixtures: about 8 KB per node).
void add_unmodelled_fields(json& item, std::size_t i) {
  const std::string name = item["metadata"]["name"];
  const std::string n = std::to_string(i);
  auto& meta = item["metadata"];
  meta["resourceVersion"] = std::to_string(1000000 + i * 7);
  meta["annotations"] = {{"node.alpha.kubernetes.io/ttl", "0"},
                         {"volumes.kubernetes.io/controller-managed-attach-detach", "true"},
                         {"csi.volume.kubernetes.io/nodeid", R"({"ebs.csi.aws.com":"i-0)" + n + R"(a1b2c3d4e5f6"})"},
                         {"alpha.kubernetes.io/provided-node-ip", "10.0." + n}};
  json managed = json::array();
  for (const char* manager : {"kubelet", "kube-controller-manager", "aws-cloud-controller-manager"})
    managed.push_back({{"manager", manager},
                       {"operation", "Update"},
                       {"apiVersion", "v1"},
                       {"time", "2025-05-01T00:00:00Z"},
                       {"fieldsType", "FieldsV1"},
                       {"fieldsV1", {{"f:metadata", {{"f:labels", {{"f:kubernetes.io/arch", json::object()},
                                                                   {"f:kubernetes.io/hostname", json::object()},
                                                                   {"f:kubernetes.io/os", json::object()},
                                                                   {"f:node.kubernetes.io/instance-type", json::object()},
                                                                   {"f:topology.kubernetes.io/region", json::object()},
                                                                   {"f:topology.kubernetes.io/zone", json::object()}}}}},
                                     {"f:status", {{"f:conditions", {{"k:{\"type\":\"Ready\"}", {{"f:lastHeartbeatTime", json::object()},
                                                                                                 {"f:message", json::object()},
                                                                                                 {"f:reason", json::object()}}}}}}}}}});
  meta["managedFields"] = managed;
  item["spec"]["providerID"] = "aws:///us-east-1a/i-0" + n + "a1b2c3d4e5f6";
  item["spec"]["podCIDR"] = "100.64." + std::to_string(i % 256) + ".0/24";
  item["spec"]["podCIDRs"] = {"100.64." + std::to_string(i % 256) + ".0/24"};
  auto& status = item["status"];
  const json resources = {{"attachable-volumes-aws-ebs", "39"}, {"cpu", "8"}, {"ephemeral-storage", "134196204Ki"},
                          {"hugepages-1Gi", "0"},           {"hugepages-2Mi", "0"}, {"memory", "32144656Ki"},
                          {"pods", "58"}};
  status["capacity"] = resources;
  status["allocatable"] = resources;
  for (auto& c : status["conditions"]) {
    c["lastHeartbeatTime"] = "2025-06-01T00:00:00Z";
    c["reason"] = "KubeletHasSufficientMemory";
    c["message"] = "kubelet has sufficient memory available";
  }
  status["addresses"] = {{{"type", "InternalIP"}, {"address", "10.0." + n}},
                         {{"type", "Hostname"}, {"address", name}},
                         {{"type", "InternalDNS"}, {"address", name}}};
  status["daemonEndpoints"] = {{"kubeletEndpoint", {{"Port", 10250}}}};
  status["nodeInfo"] = {{"machineID", "ec2" + n + "d41d8cd98f00b204e9800998ecf8427e"},
                        {"systemUUID", "ec2" + n + "-0000-0000-0000-000000000000"},
                        {"bootID", "b1e2c3d4-" + n + "-4000-8000-000000000000"},
                        {"kernelVersion", "5.10.215-203.850.amzn2.x86_64"},
                        {"osImage", "Amazon Linux 2"},
                        {"containerRuntimeVersion", "containerd://1.7.11"},
                        {"kubeletVersion", "v1.30.0-eks-036c24b"},
                        {"kubeProxyVersion", "v1.30.0-eks-036c24b"},
                        {"operatingSystem", "linux"},
                        {"architecture", "amd64"}};
  json images = json::array();
  for (int k = 0; k < 25; ++k) {
    const std::string repo = "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/image-" + std::to_string(k);
    images.push_back({{"names", {repo + "@sha256:" + std::string(64, static_cast<char>('a' + k % 6)), repo + ":v1." + std::to_string(k)}},
                      {"sizeBytes", 10000000 + k * 1234567}});
  }
  status["images"] = images;
}

const std::string& node_list_text(std::size_t nodes) {
  static std::size_t made_for = 0;
  static std::string text;
  if (made_for == nodes) return text;
  const auto list = synth_nodes({.seed = bench::seed, .nodes = nodes});
  json items = json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    json item = list[i];
    add_unmodelled_fields(item, i);
    items.push_back(std::move(item));
  }
  text = json{{"apiVersion", "v1"}, {"kind", "NodeList"}, {"metadata", {{"resourceVersion", "123456"}}}, {"items", items}}.dump(4);
  made_for = nodes;
  return text;
}

void streaming(benchmark::State& state, std::size_t nodes) {
  const auto& text = node_list_text(nodes);
  const bench::per_item_timer timer;
  for (auto _ : state) {
    auto read = read_objects<node>(text);
    if (!read || read->size() != nodes) state.SkipWithError("the NodeList did not read back");
    benchmark::DoNotOptimize(read);
  }
  timer.set_mb_per_s(state, "mb_per_s", static_cast<double>(text.size()));
  state.counters["mb"] = static_cast<double>(text.size()) / 1e6;
}

void dom(benchmark::State& state, std::size_t nodes) {
  const auto& text = node_list_text(nodes);
  const bench::per_item_timer timer;
  for (auto _ : state) {
    const auto doc = json::parse(text);
    auto read = objects_from_json<node>(doc);
    if (!read || read->size() != nodes) state.SkipWithError("the NodeList did not read back");
    benchmark::DoNotOptimize(read);
  }
  timer.set_mb_per_s(state, "mb_per_s", static_cast<double>(text.size()));
  state.counters["mb"] = static_cast<double>(text.size()) / 1e6;
}

[[maybe_unused]] const bool registered = [] {
  for (const std::size_t n : {std::size_t{1000}, std::size_t{10'000}}) {  // 1000: CI's smoke tier
    benchmark::RegisterBenchmark(bench::name("json", n).c_str(), streaming, n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(bench::name("json/dom", n).c_str(), dom, n)->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
