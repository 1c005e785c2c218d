// Helpers of the round programs' end-to-end tests (RoundsE2E_test.cpp,
// RoundsUdp_test.cpp): build an example into a node binary for N processes
// on loopback, run it, and check termination, agreement and the traces'
// conformance (`mommie conform`).
#pragma once

#include "../e2e/E2eUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

namespace rounds_e2e {

using nlohmann::json;

struct Cluster {
  std::string dir, bin, example;
  std::vector<std::string> names;
  std::vector<std::string> defines; // -D NAME=VALUE, for build and conform
};

// Builds `example` for the principals `names` (one node each, on free
// loopback ports) with the parameter `defines`.
inline Cluster buildNamed(const std::string &example,
                          const std::vector<std::string> &names,
                          const std::vector<std::string> &defines,
                          const std::string &tag) {
  Cluster c;
  const char *mommie = std::getenv("MOMMIE");
  EXPECT_NE(mommie, nullptr);
  if (!mommie)
    return c;
  c.dir = e2e::tempDir("rounds-" + tag);
  c.example = example;
  c.names = names;
  c.defines = defines;
  auto ports = e2e::freePorts(names.size());
  {
    std::ofstream conf(c.dir + "/deploy.conf");
    conf << "[Hosts]\n";
    for (size_t i = 0; i < names.size(); ++i)
      conf << names[i] << " = 127.0.0.1:" << ports[i] << "\n";
  }
  c.bin = c.dir + "/node";
  std::vector<std::string> argv = {mommie,
                                   "build",
                                   std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/" + example,
                                   "--deploy",
                                   c.dir + "/deploy.conf",
                                   "-o",
                                   c.bin,
                                   "--emit-cpp",
                                   c.dir + "/gen"};
  for (const auto &d : defines)
    argv.insert(argv.end(), {"-D", d});
  int rc = e2e::run(argv, c.dir, 240000);
  EXPECT_EQ(rc, 0) << e2e::readFile(c.dir + "/run.err");
  if (rc != 0)
    c.bin.clear();
  return c;
}

// Builds `example` with N processes P0..P{N-1} and MaxPhase phases.
inline Cluster build(const std::string &example, int n, int maxPhase,
                     const std::string &tag) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    std::string name = "P"; // appended, not "P" + ...: GCC 12 -Wrestrict false
                            // positive (GCC bug 105329)
    name += std::to_string(i);
    names.push_back(name);
  }
  return buildNamed(
      example, names,
      {"N=" + std::to_string(n), "MaxPhase=" + std::to_string(maxPhase)}, tag);
}

// `--phases K` for the cluster's nodes: the MaxPhase it was built (and is
// conformed) with. `phase bound` bounds the model only; a node runs the
// phases it is told to (runtime/rounds/RoundEngine.h).
inline std::vector<std::string> phaseFlags(const Cluster &c) {
  for (const auto &d : c.defines)
    if (d.rfind("MaxPhase=", 0) == 0)
      return {"--phases", d.substr(9)};
  return {};
}

// `mommie conform` on the cluster's traces (every node's, a killed node's
// too: its trace stops where it was killed). Returns the exit code; the
// output is in dir/run.out.
inline int conform(const Cluster &c,
                   const std::vector<std::string> &traces = {}) {
  std::vector<std::string> argv = {std::getenv("MOMMIE"), "conform",
                                   std::string(MOMMIE_SOURCE_DIR) +
                                       "/examples/" + c.example};
  for (const auto &d : c.defines)
    argv.insert(argv.end(), {"-D", d});
  if (traces.empty())
    for (const auto &n : c.names)
      argv.push_back(c.dir + "/" + n + ".jsonl");
  argv.insert(argv.end(), traces.begin(), traces.end());
  return e2e::run(argv, c.dir, 120000);
}

// The decision a node's trace records last (null if none).
inline json tracedDecision(const std::string &path) {
  json d;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    json r = json::parse(line, nullptr, false);
    if (!r.is_discarded() && r.contains("changed") &&
        r["changed"].contains("decision"))
      d = r["changed"]["decision"];
  }
  return d;
}

