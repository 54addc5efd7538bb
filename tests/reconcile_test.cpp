// reconcile.hpp and daemon_pod.hpp: the complete pod a create carries (§3.6), output order, the
// status rules, snapshots shared between DaemonSets, and plan_cascade (§6). The branch-by-branch
// behaviour is covered by the scenarios in tests/conformance/.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <daemonplan/daemonplan.hpp>

using namespace daemonplan;

namespace {

timestamp at(long long s) { return timestamp{std::chrono::seconds{s}}; }

daemon_set fluentd() {
  daemon_set ds;
  ds.metadata = {.name = "fluentd", .namespace_ = "kube-system", .uid = "uid-f", .generation = 3};
  ds.spec.selector = label_selector{.match_labels = {{"app", "fluentd"}}};
  ds.spec.template_.metadata.labels = {{"app", "fluentd"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"image":"fluentd:1","name":"fluentd"}])"}};
  ds.revision = "rev-2";
  return apply_defaults(ds);
}

node make_node(std::string name) { return {.metadata = {.name = std::move(name)}}; }

pod daemon_pod(const daemon_set& ds, std::string name, std::string node_name, std::string revision = "rev-2") {
  pod p{.metadata = {.name = std::move(name), .namespace_ = ds.metadata.namespace_, .labels = ds.spec.template_.metadata.labels}};
  p.metadata.labels["controller-revision-hash"] = std::move(revision);
  p.metadata.owner_references.push_back(controller_reference(ds));
  p.spec.node_name = std::move(node_name);
  p.phase = pod_phase::running;
  return p;
}

const reconcile_options opts{.now = at(1000)};

}  // namespace

TEST_CASE("create: the complete pod (§3.6), nothing of the template lost", "[reconcile]") {
  daemon_set ds = fluentd();
  ds.metadata.annotations[std::string(template_generation_annotation)] = "7";
  auto& tmpl = ds.spec.template_;
  tmpl.metadata.annotations = {{"note", "kept"}};
  tmpl.metadata.extra = {{"finalizers", R"(["example.com/keep"])"}};
  tmpl.spec.extra["volumes"] = R"([{"name":"varlog","hostPath":{"path":"/var/log"}}])";
  tmpl.spec.tolerations = {
      {.key = "node.kubernetes.io/not-ready", .op = toleration_operator::exists, .effect = taint_effect::no_execute,
       .toleration_seconds = 300},
      {.key = "dedicated", .value = "logging", .effect = taint_effect::no_schedule}};
  node_affinity na{.required = node_selector{.node_selector_terms = {{.match_expressions = {{.key = "zone", .op = selector_operator::in, .values = {"a"}}}}}},
                   .preferred = {{.weight = 5, .preference = {.match_expressions = {{.key = "fast", .op = selector_operator::exists}}}}}};
  tmpl.spec.affinity = affinity{.node_affinity = na, .extra = {{"podAntiAffinity", R"({"x":1})"}}};
  const std::vector<node> nodes{{.metadata = {.name = "node-a", .labels = {{"zone", "a"}}}}};

  const auto p = reconcile(ds, nodes, std::vector<pod>{}, opts);
  REQUIRE(p.creates.size() == 1);
  const auto& c = p.creates.front();
  CHECK(c.node == "node-a");
  const pod& created = c.pod;
  CHECK(created.metadata.name.empty());
  CHECK(created.metadata.generate_name == "fluentd-");
  CHECK(created.metadata.namespace_ == "kube-system");
  CHECK(created.metadata.labels == label_map{{"app", "fluentd"}, {"controller-revision-hash", "rev-2"}, {"pod-template-generation", "7"}});
  CHECK(created.metadata.annotations == tmpl.metadata.annotations);
  CHECK(created.metadata.extra == tmpl.metadata.extra);
  REQUIRE(created.metadata.owner_references.size() == 1);
  CHECK(created.metadata.owner_references.front() == owner_reference{.api_version = "apps/v1", .kind = "DaemonSet", .name = "fluentd",
                                                                      .uid = "uid-f", .controller = true, .block_owner_deletion = true});
  CHECK(created.spec.extra == tmpl.spec.extra);
  CHECK(created.spec.node_name.empty());
  CHECK(created.spec.restart_policy == "Always");
  CHECK(created.phase == pod_phase::pending);
  CHECK(created.conditions.empty());
  // tolerations: the user's not-ready one replaced in place (tolerationSeconds lost), defaults appended
  CHECK(created.spec.tolerations == with_daemon_tolerations(tmpl.spec.tolerations, false));
  CHECK(created.spec.tolerations.front().toleration_seconds == std::nullopt);
  CHECK(created.spec.tolerations.size() == 7);  // 2 user + 5 defaults not already present
  // affinity: required replaced by the single pin; preferred and pod affinity kept
  REQUIRE(created.spec.affinity);
  REQUIRE(created.spec.affinity->node_affinity);
  const auto& required = created.spec.affinity->node_affinity->required;
  REQUIRE(required);
  REQUIRE(required->node_selector_terms.size() == 1);
  CHECK(required->node_selector_terms[0].match_expressions.empty());
  CHECK(required->node_selector_terms[0].match_fields ==
        std::vector<node_selector_requirement>{{.key = "metadata.name", .op = selector_operator::in, .values = {"node-a"}}});
  CHECK(created.spec.affinity->node_affinity->preferred == na.preferred);
  CHECK(created.spec.affinity->extra == tmpl.spec.affinity->extra);
  CHECK(target_node(created) == std::optional<std::string_view>("node-a"));
  CHECK(created == make_daemon_pod(ds, "rev-2", "node-a"));
}

