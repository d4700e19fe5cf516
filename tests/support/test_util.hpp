// Small helpers shared by keel's tests.
#pragma once

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/hex.hpp"
#include "core/rng.hpp"

namespace keel::test {

/// Bytes from hex text that may contain spaces and newlines (as RFC 8448 prints it).
inline Bytes hex(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c != ' ' && c != '\n') {
      digits.push_back(c);
    }
  }
  auto parsed = from_hex(digits);
  if (!parsed.ok()) {
    ADD_FAILURE() << "bad hex in test: " << parsed.error().message();
    return {};
  }
  return std::move(parsed).value();
}

inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// The contents of tests/data/<relative>; fails the test if it cannot be read.
inline Bytes read_data(const std::string& relative) {
  const std::string path = std::string(KEEL_TEST_DATA_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read test data " << path;
    return {};
  }
  Bytes data;
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return data;
}

/// An owned copy of a view, for EXPECT_EQ against expected bytes.
inline Bytes to_bytes(ByteView view) {
  return {view.begin(), view.end()};
}

/// An Rng that hands out the bytes it was given, in order, and then fails: for replaying
/// values from an RFC, and for proving that keel draws exactly what it should.
class ScriptedRng final : public Rng {
 public:
  explicit ScriptedRng(Bytes script) : script_(std::move(script)) {}

  [[nodiscard]] Result<void> fill(MutableByteView out) override {
    if (script_.size() - used_ < out.size()) {
      return Error(Errc::crypto_failure, "scripted randomness exhausted");
    }
    std::memcpy(out.data(), script_.data() + used_, out.size());
    used_ += out.size();
    return ok();
  }

  [[nodiscard]] std::size_t used() const { return used_; }

 private:
  Bytes script_;
  std::size_t used_ = 0;
};

}  // namespace keel::test
