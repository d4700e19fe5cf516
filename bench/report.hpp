// The TLS benchmark's table: each row keel's figure, OpenSSL's, their ratio, and the row's
// ceiling on this machine with keel's distance to it. Printed for people, or written as JSON.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "measure.hpp"

namespace keel::bench {

enum class Better : std::uint8_t { higher, lower };

struct Row {
  std::string name;
  std::string unit;
  Better better = Better::higher;
  double keel = 0;
  double openssl = 0;
  std::optional<double> ceiling;
};

class Report {
 public:
  Report(std::string machine, std::string openssl, Settings settings)
      : machine_(std::move(machine)), openssl_(std::move(openssl)), settings_(settings) {}

  void add(Row row) { rows_.push_back(std::move(row)); }
  void print(std::FILE* out) const;
  [[nodiscard]] bool write_json(const std::string& path) const;

 private:
  std::string machine_;
  std::string openssl_;
  Settings settings_;
  std::vector<Row> rows_;
};

}  // namespace keel::bench
