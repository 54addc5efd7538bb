// examples/04-rolling-update.cpp: the same template change rolled out twice over four nodes, once
// delete-first (maxUnavailable 50%) and once create-first (maxSurge 1), sync by sync. Pods become
// Ready one sync after they are created.
#include <cstdio>
#include <string>
#include <vector>

#include <daemonplan/daemonplan.hpp>

using namespace daemonplan;

namespace {

void roll_out(const char* title, const rolling_update_daemon_set& budget) {
  daemon_set ds{.metadata = {.name = "agent", .namespace_ = "default", .uid = "agent-uid"}};
  ds.spec.selector = label_selector{.match_labels = {{"app", "agent"}}};
  ds.spec.template_.metadata.labels = {{"app", "agent"}};
  ds.spec.template_.spec.extra = {{"containers", R"([{"name":"agent","image":"agent:2"}])"}};
  ds.spec.update_strategy = {.type = update_strategy_type::rolling_update, .rolling_update = budget};
  ds.revision = "v2";
  ds = apply_defaults(ds);

  std::vector<node> nodes;
  std::vector<pod> pods;
  for (const char* name : {"n1", "n2", "n3", "n4"}) {
    nodes.push_back({.metadata = {.name = name}});
    pod p{.metadata = {.name = std::string("v1-") + name, .namespace_ = "default",
                       .labels = {{"app", "agent"}, {"controller-revision-hash", "v1"}}, .owner_references = {controller_reference(ds)}}};
    p.spec.node_name = name;
    pods.push_back(p);
  }

  std::printf("%s\n", title);
  timestamp now{std::chrono::seconds{1'000}};
  reconcile_state state;
  for (int sync = 1;; ++sync, now += std::chrono::seconds{10}) {
    for (auto& p : pods)  // what the kubelet did since the last sync
      if (p.conditions.empty()) p.conditions = {{.type = "Ready", .status = condition_status::true_, .last_transition_time = now}};
    const plan p = reconcile(ds, nodes, pods, {.now = now}, state);
    state = p.next_state;
    std::string line;
    for (const auto& c : p.creates) line += " +" + c.node;
    for (const auto& d : p.deletes) line += " -" + d.name + "(" + std::string(to_string(d.reason)) + ")";
    std::printf("  sync %d:%s  [updated %d/%d, available %d]\n", sync, line.empty() ? " nothing to do" : line.c_str(),
                p.status.updated_number_scheduled, p.status.desired_number_scheduled, p.status.number_available);
    if (line.empty()) return;
    for (const auto& d : p.deletes) std::erase_if(pods, [&](const pod& x) { return x.metadata.name == d.name; });
    for (const auto& c : p.creates) {
      pod created = c.pod;
      created.metadata.name = "v2-" + c.node;
      created.spec.node_name = c.node;
      pods.push_back(std::move(created));
    }
  }
}

}  // namespace

int main() {
  roll_out("delete-first, maxUnavailable 50%:", {.max_unavailable = from_string("50%"), .max_surge = from_int(0)});
  roll_out("create-first, maxSurge 1:", {.max_unavailable = from_int(0), .max_surge = from_int(1)});
  return 0;
}
