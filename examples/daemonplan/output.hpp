// examples/daemonplan/output.hpp: what the tool prints: kubectl-like text for people, the
// command-line contract's JSON for programs.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <daemonplan/daemonset.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/result.hpp>

namespace daemonplan::cli {

/// Rows as kubectl prints a table: each column as wide as its widest cell, three spaces between
/// columns, no trailing blanks; the first row is the header.
[[nodiscard]] std::string table(const std::vector<std::vector<std::string>>& rows);

/// `plan -o text`: the DaemonSet and revision, the summary line, one table row per action
/// (ACTION, NODE, POD, REASON), then the requeue time and the plan's errors, if any.
[[nodiscard]] std::string plan_text(const daemon_set& ds, const plan& p);

/// `explain -o text`: a summary line, then NODE, SHOULD RUN, MAY CONTINUE, REASON, one row per
/// reason (a node without reasons gets one row).
[[nodiscard]] std::string explain_text(const daemon_set& ds, std::span<const node_explanation> nodes);

/// The outcome of validating one DaemonSet.
struct validation {
  std::string name{};  ///< namespace/name
  std::vector<error> errors{};
};

/// `validate -o text`: "NAMESPACE/NAME: valid", or the error count and one line per error in
/// kubectl's form ("spec.x: Invalid value: \"120%\": must not be greater than 100%").
[[nodiscard]] std::string validate_text(std::span<const validation> results);

/// `validate -o json`: {"daemonSets": [{"namespace", "name", "valid", "errors": [...]}]}.
[[nodiscard]] nlohmann::ordered_json validate_document(std::span<const validation> results);

}  // namespace daemonplan::cli
