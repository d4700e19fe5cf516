// Result<T>: a value or an Error. keel's engine reports every failure this way; no exception
// crosses it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include <keel/error.hpp>

namespace keel {

namespace detail {
/// Taking the value of a failed Result is a programming error, not bad input: stop loudly.
[[noreturn]] inline void bad_result_access(const Error& error) noexcept {
  const std::string text = "keel: value() of a failed Result: " + error.message() + "\n";
  (void)std::fputs(text.c_str(), stderr);
  std::abort();
}
[[noreturn]] inline void bad_error_access() noexcept {
  (void)std::fputs("keel: error() of a successful Result\n", stderr);
  std::abort();
}
}  // namespace detail

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  /// From anything that converts to T implicitly (a state struct into a std::variant).
  template <class U>
  requires(std::is_convertible_v<U&&, T> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, Error>)
      Result(U&& value)  // NOLINT: implicit, like Result(T)
      : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] T& value() & {
    check();
    return std::get<0>(state_);
  }
  [[nodiscard]] const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  [[nodiscard]] T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  [[nodiscard]] const Error& error() const& {
    if (ok()) {
      detail::bad_error_access();
    }
    return std::get<1>(state_);
  }
  [[nodiscard]] Error&& error() && {
    if (ok()) {
      detail::bad_error_access();
    }
    return std::get<1>(std::move(state_));
  }

 private:
  void check() const {
    if (!ok()) {
      detail::bad_result_access(std::get<1>(state_));
    }
  }

  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  [[nodiscard]] bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  void value() const {
    if (!ok()) {
      detail::bad_result_access(*error_);
    }
  }

  [[nodiscard]] const Error& error() const& {
    if (ok()) {
      detail::bad_error_access();
    }
    return *error_;
  }
  [[nodiscard]] Error&& error() && {
    if (ok()) {
      detail::bad_error_access();
    }
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

/// A successful Result<void>.
[[nodiscard]] inline Result<void> ok() {
  return {};
}

}  // namespace keel
