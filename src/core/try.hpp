// Early return on failure, for code that returns Result<T>.
#pragma once

#include <utility>

#define KEEL_CONCAT_INNER(a, b) a##b
#define KEEL_CONCAT(a, b) KEEL_CONCAT_INNER(a, b)

/// KEEL_TRY(expr): evaluate a Result<void> (or any Result) and return its error, if any.
#define KEEL_TRY(expr)                            \
  do {                                            \
    auto&& keel_try_result_ = (expr);             \
    if (!keel_try_result_.ok()) {                 \
      return std::move(keel_try_result_).error(); \
    }                                             \
  } while (false)

/// KEEL_TRY_ASSIGN(decl, expr): `decl = value of expr`, or return its error.
///   KEEL_TRY_ASSIGN(auto length, reader.u16());
#define KEEL_TRY_ASSIGN(decl, expr) \
  KEEL_TRY_ASSIGN_IMPL(KEEL_CONCAT(keel_try_, __LINE__), decl, expr)
// `decl` is a declaration and cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define KEEL_TRY_ASSIGN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) {                            \
    return std::move(tmp).error();            \
  }                                           \
  decl = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
