// See Tools.h.
#include "Tools.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace mommie::agree {

namespace {

std::string readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

} // namespace

Run runBounded(const std::vector<std::string> &argv, const std::string &dir,
               int ms) {
  std::string out = dir + "/run.out", err = dir + "/run.err";
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0); // its own group: a timeout kills what it started too
    // No file past 256 MB: a node that fires forever writes its trace
    // without end (Generated::quiescent).
    rlimit fsize{256u << 20, 256u << 20};
    setrlimit(RLIMIT_FSIZE, &fsize);
    if (chdir(dir.c_str()) != 0)
      _exit(127);
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char *> args;
    for (const auto &a : argv)
      args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  Run r;
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.out = readFile(out);
  r.err = readFile(err);
  return r;
}

std::string Verdict::text() const {
  switch (kind) {
  case Kind::Ok:
    return "ok, " + std::to_string(distinct) + " distinct states";
  case Kind::Invariant:
    return "invariant " + name + " violated after " + std::to_string(steps) +
           " steps";
  case Kind::Deadlock:
    return "deadlock after " + std::to_string(steps) + " steps";
  case Kind::Error:
    return "evaluation error '" + name + "' after " + std::to_string(steps) +
           " steps";
  case Kind::Limit:
    return "resource limit";
  default:
    return "failed: " + name;
  }
}

Verdict checkVerdict(const std::string &mommie, const std::string &file,
                     const std::string &dir, uint64_t maxStates) {
  Run r = runBounded({mommie, "check", file, "--no-symmetry", "--json", "-q",
                      "--max-states", std::to_string(maxStates)},
                     dir, 120000);
  Verdict v;
  if (r.code == 3 || r.code == -1) {
    v.kind = Verdict::Kind::Limit;
    return v;
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(r.out);
  } catch (const std::exception &) {
    v.name = "exit " + std::to_string(r.code) + ": " + r.all().substr(0, 2000);
    return v;
  }
  std::string verdict = j.value("verdict", "");
  v.steps = j.value("steps", int64_t(-1));
  if (verdict == "ok") {
    v.kind = Verdict::Kind::Ok;
    v.distinct = j.value("distinct", uint64_t(0));
  } else if (verdict == "invariant") {
    v.kind = Verdict::Kind::Invariant;
    v.name = j.value("name", "");
  } else if (verdict == "deadlock") {
    v.kind = Verdict::Kind::Deadlock;
  } else if (verdict == "error") {
    v.kind = Verdict::Kind::Error;
    v.name = j.value("message", "");
  } else if (verdict == "limit") {
    v.kind = Verdict::Kind::Limit;
  } else {
    v.name = "verdict " + verdict;
  }
  return v;
}

Verdict tlcVerdict(const std::string &jar, const std::string &dir,
                   const std::string &module, int ms) {
  Run r =
      runBounded({"java", "-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC",
                  "-workers", "1", "-config", module + ".cfg", module + ".tla"},
                 dir, ms);
  r.out += r.err;
  std::ofstream(dir + "/tlc.log") << r.out;
  Verdict v;
  std::smatch m;
  // TLC prints the behaviour up to the failing state: states 1..k+1.
  int64_t states = 0;
  std::regex state("\nState [0-9]+:");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), state);
       it != std::sregex_iterator(); ++it)
    ++states;
  v.steps = states - 1;
  if (r.code == -1) {
    v.kind = Verdict::Kind::Limit;
  } else if (r.out.find("No error has been found") != std::string::npos) {
    v.kind = Verdict::Kind::Ok;
    // The summary line (the progress lines write counts with commas).
    if (std::regex_search(
            r.out, m,
            std::regex(
                "\n[0-9]+ states generated, ([0-9]+) distinct states found")))
      v.distinct = std::stoull(m[1]);
  } else if (std::regex_search(
                 r.out, m,
                 std::regex("Invariant ([A-Za-z_0-9]+) is violated")) ||
             // An invariant that reads no variable is evaluated once.
             std::regex_search(
                 r.out, m,
                 std::regex(
                     "The invariant of ([A-Za-z_0-9]+) is equal to FALSE"))) {
    v.kind = Verdict::Kind::Invariant;
    v.name = m[1];
    v.steps =
        std::max<int64_t>(states - 1, 0); // by the initial state: no "State 1:"
  } else if (r.out.find("Deadlock reached") != std::string::npos) {
    v.kind = Verdict::Kind::Deadlock;
  } else if (r.out.find("Error:") != std::string::npos) {
    // An evaluation error; none of the trace printed: in an initial state.
    v.kind = Verdict::Kind::Error;
    v.steps = std::max<int64_t>(states - 1, 0);
    if (std::regex_search(
            r.out, m, std::regex("the second argument was:\n\"([^\"]*)\"")) ||
        std::regex_search(r.out, m, std::regex("Error: ([^\n]*)")))
      v.name = m[1];
  } else {
    v.name = "TLC exit " + std::to_string(r.code);
  }
  return v;
}

ProveSummary parseProve(const std::string &out) {
  ProveSummary p;
  std::smatch m;
  std::regex line("([0-9]+) proved, ([0-9]+) counterexample\\(s\\) to "
                  "induction, ([0-9]+) unknown");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), line);
       it != std::sregex_iterator(); ++it) {
    p.parsed = true;
    p.proved = std::stoi((*it)[1]);
    p.counterexamples = std::stoi((*it)[2]);
    p.unknown = std::stoi((*it)[3]);
  }
  return p;
}

} // namespace mommie::agree
