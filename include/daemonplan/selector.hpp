// daemonplan/selector.hpp: label selectors (metav1.LabelSelector), their requirements, and the
// compiled matcher that evaluates them with the apimachinery labels semantics.
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>  // std::int64_t
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <daemonplan/labels.hpp>
#include <daemonplan/result.hpp>

namespace daemonplan {

/// Selector operators. `gt` and `lt` are only valid in node affinity, never in a LabelSelector.
enum class selector_operator { in, not_in, exists, does_not_exist, gt, lt };

/// The API spelling: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt".
[[nodiscard]] constexpr std::string_view to_string(selector_operator op) noexcept {
  switch (op) {
    case selector_operator::in: return "In";
    case selector_operator::not_in: return "NotIn";
    case selector_operator::exists: return "Exists";
    case selector_operator::does_not_exist: return "DoesNotExist";
    case selector_operator::gt: return "Gt";
    case selector_operator::lt: return "Lt";
  }
  return "In";
}

/// Parses the exact, case-sensitive API spelling; "in" is not an operator.
[[nodiscard]] constexpr std::optional<selector_operator> parse_selector_operator(std::string_view s) noexcept {
  for (auto op : {selector_operator::in, selector_operator::not_in, selector_operator::exists,
                  selector_operator::does_not_exist, selector_operator::gt, selector_operator::lt})
    if (to_string(op) == s) return op;
  return std::nullopt;
}

/// metav1.LabelSelectorRequirement.
struct label_selector_requirement {
  std::string key{};
  selector_operator op{selector_operator::in};
  std::vector<std::string> values{};
  friend auto operator<=>(const label_selector_requirement&, const label_selector_requirement&) = default;
};

/// metav1.LabelSelector. Where the API field is nullable, hold it as std::optional<label_selector>:
/// null selects nothing, while an empty selector (no labels, no expressions) selects everything.
struct label_selector {
  label_map match_labels{};
  std::vector<label_selector_requirement> match_expressions{};
  friend auto operator<=>(const label_selector&, const label_selector&) = default;
};

/// A syntax-checked requirement (labels.NewRequirement), ready to match label maps.
class label_requirement {
 public:
  /// Builds a requirement with every construction check of NewRequirement; all errors are
  /// collected, paths are relative (`key`, `values`, `values[1]`, `operator`).
  [[nodiscard]] static std::vector<error> check(std::string_view key, selector_operator op,
                                                const std::vector<std::string>& values) {
    std::vector<error> errors;
    if (!is_label_key(key))
      errors.push_back({error_code::invalid, "key", "invalid label key \"" + std::string(key) + "\""});
    switch (op) {
      case selector_operator::in:
      case selector_operator::not_in:
        if (values.empty()) errors.push_back({error_code::invalid, "values", "values set can't be empty"});
        break;
      case selector_operator::exists:
      case selector_operator::does_not_exist:
        if (!values.empty())
          errors.push_back({error_code::invalid, "values", "values set must be empty for exists and does not exist"});
        break;
      case selector_operator::gt:
      case selector_operator::lt:
        if (values.size() != 1)
          errors.push_back({error_code::invalid, "values", "for 'Gt', 'Lt' operators, exactly one value is required"});
        for (std::size_t i = 0; i < values.size(); ++i)
          if (!parse_go_int64(values[i]))
            errors.push_back({error_code::invalid, "values[" + std::to_string(i) + "]",
                              "for 'Gt', 'Lt' operators, the value must be an integer, not \"" + values[i] + "\""});
        break;
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!is_label_value(values[i]))
        errors.push_back({error_code::invalid, "values[" + std::to_string(i) + "][" + std::string(key) + "]",
                          "invalid label value \"" + values[i] + "\""});
    return errors;
  }

  /// The requirement, or the first construction error.
  [[nodiscard]] static result<label_requirement> make(std::string key, selector_operator op,
                                                      std::vector<std::string> values) {
    auto errors = check(key, op, values);
    if (!errors.empty()) return errors.front();
    label_requirement r;
    if (op == selector_operator::gt || op == selector_operator::lt) r.bound_ = *parse_go_int64(values.front());
    std::ranges::sort(values);
    r.key_ = std::move(key);
    r.op_ = op;
    r.values_ = std::move(values);
    return r;
  }

  /// The §1.3 table: NotIn and DoesNotExist match an absent key; Exists matches an empty value;
  /// Gt/Lt need the label value to parse as a Go int64.
  [[nodiscard]] bool matches(const label_map& labels) const noexcept {
    const auto it = labels.find(key_);
    if (it == labels.end()) return op_ == selector_operator::not_in || op_ == selector_operator::does_not_exist;
    return matches_value(it->second);
  }

