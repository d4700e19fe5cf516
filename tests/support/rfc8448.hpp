// The traces of RFC 8448, read from the RFC's own text (tests/data/rfc8448/rfc8448.txt).
//
// The RFC prints each step as
//
//      {server}  derive secret "tls13 c hs traffic":
//
//         PRK (32 octets):  1d c8 26 e9 ...
//            04 6a a6 ...
//
// This reader keeps, per section, every step (side, what it does) and its labelled values,
// checking each value's length against the octet count the RFC states.
#pragma once

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace keel::test::rfc8448 {

struct Value {
  std::string label;
  std::size_t stated_octets = 0;
  std::string hex;  // accumulated across lines
  Bytes bytes;
};

struct Step {
  std::string section;  // "3", "5", ...
  std::string side;     // "client" or "server"
  std::string what;     // "derive secret \"tls13 c hs traffic\""
  std::vector<Value> values;

  /// The value with `label`; fails the test (and returns empty) if the step has none.
  [[nodiscard]] Bytes operator[](const std::string& label) const {
    for (const auto& value : values) {
      if (value.label == label) {
        return value.bytes;
      }
    }
    ADD_FAILURE() << "RFC 8448 §" << section << " {" << side << "} " << what << ": no " << label;
    return {};
  }
};

namespace detail {

inline std::size_t indent(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  return first == std::string::npos ? line.size() : first;
}

inline bool is_hex_run(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  bool any = false;
  while (in >> word) {
    if (word.size() != 2 || std::isxdigit(static_cast<unsigned char>(word[0])) == 0 ||
        std::isxdigit(static_cast<unsigned char>(word[1])) == 0) {
      return false;
    }
    any = true;
  }
  return any;
}

inline void finish(Value& value, const Step& step) {
  std::string digits;
  for (const char c : value.hex) {
    if (c != ' ') {
      digits.push_back(c);
    }
  }
  value.bytes = hex(digits);
  EXPECT_EQ(value.bytes.size(), value.stated_octets)
      << "RFC 8448 §" << step.section << " {" << step.side << "} " << step.what << ": "
      << value.label;
}

}  // namespace detail

/// Every step of the RFC, in order.
inline std::vector<Step> load() {
  std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/rfc8448/rfc8448.txt");
  EXPECT_TRUE(in) << "missing tests/data/rfc8448/rfc8448.txt";
  std::vector<Step> steps;
  std::string section;
  std::string line;
  bool in_header = false;  // a step description continued on the next lines
  Value* open = nullptr;   // the value whose hex may continue
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty() || line[0] == '\f' || line.starts_with("RFC 8448 ") ||
        line.starts_with("Thomson ")) {
      in_header = false;  // blank lines and page breaks end a description, not a value
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(line[0])) != 0 &&
        line.find(".  ") != std::string::npos) {
      section = line.substr(0, line.find('.'));
      if (open != nullptr) {
        detail::finish(*open, steps.back());
        open = nullptr;
      }
      continue;
    }
    const std::size_t depth = detail::indent(line);
    const std::string body = line.substr(depth);
    if (depth == 3 && body.starts_with("{")) {
      if (open != nullptr) {
        detail::finish(*open, steps.back());
        open = nullptr;
      }
      const auto close = body.find('}');
      Step step{section, body.substr(1, close - 1), body.substr(close + 1), {}};
      step.what.erase(0, step.what.find_first_not_of(' '));
      steps.push_back(step);
      in_header = true;
      continue;
    }
    if (in_header && depth == 3) {
      steps.back().what += " " + body;
      continue;
    }
    if (steps.empty() || section != steps.back().section) {
      continue;  // prose outside any step
    }
    const auto colon = body.find(":  ");
    if (depth == 6 && colon != std::string::npos) {
      if (open != nullptr) {
        detail::finish(*open, steps.back());
        open = nullptr;
      }
      std::string label = body.substr(0, colon);
      std::size_t octets = 0;
      if (const auto paren = label.find(" ("); paren != std::string::npos) {
        octets = std::stoul(label.substr(paren + 2));
        label = label.substr(0, paren);
      }
      const std::string rest = body.substr(colon + 3);
      if (rest == "(empty)" || detail::is_hex_run(rest)) {
        auto& value = steps.back().values.emplace_back(Value{label, octets, "", {}});
        value.hex = rest == "(empty)" ? "" : rest;
        open = &value;
      }
      continue;
    }
    if (open != nullptr && depth > 6 && detail::is_hex_run(body)) {
      open->hex += " " + body;
    }
  }
  if (open != nullptr) {
    detail::finish(*open, steps.back());
  }
  for (auto& step : steps) {
    if (!step.what.empty() && step.what.back() == ':') {
      step.what.pop_back();
    }
  }
  return steps;
}

/// Every step, loaded once.
inline const std::vector<Step>& all() {
  static const std::vector<Step> kSteps = load();
  return kSteps;
}

/// The `nth` step of `section` on `side` whose description starts with `what`.
inline const Step& step(const std::string& section, const std::string& side,
                        const std::string& what, int nth = 1) {
  int seen = 0;
  for (const auto& s : all()) {
    if (s.section == section && s.side == side && s.what.starts_with(what) && ++seen == nth) {
      return s;
    }
  }
  ADD_FAILURE() << "RFC 8448 §" << section << " has no {" << side << "} " << what;
  static const Step kNone;
  return kNone;
}

}  // namespace keel::test::rfc8448