TEST_CASE("create: every pod pinned to its own node, none bound (TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods)", "[reconcile]") {
  const auto ds = fluentd();
  const std::vector<node> nodes{make_node("n3"), make_node("n1"), make_node("n2")};
  const auto p = reconcile(ds, nodes, std::vector<pod>{}, opts);
  REQUIRE(p.creates.size() == 3);
  for (const auto& c : p.creates) {
    CHECK(c.pod.spec.node_name.empty());
    CHECK(target_node(c.pod) == std::optional<std::string_view>(c.node));
  }
  CHECK(p.creates[0].node == "n1");
  CHECK(p.creates[1].node == "n2");
  CHECK(p.creates[2].node == "n3");
}

TEST_CASE("create: the template's nodeName is copied; generateName falls back to the bare name", "[reconcile]") {
  auto ds = fluentd();
  ds.spec.template_.spec.node_name = "n1";
  CHECK(make_daemon_pod(ds, "r", "n1").spec.node_name == "n1");
  CHECK(pod_name_prefix(std::string(252, 'a')) == std::string(252, 'a') + "-");
  CHECK(pod_name_prefix(std::string(253, 'a')) == std::string(253, 'a'));  // "<name>-" would be 254 bytes
}

TEST_CASE("revision: the supplied one, else the template hash, stamped on creates", "[reconcile]") {
  auto ds = fluentd();
  const std::vector<node> nodes{make_node("n1")};
  CHECK(reconcile(ds, nodes, std::vector<pod>{}, opts).revision == "rev-2");
  ds.revision.clear();
  const auto p = reconcile(ds, nodes, std::vector<pod>{}, opts);
  CHECK(p.revision == current_revision(ds));
  REQUIRE(p.creates.size() == 1);
  CHECK(p.creates[0].pod.metadata.labels.at("controller-revision-hash") == p.revision);
  // no template generation annotation: no generation label
  CHECK_FALSE(p.creates[0].pod.metadata.labels.contains("pod-template-generation"));
}

TEST_CASE("a hand-built DaemonSet is reconciled as the API server stores it (apply_defaults)", "[reconcile]") {
  daemon_set raw;  // no strategy type, no rollingUpdate, no restartPolicy: nothing defaulted
  raw.metadata = {.name = "fluentd", .namespace_ = "kube-system", .uid = "uid-f", .generation = 1};
  raw.spec.selector = label_selector{.match_labels = {{"app", "fluentd"}}};
  raw.spec.template_.metadata.labels = {{"app", "fluentd"}};
  raw.spec.template_.spec.extra = {{"containers", R"([{"image":"fluentd:1","name":"fluentd"}])"}};
  const std::vector<node> nodes{make_node("n1"), make_node("n2"), make_node("n3")};
  const auto stored = apply_defaults(raw);
  std::vector<pod> pods{daemon_pod(stored, "p1", "n1", "old"), daemon_pod(stored, "p2", "n2", "old")};
  for (auto& p : pods) p.conditions.push_back({.type = "Ready", .status = condition_status::true_});

  const auto p = reconcile(raw, nodes, pods, opts);
  CHECK(p == reconcile(stored, nodes, pods, opts));
  CHECK(p.errors.empty());
  // RollingUpdate, maxUnavailable 1: the create on n3 is the one unavailable node, so no old pod
  // goes yet (an OnDelete-like sync would plan the same create and nothing else, so look further)
  REQUIRE(p.creates.size() == 1);
  CHECK(p.creates[0].pod.spec.restart_policy == "Always");
  CHECK(p.revision == current_revision(stored));
  pods.push_back(daemon_pod(stored, "p3", "n3", p.revision));
  pods.back().conditions.push_back({.type = "Ready", .status = condition_status::true_});
  const auto next = reconcile(raw, nodes, pods, opts);
  CHECK(next.deletes == std::vector<delete_action>{{"kube-system", "p1", "n1", delete_reason::rolling_update}});
}

