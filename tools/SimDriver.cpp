// The generated-code simulator driver (see SimDriver.h).
#include "tools/SimDriver.h"

#include "checker/Replay.h"
#include "tools/Build.h"
#include "tools/Commands.h"
#include "tools/RoundConform.h"
#include "tools/TraceFiles.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace mommie::tool {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

uint64_t fnv1a(uint64_t h, const std::string &s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= 0xff; // separator
  return h * 0x100000001b3ull;
}

std::string slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

fs::path cacheRoot(const std::string &given) {
  if (!given.empty())
    return given;
  if (const char *e = std::getenv("MOMMIE_SIM_CACHE"); e && *e)
    return e;
  if (const char *x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return fs::path(x) / "mommie" / "sim";
  if (const char *h = std::getenv("HOME"); h && *h)
    return fs::path(h) / ".cache" / "mommie" / "sim";
  return fs::temp_directory_path() /
         ("mommie-sim-cache-" + std::to_string(getuid()));
}

// Runs argv with stdout / stderr to files, killed after `wallMs`; the exit
// code, or -1 (could not run), -2 (timed out), 128 + signal.
int runBounded(const std::vector<std::string> &argv, const std::string &out,
               const std::string &err, int64_t wallMs) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0)
      _exit(127);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char *> args;
    for (const auto &a : argv)
      args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(wallMs);
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid)
      break;
    if (r < 0 && errno != EINTR)
      return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The cached sim binary of the program; "" and `error` on failure.
std::string simBinary(const ir::Program &program, const SimDriverArgs &a,
                      std::string &error, bool &compiled) {
  cppgen::Options opts;
  opts.sourceName = fs::path(a.file).filename().string();
  auto gen = cppgen::generate(program, opts);
  if (!gen.errors.empty()) {
    for (const auto &e : gen.errors)
      error += (error.empty() ? "" : "\n") + e;
    return {};
  }
  std::string runtimeId;
  error = compileGenerated(gen.files, a.bodies, a.cxx, "", &runtimeId);
  if (!error.empty())
    return {};
  uint64_t h = 0xcbf29ce484222325ull;
  h = fnv1a(h, runtimeId);
  for (const auto &f : gen.files)
    h = fnv1a(fnv1a(h, f.name), f.text);
  for (const auto &b : a.bodies) {
    std::error_code ec;
    if (!fs::exists(b, ec)) {
      error = "cannot read body program file '" + b + "'";
      return {};
    }
    h = fnv1a(fnv1a(h, fs::absolute(b, ec).string()), slurp(b));
  }
  fs::path dir = cacheRoot(a.cacheDir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = "cannot create the cache directory " + dir.string() + ": " +
            ec.message();
    return {};
  }
  char name[40];
  std::snprintf(name, sizeof name, "sim-%016llx",
                static_cast<unsigned long long>(h));
  fs::path bin = dir / name;
  if (fs::exists(bin, ec))
    return bin.string();
  fs::path tmp = dir / (std::string(name) + ".tmp" + std::to_string(getpid()));
  error = compileGenerated(gen.files, a.bodies, a.cxx, tmp.string());
  if (!error.empty()) {
    fs::remove(tmp, ec);
    return {};
  }
  fs::rename(tmp, bin, ec); // atomic: concurrent drivers agree on the content
  if (ec) {
    error = "cannot write " + bin.string() + ": " + ec.message();
    return {};
  }
  compiled = true;
  return bin.string();
}

struct SeedResult {
  bool ok = false, badInput = false;
  std::string why; // on failure
  json outcome;    // the sim binary's line
  checker::ConformResult conform;
};

