// daemonplan/int_or_percent.hpp: intstr.IntOrString, its runtime scaling (rounding either way) and
// its parse errors.
#pragma once

#include <compare>
#include <cstdint>  // std::int32_t, std::int64_t
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <daemonplan/result.hpp>

namespace daemonplan {

/// intstr.IntOrString. The zero value is the integer 0, so an unset field behaves as Int 0.
struct int_or_percent {
  bool is_string{false};
  std::int32_t int_value{0};
  std::string string_value{};
  friend auto operator<=>(const int_or_percent&, const int_or_percent&) = default;
};

/// intstr.FromInt32 / FromString.
[[nodiscard]] inline int_or_percent from_int(std::int32_t v) { return {.is_string = false, .int_value = v}; }
[[nodiscard]] inline int_or_percent from_string(std::string s) { return {.is_string = true, .string_value = std::move(s)}; }

/// "3" or "10%": the value as the API would print it.
[[nodiscard]] inline std::string to_string(const int_or_percent& v) {
  return v.is_string ? v.string_value : std::to_string(v.int_value);
}

namespace detail {
/// Go strconv.Atoi on a 64-bit platform: optional sign, digits only, overflow is an error.
[[nodiscard]] constexpr std::optional<std::int64_t> go_atoi(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  const bool negative = s.front() == '-';
  if (s.front() == '+' || s.front() == '-') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  std::uint64_t acc = 0;
  constexpr std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (acc > (limit - digit) / 10) return std::nullopt;  // acc * 10 + digit > limit, checked before it wraps
    acc = acc * 10 + digit;
  }
  if (!negative && acc == limit) return std::nullopt;
  return negative ? static_cast<std::int64_t>(0 - acc) : static_cast<std::int64_t>(acc);
}

/// floor(a / b) for b > 0.
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && (a < 0) ? 1 : 0);
}

/// ceil(a / b) for b > 0.
[[nodiscard]] constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b + ((a % b != 0) && (a > 0) ? 1 : 0);
}

/// a * b, or nullopt when the product does not fit an int64.
[[nodiscard]] constexpr std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) noexcept {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  if (a == 0 || b == 0) return 0;
  if (a > 0 ? (b > 0 ? a > max / b : b < min / a) : (b > 0 ? a < min / b : a < max / b)) return std::nullopt;
  return a * b;
}
}  // namespace detail

/// GetScaledValueFromIntOrPercent(v, total, round_up): an int is returned unchanged (any sign,
/// total ignored); a string must be `<Atoi>%` (sign allowed) and scales to ceil (round_up) or
/// floor of p*total/100, rounding toward +/- infinity, so -10% of 15 is -1 up and -2 down.
/// "5" (no %), "%", " 10%" and "10%%" are errors; so is a product p*total beyond int64, where
/// upstream's float64 arithmetic stops being exact.
[[nodiscard]] inline result<std::int64_t> scaled_value(const int_or_percent& v, std::int64_t total, bool round_up) {
  if (!v.is_string) return static_cast<std::int64_t>(v.int_value);
  const std::string_view s = v.string_value;
  if (s.empty() || s.back() != '%')
    return error{error_code::invalid, "", "invalid value for IntOrString: invalid type: string is not a percentage"};
  const auto p = detail::go_atoi(s.substr(0, s.size() - 1));
  if (!p) return error{error_code::invalid, "", "invalid value \"" + v.string_value + "\": not a valid percentage"};
  const auto q = detail::checked_mul(*p, total);
  if (!q) return error{error_code::invalid, "", "invalid value \"" + v.string_value + "\": out of range"};
  return round_up ? detail::ceil_div(*q, 100) : detail::floor_div(*q, 100);
}

/// intstr.Parse: an int32 when the string parses as one, otherwise a string ("2147483648").
[[nodiscard]] inline int_or_percent parse_int_or_percent(std::string_view s) {
  if (const auto n = detail::go_atoi(s); n && *n >= std::numeric_limits<std::int32_t>::min() &&
                                         *n <= std::numeric_limits<std::int32_t>::max())
    return from_int(static_cast<std::int32_t>(*n));
  return from_string(std::string(s));
}

}  // namespace daemonplan
