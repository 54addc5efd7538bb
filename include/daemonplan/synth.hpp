// daemonplan/synth.hpp: a deterministic synthetic cluster (nodes, DaemonSets, pods) shaped like a
// real EKS-style cluster, for benchmarks, property tests and simulations. Seed in, values out.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <compare>
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// splitmix64 (Steele, Lea and Flood, 2014): a tiny, fast pseudo-random generator whose output is
/// the same on every platform and standard library. It meets UniformRandomBitGenerator, but the
/// generator never hands it to std distributions, whose results differ between libraries.
class synth_random {
 public:
  using result_type = std::uint64_t;

  constexpr explicit synth_random(std::uint64_t seed) noexcept : state_(seed) {}

  /// An independent stream for item `index` of kind `stream` under `seed`: item i's values do not
  /// depend on how many items come before or after it.
  [[nodiscard]] static constexpr synth_random stream(std::uint64_t seed, std::uint64_t stream,
                                                     std::uint64_t index) noexcept {
    synth_random r(seed ^ (stream * 0xD1B54A32D192ED03ULL));
    r.state_ = r() ^ index;
    (void)r();
    return r;
  }

  [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
  [[nodiscard]] static constexpr result_type max() noexcept { return ~result_type{0}; }

  /// The next 64 random bits.
  constexpr result_type operator()() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n) for n > 0 (modulo reduction: the bias is below 2^-40 for the sizes used).
  [[nodiscard]] constexpr std::uint64_t below(std::uint64_t n) noexcept { return (*this)() % n; }

  /// True with probability per_mille / 1000.
  [[nodiscard]] constexpr bool chance(std::uint64_t per_mille) noexcept { return below(1000) < per_mille; }

 private:
  std::uint64_t state_;
};

/// The state the generated pods are in.
enum class synth_state {
  converged,  ///< every node that should run a daemon pod runs one, new revision, Ready
  rollout,    ///< mid-rollout: a mix of old, new, not-ready, failed and terminating pods
};

/// "converged", "rollout".
[[nodiscard]] constexpr std::string_view to_string(synth_state s) noexcept {
  return s == synth_state::rollout ? "rollout" : "converged";
}

/// The exact spelling of to_string(synth_state), or nullopt.
[[nodiscard]] constexpr std::optional<synth_state> parse_synth_state(std::string_view s) noexcept {
  if (s == "converged") return synth_state::converged;
  if (s == "rollout") return synth_state::rollout;
  return std::nullopt;
}

/// What to generate. The same options give the same cluster, byte for byte, on every platform.
struct synth_options {
  std::uint64_t seed{1};
  std::size_t nodes{1000};         ///< 3 of them control-plane nodes once there are 4 or more
  std::size_t daemon_sets{30};     ///< the catalogue has 30 shapes; beyond that they repeat, renamed
  synth_state state{synth_state::converged};
  std::size_t workload_pods{0};    ///< ReplicaSet-owned application pods spread over worker nodes
  timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 6 / 1}};  ///< the cluster's "now"
  friend auto operator<=>(const synth_options&, const synth_options&) = default;
};

/// A generated cluster: nodes in index order, DaemonSets in catalogue order, pods grouped by
/// DaemonSet then node, workload pods last.
struct synth_cluster {
  std::vector<node> nodes{};
  std::vector<daemon_set> daemon_sets{};
  std::vector<pod> pods{};
  friend auto operator<=>(const synth_cluster&, const synth_cluster&) = default;
};

namespace detail {

// Streams of synth_random::stream, one per kind of item.
enum synth_stream : std::uint64_t {
  stream_cluster = 1, stream_node, stream_daemon_set, stream_revision, stream_workload, stream_replica_set,
  stream_pod  // + 256 * DaemonSet index
};

// The alphabet of Kubernetes' generated name suffixes and revision hashes (rand.String).
inline constexpr std::string_view synth_alphabet = "bcdfghjklmnpqrstvwxz2456789";

[[nodiscard]] inline std::string synth_token(synth_random& r, std::size_t length) {
  std::string s(length, ' ');
  for (auto& c : s) c = synth_alphabet[r.below(synth_alphabet.size())];
  return s;
}

[[nodiscard]] inline std::string synth_uid(synth_random& r) {
  constexpr std::string_view hex = "0123456789abcdef";
  std::string s(36, '-');
  std::uint64_t bits = r();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    if (i == 19) bits = r();
    s[i] = hex[bits & 15];
    bits >>= 4;
  }
  s[14] = '4';  // version 4, as the API server's random UIDs
  return s;
}