// `s` as one shell word: as is when it needs no quoting.
std::string shellQuote(const std::string &s) {
  bool plain =
      !s.empty() &&
      s.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
          "_./:=,@%+-") == std::string::npos;
  if (plain)
    return s;
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The sim binary's command line for one seed, its traces in `dir`.
std::vector<std::string> seedArgv(const ir::Program &program,
                                  const std::string &bin,
                                  const SimDriverArgs &a, uint64_t seed,
                                  const fs::path &dir) {
  std::vector<std::string> argv = {bin,           "--sim",
                                   "--deploy",    a.deploy,
                                   "--seed",      std::to_string(seed),
                                   "--trace-dir", dir.string(),
                                   "--run-for",   std::to_string(a.runForMs),
                                   "--max-steps", std::to_string(a.maxSteps)};
  if (!a.faults.empty())
    argv.insert(argv.end(), {"--faults", a.faults});
  // The traces are replayed in the model, which runs `phase bound` phases; a
  // node's binary has no bound of its own.
  if (program.isRoundProgram())
    argv.insert(argv.end(),
                {"--phases", std::to_string(program.roles[0].phase->bound)});
  else // a client's request transition issues as many requests as it is let
    argv.insert(argv.end(), {"--requests", std::to_string(a.requests)});
  return argv;
}

SeedResult runSeed(const ir::Program &program, const std::string &bin,
                   const SimDriverArgs &a, uint64_t seed, const fs::path &dir) {
  SeedResult r;
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const auto &e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".jsonl")
      fs::remove(e.path(), ec);
  std::vector<std::string> argv = seedArgv(program, bin, a, seed, dir);
  std::string out = (dir / "outcome.json").string(),
              err = (dir / "log.jsonl").string();
  int rc = runBounded(argv, out, err, a.wallMs);
  std::string text = slurp(out), errText = slurp(err);
  if (rc == 2 || rc == -1 || rc == 127) {
    r.badInput = true;
    r.why = errText.empty() ? "cannot run " + bin : errText;
    return r;
  }
  if (rc == -2) {
    r.why = "the run took longer than " + std::to_string(a.wallMs) +
            " ms of wall-clock time";
    return r;
  }
  if (rc != 0 && rc != 1) {
    r.why = "the sim binary died (exit " + std::to_string(rc) + ")\n" + errText;
    return r;
  }
  r.outcome = json::parse(text, nullptr, false);
  if (r.outcome.is_discarded() || !r.outcome.is_object()) {
    r.why = "the sim binary printed no outcome\n" + errText;
    return r;
  }
  if (rc == 1) {
    std::string failed;
    for (const auto &n : r.outcome["nodes"])
      if (n.value("failed", false))
        failed += (failed.empty() ? "" : ", ") + n.value("node", std::string());
    r.why = "node " + failed +
            " fail-stopped (evaluation error or body program check)\n" +
            errText;
    return r;
  }
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".jsonl" && e.path().filename() != "log.jsonl")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<checker::TraceRecord> records;
  for (const auto &f : files)
    if (!readTraceFile(f.string(), records, std::cerr, r.why))
      return r;
  if (program.isRoundProgram()) {
    RoundConformOptions o;
    o.invariants = a.invariants;
    for (const auto &b : r.outcome.value("byzantine", json::array()))
      o.byzantine.push_back(b.get<std::string>());
    r.conform = conformRoundTraces(program, records, o);
  } else {
    checker::ConformOptions o;
    o.invariants = a.invariants;
    r.conform = checker::conformTraces(program, records, o);
  }
  if (!r.conform.ok) {
    std::string where;
    if (!r.conform.node.empty())
      where =
          ": node " + r.conform.node + " step " + std::to_string(r.conform.seq);
    if (!r.conform.file.empty())
      where +=
          " (" + r.conform.file + ":" + std::to_string(r.conform.line) + ")";
    r.why = (r.conform.invariant.empty()
                 ? "step does not conform"
                 : "invariant " + r.conform.invariant + " violated") +
            where + "\n  " + r.conform.message + "\n  after " +
            std::to_string(r.conform.records) + " conforming steps";
    return r;
  }
  r.ok = true;
  return r;
}

