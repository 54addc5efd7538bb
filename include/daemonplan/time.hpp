// daemonplan/time.hpp: the API's timestamp (RFC 3339, one-second resolution) as a std::chrono value,
// and its RFC 3339 text form.
#pragma once

#include <chrono>
#include <cstdint>  // std::int64_t
#include <optional>
#include <string>
#include <string_view>

namespace daemonplan {

/// metav1.Time: seconds since the Unix epoch, UTC. A zero (unset) API timestamp is std::nullopt
/// wherever the field is nullable.
using timestamp = std::chrono::sys_seconds;

namespace detail {
/// Exactly `n` ASCII digits at `s[pos]`, as a number; -1 when they are not there.
[[nodiscard]] constexpr int fixed_digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}
}  // namespace detail

/// Go's time.Parse(time.RFC3339, s) as metav1.Time reads it: `YYYY-MM-DDTHH:MM:SS`, an optional
/// fraction (dropped: the API's resolution is one second), then `Z` or `±HH:MM`. Upper-case `T`
/// and `Z` only; the date must exist (no February 30), hours < 24, minutes and seconds < 60.
/// Returns nullopt for anything else, including the empty string.
[[nodiscard]] inline std::optional<timestamp> parse_timestamp(std::string_view s) noexcept {
  namespace chr = std::chrono;
  const int y = detail::fixed_digits(s, 0, 4), mo = detail::fixed_digits(s, 5, 2), d = detail::fixed_digits(s, 8, 2);
  const int h = detail::fixed_digits(s, 11, 2), mi = detail::fixed_digits(s, 14, 2), se = detail::fixed_digits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  const chr::year_month_day date{chr::year{y}, chr::month{static_cast<unsigned>(mo)}, chr::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset = 0;  // seconds east of UTC
  if (pos + 1 == s.size() && s[pos] == 'Z') {
    // UTC
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    const int oh = detail::fixed_digits(s, pos + 1, 2), om = detail::fixed_digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset = (s[pos] == '-' ? -1 : 1) * (oh * 3600LL + om * 60LL);
  } else {
    return std::nullopt;
  }
  return timestamp{chr::sys_days{date}.time_since_epoch() + chr::hours{h} + chr::minutes{mi} + chr::seconds{se} -
                   chr::seconds{offset}};
}

/// RFC 3339 in UTC, as the API writes metav1.Time: "2024-01-03T20:35:11Z".
[[nodiscard]] inline std::string to_string(timestamp t) {
  namespace chr = std::chrono;
  const auto days = chr::floor<chr::days>(t);
  const chr::year_month_day date{days};
  const chr::hh_mm_ss<chr::seconds> time{t - days};
  auto two = [](long v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); };
  std::string year = std::to_string(static_cast<int>(date.year()));
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + two(static_cast<unsigned>(date.month())) + "-" + two(static_cast<unsigned>(date.day())) + "T" +
         two(time.hours().count()) + ":" + two(time.minutes().count()) + ":" + two(static_cast<long>(time.seconds().count())) +
         "Z";
}

}  // namespace daemonplan