// A unique name suffix for ordinal `i` of a family of `count` names: an affine bijection of
// [0, 27^k) written in the suffix alphabet, k >= 5 (Kubernetes' generateName length).
[[nodiscard]] inline std::string synth_suffix(std::uint64_t family_seed, std::uint64_t i, std::uint64_t count) {
  std::uint64_t space = 27ULL * 27 * 27 * 27 * 27;
  std::size_t length = 5;
  while (space < count) {
    space *= 27;
    ++length;
  }
  synth_random r(family_seed);
  std::uint64_t a = r.below(space - 1) + 1;
  if (a % 3 == 0) ++a;  // coprime with 27^k
  const std::uint64_t b = r.below(space);
  // (a * i + b) mod space by doubling, which cannot overflow for any space below 2^62.
  std::uint64_t acc = b;
  std::uint64_t base = a % space;
  for (std::uint64_t n = i; n != 0; n >>= 1) {
    if (n & 1) acc = (acc + base) % space;
    base = (base * 2) % space;
  }
  std::string s(length, ' ');
  for (auto& c : s) {
    c = synth_alphabet[acc % 27];
    acc /= 27;
  }
  return s;
}


// One node pool: a share of the worker nodes with one architecture, OS and set of instance types.
struct synth_pool {
  std::string_view name{};  // eks.amazonaws.com/nodegroup
  std::uint64_t per_mille{0};
  std::string_view arch{};
  std::string_view os{};
  std::array<std::string_view, 3> instance_types{};
  bool spot{false};
  bool gpu{false};
};

inline constexpr std::array<synth_pool, 7> synth_pools{{
    {"general", 400, "amd64", "linux", {"m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge"}, false, false},
    {"compute", 150, "amd64", "linux", {"c6i.2xlarge", "c6i.4xlarge", "c6i.8xlarge"}, false, false},
    {"memory", 100, "amd64", "linux", {"r6i.2xlarge", "r6i.4xlarge", "r6i.8xlarge"}, false, false},
    {"gpu", 50, "amd64", "linux", {"g5.xlarge", "g5.12xlarge", "p4d.24xlarge"}, false, true},
    {"spot", 150, "amd64", "linux", {"m5.xlarge", "m5a.xlarge", "m5.2xlarge"}, true, false},
    {"arm64", 130, "arm64", "linux", {"m7g.xlarge", "c7g.2xlarge", "r7g.xlarge"}, false, false},
    {"windows", 20, "amd64", "windows", {"m6i.2xlarge", "m6i.2xlarge", "m6i.4xlarge"}, false, false},
}};