std::string seedLine(uint64_t seed, const SeedResult &r, bool rounds) {
  const json &o = r.outcome;
  std::ostringstream s;
  s << "seed " << seed << ": " << o.value("verdict", std::string("?")) << " at "
    << o.value("time_us", int64_t(0)) / 1000 << " ms (virtual)";
  const json &net = o.contains("net") ? o["net"] : json::object();
  s << "; frames sent " << net.value("sent", 0) << ", lost "
    << net.value("lost", 0) << ", duplicated " << net.value("duplicated", 0);
  if (!o.value("crashed", json::array()).empty())
    s << "; crashed " << o["crashed"].dump();
  if (rounds && !o.value("byzantine", json::array()).empty())
    s << "; Byzantine " << o["byzantine"].dump() << " ("
      << o.value("equivocations", 0) << " equivocations)";
  if (r.ok)
    s << "; " << r.conform.records << (rounds ? " rounds" : " steps")
      << " conform";
  return s.str();
}

// In a round program every live process takes every lock step, so a
// process that stops is a behaviour of the model only if a crash fault
// (or recover) fault covers it: `crash=NODE` outside them would replay
// as a process frozen in its state, which invariants may read. The error,
// or "" when every crash of `faults` (the --faults text) is covered.
std::string crashOutsideFaultModel(const ir::Program &program,
                                   const std::string &faults) {
  if (!program.isRoundProgram())
    return "";
  std::stringstream in(faults);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.rfind("crash=", 0) != 0)
      continue;
    std::string node = item.substr(6, item.find('@') == std::string::npos
                                          ? std::string::npos
                                          : item.find('@') - 6);
    bool covered = false;
    for (const auto &f : program.faults) {
      if (!f.crashes() || f.max < 1)
        continue;
      const auto &set = program.principalSets[size_t(f.principalSet)];
      for (int i = 0; i < set.size; ++i)
        covered = covered || program.principalName(set.first + i) == node;
    }
    if (!covered)
      return "--faults " + item + ": " + program.name +
             " declares no crash fault over " + node +
             ", and in a round program a process that stops leaves the "
             "lock-step model (declare "
             "`faults SET: crash <= k;` or `recover <= k`, docs/semantics.md)";
  }
  return "";
}

} // namespace