// Runs the cluster; kills `victim` (or nobody if empty) `killAtMs` after
// spawning. Checks termination within `boundMs` and agreement. Returns
// the number of nodes that decided.
inline int runAndCheck(const Cluster &c, const std::string &victim,
                       int killAtMs, int boundMs, int dropPercent = 0,
                       int seed = 1, bool needDecision = true,
                       const std::vector<std::string> &nodeFlags = {}) {
  std::map<std::string, pid_t> pids;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto &n : c.names) {
    std::vector<std::string> argv = {c.bin,
                                     "--id",
                                     n,
                                     "--deploy",
                                     c.dir + "/deploy.conf",
                                     "--trace",
                                     c.dir + "/" + n + ".jsonl",
                                     "--start-delay",
                                     "300",
                                     "--linger",
                                     "300",
                                     "--run-for",
                                     std::to_string(boundMs),
                                     "--drop-percent",
                                     std::to_string(dropPercent),
                                     "--seed",
                                     std::to_string(seed)};
    argv.insert(argv.end(), nodeFlags.begin(), nodeFlags.end());
    for (const auto &f : phaseFlags(c))
      argv.push_back(f);
    pids[n] =
        e2e::spawn(argv, c.dir + "/" + n + ".out", c.dir + "/" + n + ".log");
  }
  if (!victim.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(killAtMs));
    kill(pids[victim], SIGKILL);
    waitpid(pids[victim], nullptr, 0);
  }
  for (const auto &[n, p] : pids)
    if (n != victim) {
      EXPECT_EQ(e2e::waitFor(p, boundMs + 5000), 0)
          << n << ": " << e2e::readFile(c.dir + "/" + n + ".log");
    }
  auto wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
  EXPECT_LT(wallMs, boundMs + 5000);
  json agreed;
  int decided = 0;
  for (const auto &n : c.names) {
    if (n == victim)
      continue;
    json o =
        json::parse(e2e::readFile(c.dir + "/" + n + ".out"), nullptr, false);
    EXPECT_FALSE(o.is_discarded())
        << n << ": " << e2e::readFile(c.dir + "/" + n + ".log");
    if (o.is_discarded())
      continue;
    EXPECT_EQ(o["failed"], false) << n;
    // Termination: the node ran all its phases (before --run-for) and decided.
    EXPECT_EQ(o["done"], true) << n << " " << o.dump();
    json d = o["state"]["decision"];
    if (needDecision) {
      EXPECT_TRUE(d.is_object() && d.contains("$some"))
          << n << " did not decide: " << o.dump();
    }
    if (!d.is_object() || !d.contains("$some"))
      continue;
    ++decided;
    EXPECT_EQ(tracedDecision(c.dir + "/" + n + ".jsonl"), d)
        << n << ": the trace disagrees";
    if (agreed.is_null())
      agreed = d;
    EXPECT_EQ(d, agreed) << n << " disagrees"; // agreement
  }
  if (!victim.empty()) {
    // The crash was observed: some survivor ran a round without the victim.
    int without = 0;
    for (const auto &n : c.names) {
      if (n == victim)
        continue;
      std::ifstream f(c.dir + "/" + n + ".jsonl");
      std::string line;
      while (std::getline(f, line)) {
        json r = json::parse(line, nullptr, false);
        if (r.is_discarded() || !r.contains("delivered"))
          continue;
        bool has = false;
        for (const auto &m : r["delivered"])
          has = has || m["from"] == victim;
        without += !has;
      }
    }
    EXPECT_GT(without, 0) << "no survivor ran a round without " << victim;
  }
  // Every run's traces are a behaviour of the lock-step model.
  EXPECT_EQ(conform(c), 0) << e2e::readFile(c.dir + "/run.out")
                           << e2e::readFile(c.dir + "/run.err");
  EXPECT_NE(e2e::readFile(c.dir + "/run.out").find("ok: "), std::string::npos);
  return decided;
}

} // namespace rounds_e2e
