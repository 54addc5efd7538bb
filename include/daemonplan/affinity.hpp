// daemonplan/affinity.hpp: node selector terms, node affinity, and the compiled "lazy error" node
// selector the scheduler and the DaemonSet controller use (component-helpers nodeaffinity).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>  // std::int32_t
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/labels.hpp>
#include <daemonplan/raw_fields.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/selector.hpp>

namespace daemonplan {

/// core/v1 NodeSelectorRequirement, used both for matchExpressions (labels) and matchFields.
struct node_selector_requirement {
  std::string key{};
  selector_operator op{selector_operator::in};
  std::vector<std::string> values{};
  friend auto operator<=>(const node_selector_requirement&, const node_selector_requirement&) = default;
};

/// core/v1 NodeSelectorTerm: all expressions and all fields ANDed. An empty term matches nothing.
struct node_selector_term {
  std::vector<node_selector_requirement> match_expressions{};
  std::vector<node_selector_requirement> match_fields{};
  friend auto operator<=>(const node_selector_term&, const node_selector_term&) = default;
};

/// core/v1 NodeSelector: terms ORed. No (non-empty) term matches nothing.
struct node_selector {
  std::vector<node_selector_term> node_selector_terms{};
  friend auto operator<=>(const node_selector&, const node_selector&) = default;
};

/// "key in (a,b)", "!key", "key>5" (values in the order given), as for label selectors.
[[nodiscard]] inline std::string to_string(const node_selector_requirement& r) {
  return detail::requirement_string(r.key, r.op, r.values);
}

/// The term's requirements joined by commas, matchExpressions then matchFields
/// ("kubernetes.io/os in (linux),metadata.name in (node-a)"); an empty term is "{}".
[[nodiscard]] inline std::string to_string(const node_selector_term& t) {
  std::string out;
  for (const auto& r : t.match_expressions) out += (out.empty() ? "" : ",") + to_string(r);
  for (const auto& r : t.match_fields) out += (out.empty() ? "" : ",") + to_string(r);
  return out.empty() ? "{}" : out;
}

/// The terms joined by " or " (terms are ORed); no terms is "{}".
[[nodiscard]] inline std::string to_string(const node_selector& s) {
  std::string out;
  for (const auto& t : s.node_selector_terms) out += (out.empty() ? "" : " or ") + to_string(t);
  return out.empty() ? "{}" : out;
}

/// core/v1 PreferredSchedulingTerm (scoring only; the DaemonSet controller ignores it).
struct preferred_scheduling_term {
  std::int32_t weight{0};
  node_selector_term preference{};
  friend auto operator<=>(const preferred_scheduling_term&, const preferred_scheduling_term&) = default;
};

/// core/v1 NodeAffinity. `required` null means no constraint.
struct node_affinity {
  std::optional<node_selector> required{};  ///< requiredDuringSchedulingIgnoredDuringExecution
  std::vector<preferred_scheduling_term> preferred{};  ///< preferredDuringSchedulingIgnoredDuringExecution
  friend auto operator<=>(const node_affinity&, const node_affinity&) = default;
};

/// core/v1 Affinity. Pod affinity and anti-affinity are carried untouched in `extra`.
struct affinity {
  std::optional<daemonplan::node_affinity> node_affinity{};
  raw_fields extra{};  ///< podAffinity, podAntiAffinity, ... as JSON text
  friend auto operator<=>(const affinity&, const affinity&) = default;
};

/// A compiled required node selector with the lazy-error semantics of §2.2: empty terms are
/// dropped, a term with parse errors records them and never matches, other terms are unaffected.
class node_selector_matcher {
 public:
  /// One field requirement (In / NotIn, exactly one value). A node has one field, metadata.name.
  struct field_requirement {
    bool on_name{true};  ///< key is metadata.name; any other key reads as the empty string
    bool in{true};
    std::string value{};
    friend bool operator==(const field_requirement&, const field_requirement&) = default;
  };
  /// A valid, non-empty term, with its index in the original term list.
  struct term {
    std::size_t index{0};
    std::vector<label_requirement> expressions{};
    std::vector<field_requirement> fields{};
    friend bool operator==(const term&, const term&) = default;
  };

  /// Compiles `selector`; errors carry paths relative to it (`nodeSelectorTerms[1].matchFields[0].values`).
  [[nodiscard]] static node_selector_matcher make(const node_selector& selector) {
    node_selector_matcher m;
    for (std::size_t t = 0; t < selector.node_selector_terms.size(); ++t) {
      const auto& raw = selector.node_selector_terms[t];
      if (raw.match_expressions.empty() && raw.match_fields.empty()) continue;
      const std::string path = "nodeSelectorTerms[" + std::to_string(t) + "]";
      term compiled{.index = t};
      const auto before = m.errors_.size();
      for (std::size_t i = 0; i < raw.match_expressions.size(); ++i) {
        const auto& e = raw.match_expressions[i];
        const std::string at = path + ".matchExpressions[" + std::to_string(i) + "].";
        auto errors = label_requirement::check(e.key, e.op, e.values);
        for (auto& err : errors) m.errors_.push_back({err.code, at + err.field, err.message});
        if (errors.empty()) compiled.expressions.push_back(*label_requirement::make(e.key, e.op, e.values));
      }
      for (std::size_t i = 0; i < raw.match_fields.size(); ++i) {
        const auto& f = raw.match_fields[i];
        const std::string at = path + ".matchFields[" + std::to_string(i) + "].";
        if (f.op != selector_operator::in && f.op != selector_operator::not_in)
          m.errors_.push_back({error_code::not_supported, at + "operator",
                               "\"" + std::string(to_string(f.op)) + "\" is not a valid field selector operator"});
        else if (f.values.size() != 1)
          m.errors_.push_back({error_code::invalid, at + "values", "must have one element"});
        else
          compiled.fields.push_back(
              {.on_name = f.key == "metadata.name", .in = f.op == selector_operator::in, .value = f.values.front()});
      }
      if (m.errors_.size() == before) m.terms_.push_back(std::move(compiled));
    }
    return m;
  }

  /// True when some valid term matches. A node with an empty name has no fields, so its terms'
  /// matchFields are skipped (the upstream quirk).
  [[nodiscard]] bool matches(std::string_view node_name, const label_map& labels) const noexcept {
    return std::ranges::any_of(terms_, [&](const term& t) { return term_matches(t, node_name, labels); });
  }

  [[nodiscard]] static bool term_matches(const term& t, std::string_view node_name, const label_map& labels) noexcept {
    for (const auto& r : t.expressions)
      if (!r.matches(labels)) return false;
    if (node_name.empty()) return true;
    return std::ranges::all_of(t.fields, [&](const field_requirement& f) { return field_matches(f, node_name); });
  }

  /// One field requirement against a node with a non-empty name.
  [[nodiscard]] static bool field_matches(const field_requirement& f, std::string_view node_name) noexcept {
    return ((f.on_name ? node_name : std::string_view{}) == f.value) == f.in;
  }

  /// The valid, non-empty terms in their original order.
  [[nodiscard]] const std::vector<term>& terms() const noexcept { return terms_; }
  /// Parse errors of the terms that can never match (upstream ignores them; explain reports them).
  [[nodiscard]] const std::vector<error>& errors() const noexcept { return errors_; }

 private:
  std::vector<term> terms_;
  std::vector<error> errors_;
};

}  // namespace daemonplan
