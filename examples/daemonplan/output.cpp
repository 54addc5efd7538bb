// examples/daemonplan/output.cpp: text tables and JSON documents for plan, explain and validate.
#include "output.hpp"

#include <algorithm>
#include <cstddef>

#include <fmt/format.h>

#include <daemonplan/format.hpp>
#include <daemonplan/json.hpp>

namespace daemonplan::cli {
namespace {

/// Longest error line printed in text output; the JSON output keeps messages whole.
constexpr std::size_t max_line = 300;

std::string clip(std::string s) {
  std::ranges::replace(s, '\n', ' ');
  if (s.size() > max_line) s = s.substr(0, max_line) + "...";
  return s;
}

/// kubectl's field error form: "spec.x: Invalid value: \"120%\": must not be greater than 100%".
std::string error_line(const error& e) {
  return clip(fmt::format("{}{}: {}", e.field.empty() ? "" : e.field + ": ", e.code, e.message));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += c + 1 < row.size() ? fmt::format("{:<{}}   ", row[c], widths[c]) : row[c];
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string plan_text(const daemon_set& ds, const plan& p) {
  std::string out = fmt::format("DaemonSet {}/{}, revision {}\n{}\n", ds.metadata.namespace_, ds.metadata.name,
                                p.revision.empty() ? "(none)" : p.revision, p);
  std::vector<std::vector<std::string>> rows{{"ACTION", "NODE", "POD", "REASON"}};
  for (const auto& a : p.creates) rows.push_back({"create", a.node, "(new)", ""});
  for (const auto& a : p.deletes)
    rows.push_back({"delete", a.node.empty() ? "<none>" : a.node, a.name, std::string(to_string(a.reason))});
  for (const auto& a : p.updates)
    rows.push_back({a.action == update_kind::adopt ? "adopt" : "release", a.node.empty() ? "<none>" : a.node, a.name,
                    a.action == update_kind::adopt ? "orphan matches the selector" : "no longer matches the selector"});
  out += rows.size() == 1 ? "\nNothing to do.\n" : "\n" + table(rows);
  if (p.requeue_after) out += fmt::format("\nRequeue after {}s.\n", p.requeue_after->count());
  if (!p.errors.empty()) {
    out += fmt::format("\n{}:\n", p.errors.size() == 1 ? "Error" : "Errors");
    for (const auto& e : p.errors) out += "  " + error_line(e) + "\n";
  }
  return out;
}

std::string explain_text(const daemon_set& ds, std::span<const node_explanation> nodes) {
  const auto run = std::ranges::count_if(nodes, [](const auto& e) { return e.verdict.should_run; });
  const auto stay = std::ranges::count_if(
      nodes, [](const auto& e) { return !e.verdict.should_run && e.verdict.should_continue_running; });
  std::string out = fmt::format("DaemonSet {}/{}: {}, {} should run the pod, {} should not", ds.metadata.namespace_,
                                ds.metadata.name, plural(nodes.size(), "node", "nodes"), run,
                                static_cast<std::ptrdiff_t>(nodes.size()) - run);
  if (stay > 0) out += fmt::format(" ({} may keep a running pod)", stay);
  out += "\n\n";
  std::vector<std::vector<std::string>> rows{{"NODE", "SHOULD RUN", "MAY CONTINUE", "REASON"}};
  for (const auto& e : nodes) {
    const std::string should_run = e.verdict.should_run ? "yes" : "no";
    const std::string may_continue = e.verdict.should_continue_running ? "yes" : "no";
    if (e.reasons.empty()) rows.push_back({e.node, should_run, may_continue, ""});
    for (std::size_t i = 0; i < e.reasons.size(); ++i)
      rows.push_back({i == 0 ? e.node : "", i == 0 ? should_run : "", i == 0 ? may_continue : "", clip(e.reasons[i].message)});
  }
  return out + table(rows);
}

std::string validate_text(std::span<const validation> results) {
  std::string out;
  for (const auto& r : results) {
    if (r.errors.empty()) {
      out += r.name + ": valid\n";
      continue;
    }
    out += fmt::format("{}: {}\n", r.name, plural(r.errors.size(), "error", "errors"));
    for (const auto& e : r.errors) out += "  " + error_line(e) + "\n";
  }
  return out;
}

nlohmann::ordered_json validate_document(std::span<const validation> results) {
  nlohmann::ordered_json doc = {{"daemonSets", nlohmann::ordered_json::array()}};
  for (const auto& r : results) {
    const auto slash = r.name.find('/');
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["namespace"] = r.name.substr(0, slash);
    entry["name"] = r.name.substr(slash + 1);
    entry["valid"] = r.errors.empty();
    entry["errors"] = nlohmann::ordered_json::array();
    for (const auto& e : r.errors) entry["errors"].push_back(e);
    doc["daemonSets"].push_back(std::move(entry));
  }
  return doc;
}

}  // namespace daemonplan::cli
