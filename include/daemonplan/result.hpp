// daemonplan/result.hpp: the error type shared by every layer, and result<T>, a small
// std::expected-shaped type (C++23's std::expected is not available on GCC 12 / Clang 14).
#pragma once

#include <cassert>
#include <compare>
#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

/// Checks a caller precondition (a broken one is a bug in the caller, never bad input). Define it
/// before including daemonplan to route failures elsewhere; the default is `assert`. The core never
/// throws: with or without exceptions, a broken precondition ends here, never in a `throw`.
#ifndef DAEMONPLAN_ASSERT
#define DAEMONPLAN_ASSERT(condition) assert(condition)
#endif

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

  /// The value. Precondition: has_value() (checked by DAEMONPLAN_ASSERT; never throws, unlike
  /// std::expected::value()).
  [[nodiscard]] T& value() & noexcept { return *checked<0>(); }
  [[nodiscard]] const T& value() const& noexcept { return *checked<0>(); }
  [[nodiscard]] T&& value() && noexcept { return std::move(*checked<0>()); }
  /// The error. Precondition: !has_value().
  [[nodiscard]] const daemonplan::error& error() const& noexcept { return *checked<1>(); }

  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }
  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }

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
  // std::get would throw bad_variant_access on the wrong alternative; get_if plus the assertion
  // keeps the type usable with -fno-exceptions.
  template <std::size_t I>
  [[nodiscard]] auto* checked() noexcept {
    DAEMONPLAN_ASSERT(state_.index() == I);
    return std::get_if<I>(&state_);
  }
  template <std::size_t I>
  [[nodiscard]] const auto* checked() const noexcept {
    DAEMONPLAN_ASSERT(state_.index() == I);
    return std::get_if<I>(&state_);
  }

  std::variant<T, daemonplan::error> state_;
};

}  // namespace daemonplan