  /// Matches a present label value (the key is known to exist).
  [[nodiscard]] bool matches_value(std::string_view v) const noexcept {
    switch (op_) {
      case selector_operator::in: return std::ranges::binary_search(values_, v, std::less<>{});
      case selector_operator::not_in: return !std::ranges::binary_search(values_, v, std::less<>{});
      case selector_operator::exists: return true;
      case selector_operator::does_not_exist: return false;
      case selector_operator::gt:
      case selector_operator::lt: {
        const auto n = parse_go_int64(v);
        if (!n) return false;
        return op_ == selector_operator::gt ? *n > bound_ : *n < bound_;
      }
    }
    return false;
  }

  [[nodiscard]] const std::string& key() const noexcept { return key_; }
  [[nodiscard]] selector_operator op() const noexcept { return op_; }
  [[nodiscard]] const std::vector<std::string>& values() const noexcept { return values_; }

  friend bool operator==(const label_requirement&, const label_requirement&) = default;

 private:
  std::string key_;
  selector_operator op_{selector_operator::in};
  std::vector<std::string> values_;  // sorted
  std::int64_t bound_{0};            // Gt / Lt
};

namespace detail {
/// "key in (a,b)", "key notin (a,b)", "key", "!key", "key>5", "key<5": apimachinery's
/// Requirement.String(), values in the order given.
[[nodiscard]] inline std::string requirement_string(std::string_view key, selector_operator op,
                                                    const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
  const std::string k(key);
  switch (op) {
    case selector_operator::in: return k + " in (" + joined + ")";
    case selector_operator::not_in: return k + " notin (" + joined + ")";
    case selector_operator::exists: return k;
    case selector_operator::does_not_exist: return "!" + k;
    case selector_operator::gt: return k + ">" + joined;
    case selector_operator::lt: return k + "<" + joined;
  }
  return k;
}
}  // namespace detail

/// "key in (a,b)", "!key", "key>5": the apimachinery string form of one requirement.
[[nodiscard]] inline std::string to_string(const label_requirement& r) {
  return detail::requirement_string(r.key(), r.op(), r.values());
}

/// The same notation for a raw (unchecked) requirement, values in the order given.
[[nodiscard]] inline std::string to_string(const label_selector_requirement& r) {
  return detail::requirement_string(r.key, r.op, r.values);
}

/// kubectl's notation, requirements joined by commas: matchLabels as "key=value" (in key order),
/// then matchExpressions ("tier in (a,b)", "!legacy"). An empty selector (which selects
/// everything) is "", as apimachinery prints it.
[[nodiscard]] inline std::string to_string(const label_selector& s) {
  std::string out;
  for (const auto& [key, value] : s.match_labels) out += (out.empty() ? "" : ",") + key + "=" + value;
  for (const auto& e : s.match_expressions) out += (out.empty() ? "" : ",") + to_string(e);
  return out;
}

/// A compiled label selector (LabelSelectorAsSelector): nothing, everything, or ANDed requirements.
class label_selector_matcher {
 public:
  /// Null selects nothing; an empty selector everything; the first invalid requirement aborts the
  /// conversion with an error at a path relative to the selector (`matchExpressions[0].key`).
  [[nodiscard]] static result<label_selector_matcher> make(const std::optional<label_selector>& selector) {
    label_selector_matcher m;
    if (!selector) return m;
    m.everything_ = selector->match_labels.empty() && selector->match_expressions.empty();
    for (const auto& [key, value] : selector->match_labels) {
      auto r = label_requirement::make(key, selector_operator::in, {value});
      if (!r) return error{r.error().code, "matchLabels", r.error().message};
      m.requirements_.push_back(std::move(*r));
    }
    for (std::size_t i = 0; i < selector->match_expressions.size(); ++i) {
      const auto& e = selector->match_expressions[i];
      if (e.op == selector_operator::gt || e.op == selector_operator::lt)
        return error{error_code::not_supported, "matchExpressions[" + std::to_string(i) + "].operator",
                     "\"" + std::string(to_string(e.op)) + "\" is not a valid label selector operator"};
      auto r = label_requirement::make(e.key, e.op, e.values);
      if (!r) return error{r.error().code, "matchExpressions[" + std::to_string(i) + "]." + r.error().field, r.error().message};
      m.requirements_.push_back(std::move(*r));
    }
    std::ranges::stable_sort(m.requirements_, {}, &label_requirement::key);
    m.nothing_ = false;
    return m;
  }

  /// True when every requirement matches; `nothing` never matches, `everything` always does.
  [[nodiscard]] bool matches(const label_map& labels) const noexcept {
    if (nothing_) return false;
    return std::ranges::all_of(requirements_, [&](const auto& r) { return r.matches(labels); });
  }

  [[nodiscard]] bool selects_nothing() const noexcept { return nothing_; }
  [[nodiscard]] bool selects_everything() const noexcept { return everything_; }
  [[nodiscard]] const std::vector<label_requirement>& requirements() const noexcept { return requirements_; }

 private:
  bool nothing_{true};
  bool everything_{false};
  std::vector<label_requirement> requirements_;
};

}  // namespace daemonplan
