// daemonplan/result.hpp: the error type shared by every layer, and result<T>, a small
// std::expected-shaped type (C++23's std::expected is not available on GCC 12 / Clang 14).
#pragma once

#include <compare>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace daemonplan {

/// The Kubernetes field.ErrorType values daemonplan reports.
enum class error_code { invalid, required, forbidden, not_supported, duplicate, too_long };

/// The Kubernetes spelling of an error code ("Invalid value", ...) as `kubectl` prints it.
[[nodiscard]] constexpr std::string_view to_string(error_code c) noexcept {
  switch (c) {
    case error_code::invalid: return "Invalid value";
    case error_code::required: return "Required value";
    case error_code::forbidden: return "Forbidden";
    case error_code::not_supported: return "Unsupported value";
    case error_code::duplicate: return "Duplicate value";
    case error_code::too_long: return "Too long";
  }
  return "Invalid value";
}

/// One field error: a code, the Kubernetes field path (`spec.template.spec.tolerations[2].operator`)
/// and a lower-case message naming the offending value. Tests compare code and field only.
struct error {
  error_code code{error_code::invalid};
  std::string field{};
  std::string message{};
  friend bool operator==(const error&, const error&) = default;
  friend auto operator<=>(const error&, const error&) = default;
};

/// "field: message", the one-line form used in plans, logs and the command line.
[[nodiscard]] inline std::string to_string(const error& e) {
  if (e.field.empty()) return e.message;
  return e.field + ": " + e.message;
}

/// Either a T or an error. Spelled like std::expected<T, error> so that call sites survive the move
/// to C++23, where this type becomes an alias.
template <typename T>
class [[nodiscard]] result {
 public:
  using value_type = T;
  using error_type = daemonplan::error;

  result(const T& v) : state_(std::in_place_index<0>, v) {}  // NOLINT: implicit like expected
  result(T&& v) : state_(std::in_place_index<0>, std::move(v)) {}  // NOLINT
  result(daemonplan::error e) : state_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const daemonplan::error& error() const& { return std::get<1>(state_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// f(const T&) -> result<U>; an error passes through unchanged.
  template <typename F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    if (has_value()) return std::forward<F>(f)(value());
    return this->error();
  }
  /// f(const T&) -> U, wrapped as result<U>; an error passes through unchanged.
  template <typename F>
  auto transform(F&& f) const& -> result<std::invoke_result_t<F, const T&>> {
    if (has_value()) return std::forward<F>(f)(value());
    return this->error();
  }

  friend bool operator==(const result&, const result&) = default;

 private:
  std::variant<T, daemonplan::error> state_;
};

}  // namespace daemonplan