TEST_CASE("output order: deletes and updates by namespace then name, whatever the node", "[reconcile]") {
  const auto ds = fluentd();
  const std::vector<node> nodes{make_node("a"), make_node("b"), {.metadata = {.name = "c"}, .taints = {{.key = "x", .effect = taint_effect::no_execute}}}};
  std::vector<pod> pods{daemon_pod(ds, "z-dup", "a"), daemon_pod(ds, "m-keep", "a"), daemon_pod(ds, "b-evicted", "c")};
  pods[0].metadata.creation_timestamp = at(20);
  pods[1].metadata.creation_timestamp = at(10);
  pods.push_back(daemon_pod(ds, "y-orphan", "b"));
  pods.back().metadata.owner_references.clear();
  pods.push_back(daemon_pod(ds, "a-released", "b"));
  pods.back().metadata.labels["app"] = "other";
  const auto p = reconcile(ds, nodes, pods, opts);
  REQUIRE(p.deletes.size() == 2);
  CHECK(p.deletes[0] == delete_action{"kube-system", "b-evicted", "c", delete_reason::node_ineligible});
  CHECK(p.deletes[1] == delete_action{"kube-system", "z-dup", "a", delete_reason::duplicate});
  REQUIRE(p.updates.size() == 2);
  CHECK(p.updates[0].name == "a-released");
  CHECK(p.updates[0].action == update_kind::release);
  CHECK(p.updates[0].owner == controller_reference(ds));
  CHECK(p.updates[1].name == "y-orphan");
  CHECK(p.updates[1].action == update_kind::adopt);
  CHECK(p.updates[1].node == "b");
  CHECK(p.updates[1].owner == controller_reference(ds));
}

TEST_CASE("status: the observed input; unchanged when no status would be written", "[reconcile]") {
  auto ds = fluentd();
  ds.status = {.number_ready = 9, .observed_generation = 2, .collision_count = 4};
  const std::vector<node> nodes{make_node("n1"), make_node("n2")};
  std::vector<pod> pods{daemon_pod(ds, "p1", "n1")};
  pods[0].conditions.push_back({.type = "Ready", .status = condition_status::true_});

  const auto p = reconcile(ds, nodes, pods, opts);
  CHECK(p.status == daemon_set_status{.current_number_scheduled = 1, .desired_number_scheduled = 2, .number_ready = 1,
                                      .observed_generation = 3, .updated_number_scheduled = 1, .number_available = 1,
                                      .number_unavailable = 1, .collision_count = 4});

  const reconcile_state state{.failed_pod_backoff = {{"stale", {std::chrono::seconds{1}, at(0)}}}};
  ds.metadata.deletion_timestamp = at(1);
  const auto deleting = reconcile(ds, nodes, pods, opts, state);
  CHECK(deleting.status == ds.status);
  CHECK(deleting.next_state == state);  // no sync, no backoff garbage collection
  CHECK(deleting.creates.empty());
  CHECK(deleting.revision.empty());
}

TEST_CASE("a snapshot shared by several DaemonSets gives each its one-off plan", "[reconcile]") {
  const auto a = fluentd();
  auto b = fluentd();
  b.metadata.name = "node-exporter";
  b.metadata.uid = "uid-n";
  b.spec.selector = label_selector{.match_labels = {{"app", "node-exporter"}}};
  b.spec.template_.metadata.labels = {{"app", "node-exporter"}};
  b.spec.template_.spec.node_selector = {{"role", "worker"}};
  const std::vector<node> nodes{{.metadata = {.name = "n1", .labels = {{"role", "worker"}}}}, make_node("n2")};
  std::vector<pod> pods{daemon_pod(a, "f1", "n1"), daemon_pod(b, "e2", "n2", "x")};
  pods.back().metadata.labels["app"] = "node-exporter";

  const auto snapshot = cluster_snapshot::make(nodes, pods);
  const auto pa = reconcile(a, snapshot, opts);
  const auto pb = reconcile(b, snapshot, opts);
  CHECK(pa == reconcile(a, nodes, pods, opts));
  CHECK(pb == reconcile(b, nodes, pods, opts));
  CHECK(pa.creates.size() == 1);  // n2
  CHECK(pb.deletes == std::vector<delete_action>{{"kube-system", "e2", "n2", delete_reason::node_ineligible}});
  CHECK(pb.creates.size() == 1);  // n1
}