inline constexpr std::array<std::string_view, 4> synth_regions{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"};

// What every node of one cluster shares: the region and the bijection from node index to IP.
struct synth_layout {
  std::string_view region{};
  std::uint64_t ip_mul{1};
  std::uint64_t ip_add{0};
  std::size_t control_planes{0};
};

[[nodiscard]] inline synth_layout synth_layout_of(const synth_options& o) {
  auto r = synth_random::stream(o.seed, stream_cluster, 0);
  return {.region = synth_regions[r.below(synth_regions.size())],
          .ip_mul = r() | 1,  // odd: a bijection of [0, 2^24)
          .ip_add = r(),
          .control_planes = o.nodes >= 4 ? std::size_t{3} : std::size_t{0}};
}

// A node condition, True since `since` or False since `created`.
inline void synth_condition(node& n, std::string type, bool is_true, timestamp since, timestamp created) {
  n.conditions.push_back({.type = std::move(type),
                          .status = is_true ? condition_status::true_ : condition_status::false_,
                          .last_transition_time = is_true ? since : created});
}

[[nodiscard]] inline node synth_node(const synth_options& o, const synth_layout& layout, std::size_t i) {
  auto r = synth_random::stream(o.seed, stream_node, i);
  const std::uint64_t ip = (i * layout.ip_mul + layout.ip_add) & 0xFFFFFF;
  const std::string region(layout.region);
  node n;
  auto& m = n.metadata;
  m.name = "ip-10-" + std::to_string(ip >> 16) + "-" + std::to_string((ip >> 8) & 255) + "-" +
           std::to_string(ip & 255) + "." + region + ".compute.internal";
  m.uid = synth_uid(r);
  const auto created = o.now - std::chrono::seconds(3600 + r.below(90 * 86400));
  m.creation_timestamp = created;
  const std::string zone = region + "abc"[r.below(3)];
  // Labels are collected, then inserted in key order: the memory layout a JSON reader gives them
  // (kubectl sorts keys), which makes walking them several times faster than a scrambled one.
  std::array<std::pair<std::string, std::string>, 24> labels;
  std::size_t label_count = 0;
  auto label = [&](std::string key, std::string value) { labels[label_count++] = {std::move(key), std::move(value)}; };
  label("kubernetes.io/hostname", m.name);
  label("topology.kubernetes.io/region", region);
  label("topology.kubernetes.io/zone", zone);
  label("failure-domain.beta.kubernetes.io/region", region);
  label("failure-domain.beta.kubernetes.io/zone", zone);

  const bool control_plane = i < layout.control_planes;
  synth_pool pool{"control-plane", 0, "amd64", "linux", {"m6i.large", "m6i.large", "m6i.large"}, false, false};
  if (!control_plane) {
    auto roll = r.below(1000);
    for (const auto& candidate : synth_pools) {
      pool = candidate;
      if (roll < candidate.per_mille) break;
      roll -= candidate.per_mille;
    }
  }
  const std::string instance_type(pool.instance_types[r.below(pool.instance_types.size())]);
  label("kubernetes.io/os", std::string(pool.os));
  label("beta.kubernetes.io/os", std::string(pool.os));
  label("kubernetes.io/arch", std::string(pool.arch));
  label("beta.kubernetes.io/arch", std::string(pool.arch));
  label("node.kubernetes.io/instance-type", instance_type);
  label("beta.kubernetes.io/instance-type", instance_type);
  if (control_plane) {
    label("node-role.kubernetes.io/control-plane", "");
    label("node.kubernetes.io/exclude-from-external-load-balancers", "");
    n.taints.push_back({.key = "node-role.kubernetes.io/control-plane", .effect = taint_effect::no_schedule});
  } else {
    label("eks.amazonaws.com/nodegroup", std::string(pool.name));
    label("eks.amazonaws.com/capacityType", pool.spot ? "SPOT" : "ON_DEMAND");
    if (pool.os == "linux") label("topology.ebs.csi.aws.com/zone", zone);
  }
  if (pool.gpu) {
    const bool big = instance_type == "p4d.24xlarge";
    label("nvidia.com/gpu.present", "true");
    label("nvidia.com/gpu.count", big ? "8" : instance_type == "g5.12xlarge" ? "4" : "1");
    label("nvidia.com/gpu.product", big ? "NVIDIA-A100-SXM4-40GB" : "NVIDIA-A10G");
    label("nvidia.com/gpu.deploy.driver", "true");
    label("feature.node.kubernetes.io/pci-10de.present", "true");
    n.taints.push_back({.key = "nvidia.com/gpu", .value = "present", .effect = taint_effect::no_schedule});
  }
  if (pool.spot) n.taints.push_back({.key = "spot", .value = "true", .effect = taint_effect::no_schedule});
  if (pool.os == "windows")
    n.taints.push_back({.key = "os", .value = "windows", .effect = taint_effect::no_schedule});
  if (pool.name == "general" && r.chance(50)) label("ingress-ready", "true");
  const auto used = std::span(labels).first(label_count);
  std::ranges::sort(used);
  for (auto& [key, value] : used) m.labels.emplace_hint(m.labels.end(), std::move(key), std::move(value));

  // A small share of workers is cordoned, NotReady, under pressure, uninitialised or out of service.
  const auto roll = control_plane ? 1000 : r.below(1000);
  const auto since = o.now - std::chrono::seconds(60 + r.below(3600));
  const bool not_ready = roll >= 10 && roll < 15;
  synth_condition(n, "MemoryPressure", roll >= 15 && roll < 18, since, created);
  synth_condition(n, "DiskPressure", roll >= 18 && roll < 20, since, created);
  synth_condition(n, "PIDPressure", false, since, created);
  synth_condition(n, "Ready", !not_ready, not_ready ? since : created, created);
  auto add_taint = [&](std::string key, std::string value, taint_effect effect, bool timed) {
    n.taints.push_back({.key = std::move(key), .value = std::move(value), .effect = effect,
                        .time_added = timed ? std::optional<timestamp>(since) : std::nullopt});
  };
  if (roll < 10) {
    n.unschedulable = true;
    add_taint("node.kubernetes.io/unschedulable", "", taint_effect::no_schedule, true);
  } else if (not_ready) {
    add_taint("node.kubernetes.io/not-ready", "", taint_effect::no_schedule, false);
    add_taint("node.kubernetes.io/not-ready", "", taint_effect::no_execute, true);
  } else if (roll < 18) {
    add_taint("node.kubernetes.io/memory-pressure", "", taint_effect::no_schedule, true);
  } else if (roll < 20) {
    add_taint("node.kubernetes.io/disk-pressure", "", taint_effect::no_schedule, true);
  } else if (roll < 22) {
    add_taint("node.cloudprovider.kubernetes.io/uninitialized", "true", taint_effect::no_schedule, false);
  } else if (roll < 23) {
    add_taint("node.kubernetes.io/out-of-service", "nodeshutdown", taint_effect::no_execute, true);
  }
  return n;
}

// One DaemonSet of the catalogue, before naming, revisions and defaults.
struct synth_shape {
  std::string_view namespace_{};
  std::string_view name{};
  std::string_view image{};
  label_map node_selector{};
  std::vector<node_selector_term> required{};  // ORed terms; none: no required affinity
  std::vector<toleration> tolerations{};
  bool host_network{false};
  std::string_view max_unavailable{};  // "": the API default (1)
  bool on_delete{false};
};

[[nodiscard]] inline node_selector_term synth_term(std::vector<node_selector_requirement> expressions) {
  return {.match_expressions = std::move(expressions)};
}

[[nodiscard]] inline node_selector_requirement synth_expr(std::string key, selector_operator op,
                                                          std::vector<std::string> values = {}) {
  return {.key = std::move(key), .op = op, .values = std::move(values)};
}

// Exists when `value` is empty, Equal otherwise; a null effect matches every effect.
[[nodiscard]] inline toleration synth_tolerate(std::string key, std::optional<taint_effect> effect = std::nullopt,
                                               std::string value = {}) {
  const auto op = value.empty() ? toleration_operator::exists : toleration_operator::equal;
  return {.key = std::move(key), .op = op, .value = std::move(value), .effect = effect};
}

// The 30 shapes, modelled on the manifests of the named projects (tolerations, selectors and
// affinity as they ship, adapted to this cluster's taints and labels).
[[nodiscard]] inline synth_shape synth_catalogue(std::size_t k) {
  using op = selector_operator;
  const auto ns = taint_effect::no_schedule;
  const auto ne = taint_effect::no_execute;
  const label_map on_linux{{"kubernetes.io/os", "linux"}};
  const auto os_linux = synth_expr("kubernetes.io/os", op::in, {"linux"});
  const auto arch_both = synth_expr("kubernetes.io/arch", op::in, {"amd64", "arm64"});
  const auto not_fargate = synth_expr("eks.amazonaws.com/compute-type", op::not_in, {"fargate", "hybrid", "auto"});
  const auto gpu_present = synth_expr("nvidia.com/gpu.present", op::in, {"true"});
  const std::vector<toleration> all{toleration{.op = toleration_operator::exists}};
  const auto gpu = synth_tolerate("nvidia.com/gpu", ns);
  const auto control_plane = synth_tolerate("node-role.kubernetes.io/control-plane", ns);
  const auto spot = synth_tolerate("spot", ns);
  const auto critical = synth_tolerate("CriticalAddonsOnly");
  const toleration any_no_schedule{.op = toleration_operator::exists, .effect = ns};
  const toleration any_no_execute{.op = toleration_operator::exists, .effect = ne};
  switch (k) {
    case 0: return {"security", "falco", "falcosecurity/falco", {}, {}, all, false, "10%"};
    case 1: return {"kube-system", "aws-node", "amazon-k8s-cni", {}, {synth_term({os_linux, arch_both, not_fargate})}, all, true, "10%"};
    case 2: return {"kube-system", "kube-proxy", "kube-proxy", {}, {synth_term({os_linux, arch_both, synth_expr("eks.amazonaws.com/compute-type", op::not_in, {"fargate"})})}, all, true, "10%"};
    case 3: return {"kube-system", "ebs-csi-node", "aws-ebs-csi-driver", on_linux, {synth_term({not_fargate})}, all, false, "10%"};
    case 4: return {"kube-system", "efs-csi-node", "aws-efs-csi-driver", on_linux, {synth_term({synth_expr("eks.amazonaws.com/compute-type", op::not_in, {"fargate"})})}, all};
    case 5: return {"kube-system", "node-local-dns", "k8s-dns-node-cache", on_linux, {}, {critical, any_no_execute, any_no_schedule}, true, "10%"};
    case 6: return {"monitoring", "node-exporter", "prometheus/node-exporter", on_linux, {}, all, true, "10%"};
    case 7: return {"logging", "fluent-bit", "fluent/fluent-bit", {}, {}, {control_plane, gpu, synth_tolerate("spot", ns, "true")}};
    case 8: return {"monitoring", "datadog-agent", "datadog/agent", on_linux, {}, all, false, "10%"};
    case 9: return {"gpu-operator", "nvidia-dcgm-exporter", "nvidia/dcgm-exporter", {}, {synth_term({gpu_present})}, {gpu}};
    case 10: return {"gpu-operator", "nvidia-device-plugin-daemonset", "nvidia/k8s-device-plugin", {},
                     {synth_term({synth_expr("feature.node.kubernetes.io/pci-10de.present", op::in, {"true"})}), synth_term({gpu_present})},
                     {gpu, critical}};
    case 11: return {"gpu-operator", "gpu-feature-discovery", "nvidia/gpu-feature-discovery", {},
                     {synth_term({synth_expr("feature.node.kubernetes.io/pci-10de.present", op::in, {"true"})}),
                      synth_term({synth_expr("feature.node.kubernetes.io/cpu-model.vendor_id", op::in, {"NVIDIA"})}),
                      synth_term({gpu_present})},
                     {gpu}};
    case 12: return {"gpu-operator", "nvidia-driver-daemonset", "nvidia/driver", {{"nvidia.com/gpu.deploy.driver", "true"}}, {}, {gpu}, false, "", true};
    case 13: return {"security", "falcon-node-sensor", "crowdstrike/falcon-sensor", {}, {synth_term({os_linux, arch_both})}, all, true, "10%"};
    case 14: return {"kube-system", "node-problem-detector", "node-problem-detector", on_linux, {}, all};
    case 15: return {"istio-system", "istio-cni-node", "istio/install-cni", on_linux, {}, {any_no_schedule, critical, any_no_execute}, true, "10%"};
    case 16: return {"calico-system", "calico-node", "calico/node", on_linux, {}, {any_no_schedule, any_no_execute, critical}, true};
    case 17: return {"kube-system", "eks-pod-identity-agent", "eks-pod-identity-agent", {},
                     {synth_term({os_linux, arch_both, synth_expr("eks.amazonaws.com/compute-type", op::not_in, {"fargate", "hybrid"})})}, all, true, "10%"};
    case 18: return {"logging", "vector", "timberio/vector", on_linux, {}, {control_plane}};
    case 19: return {"monitoring", "windows-exporter", "prometheus-community/windows-exporter", {{"kubernetes.io/os", "windows"}}, {},
                     {synth_tolerate("os", ns, "windows")}, true};
    case 20: return {"kube-system", "kube-proxy-windows", "kube-proxy-windows", {{"kubernetes.io/os", "windows"}}, {}, all, true};
    case 21: return {"kube-system", "aws-node-termination-handler", "aws-node-termination-handler", on_linux,
                     {synth_term({synth_expr("eks.amazonaws.com/capacityType", op::in, {"SPOT"})})}, all, true};
    case 22: return {"monitoring", "promtail", "grafana/promtail", {}, {}, {control_plane, spot}};
    case 23: return {"kube-system", "arm64-cpufreq-tuner", "example/cpufreq-tuner", {{"kubernetes.io/arch", "arm64"}}, {}, {spot}};
    case 24: return {"storage", "local-volume-provisioner", "sig-storage/local-volume-provisioner", {},
                     {synth_term({synth_expr("node.kubernetes.io/instance-type", op::in, {"c6i.8xlarge", "r6i.4xlarge", "r6i.8xlarge"})})}, {}};
    case 25: return {"gpu-operator", "nvidia-fabricmanager", "nvidia/fabricmanager", {},
                     {synth_term({gpu_present, synth_expr("nvidia.com/gpu.count", op::gt, {"4"})})}, {gpu}};
    case 26: return {"ingress-nginx", "ingress-nginx-controller", "ingress-nginx/controller", {{"ingress-ready", "true"}}, {}, {}, true};
    case 27: return {"kube-system", "secrets-store-csi-driver", "csi-secrets-store/driver", on_linux, {}, {}};
    case 28: return {"kube-system", "fsx-csi-node", "aws-fsx-csi-driver", on_linux, {synth_term({synth_expr("eks.amazonaws.com/compute-type", op::not_in, {"fargate"})})},
                     {critical, toleration{.op = toleration_operator::exists, .effect = ne, .toleration_seconds = 300}}, false, "10%"};
    default: return {"kube-system", "image-cleaner", "example/image-cleaner", {{"kubernetes.io/arch", "amd64"}},
                     {synth_term({synth_expr("eks.amazonaws.com/capacityType", op::not_in, {"SPOT"}),
                        synth_expr("nvidia.com/gpu.present", op::does_not_exist)})},
                     {}};
  }
}

// The catalogue's size: shapes beyond it repeat with a numbered name.
inline constexpr std::size_t synth_catalogue_size = 30;

// The revision hash of DaemonSet `k` at template generation `generation`.
[[nodiscard]] inline std::string synth_revision(std::uint64_t seed, std::size_t k, std::int64_t generation) {
  auto r = synth_random::stream(seed, stream_revision, (k << 8) + static_cast<std::uint64_t>(generation));
  return synth_token(r, 10);
}

[[nodiscard]] inline daemon_set synth_daemon_set(const synth_options& o, std::size_t k) {
  auto shape = synth_catalogue(k % synth_catalogue_size);
  auto r = synth_random::stream(o.seed, stream_daemon_set, k);
  const std::int64_t generation = o.state == synth_state::rollout ? 2 : 1;
  std::string name(shape.name);
  if (k >= synth_catalogue_size) name += "-" + std::to_string(k / synth_catalogue_size + 1);
  daemon_set ds;
  auto& m = ds.metadata;
  m.name = name;
  m.namespace_ = std::string(shape.namespace_);
  m.uid = synth_uid(r);
  m.generation = generation;
  m.creation_timestamp = o.now - std::chrono::seconds(100 * 86400 + r.below(86400));
  m.labels = {{"app.kubernetes.io/name", name}};
  m.annotations = {{std::string(template_generation_annotation), std::to_string(generation)}};
  ds.spec.selector = label_selector{.match_labels = m.labels};
  auto& t = ds.spec.template_;
  t.metadata.labels = m.labels;
  t.spec.node_selector = std::move(shape.node_selector);
  if (!shape.required.empty())
    t.spec.affinity = affinity{.node_affinity = node_affinity{.required = node_selector{std::move(shape.required)}}};
  t.spec.tolerations = std::move(shape.tolerations);
  t.spec.host_network = shape.host_network;
  t.spec.extra["containers"] = R"([{"image":"registry.example.com/)" + std::string(shape.image) + ":v1." +
                               std::to_string(k % 7) + "." + std::to_string(generation) + R"(","name":")" +
                               name + R"("}])";
  if (shape.on_delete) ds.spec.update_strategy.type = update_strategy_type::on_delete;
  if (!shape.max_unavailable.empty())
    ds.spec.update_strategy.rolling_update =
        rolling_update_daemon_set{.max_unavailable = parse_int_or_percent(shape.max_unavailable)};
  ds.status.observed_generation = generation;
  ds.revision = synth_revision(o.seed, k, generation);
  return apply_defaults(std::move(ds));
}