int runSimDriver(const SimDriverArgs &a) {
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  {
    DiagnosticEngine diags;
    bool ok = checkDeployFile(*program, a.deploy, diags);
    diags.print(std::cerr);
    if (!ok)
      return BadInput;
  }
  if (std::string why = crashOutsideFaultModel(*program, a.faults);
      !why.empty()) {
    std::cerr << "mommie sim: error: " << why << "\n";
    return BadInput;
  }
  std::string error;
  bool compiled = false;
  auto t0 = std::chrono::steady_clock::now();
  std::string bin = simBinary(*program, a, error, compiled);
  if (bin.empty()) {
    std::cerr << "mommie sim: error: " << error << "\n";
    return BadInput;
  }
  double compileSecs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  fs::path work;
  bool temp = a.traceDir.empty();
  std::error_code ec;
  if (temp) {
    std::string tmpl =
        (fs::temp_directory_path() / "mommie-sim-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::cerr << "mommie sim: error: cannot create a temporary directory\n";
      return BadInput;
    }
    work = tmpl;
  } else {
    work = a.traceDir;
    fs::create_directories(work, ec);
    if (ec) {
      std::cerr << "mommie sim: error: cannot create " << work.string() << ": "
                << ec.message() << "\n";
      return BadInput;
    }
  }
  bool rounds = program->isRoundProgram();
  uint64_t seeds = 0, steps = 0, deliveries = 0, sent = 0, lost = 0, dups = 0,
           crashRuns = 0, equivocations = 0;
  std::map<std::string, uint64_t> verdicts;
  json runs = json::array();
  int rc = Ok;
  std::string failure;
  fs::path keep; // the failing seed's directory
  for (uint64_t seed = a.firstSeed; seed <= a.lastSeed; ++seed) {
    fs::path dir = work / ("seed-" + std::to_string(seed));
    SeedResult r = runSeed(*program, bin, a, seed, dir);
    if (r.badInput) {
      std::cerr << "mommie sim: error: " << r.why;
      rc = BadInput;
      break;
    }
    if (a.json) {
      json j = {{"seed", seed}, {"ok", r.ok}, {"outcome", r.outcome}};
      if (!r.ok)
        j["error"] = r.why;
      else
        j["conform"] = {{"records", r.conform.records},
                        {"deliveries", r.conform.deliveries}};
      runs.push_back(std::move(j));
    }
    if (!r.ok) {
      // The failing run's traces stay (also in a temporary directory), and
      // the reproduce line is the exact command that wrote them.
      std::string repro;
      for (const auto &arg : seedArgv(*program, bin, a, seed, dir))
        repro += (repro.empty() ? "" : " ") + shellQuote(arg);
      std::string defines;
      for (const auto &d : a.defines)
        defines += " -D " + shellQuote(d);
      for (const auto &c : r.outcome.value("crashed", json::array()))
        if (c.is_string())
          defines += " --crashed " + shellQuote(c.get<std::string>());
      if (rounds)
        for (const auto &b : r.outcome.value("byzantine", json::array()))
          if (b.is_string())
            defines += " --byzantine " + shellQuote(b.get<std::string>());
      failure = "mommie sim: seed " + std::to_string(seed) + ": " + r.why +
                "\n  traces: " + dir.string() +
                " (kept)\n  reproduce: " + repro +
                "\n  check again: mommie conform " + shellQuote(a.file) +
                defines + " --invariants " + (dir / "*.jsonl").string() + "\n";
      keep = dir;
      rc = Violation;
      if (!r.outcome.is_null() && !a.json)
        std::cout << seedLine(seed, r, rounds) << "\n";
      break;
    }
    ++seeds;
    steps += r.conform.records;
    deliveries += r.conform.deliveries;
    const json &net =
        r.outcome.contains("net") ? r.outcome["net"] : json::object();
    sent += net.value("sent", uint64_t(0));
    lost += net.value("lost", uint64_t(0));
    dups += net.value("duplicated", uint64_t(0));
    crashRuns += r.outcome.value("crashed", json::array()).empty() ? 0 : 1;
    equivocations += r.outcome.value("equivocations", uint64_t(0));
    ++verdicts[r.outcome.value("verdict", std::string("?"))];
    if (!a.json && (a.verbose || a.firstSeed == a.lastSeed))
      std::cout << seedLine(seed, r, rounds) << "\n";
  }
  if (temp && keep.empty()) {
    fs::remove_all(work, ec);
  } else if (temp) { // only the failing seed's traces stay
    for (const auto &e : fs::directory_iterator(work, ec))
      if (e.path() != keep)
        fs::remove_all(e.path(), ec);
  }
  if (rc == BadInput)
    return rc;
  std::string binNote = std::string(compiled ? "compiled " : "cached ") + bin;
  if (a.json) {
    json summary = {{"ok", rc == Ok},
                    {"seeds", seeds},
                    {"records", steps},
                    {"deliveries", deliveries},
                    {"frames_sent", sent},
                    {"lost", lost},
                    {"duplicated", dups},
                    {"runs_with_crash", crashRuns},
                    {"equivocations", equivocations},
                    {"verdicts", verdicts},
                    {"binary", bin},
                    {"compiled", compiled},
                    {"compile_s", compileSecs},
                    {"runs", runs}};
    std::cout << summary.dump(2) << "\n";
  }
  if (rc != Ok) {
    std::cout << failure;
    return rc;
  }
  if (!a.json) {
    std::cout << "ok: " << seeds << (seeds == 1 ? " seed" : " seeds")
              << " of the generated code (" << binNote
              << "): every trace conforms"
              << (a.invariants ? " and every invariant holds" : "") << "; "
              << steps << (rounds ? " node rounds, " : " steps, ") << deliveries
              << " deliveries; frames sent " << sent << ", lost " << lost
              << ", duplicated " << dups << "; " << crashRuns
              << " runs with a crash";
    if (rounds && equivocations)
      std::cout << "; " << equivocations << " Byzantine equivocations";
    std::cout << "; verdicts";
    for (const auto &[v, n] : verdicts)
      std::cout << " " << v << " " << n;
    std::cout << "\n";
  }
  return Ok;
}

} // namespace mommie::tool
