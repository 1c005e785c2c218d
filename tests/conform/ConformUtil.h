// Helpers shared by the conformance tests (test_conform): the mommie tool
// under test, paths in the source tree, bounded runs with captured output,
// JSON-lines trace files and a deploy file that only names the hosts.
#pragma once

#include "../e2e/E2eUtil.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace conform {

inline const char *mommie() {
  const char *m = std::getenv("MOMMIE");
  return m ? m : "";
}

inline std::string src(const std::string &rel) {
  return std::string(MOMMIE_SOURCE_DIR) + "/" + rel;
}

// Runs argv (bounded), returns the exit code; stdout then stderr in `out`.
inline int runCapture(const std::vector<std::string> &argv,
                      const std::string &dir, std::string &out,
                      int ms = 120000) {
  static int n = 0;
  std::string o = dir + "/cap" + std::to_string(++n) + ".out";
  int rc = e2e::waitFor(e2e::spawn(argv, o, o + ".err"), ms);
  out = e2e::readFile(o) + e2e::readFile(o + ".err");
  return rc;
}

inline std::vector<nlohmann::json> readJsonl(const std::string &path) {
  std::vector<nlohmann::json> v;
  std::istringstream in(e2e::readFile(path));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      v.push_back(nlohmann::json::parse(line));
  return v;
}

inline void writeJsonl(const std::string &path,
                       const std::vector<nlohmann::json> &v) {
  std::ofstream f(path);
  for (const auto &j : v)
    f << j.dump() << "\n";
}

// DIR/sim.conf with a [Hosts] line per name (for `mommie sim` and `BIN --sim`).
inline std::string simDeploy(const std::string &dir,
                             const std::vector<std::string> &names) {
  std::ofstream conf(dir + "/sim.conf");
  conf << "[Hosts]\n";
  for (size_t i = 0; i < names.size(); ++i)
    conf << names[i] << " = 127.0.0.1:" << 7000 + i << "\n";
  return dir + "/sim.conf";
}

} // namespace conform
