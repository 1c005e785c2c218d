// `mommie conform` (replay node traces in the checker's semantics) and
// `mommie sim` (every node of a deployment in one process over a seeded,
// simulated network: the generated code by default, tools/SimDriver.h; the
// checker's semantics with --model). See docs/conform.md.
// Exit codes: 0 ok, 1 a step the model does not allow / invariant violated,
// 2 bad input (also traces recorded with other parameter values than the
// -D given, tools/TraceFiles.h).
#include "checker/Replay.h"
#include "checker/SimNet.h"
#include "runtime/auth/Deploy.h"
#include "tools/Commands.h"
#include "tools/RoundConform.h"
#include "tools/SimDriver.h"
#include "tools/TraceFiles.h"

#include <fstream>
#include <iostream>

namespace mommie::tool {

namespace {

struct ConformArgs {
  std::string file;
  std::vector<std::string> defines;
  std::vector<std::string> traces;
  bool invariants = false;
  std::vector<std::string> crashed, byzantine;
};

int runConform(const ConformArgs &a) {
  std::vector<checker::TraceRecord> records;
  if (!readTraceFiles(a.traces, records, "conform"))
    return BadInput;
  // The model is instantiated with the parameters the traces were recorded
  // with.
  auto program = loadProgramForTraces(a.file, a.defines, records);
  if (!program)
    return BadInput;
  checker::ConformOptions o;
  o.invariants = a.invariants;
  o.crashed = a.crashed;
  checker::ConformResult r;
  if (program->isRoundProgram()) {
    RoundConformOptions ro;
    ro.invariants = a.invariants;
    ro.byzantine = a.byzantine;
    r = conformRoundTraces(*program, records, ro);
  } else {
    r = checker::conformTraces(*program, records, o);
  }
  if (r.ok) {
    std::cout << "ok: " << r.records << " steps conform (" << r.transitions
              << " transitions, " << r.deliveries << " deliveries";
    if (r.inferred)
      std::cout << ", " << r.inferred
                << " unrecorded steps of crashed nodes inferred";
    std::cout << ")\n";
    return Ok;
  }
  std::cout << "mommie conform: step does not conform";
  if (!r.node.empty())
    std::cout << ": node " << r.node << " step " << r.seq;
  if (!r.file.empty())
    std::cout << " (" << r.file << ":" << r.line << ")";
  std::cout << "\n  " << r.message << "\n  after " << r.records
            << " conforming steps\n";
  return Violation;
}

struct SimArgs {
  std::string file, deploy, faults, trace, traceDir, seeds, cache, cxx;
  std::vector<std::string> defines, bodies;
  uint64_t seed = 1,
           steps = 0; // 0: the default of --model or of the generated code
  int64_t runForMs = 600000, requests = 10;
  bool json = false, model = false, verbose = false, noInvariants = false;
};

// `A..B` or `N` into [first, last].
bool parseSeeds(const std::string &s, uint64_t &first, uint64_t &last) {
  size_t dots = s.find("..");
  std::string a = s.substr(0, dots),
              b = dots == std::string::npos ? a : s.substr(dots + 2);
  auto num = [](const std::string &t, uint64_t &out) {
    if (t.empty() || t.size() > 18 ||
        t.find_first_not_of("0123456789") != std::string::npos)
      return false;
    out = std::stoull(t);
    return true;
  };
  return num(a, first) && num(b, last) && first <= last &&
         last - first < 1000000;
}

int runGeneratedSim(const SimArgs &a) {
  SimDriverArgs d;
  d.file = a.file;
  d.deploy = a.deploy;
  d.faults = a.faults;
  d.traceDir = a.traceDir;
  d.cacheDir = a.cache;
  d.cxx = a.cxx;
  d.defines = a.defines;
  d.bodies = a.bodies;
  d.firstSeed = d.lastSeed = a.seed;
  if (!a.seeds.empty() && !parseSeeds(a.seeds, d.firstSeed, d.lastSeed)) {
    std::cerr << "mommie sim: error: bad --seeds '" << a.seeds << "' (A..B)\n";
    return BadInput;
  }
  if (!a.trace.empty()) {
    std::cerr << "mommie sim: error: --trace FILE is for --model; the "
                 "generated code writes one "
                 "trace per node (--trace-dir DIR)\n";
    return BadInput;
  }
  d.runForMs = a.runForMs;
  d.requests = a.requests;
  if (a.steps)
    d.maxSteps = a.steps;
  d.json = a.json;
  d.verbose = a.verbose;
  d.invariants = !a.noInvariants;
  return runSimDriver(d);
}

int runSim(const SimArgs &a) {
  if (!a.model)
    return runGeneratedSim(a);
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  rt::DeployConfig conf;
  std::vector<rt::DeployError> errors;
  if (!rt::loadDeployFile(a.deploy, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << a.deploy << ":" << e.line << ":" << e.col
                << ": error: " << e.message << "\n";
    if (errors.empty())
      std::cerr << "mommie sim: error: cannot read " << a.deploy << "\n";
    return BadInput;
  }
  checker::SimConfig sc;
  sc.seed = a.seed;
  sc.maxSteps = a.steps ? a.steps : 10000;
  for (const auto &h : conf.hosts)
    sc.nodes.push_back(h.principal);
  std::string err;
  if (!checker::parseFaults(a.faults, sc, err)) {
    std::cerr << "mommie sim: error: --faults: " << err << "\n";
    return BadInput;
  }
  std::ofstream traceOut;
  if (!a.trace.empty()) {
    traceOut.open(a.trace, std::ios::binary | std::ios::trunc);
    if (!traceOut) {
      std::cerr << "mommie sim: error: cannot write " << a.trace << "\n";
      return BadInput;
    }
  }
  checker::SimResult r = checker::simulateNetwork(
      *program, sc, a.trace.empty() ? nullptr : &traceOut);
  if (!r.error.empty() && r.badInput) {
    std::cerr << "mommie sim: error: " << r.error << "\n";
    return BadInput;
  }
  if (a.json)
    std::cout << checker::simResultJson(r).dump(2) << "\n";
  else
    std::cout << checker::simResultText(r);
  return r.ok ? Ok : Violation;
}

} // namespace

void registerConformCommands(CLI::App &app, int &exitCode) {
  auto ca = std::make_shared<ConformArgs>();
  auto *c = app.add_subcommand("conform",
                               "replay node traces in the model's semantics");
  c->add_option("file", ca->file, "the .mom program")->required();
  c->add_option("traces", ca->traces, "trace files (JSON lines)")->required();
  addDefineOption(c, ca->defines);
  c->add_flag("--invariants", ca->invariants,
              "also check every invariant after every step");
  c->add_option(
       "--crashed", ca->crashed,
       "NODE was killed: infer model steps for its unrecorded last steps")
      ->allow_extra_args(false);
  c->add_option(
       "--byzantine", ca->byzantine,
       "round programs: NODE is Byzantine (its trace, if any, is not checked)")
      ->allow_extra_args(false);
  c->callback([ca, &exitCode] { exitCode = runConform(*ca); });

  auto sa = std::make_shared<SimArgs>();
  auto *s =
      app.add_subcommand("sim", "run every node of a deployment in one process "
                                "over a seeded simulated network");
  s->add_option("file", sa->file, "the .mom program")->required();
  s->add_option("--deploy", sa->deploy, "deploy.conf ([Hosts] names the nodes)")
      ->required();
  s->add_option("--seed", sa->seed, "random seed (default 1)");
  s->add_option("--seeds", sa->seeds, "a range of seeds A..B, one run each");
  s->add_option(
      "--faults", sa->faults,
      "loss=P,dup=P,reorder,delay=A-Bms,crash=NODE@T,byz=NODE (T: 2s, 150ms)");
  s->add_option("--trace-dir", sa->traceDir,
                "keep the node traces in DIR/seed-S/<node>.jsonl (default: a "
                "temporary directory)");
  s->add_option("--run-for", sa->runForMs,
                "virtual time limit per run in ms (default 600000)");
  s->add_option("--requests", sa->requests,
                "requests each client issues: its request transition fires "
                "that many times "
                "(docs/runtime.md, Client workloads; default 10)")
      ->check(CLI::Range(int64_t(0), int64_t(1) << 40));
  s->add_option("--cache", sa->cache,
                "directory of compiled sim binaries (default $MOMMIE_SIM_CACHE "
                "or ~/.cache/mommie/sim)");
  s->add_option("--cxx", sa->cxx, "the C++ compiler (default clang++-14)");
  s->add_option("--body", sa->bodies,
                "a C++ file defining body programs (repeatable)");
  s->add_flag("--no-invariants", sa->noInvariants,
              "do not check invariants on the replayed states");
  s->add_flag("-v,--verbose", sa->verbose, "one line per seed");
  s->add_flag("--model", sa->model,
              "simulate the checker's semantics instead of the generated code "
              "(one seed)");
  s->add_option("--steps", sa->steps,
                "maximum number of steps per run (default 10000 with --model; "
                "the generated code: "
                "1000000 steps of all nodes, or node rounds; a run that "
                "reaches it ends with verdict "
                "\"step limit\")")
      ->check(CLI::Range(uint64_t(1), uint64_t(1) << 40));
  s->add_option("--trace", sa->trace,
                "--model: write the run as a trace `mommie conform` reads");
  s->add_flag("--json", sa->json, "print the outcome as JSON");
  addDefineOption(s, sa->defines);
  s->callback([sa, &exitCode] { exitCode = runSim(*sa); });
}

} // namespace mommie::tool
