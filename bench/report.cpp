#include "report.hpp"

#include <memory>

namespace keel::bench {
namespace {

std::string figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value >= 100 ? "%.0f" : "%.2f", value);
  return text;
}

std::string ratio(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", value);
  return text;
}

/// JSON strings here are row names and version texts: quotes and backslashes are escaped,
/// control characters never occur.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

void Report::print(std::FILE* out) const {
  std::fprintf(out, "keel vs %s — TLS 1.3 and 1.2 in memory, one thread\n", openssl_.c_str());
  std::fprintf(out, "%s; median of %d runs of at least %.2f s each\n\n", machine_.c_str(),
               settings_.repetitions, settings_.min_seconds);
  std::fprintf(out, "%-44s %-12s %-6s %9s %9s %12s %9s %12s\n", "", "unit", "best", "keel",
               "OpenSSL", "keel/OpenSSL", "ceiling", "keel/ceiling");
  for (const Row& row : rows_) {
    std::fprintf(out, "%-44s %-12s %-6s %9s %9s %12s %9s %12s\n", row.name.c_str(),
                 row.unit.c_str(), row.better == Better::higher ? "higher" : "lower",
                 figure(row.keel).c_str(), figure(row.openssl).c_str(),
                 ratio(row.keel / row.openssl).c_str(),
                 row.ceiling ? figure(*row.ceiling).c_str() : "",
                 row.ceiling ? ratio(row.keel / *row.ceiling).c_str() : "");
  }
  std::fprintf(out,
               "\nThe ceiling is what the row would be if it were nothing but its primitives:\n"
               "the public-key operations (full handshakes), the key exchange and key schedule\n"
               "(resumed TLS 1.3), the AEAD (bulk); see docs/performance.md.\n");
}

bool Report::write_json(const std::string& path) const {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "w"),
                                                             &std::fclose);
  if (!file) {
    return false;
  }
  std::FILE* out = file.get();
  std::fprintf(out, "{\n  \"machine\": %s,\n  \"openssl\": %s,\n", quoted(machine_).c_str(),
               quoted(openssl_).c_str());
  std::fprintf(out, "  \"repetitions\": %d,\n  \"min_seconds\": %g,\n  \"rows\": [\n",
               settings_.repetitions, settings_.min_seconds);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const Row& row = rows_[i];
    std::fprintf(out,
                 "    {\"name\": %s, \"unit\": %s, \"better\": \"%s\", \"keel\": %.6g, "
                 "\"openssl\": %.6g, \"keel_over_openssl\": %.4f",
                 quoted(row.name).c_str(), quoted(row.unit).c_str(),
                 row.better == Better::higher ? "higher" : "lower", row.keel, row.openssl,
                 row.keel / row.openssl);
    if (row.ceiling) {
      std::fprintf(out, ", \"ceiling\": %.6g, \"keel_over_ceiling\": %.4f", *row.ceiling,
                   row.keel / *row.ceiling);
    }
    std::fprintf(out, "}%s\n", i + 1 < rows_.size() ? "," : "");
  }
  std::fprintf(out, "  ]\n}\n");
  return std::ferror(out) == 0;
}

}  // namespace keel::bench