// What one generated daemon pod is like.
struct synth_pod_kind {
  bool current{true};      // new revision (else the previous one)
  bool ready{true};
  pod_phase phase{pod_phase::running};
  bool terminating{false};
};

// The kind of pod on a node where the DaemonSet should run, or none (the node still lacks one).
[[nodiscard]] inline std::optional<synth_pod_kind> synth_roll_pod(synth_state state, synth_random& r) {
  if (state == synth_state::converged) return synth_pod_kind{};
  const auto roll = r.below(1000);
  if (roll < 5) return std::nullopt;
  if (roll < 15) return synth_pod_kind{.current = false, .ready = false, .phase = pod_phase::failed};
  if (roll < 25) return synth_pod_kind{.current = false, .terminating = true};
  if (roll < 45) return synth_pod_kind{.current = true, .ready = false, .phase = pod_phase::pending};
  if (roll < 65) return synth_pod_kind{.current = false, .ready = false};
  return synth_pod_kind{.current = roll < 400};
}

[[nodiscard]] inline pod synth_daemon_pod(const synth_options& o, const daemon_set& ds, std::size_t k,
                                          const node& n, std::size_t node_index, synth_pod_kind kind,
                                          synth_random& r) {
  const auto generation = kind.current ? ds.metadata.generation : ds.metadata.generation - 1;
  pod p;
  auto& m = p.metadata;
  m.generate_name = ds.metadata.name + "-";
  m.name = m.generate_name + synth_suffix(o.seed ^ (k * 0x9E3779B97F4A7C15ULL), node_index, o.nodes);
  m.namespace_ = ds.metadata.namespace_;
  m.uid = synth_uid(r);
  m.labels = ds.spec.template_.metadata.labels;
  m.labels[std::string(revision_hash_label)] = synth_revision(o.seed, k, generation);
  m.labels[std::string(template_generation_label)] = std::to_string(generation);
  m.owner_references.push_back({.api_version = "apps/v1", .kind = "DaemonSet", .name = ds.metadata.name,
                                .uid = ds.metadata.uid, .controller = true, .block_owner_deletion = true});
  const bool fresh = o.state == synth_state::rollout && kind.current;
  const auto created = o.now - std::chrono::seconds(fresh ? 1 + r.below(1800) : 3600 + r.below(30 * 86400));
  m.creation_timestamp = created;
  if (kind.terminating) m.deletion_timestamp = o.now - std::chrono::seconds(1 + r.below(25));
  p.spec.node_name = n.metadata.name;
  p.spec.affinity = affinity{.node_affinity = node_affinity{.required = node_selector{{node_selector_term{
                                 .match_fields = {{.key = "metadata.name", .op = selector_operator::in,
                                                   .values = {n.metadata.name}}}}}}}};
  p.spec.host_network = ds.spec.template_.spec.host_network;
  p.spec.restart_policy = "Always";
  p.phase = kind.phase;
  const auto ready_since = std::min(o.now, created + std::chrono::seconds(2 + r.below(60)));
  p.conditions.push_back({.type = "Ready",
                          .status = kind.ready ? condition_status::true_ : condition_status::false_,
                          .last_transition_time = ready_since});
  return p;
}

