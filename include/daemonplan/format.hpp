// daemonplan/format.hpp: fmt formatters (target daemonplan::format, adds fmt 9) for daemonplan's
// values in kubectl notation, so a plan, a verdict or an error logs as one line each.
#pragma once

#include <string_view>

#include <fmt/format.h>

#include <daemonplan/affinity.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/types.hpp>

namespace daemonplan::detail {

/// A formatter that prints `to_string(value)` (found by ADL) as a string: width, fill and
/// alignment work as for strings (`{:<20}`). Every daemonplan formatter below is one of these.
template <typename T>
struct to_string_formatter : fmt::formatter<fmt::string_view> {
  template <typename FormatContext>
  auto format(const T& value, FormatContext& ctx) const {
    const auto text = to_string(value);
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()), ctx);
  }
};

}  // namespace daemonplan::detail

// Values in kubectl notation:
//   taint                  "dedicated=gpu:NoSchedule", "node-role.kubernetes.io/control-plane:NoSchedule"
//   toleration             "dedicated=gpu:NoSchedule", "key:NoExecute for 300s", "*" (tolerates everything)
//   label_selector         "app=web,tier in (a,b),!legacy"
//   node_selector(_term)   "kubernetes.io/os in (linux) or gpu in (true)"
//   int_or_percent         "1", "10%"
//   error                  "spec.template.spec.tolerations[1].effect: message"
//   node_verdict           "should run", "should not run, may continue running", "should not run"
//   reason                 "UntoleratedTaint: taint dedicated=gpu:NoSchedule is not tolerated"
//   node_explanation       "node-b: should not run: taint dedicated=gpu:NoSchedule is not tolerated"
//   create/delete/update   "create pod on node-a", "delete kube-system/x on node-b (NodeIneligible)"
//   plan                   "3 to create, 1 to delete, 0 to update; desired 5, ready 2, available 2"
// and every enum by its API spelling ("NoSchedule", "Exists", "In", "NodeGone", "Adopt", ...).

/// Declares fmt::formatter<T> as a to_string_formatter<T>; #undef'd at the end of this header.
#define DAEMONPLAN_DETAIL_FORMATTER(T) \
  template <>                        \
  struct fmt::formatter<T> : daemonplan::detail::to_string_formatter<T> {}

DAEMONPLAN_DETAIL_FORMATTER(daemonplan::taint);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::toleration);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::label_selector_requirement);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::label_selector);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::label_requirement);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::node_selector_requirement);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::node_selector_term);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::node_selector);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::int_or_percent);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::error);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::node_verdict);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::reason);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::node_explanation);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::create_action);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::delete_action);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::update_action);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::plan);

// Enums, by their API spelling.
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::taint_effect);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::toleration_operator);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::selector_operator);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::pod_phase);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::condition_status);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::update_strategy_type);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::error_code);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::reason_code);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::delete_reason);
DAEMONPLAN_DETAIL_FORMATTER(daemonplan::update_kind);

#undef DAEMONPLAN_DETAIL_FORMATTER
