// examples/primary_backup.mom's client keeps the results it accepted in a
// ghost variable, which a node leaves out (docs/language.md, Ghost
// variables); its trace has them: each Accept step binds the Reply `r`.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace e2e {

// "" if the client trace `path` accepts each request 0..n-1 exactly once,
// with the service's result (2 * op + id) % 4; else what is wrong.
inline std::string pbResults(const std::string &path, int n) {
  using nlohmann::json;
  std::vector<int> seen(size_t(n), 0);
  std::ifstream in(path);
  if (!in)
    return "cannot read " + path;
  for (std::string line; std::getline(in, line);) {
    json r = json::parse(line, nullptr, false);
    if (r.is_discarded() || !r.contains("transition") ||
        r["transition"] != "Accept")
      continue;
    const json &reply = r["binding"]["r"];
    int id = reply["req"]["id"], op = reply["req"]["op"];
    if (id < 0 || id >= n)
      return "request " + std::to_string(id) + " accepted, beyond the " +
             std::to_string(n) + " issued";
    if (reply["res"] != (2 * op + id) % 4)
      return "request " + std::to_string(id) +
             " accepted with a wrong result: " + reply.dump();
    ++seen[size_t(id)];
  }
  for (int k = 0; k < n; ++k)
    if (seen[size_t(k)] != 1)
      return "request " + std::to_string(k) + " accepted " +
             std::to_string(seen[size_t(k)]) + " times";
  return "";
}

} // namespace e2e
