// `mommie conform` (replay node traces in the checker's semantics) and
// `mommie sim` (every node of a deployment in one process over a seeded,
// simulated network, on the checker's semantics). See docs/conform.md.
// Exit codes: 0 ok, 1 a step the model does not allow / invariant violated,
// 2 bad input.
#include "checker/Replay.h"
#include "checker/SimNet.h"
#include "runtime/Deploy.h"
#include "tools/Commands.h"

#include <fstream>
#include <iostream>

namespace mommie::tool {

namespace {

struct ConformArgs {
  std::string file;
  std::vector<std::string> defines;
  std::vector<std::string> traces;
  bool invariants = false;
  std::vector<std::string> crashed;
};

int runConform(const ConformArgs &a) {
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  std::vector<checker::TraceRecord> records;
  for (const auto &path : a.traces) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "mommie conform: error: cannot read " << path << "\n";
      return BadInput;
    }
    std::string line;
    size_t lineNo = 0;
    while (std::getline(in, line)) {
      ++lineNo;
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() && in.eof()) {
        // The last line has no newline: the writer was killed mid-write.
        std::cerr << path << ":" << lineNo << ": note: ignoring a truncated last line\n";
        break;
      }
      if (j.is_discarded()) {
        std::cerr << path << ":" << lineNo << ": error: not a JSON object\n";
        return BadInput;
      }
      records.push_back({path, lineNo, std::move(j)});
    }
  }
  checker::ConformOptions o;
  o.invariants = a.invariants;
  o.crashed = a.crashed;
  checker::ConformResult r = checker::conformTraces(*program, records, o);
  if (r.ok) {
    std::cout << "ok: " << r.records << " steps conform (" << r.transitions << " transitions, "
              << r.deliveries << " deliveries";
    if (r.inferred)
      std::cout << ", " << r.inferred << " unrecorded steps of crashed nodes inferred";
    std::cout << ")\n";
    return Ok;
  }
  std::cout << "mommie conform: step does not conform";
  if (!r.node.empty())
    std::cout << ": node " << r.node << " step " << r.seq;
  if (!r.file.empty())
    std::cout << " (" << r.file << ":" << r.line << ")";
  std::cout << "\n  " << r.message << "\n  after " << r.records << " conforming steps\n";
  return Violation;
}

struct SimArgs {
  std::string file, deploy, faults, trace;
  std::vector<std::string> defines;
  uint64_t seed = 1, steps = 10000;
  bool json = false;
};

int runSim(const SimArgs &a) {
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  rt::DeployConfig conf;
  std::vector<rt::DeployError> errors;
  if (!rt::loadDeployFile(a.deploy, conf, errors)) {
    for (const auto &e : errors)
      std::cerr << a.deploy << ":" << e.line << ":" << e.col << ": error: " << e.message << "\n";
    if (errors.empty())
      std::cerr << "mommie sim: error: cannot read " << a.deploy << "\n";
    return BadInput;
  }
  checker::SimConfig sc;
  sc.seed = a.seed;
  sc.maxSteps = a.steps;
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
  checker::SimResult r = checker::simulateNetwork(*program, sc, a.trace.empty() ? nullptr : &traceOut);
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
  auto *c = app.add_subcommand("conform", "replay node traces in the model's semantics");
  c->add_option("file", ca->file, "the .mom program")->required();
  c->add_option("traces", ca->traces, "trace files (JSON lines)")->required();
  addDefineOption(c, ca->defines);
  c->add_flag("--invariants", ca->invariants, "also check every invariant after every step");
  c->add_option("--crashed", ca->crashed,
                "NODE was killed: infer model steps for its unrecorded last steps")
      ->allow_extra_args(false);
  c->callback([ca, &exitCode] { exitCode = runConform(*ca); });

  auto sa = std::make_shared<SimArgs>();
  auto *s = app.add_subcommand("sim", "run a deployment over a seeded simulated network");
  s->add_option("file", sa->file, "the .mom program")->required();
  s->add_option("--deploy", sa->deploy, "deploy.conf ([Hosts] names the nodes)")->required();
  s->add_option("--seed", sa->seed, "random seed");
  s->add_option("--faults", sa->faults,
                "loss=P,dup=P,reorder,delay=A-Bms,crash=NODE@T (T: 2s, 150ms or a step number)");
  s->add_option("--steps", sa->steps, "maximum number of steps (default 10000)");
  s->add_option("--trace", sa->trace, "write the run as a trace `mommie conform` reads");
  s->add_flag("--json", sa->json, "print the outcome as JSON");
  addDefineOption(s, sa->defines);
  s->callback([sa, &exitCode] { exitCode = runSim(*sa); });
}

} // namespace mommie::tool
