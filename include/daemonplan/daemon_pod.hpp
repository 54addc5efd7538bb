// daemonplan/daemon_pod.hpp: the pod the DaemonSet controller submits for a node (CreatePodTemplate,
// GetPodFromTemplate and the metadata.name node-affinity pin).
#pragma once

#include <cstdint>  // std::int64_t
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/labels.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan {

/// The controller ownerReference of `ds`'s pods: apps/v1 DaemonSet, name, uid, controller and
/// blockOwnerDeletion true.
[[nodiscard]] inline owner_reference controller_reference(const daemon_set& ds) {
  return {.api_version = "apps/v1",
          .kind = "DaemonSet",
          .name = ds.metadata.name,
          .uid = ds.metadata.uid,
          .controller = true,
          .block_owner_deletion = true};
}

/// getPodsPrefix: "<name>-", or the bare name when "<name>-" is no valid generateName (too long).
[[nodiscard]] inline std::string pod_name_prefix(std::string_view ds_name) {
  // ValidatePodName in prefix mode validates the prefix with its trailing dash masked
  if (is_dns1123_subdomain(std::string(ds_name) + "a")) return std::string(ds_name) + "-";
  return std::string(ds_name);
}

/// ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the single term
/// `matchFields: [metadata.name In [node]]`, created where missing; an existing required selector
/// loses all its terms (they were checked by the placement already). Preferred node affinity, pod
/// affinity and anti-affinity are kept.
inline void pin_to_node(pod_spec& spec, std::string_view node_name) {
  node_selector pin{.node_selector_terms = {node_selector_term{
                        .match_fields = {node_selector_requirement{
                            .key = "metadata.name", .op = selector_operator::in, .values = {std::string(node_name)}}}}}};
  if (!spec.affinity) spec.affinity.emplace();
  if (!spec.affinity->node_affinity) spec.affinity->node_affinity.emplace();
  spec.affinity->node_affinity->required = std::move(pin);
}

/// The pod `ds` creates before it is pinned to a node: the template with every field kept (raw
/// fields untouched; identity fields of the template metadata, which a template does not carry, are
/// not copied), labels plus `pod-template-generation` (when the DaemonSet has a template generation)
/// and `controller-revision-hash` = `revision` (when non-empty), the default daemon tolerations
/// merged in, the namespace, generateName "<name>-" and the controller ownerReference.
[[nodiscard]] inline pod daemon_pod_prototype(const daemon_set& ds, std::string_view revision) {
  const auto& tmpl = ds.spec.template_;
  pod p;
  p.metadata.generate_name = pod_name_prefix(ds.metadata.name);
  p.metadata.namespace_ = ds.metadata.namespace_;
  p.metadata.labels = tmpl.metadata.labels;
  p.metadata.annotations = tmpl.metadata.annotations;
  p.metadata.extra = tmpl.metadata.extra;  // finalizers and every other unmodelled field
  if (const auto gen = template_generation(ds)) p.metadata.labels[std::string(template_generation_label)] = std::to_string(*gen);
  if (!revision.empty()) p.metadata.labels[std::string(revision_hash_label)] = std::string(revision);
  p.metadata.owner_references.push_back(controller_reference(ds));
  p.spec = tmpl.spec;
  p.spec.tolerations = with_daemon_tolerations(std::move(p.spec.tolerations), p.spec.host_network);
  return p;
}

/// The complete pod `ds` submits for `node_name` (§3.6): the prototype pinned to the node.
/// spec.nodeName is not set (the scheduler binds the pod) unless the template sets it.
[[nodiscard]] inline pod make_daemon_pod(const daemon_set& ds, std::string_view revision, std::string_view node_name) {
  auto p = daemon_pod_prototype(ds, revision);
  pin_to_node(p.spec, node_name);
  return p;
}

}  // namespace daemonplan