// A ReplicaSet-owned application pod on a worker node without taints.
[[nodiscard]] inline pod synth_workload_pod(const synth_options& o, const node& n, std::size_t w, synth_random& r) {
  constexpr std::array<std::array<std::string_view, 2>, 10> apps{{{"payments", "api"}, {"payments", "ledger-worker"},
                                                                  {"shop", "frontend"}, {"shop", "cart"},
                                                                  {"search", "indexer"}, {"default", "nginx"},
                                                                  {"kube-system", "coredns"}, {"monitoring", "kube-state-metrics"},
                                                                  {"data", "kafka-connect"}, {"ml", "inference"}}};
  const auto app = r.below(apps.size());
  auto owner = synth_random::stream(o.seed, stream_replica_set, app);
  const std::string replica_set = std::string(apps[app][1]) + "-" + synth_token(owner, 10);
  pod p;
  auto& m = p.metadata;
  m.generate_name = replica_set + "-";
  m.name = m.generate_name + synth_suffix(o.seed ^ 0x5DEECE66DULL, w, o.workload_pods);
  m.namespace_ = std::string(apps[app][0]);
  m.uid = synth_uid(r);
  m.labels = {{"app.kubernetes.io/name", std::string(apps[app][1])}, {"pod-template-hash", replica_set.substr(replica_set.size() - 10)}};
  m.owner_references.push_back({.api_version = "apps/v1", .kind = "ReplicaSet", .name = replica_set,
                                .uid = synth_uid(owner), .controller = true, .block_owner_deletion = true});
  m.creation_timestamp = o.now - std::chrono::seconds(60 + r.below(20 * 86400));
  p.spec.node_name = n.metadata.name;
  p.spec.restart_policy = "Always";
  p.phase = pod_phase::running;
  p.conditions.push_back({.type = "Ready", .status = condition_status::true_, .last_transition_time = *m.creation_timestamp});
  return p;
}

}  // namespace detail