TEST_CASE("a snapshot made for DaemonSets of one UID in two namespaces plans each as a full snapshot does", "[reconcile]") {
  const auto a = fluentd();
  auto b = fluentd();
  b.metadata.namespace_ = "logging";  // the same UID: another controller all the same
  auto other = fluentd();
  other.metadata.uid = "uid-o";
  const std::vector<node> nodes{make_node("n1"), make_node("n2"), make_node("n3")};
  std::vector<pod> pods{daemon_pod(a, "a1", "n1"), daemon_pod(a, "a2", "n1"), daemon_pod(b, "b1", "n2"),
                        daemon_pod(b, "b9", "gone"), daemon_pod(other, "o1", "n3")};
  pods.push_back(daemon_pod(a, "orphan", "n3"));
  pods.back().metadata.owner_references.clear();
  const auto full = cluster_snapshot::make(nodes, pods);
  const std::vector<daemon_set> listed{a, b};
  const auto made_for = cluster_snapshot::make(nodes, pods, std::span<const daemon_set>(listed));
  REQUIRE_FALSE(made_for.indexes("kube-system", "uid-o"));
  for (const auto& ds : {a, b, other}) {
    INFO(ds.metadata.namespace_ << "/" << ds.metadata.uid);
    CHECK(reconcile(ds, made_for, opts) == reconcile(ds, full, opts));  // `other`: a snapshot of its own
  }
  const auto pa = reconcile(a, made_for, opts);
  CHECK(pa.deletes == std::vector<delete_action>{{"kube-system", "a2", "n1", delete_reason::duplicate}});
  CHECK(pa.updates.size() == 1);  // adopts the orphan on n3
  CHECK(pa.creates.size() == 1);  // n2: b1 is another controller's
  const auto pb = reconcile(b, made_for, opts);
  CHECK(pb.deletes == std::vector<delete_action>{{"logging", "b9", "gone", delete_reason::node_gone}});
  CHECK(pb.creates.size() == 2);  // n1, n3
  const auto po = reconcile(other, made_for, opts);
  CHECK(po.creates.size() == 2);  // n1, n2: o1 runs on n3
  CHECK(po.updates.size() == 1);  // it adopts the orphan as well
}

TEST_CASE("no nodes: pods on vanished nodes are deleted, nothing is desired", "[reconcile]") {
  const auto ds = fluentd();
  const std::vector<pod> pods{daemon_pod(ds, "p1", "gone-1"), daemon_pod(ds, "p2", "gone-2")};
  const auto p = reconcile(ds, std::span<const node>{}, pods, opts);
  CHECK(p.creates.empty());
  CHECK(p.deletes == std::vector<delete_action>{{"kube-system", "p1", "gone-1", delete_reason::node_gone},
                                                {"kube-system", "p2", "gone-2", delete_reason::node_gone}});
  CHECK(p.status.desired_number_scheduled == 0);
  CHECK(p.status.current_number_scheduled == 0);
  CHECK(p.status.number_misscheduled == 0);
  CHECK(p.errors.empty());
  CHECK(reconcile(ds, std::span<const node>{}, std::span<const pod>{}, opts).deletes.empty());
}

TEST_CASE("deterministic: the same plan for every order of the inputs", "[reconcile]") {
  auto ds = fluentd();
  ds.spec.update_strategy.rolling_update = rolling_update_daemon_set{from_int(2), from_int(0)};
  std::vector<node> nodes;
  std::vector<pod> pods;
  for (int i = 0; i < 6; ++i) {
    nodes.push_back(make_node("n" + std::to_string(i)));
    pods.push_back(daemon_pod(ds, "p" + std::to_string(i), "n" + std::to_string(i), i % 2 ? "old" : "rev-2"));
    pods.back().conditions.push_back({.type = "Ready", .status = condition_status::true_});
  }
  pods.push_back(daemon_pod(ds, "dup", "n0"));
  pods.push_back(daemon_pod(ds, "gone", "n9", "old"));
  const auto reference = reconcile(ds, nodes, pods, opts);
  // p0 (a duplicate: "dup" sorts first at equal timestamps), gone (NodeGone), and one old pod: the
  // budget is 2 and the unready dup uses one
  CHECK(reference.deletes.size() == 3);
  for (int round = 0; round < 12; ++round) {
    std::rotate(pods.begin(), pods.begin() + 1, pods.end());
    if (round % 3 == 0) std::ranges::reverse(nodes);
    if (round % 4 == 1) std::ranges::swap(pods.front(), pods.back());
    CHECK(reconcile(ds, nodes, pods, opts) == reference);
  }
}

