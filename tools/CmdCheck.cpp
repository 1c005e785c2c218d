// `mommie check`: the explicit-state model checker (checker/) on a program.
// Exit codes: 0 ok, 1 property violated, 2 bad input, 3 resource limit.
#include "checker/Explorer.h"
#include "checker/Report.h"
#include "checker/Simulate.h"
#include "tools/Commands.h"
#include "tools/ItfTrace.h"

#include <fstream>
#include <iostream>

namespace mommie::tool {

namespace {

struct CheckArgs {
  std::string file;
  std::vector<std::string> defines;
  int workers = 1;
  bool json = false, noDeadlock = false, noSymmetry = false, quiet = false;
  bool noLiveness = false, noRetireCheck = false;
  uint64_t maxStates = 0, maxMemory = 0;
  double timeLimit = 0;
  std::string traceSvg, traceHtml, itf;
  uint64_t simulate = 0, depth = 100, seed = 1;
};

int runCheck(const CheckArgs &a) {
  auto program = loadProgram(a.file, a.defines);
  if (!program)
    return BadInput;
  checker::CheckResult result;
  try {
    if (a.simulate) {
      checker::SimulateOptions so;
      so.runs = a.simulate;
      so.depth = a.depth;
      so.seed = a.seed;
      so.deadlock = !a.noDeadlock;
      so.timeLimit = a.timeLimit;
      so.retireCheck = !a.noRetireCheck;
      result = checker::simulate(*program, so);
    } else {
      checker::CheckOptions o;
      o.workers = a.workers;
      o.deadlock = !a.noDeadlock;
      o.symmetry = !a.noSymmetry;
      o.maxStates = a.maxStates;
      o.maxMemoryMB = a.maxMemory;
      o.timeLimit = a.timeLimit;
      o.progress = !a.quiet;
      o.liveness = !a.noLiveness;
      o.retireCheck = !a.noRetireCheck;
      result = checker::explore(*program, o);
    }
  } catch (const checker::EvalError &e) {
    std::cerr << checker::locString(e.loc) << ": error: " << e.what() << "\n";
    return BadInput;
  }
  if (a.json) {
    std::cout << checker::formatJson(*program, result).dump(2) << "\n";
  } else {
    std::cout << "mommie check: " << a.file << " (protocol " << program->name
              << ")\n";
    if (a.simulate)
      std::cout << "simulation: " << a.simulate << " runs of depth " << a.depth
                << ", seed " << a.seed << "\n";
    std::cout << checker::formatText(*program, result);
    if (!result.message.empty() &&
        result.verdict != checker::CheckResult::Verdict::EvalError)
      std::cout << result.message;
  }
  auto write = [](const std::string &path, const std::string &text) {
    std::ofstream out(path);
    if (!(out << text))
      std::cerr << "mommie: error: cannot write '" << path << "'\n";
    return bool(out);
  };
  if (!a.traceSvg.empty() &&
      !write(a.traceSvg, checker::formatSvg(*program, result)))
    return BadInput;
  if (!a.traceHtml.empty() &&
      !write(a.traceHtml, checker::formatHtml(*program, result)))
    return BadInput;
  if (!a.itf.empty() &&
      !write(a.itf, itfTrace(*program, result, a.file).dump(2) + "\n"))
    return BadInput;
  using V = checker::CheckResult::Verdict;
  switch (result.verdict) {
  case V::Ok:
    return Ok;
  case V::ResourceLimit:
    return ResourceLimit;
  default:
    return Violation;
  }
}

} // namespace

void registerCheckCommand(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<CheckArgs>();
  auto *cmd =
      app.add_subcommand("check", "explicit-state model checking of a program");
  cmd->add_option("file", args->file, "the .mom program")->required();
  addDefineOption(cmd, args->defines);
  cmd->add_option("--workers", args->workers, "worker threads")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--json", args->json, "machine-readable result on stdout");
  cmd->add_flag("--no-deadlock", args->noDeadlock, "do not report deadlocks");
  cmd->add_flag("--no-symmetry", args->noSymmetry,
                "disable symmetry reduction");
  cmd->add_flag("--no-liveness", args->noLiveness,
                "do not check `property` items");
  cmd->add_flag("--no-retire-check", args->noRetireCheck,
                "do not check that collecting retired statements never changes "
                "behaviour");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress line on stderr");
  // A limit of 0 would read as "no limit"; omitting the flag says that.
  cmd->add_option("--max-states", args->maxStates,
                  "stop at exactly this many distinct states (at least 1; "
                  "default: none)")
      ->check(positiveLimit());
  cmd->add_option(
         "--max-memory", args->maxMemory,
         "stop above this resident size (MB, at least 1; default: none)")
      ->check(positiveLimit());
  cmd->add_option("--time-limit", args->timeLimit,
                  "stop after this many seconds (above 0; default: none)")
      ->check(positiveLimit());
  cmd->add_option("--trace-svg", args->traceSvg,
                  "write the trace as an SVG sequence chart");
  cmd->add_option("--trace-html", args->traceHtml,
                  "write the trace as an HTML page: the chart, a step slider "
                  "and each step's full state");
  cmd->add_option("--itf", args->itf,
                  "write the trace as ITF (Apalache/Quint JSON) in the TLA+ "
                  "spec's variables");
  cmd->add_option("--simulate", args->simulate,
                  "random simulation: number of runs");
  cmd->add_option("--depth", args->depth, "simulation: steps per run");
  cmd->add_option("--seed", args->seed, "simulation: random seed");
  cmd->callback([args, &exitCode] { exitCode = runCheck(*args); });
}

} // namespace mommie::tool