/// The nodes of the cluster `o` describes, node i depending only on (seed, i): a smaller cluster
/// is a prefix of a larger one with the same seed. Names are EKS-style
/// (`ip-10-1-2-3.<region>.compute.internal`) and unique. Three control-plane nodes come first
/// (label `node-role.kubernetes.io/control-plane`, taint of that key, NoSchedule); the workers are
/// drawn from pools: general 40%, compute 15%, memory 10%, GPU 5% (`nvidia.com/gpu=present`
/// NoSchedule and the NVIDIA feature labels), spot 15% (`spot=true` NoSchedule), arm64 13% and
/// Windows 2% (`os=windows` NoSchedule); zones a-c of one region. About 1% of workers are
/// cordoned, 0.5% NotReady, 0.5% under memory or disk pressure, 0.2% uninitialised and 0.1% out of
/// service, with the taints the node controllers put on such nodes.
[[nodiscard]] inline std::vector<node> synth_nodes(const synth_options& o) {
  const auto layout = detail::synth_layout_of(o);
  std::vector<node> nodes;
  nodes.reserve(o.nodes);
  for (std::size_t i = 0; i < o.nodes; ++i) nodes.push_back(detail::synth_node(o, layout, i));
  return nodes;
}

/// `o.daemon_sets` DaemonSets shaped like real ones, API defaults applied, each with its revision
/// set (`daemon_set::revision`): generation 1 when converged, 2 mid-rollout. In catalogue order:
/// falco (tolerates everything, no selector: runs on every node), aws-node, kube-proxy, CSI node
/// plugins, log and metrics agents, the NVIDIA device plugin, feature discovery, DCGM exporter,
/// driver (OnDelete) and fabric manager limited to GPU nodes by affinity or nodeSelector, security
/// agents tolerating everything, Windows-only, spot-only and arch-specific agents.
[[nodiscard]] inline std::vector<daemon_set> synth_daemon_sets(const synth_options& o) {
  std::vector<daemon_set> out;
  out.reserve(o.daemon_sets);
  for (std::size_t k = 0; k < o.daemon_sets; ++k) out.push_back(detail::synth_daemon_set(o, k));
  return out;
}

