#include <array>
#include <cstddef>

#include <keel/alert.hpp>
#include <keel/error.hpp>

namespace keel {
namespace {

struct ErrcRow {
  std::string_view name;
  Alert alert;
  std::string_view summary;
};

constexpr std::array kErrcRows = {
#define KEEL_ERRC_ROW(name, alert, summary) ErrcRow{#name, Alert::alert, summary},
    KEEL_ERRORS(KEEL_ERRC_ROW)
#undef KEEL_ERRC_ROW
};

const ErrcRow* row(Errc code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  return index < kErrcRows.size() ? &kErrcRows[index] : nullptr;
}

}  // namespace

std::string_view to_string(Errc code) noexcept {
  const auto* r = row(code);
  return r != nullptr ? r->name : "unknown";
}

std::string_view summary(Errc code) noexcept {
  const auto* r = row(code);
  return r != nullptr ? r->summary : "unknown error";
}

Alert alert_for(Errc code) noexcept {
  const auto* r = row(code);
  return r != nullptr ? r->alert : Alert::internal_error;
}

std::string Error::message() const {
  std::string out(summary(code_));
  if (!detail_.empty()) {
    out += ": ";
    out += detail_;
  }
  return out;
}

Error& Error::prepend(std::string_view context) {
  if (detail_.empty()) {
    detail_ = std::string(context);
  } else {
    detail_ = std::string(context) + ": " + detail_;
  }
  return *this;
}

std::string_view to_string(Alert alert) noexcept {
  switch (alert) {
#define KEEL_ALERT_CASE(name, value) \
  case Alert::name:                  \
    return #name;
    KEEL_ALERTS(KEEL_ALERT_CASE)
#undef KEEL_ALERT_CASE
  }
  return "unknown";
}

}  // namespace keel
