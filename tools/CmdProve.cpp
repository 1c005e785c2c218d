// `mommie prove FILE.mom [--solver z3|cvc5|both] [--bound N=3..7] [-D ...]
// [--timeout S] [--max-memory MB] [--json] [--parameterized]`: inductive
// invariant checking with Z3 / cvc5 (the bounded encoding of proofs/, or
// with --parameterized the encoding with symbolic principal-set sizes).
// Results are printed as they come. Exit 0 when every obligation is proved
// by every selected solver, 1 otherwise (or when solvers disagree), 3 when
// the only obligations not proved reached --timeout or --max-memory, 2 on
// bad input.
#include "proofs/Prover.h"
#include "proofs/QuorumLemmas.h"
#include "tools/Commands.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>

namespace mommie::tool {

namespace {

struct Bound {
  std::string name;
  std::vector<int64_t> values;
};

bool parseInt(const std::string &s, int64_t &out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

// NAME=a..b, NAME=a,b,c or NAME=a.
std::optional<Bound> parseBound(const std::string &text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return std::nullopt;
  Bound b{text.substr(0, eq), {}};
  std::string spec = text.substr(eq + 1);
  auto dots = spec.find("..");
  if (dots != std::string::npos) {
    int64_t lo = 0, hi = 0;
    if (!parseInt(spec.substr(0, dots), lo) ||
        !parseInt(spec.substr(dots + 2), hi) || hi < lo || hi - lo > 1000)
      return std::nullopt;
    for (int64_t v = lo; v <= hi; ++v)
      b.values.push_back(v);
    return b;
  }
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string part = spec.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    int64_t v = 0;
    if (!parseInt(part, v))
      return std::nullopt;
    b.values.push_back(v);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return b;
}

std::string locText(const ir::SourceLoc &loc) {
  if (loc.file.empty())
    return "";
  return fmt::format("{}:{}:{}: ", loc.file, loc.line, loc.col);
}

// One result line (and its counterexample or reason), flushed at once so
// that a run that is stopped still shows what it proved.
void printResult(const proofs::ObligationResult &r) {
  using proofs::Verdict;
  std::cout << fmt::format("  {:<5} {:<24} {:<22} {} ({:.3f}s)\n",
                           proofs::solverName(r.solver), r.invariant, r.step,
                           proofs::verdictName(r.verdict), r.seconds);
  if (r.verdict == Verdict::Counterexample && r.invariant == "ArithOK")
    std::cout << fmt::format("step '{}' may overflow or divide by a divisor "
                             "that is not positive (ArithOK): counterexample "
                             "to induction\n{}",
                             r.step, r.detail);
  else if (r.verdict == Verdict::Counterexample)
    std::cout << fmt::format("{}invariant {} is not inductive: "
                             "counterexample to induction in step '{}'\n{}",
                             locText(r.loc), r.invariant, r.step, r.detail);
  else if (r.verdict == Verdict::Unknown)
    std::cout << "        reason: " << r.detail << "\n";
  std::cout << std::flush;
}

struct ProveArgs {
  std::string file;
  std::string solver = "z3";
  std::vector<std::string> bounds;
  std::vector<std::string> defines;
  double timeout = 0;
  uint64_t maxMemory = 0; // MB; 0: not given (half of physical memory)
  size_t seqBound = 4;
  bool json = false;
  bool quorumLemmas = false;
  bool parameterized = false;
  std::vector<std::string> only;
};

int runProve(const ProveArgs &args) {
  using namespace proofs;
  ProveOptions options;
  if (args.solver == "z3")
    options.solvers = {SolverKind::Z3};
  else if (args.solver == "cvc5")
    options.solvers = {SolverKind::Cvc5};
  else if (args.solver == "both")
    options.solvers = {SolverKind::Z3, SolverKind::Cvc5};
  else {
    std::cerr << "mommie: error: unknown solver '" << args.solver
              << "': expected z3, cvc5 or both\n";
    return BadInput;
  }
  if (args.timeout < 0 || args.timeout > 1e6) {
    std::cerr << "mommie: error: bad --timeout\n";
    return BadInput;
  }
  options.timeoutMs = static_cast<unsigned>(args.timeout * 1000);
  options.seqBound = args.seqBound;
  options.maxMemoryMb = args.maxMemory ? args.maxMemory : defaultMaxMemoryMb();
  if (!args.json) {
    options.onNote = [](const std::string &n) {
      std::cout << "  " << n << std::endl;
    };
    options.onResult = printResult;
  }
  options.only = args.only;
  if (!args.only.empty() && !args.parameterized) {
    std::cerr << "mommie: error: --invariant needs --parameterized\n";
    return BadInput;
  }

  // The instances: the product of every --bound.
  std::vector<std::vector<std::pair<std::string, int64_t>>> instances{{}};
  for (const auto &text : args.bounds) {
    auto b = parseBound(text);
    if (!b) {
      std::cerr << "mommie: error: bad --bound '" << text
                << "': expected NAME=LO..HI, NAME=A,B,C or NAME=V\n";
      return BadInput;
    }
    std::vector<std::vector<std::pair<std::string, int64_t>>> next;
    for (const auto &inst : instances)
      for (int64_t v : b->values) {
        auto n = inst;
        n.push_back({b->name, v});
        next.push_back(std::move(n));
      }
    instances = std::move(next);
  }

  nlohmann::json out;
  out["file"] = args.file;
  out["runs"] = nlohmann::json::array();
  bool notProved = false, limited = false;
  size_t proved = 0, refuted = 0, unknown = 0;
  for (const auto &inst : instances) {
    std::vector<std::string> defines = args.defines;
    std::string label;
    for (const auto &[name, v] : inst) {
      defines.push_back(name + "=" + std::to_string(v));
      label += (label.empty() ? "" : ", ") + name + "=" + std::to_string(v);
    }
    auto program = loadProgram(args.file, defines);
    if (!program)
      return BadInput;
    if (!args.json)
      std::cout << fmt::format("{}{}: {} encoding", program->name,
                               label.empty() ? "" : " (" + label + ")",
                               args.parameterized ? "parameterized" : "bounded")
                << std::endl;
    ProveReport report = args.parameterized
                             ? proveParameterized(*program, options)
                             : proveBounded(*program, options);
    limited |= report.limitReached();
    for (const auto &r : report.results)
      notProved |= r.verdict != Verdict::Proved && !r.limit;
    notProved |= !report.disagreements.empty() || report.results.empty();
    nlohmann::json run;
    run["instance"] = nlohmann::json::object();
    for (const auto &[name, v] : inst)
      run["instance"][name] = v;
    run["results"] = nlohmann::json::array();
    run["encoding"] = args.parameterized ? "parameterized" : "bounded";
    run["notes"] = report.notes;
    for (const auto &r : report.results) {
      switch (r.verdict) {
      case Verdict::Proved:
        ++proved;
        break;
      case Verdict::Counterexample:
        ++refuted;
        break;
      case Verdict::Unknown:
        ++unknown;
        break;
      }
      run["results"].push_back({{"invariant", r.invariant},
                                {"step", r.step},
                                {"solver", solverName(r.solver)},
                                {"verdict", verdictName(r.verdict)},
                                {"seconds", r.seconds},
                                {"limit", r.limit},
                                {"detail", r.detail}});
    }
    for (const auto &d : report.disagreements) {
      if (!args.json)
        std::cout << "error: solvers disagree: " << d << "\n";
    }
    run["disagreements"] = report.disagreements;
    out["runs"].push_back(std::move(run));
  }
  if (args.quorumLemmas) {
    out["quorumLemmas"] = nlohmann::json::array();
    if (!args.json)
      std::cout << "quorum lemmas (parameterized, cvc5 finite sets with "
                   "cardinality):\n";
    for (const auto &r : proveQuorumLemmas(options.timeoutMs)) {
      if (r.verdict == Verdict::Proved)
        ++proved;
      else if (r.verdict == Verdict::Counterexample)
        ++refuted;
      else
        ++unknown;
      if (r.verdict != Verdict::Proved)
        notProved = true;
      out["quorumLemmas"].push_back({{"name", r.name},
                                     {"statement", r.statement},
                                     {"verdict", verdictName(r.verdict)},
                                     {"seconds", r.seconds},
                                     {"detail", r.detail}});
      if (!args.json)
        std::cout << fmt::format("  cvc5  {:<30} {} ({:.3f}s)  {}\n", r.name,
                                 verdictName(r.verdict), r.seconds,
                                 r.statement);
    }
  }
  int exit = notProved ? Violation : limited ? ResourceLimit : Ok;
  out["proved"] = proved;
  out["counterexamples"] = refuted;
  out["unknown"] = unknown;
  out["ok"] = exit == Ok;
  if (args.json)
    std::cout << out.dump(2) << "\n";
  else
    std::cout << fmt::format("{} proved, {} counterexample(s) to induction, "
                             "{} unknown\n",
                             proved, refuted, unknown);
  return exit;
}

} // namespace

void registerProveCommand(CLI::App &app, int &exitCode) {
  auto args = std::make_shared<ProveArgs>();
  auto *cmd = app.add_subcommand(
      "prove", "prove invariants and lemmas inductive with Z3 / cvc5");
  cmd->add_option("file", args->file, "the .mom program")->required();
  cmd->add_option("--solver", args->solver, "z3, cvc5 or both (default z3)");
  cmd->add_option("--bound", args->bounds,
                  "check for these parameter values: NAME=LO..HI, NAME=A,B,C")
      ->allow_extra_args(false);
  cmd->add_option("--timeout", args->timeout,
                  "seconds per obligation, every stage of it (0: none)");
  cmd->add_option("--max-memory", args->maxMemory,
                  "resident memory limit in MB (at least 1; default: half of "
                  "physical memory)")
      ->check(positiveLimit("the default, half of physical memory"));
  cmd->add_option("--seq-bound", args->seqBound,
                  "the longest sequence the bounded encoding holds (default "
                  "4): a step that "
                  "makes one longer is outside the proof")
      ->check(CLI::Range(size_t(1), size_t(64)));
  cmd->add_flag("--json", args->json, "machine-readable output");
  cmd->add_flag("--quorum-lemmas", args->quorumLemmas,
                "also prove the quorum-intersection lemmas for all N, F");
  cmd->add_flag("--parameterized", args->parameterized,
                "principal-set sizes symbolic (all N), cvc5 finite sets with "
                "cardinality; round programs");
  cmd->add_option("--invariant", args->only,
                  "with --parameterized: prove only these invariants / lemmas "
                  "(or TypeOK), assuming the others");
  addDefineOption(cmd, args->defines);
  cmd->callback([args, &exitCode] { exitCode = runProve(*args); });
}

} // namespace mommie::tool
