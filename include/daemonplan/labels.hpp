// daemonplan/labels.hpp: label maps and the Kubernetes name syntax rules (label keys and values,
// DNS-1123 labels and subdomains) plus Go's integer grammar, shared by matching and validation.
#pragma once

#include <cstdint>  // std::int64_t
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace daemonplan {

/// metadata.labels and every other string-to-string map of the API, in key order.
using label_map = std::map<std::string, std::string, std::less<>>;

namespace detail {
[[nodiscard]] constexpr bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
[[nodiscard]] constexpr bool is_lower_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, the shape of label names and non-empty values.
[[nodiscard]] constexpr bool is_qualified_name_part(std::string_view s) noexcept {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}
/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, the shape of a DNS-1123 label, whatever its length.
[[nodiscard]] constexpr bool is_dns1123_label_shape(std::string_view s) noexcept {
  if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && c != '-') return false;
  return true;
}
/// DNS-1123 label shapes joined by single dots, whatever the length (a subdomain's labels are not
/// length-limited individually, only the whole).
[[nodiscard]] constexpr bool is_dns1123_subdomain_shape(std::string_view s) noexcept {
  while (true) {
    const auto dot = s.find('.');
    if (!is_dns1123_label_shape(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}
}  // namespace detail

/// DNS-1123 label: 1-63 bytes of `[a-z0-9]([-a-z0-9]*[a-z0-9])?` (namespaces).
[[nodiscard]] constexpr bool is_dns1123_label(std::string_view s) noexcept {
  return s.size() <= 63 && detail::is_dns1123_label_shape(s);
}

/// DNS-1123 subdomain: 1-253 bytes of DNS-1123 labels joined by single dots (object and node names).
[[nodiscard]] constexpr bool is_dns1123_subdomain(std::string_view s) noexcept {
  return s.size() <= 253 && detail::is_dns1123_subdomain_shape(s);
}

/// Label key: `[prefix "/"] name`; prefix a DNS-1123 subdomain, name 1-63 bytes of
/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`. At most one slash.
[[nodiscard]] constexpr bool is_label_key(std::string_view key) noexcept {
  const auto slash = key.find('/');
  std::string_view name = key;
  if (slash != std::string_view::npos) {
    if (!is_dns1123_subdomain(key.substr(0, slash))) return false;
    name = key.substr(slash + 1);
    if (name.find('/') != std::string_view::npos) return false;
  }
  return name.size() <= 63 && detail::is_qualified_name_part(name);
}

/// Label value: empty, or at most 63 bytes of `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
[[nodiscard]] constexpr bool is_label_value(std::string_view value) noexcept {
  return value.empty() || (value.size() <= 63 && detail::is_qualified_name_part(value));
}

/// Go's strconv.ParseInt(s, 10, 64): optional sign, at least one digit, leading zeros allowed,
/// out-of-range is a failure (nullopt), never a clamp.
[[nodiscard]] constexpr std::optional<std::int64_t> parse_go_int64(std::string_view s) noexcept {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  // accumulate as a negative number so that INT64_MIN is representable
  std::int64_t acc = 0;
  constexpr std::int64_t min = INT64_MIN;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (acc < (min + digit) / 10) return std::nullopt;
    acc = acc * 10 - digit;
  }
  if (negative) return acc;
  if (acc == min) return std::nullopt;
  return -acc;
}

/// True when every (key, value) of `selector` is present in `labels` with that exact value
/// (SelectorFromSet semantics: an empty selector selects everything, nothing is validated).
[[nodiscard]] inline bool labels_contain(const label_map& labels, const label_map& selector) noexcept {
  for (const auto& [key, value] : selector) {
    const auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace daemonplan