TEST_CASE("requeue: the earliest pod to turn available or backoff to end", "[reconcile]") {
  auto ds = fluentd();
  ds.spec.min_ready_seconds = 60;
  const std::vector<node> nodes{make_node("n1"), make_node("n2")};
  std::vector<pod> pods{daemon_pod(ds, "p1", "n1"), daemon_pod(ds, "p2", "n2")};
  pods[0].conditions.push_back({.type = "Ready", .status = condition_status::true_, .last_transition_time = at(990)});
  pods[1].phase = pod_phase::failed;
  SECTION("availability ahead") { CHECK(reconcile(ds, nodes, pods, opts).requeue_after == std::chrono::seconds{50}); }
  SECTION("a shorter backoff wins") {
    const reconcile_state state{.failed_pod_backoff = {{"uid-f/0/n2", {std::chrono::seconds{16}, at(995)}}}};
    CHECK(reconcile(ds, nodes, pods, opts, state).requeue_after == std::chrono::seconds{11});
  }
  SECTION("nothing pending") {
    pods[0].conditions.front().last_transition_time = at(900);
    CHECK(reconcile(ds, nodes, pods, opts).requeue_after == std::nullopt);
  }
}

TEST_CASE("errors: a surge meeting an old pod on a vanished node names the pod and plans no rollout", "[reconcile]") {
  auto ds = fluentd();
  ds.spec.update_strategy.rolling_update = rolling_update_daemon_set{from_int(0), from_int(1)};
  const std::vector<node> nodes{make_node("n1")};
  std::vector<pod> pods{daemon_pod(ds, "p1", "n1", "old"), daemon_pod(ds, "p9", "n9", "old")};
  pods[0].conditions.push_back({.type = "Ready", .status = condition_status::true_});
  const auto p = reconcile(ds, nodes, pods, {.now = at(1000), .delete_pods_on_vanished_nodes = false});
  REQUIRE(p.errors.size() == 1);
  CHECK(p.errors[0].message.find("kube-system/p9") != std::string::npos);
  CHECK(p.creates.empty());
}

TEST_CASE("plan_cascade: background and foreground delete the dependents, orphan releases them (§6)", "[reconcile]") {
  const auto ds = fluentd();
  std::vector<pod> pods{daemon_pod(ds, "b", "n1"), daemon_pod(ds, "a", "n2"), daemon_pod(ds, "going", "n3")};
  pods[2].metadata.deletion_timestamp = at(1);
  pods.push_back(daemon_pod(ds, "elsewhere", "n1"));
  pods.back().metadata.namespace_ = "default";
  pods.push_back(daemon_pod(ds, "unrelated", "n1"));
  pods.back().metadata.owner_references = {{.uid = "someone-else", .controller = true}};
  pods.push_back(daemon_pod(ds, "non-controller", "n1"));
  pods.back().metadata.owner_references.front().controller = false;

  for (const auto propagation : {deletion_propagation::background, deletion_propagation::foreground}) {
    const auto p = plan_cascade(ds, pods, propagation);
    CHECK(p.deletes == std::vector<delete_action>{{"kube-system", "a", "n2", delete_reason::owner_deleted},
                                                  {"kube-system", "b", "n1", delete_reason::owner_deleted},
                                                  {"kube-system", "non-controller", "n1", delete_reason::owner_deleted}});
    CHECK(p.updates.empty());
    CHECK(p.creates.empty());
  }
  const auto orphan = plan_cascade(ds, pods, deletion_propagation::orphan);
  CHECK(orphan.deletes.empty());
  std::vector<std::string> released;
  for (const auto& u : orphan.updates) {
    CHECK(u.action == update_kind::release);
    CHECK(u.owner.uid == "uid-f");
    released.push_back(u.name);
  }
  CHECK(released == std::vector<std::string>{"a", "b", "going", "non-controller"});
}