/// The pods of `daemon_sets` (as synth_daemon_sets made them) on `nodes`, then `o.workload_pods`
/// application pods. Converged: one Ready pod of the current revision on every node where the
/// DaemonSet should run, and on nodes where it may only continue running because a taint came
/// later (one with `timeAdded`: cordoned, NotReady, under pressure). Rollout: the same nodes; on
/// each node where it should run, 33.5% current and Ready, 2% current and Pending, 60% previous
/// and Ready, 2% previous and not Ready, 1% previous and Failed, 1% previous and terminating, 0.5%
/// no pod yet; where it may only continue running, a previous-revision pod. Pods carry what the
/// controller reads (labels, controller reference, nodeName and the `metadata.name` affinity pin,
/// phase, Ready condition), not containers or tolerations.
[[nodiscard]] inline std::vector<pod> synth_pods(const synth_options& o, std::span<const node> nodes,
                                                 std::span<const daemon_set> daemon_sets) {
  // A pod stays where a taint came after it (cordon, NotReady, pressure), not on nodes born tainted.
  auto tainted_later = [](const node& n) {
    return std::ranges::any_of(n.taints, [](const taint& t) { return t.time_added.has_value(); });
  };
  std::vector<pod> pods;
  pods.reserve(nodes.size() * daemon_sets.size() + o.workload_pods);  // an upper bound: pages never touched cost nothing
  for (std::size_t k = 0; k < daemon_sets.size(); ++k) {
    const auto& ds = daemon_sets[k];
    const auto placement = daemon_placement::make(ds);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const auto verdict = placement.evaluate(nodes[i]);
      auto r = synth_random::stream(o.seed, detail::stream_pod + (k << 8), i);
      std::optional<detail::synth_pod_kind> kind;
      if (verdict.should_run)
        kind = detail::synth_roll_pod(o.state, r);
      else if (verdict.should_continue_running && tainted_later(nodes[i]))
        kind = detail::synth_pod_kind{.current = o.state == synth_state::converged};
      if (kind) pods.push_back(detail::synth_daemon_pod(o, ds, k, nodes[i], i, *kind, r));
    }
  }
  std::vector<std::size_t> hosts;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].taints.empty()) hosts.push_back(i);
  if (hosts.empty()) return pods;
  for (std::size_t w = 0; w < o.workload_pods; ++w) {
    auto r = synth_random::stream(o.seed, detail::stream_workload, w);
    const auto& host = nodes[hosts[r.below(hosts.size())]];
    pods.push_back(detail::synth_workload_pod(o, host, w, r));
  }
  return pods;
}

/// The whole cluster `o` describes: synth_nodes, synth_daemon_sets, then synth_pods over them.
[[nodiscard]] inline synth_cluster synthesize(const synth_options& o) {
  synth_cluster c{.nodes = synth_nodes(o), .daemon_sets = synth_daemon_sets(o)};
  c.pods = synth_pods(o, c.nodes, c.daemon_sets);
  return c;
}

}  // namespace daemonplan
