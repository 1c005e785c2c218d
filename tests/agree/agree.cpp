// mommie_agree: the agreement fuzzer (issue 16, item 8). It generates
// random well-typed programs (ProgramGen.h) and checks that the tools
// agree on each:
//   tlc   mommie check --no-symmetry and TLC on the emitted spec: the same
//         verdict (ok / invariant X / deadlock / evaluation error), the
//         same distinct-state count when ok, the same trace length if not;
//   prove a program whose invariant check refutes, or where check meets an
//         arithmetic or range error, is never proved by mommie prove;
//   sim   when check says ok, mommie sim's runs of the generated code
//         conform and keep the invariants (every --sim-every'th program);
//   expr  random expressions (ExprGen.h) give the checker's and the SMT
//         encoding's value, or an evaluation error in both; with sim, a
//         batch of them is also computed by generated C++ (the conformance
//         check compares its values with the checker's; every third
//         --sim-every'th seed).
// One line per disagreement (the seed and the program kept on disk), then a
// summary line. Exit 0 when every comparison agreed, 1 otherwise, 2 on bad
// usage, 77 with --require-tlc when TLA2TOOLS_JAR is unset.
#include "ExprAgree.h"
#include "ExprGen.h"
#include "ProgramGen.h"
#include "Tools.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

using namespace mommie::agree;
namespace fs = std::filesystem;

namespace {

struct Options {
  std::string mommie;
  uint64_t seed = 1;
  uint64_t count = 0; // 0: until the time limit
  double timeLimit = 0;
  std::string dir = "/tmp/agree-run";
  std::set<std::string> legs = {"tlc", "prove", "sim", "expr"};
  int simEvery = 10;
  int exprsPerProgram = 20;
  uint64_t maxStates = 50000;
  bool requireTlc = false;
  bool keep = false;
  bool verbose = false;
};

struct Stats {
  uint64_t programs = 0, tooBig = 0;
  std::map<std::string, uint64_t> verdicts; // of mommie check
  std::map<std::string, uint64_t> compared; // per leg
  std::map<std::string, uint64_t> skipped;  // per leg
  uint64_t disagreements = 0;
};

const char *kindName(Verdict::Kind k) {
  switch (k) {
  case Verdict::Kind::Ok:
    return "ok";
  case Verdict::Kind::Invariant:
    return "invariant";
  case Verdict::Kind::Deadlock:
    return "deadlock";
  case Verdict::Kind::Error:
    return "error";
  case Verdict::Kind::Limit:
    return "limit";
  default:
    return "failed";
  }
}

class Fuzzer {
public:
  explicit Fuzzer(const Options &o) : o_(o) {
    if (const char *jar = std::getenv("TLA2TOOLS_JAR"))
      jar_ = jar;
  }

  bool tlcEnabled() const { return o_.legs.count("tlc") && !jar_.empty(); }

  void program(uint64_t seed) {
    ++st_.programs;
    Generated g = generateProgram(seed);
    std::string work = o_.dir + "/s" + std::to_string(seed);
    fs::create_directories(work);
    file_ = work + "/fuzz.mom";
    std::ofstream(file_) << "// mommie_agree --seed " << seed << " --count 1\n"
                         << g.source;
    seed_ = seed;
    failed_ = false;
    Verdict check = checkVerdict(o_.mommie, file_, work, o_.maxStates);
    ++st_.verdicts[kindName(check.kind)];
    if (o_.verbose)
      std::cout << "seed " << seed << ": check " << check.text()
                << (g.quiescent ? "" : " (may not come to rest)") << "\n";
    if (check.kind == Verdict::Kind::Failed)
      disagree("check", "mommie check failed: " + check.name);
    else if (check.kind == Verdict::Kind::Limit)
      ++st_.tooBig;
    else {
      if (tlcEnabled())
        tlc(g, check, work);
      if (o_.legs.count("prove"))
        prove(check, work);
      if (o_.legs.count("sim") && check.kind == Verdict::Kind::Ok &&
          ++simCounter_ % o_.simEvery == 0)
        sim(g, work);
    }
    if (!failed_ && !o_.keep)
      fs::remove_all(work);
    if (o_.legs.count("expr"))
      expressions(seed);
    if (o_.legs.count("expr") && o_.legs.count("sim") &&
        seed % uint64_t(3 * o_.simEvery) == 0)
      simExpressions(seed);
  }

  const Stats &stats() const { return st_; }

private:
  void disagree(const std::string &leg, const std::string &what) {
    ++st_.disagreements;
    failed_ = true;
    std::cout << "DISAGREE seed=" << seed_ << " leg=" << leg
              << " file=" << file_ << ": " << what << std::endl;
  }

  void tlc(const Generated &g, const Verdict &check, const std::string &work) {
    if (g.edges) {
      ++st_.skipped["tlc"]; // TLC's integers are 32-bit (docs/tla.md)
      return;
    }
    std::string out = work + "/tla";
    Run tla = runBounded({o_.mommie, "tla", file_, "-o", out}, work, 60000);
    if (tla.code != 0) {
      disagree("tlc", "mommie tla exited " + std::to_string(tla.code) + ": " +
                          tla.all());
      return;
    }
    if (tla.all().find("TLC") != std::string::npos) {
      ++st_.skipped["tlc"]; // a warning: a literal TLC cannot hold
      return;
    }
    std::string module;
    for (const auto &e : fs::directory_iterator(out))
      if (e.path().extension() == ".cfg" && e.path().stem() != "MC")
        module = e.path().stem();
    Verdict t = tlcVerdict(jar_, out, module, 300000);
    if (t.kind == Verdict::Kind::Limit) {
      ++st_.skipped["tlc"];
      return;
    }
    ++st_.compared["tlc"];
    bool same = t.kind == check.kind;
    if (same && t.kind == Verdict::Kind::Ok)
      same = t.distinct == check.distinct;
    else if (same)
      same = t.steps == check.steps;
    // With several invariants violated at the same depth, the two searches
    // may meet either first; with one, the names must be equal.
    if (same && t.kind == Verdict::Kind::Invariant &&
        countInvariants(g.source) == 1)
      same = t.name == check.name;
    // MommiePool's Div and Mod Assert with the checker's own message.
    if (same && t.kind == Verdict::Kind::Error &&
        t.name.find("divisor") != std::string::npos)
      same = t.name == check.name;
    if (!same)
      disagree("tlc", "mommie check --no-symmetry: " + check.text() +
                          "; TLC: " + t.text());
  }

  static int countInvariants(const std::string &src) {
    int n = 0;
    for (size_t pos = 0;
         (pos = src.find("\ninvariant ", pos)) != std::string::npos; ++pos)
      ++n;
    return n;
  }

  // A refuted invariant, or an arithmetic / range error, leaves some
  // obligation of mommie prove unproved.
  void prove(const Verdict &check, const std::string &work) {
    bool refuted = check.kind == Verdict::Kind::Invariant;
    bool arith = check.kind == Verdict::Kind::Error &&
                 (check.name.find("overflow") != std::string::npos ||
                  check.name.find("divisor") != std::string::npos);
    if (!refuted && !arith) {
      ++st_.skipped["prove"];
      return;
    }
    Run r = runBounded(
        {o_.mommie, "prove", file_, "--solver", "z3", "--timeout", "20"}, work,
        180000);
    ProveSummary p = parseProve(r.all());
    if (!p.parsed) {
      ++st_.skipped["prove"];
      if (r.code != 2 && r.code != -1) // 2: a program prove refuses
        disagree("prove", "mommie prove exited " + std::to_string(r.code) +
                              " without a summary");
      return;
    }
    ++st_.compared["prove"];
    if (p.allProved())
      disagree("prove", "mommie check --no-symmetry: " + check.text() +
                            "; mommie prove: all " + std::to_string(p.proved) +
                            " obligations proved");
  }

  void sim(const Generated &g, const std::string &work) {
    Run r = simRun(g, work);
    if (r.code == 2 && r.all().find("clang++") != std::string::npos) {
      ++st_.compared["sim"];
      disagree("sim", "mommie check: ok; the generated C++ does not compile: " +
                          r.all().substr(0, 1500));
      return;
    }
    // A run the wall clock cut off (a machine too loaded to finish it) says
    // nothing about agreement.
    if (r.code == 2 || r.code == -1 ||
        r.all().find("of wall-clock time") != std::string::npos) {
      ++st_.skipped["sim"];
      if (o_.verbose)
        std::cout << "seed " << seed_
                  << ": sim refused: " << r.all().substr(0, 300) << "\n";
      return;
    }
    ++st_.compared["sim"];
    if (r.code != 0)
      disagree("sim", "mommie check: ok; mommie sim (exit " +
                          std::to_string(r.code) +
                          "): " + r.all().substr(0, 1500));
  }

  // mommie sim over seeds 1..3, bounded (2 s of virtual time, 2 requests
  // per client, 20000 steps: a program that may not come to rest fires
  // forever in zero virtual time), with a deploy file naming every
  // principal.
  Run simRun(const Generated &g, const std::string &work) {
    std::string conf = work + "/sim.conf";
    {
      std::ofstream f(conf);
      f << "[Hosts]\n";
      for (size_t i = 0; i < g.principals.size(); ++i)
        f << g.principals[i] << " = 127.0.0.1:" << 7000 + i << "\n";
    }
    Run r = runBounded({o_.mommie, "sim", file_, "--deploy", conf, "--seeds",
                        "1..3", "--cache", o_.dir + "/sim-cache", "--run-for",
                        "2000", "--requests", "2", "--steps", "20000",
                        "--trace-dir", work + "/traces"},
                       work, 150000);
    return r;
  }

  void expressions(uint64_t seed) {
    static const int64_t kArgs[] = {
        INT64_MIN,  INT64_MIN + 1, -7,       -2, -1, 0, 1, 2, 3, 7, 2147483647,
        3037000500, INT64_MAX - 1, INT64_MAX};
    std::mt19937_64 rng(seed * 7919 + 1);
    ExprGen g(rng);
    for (int i = 0; i < o_.exprsPerProgram; ++i) {
      Scope sc;
      sc.ints = {"a", "b"};
      sc.bools = {"c"};
      sc.edges = g.chance(50);
      bool isInt = g.chance(60);
      std::string e = isInt ? g.intExpr(sc, g.between(1, 4))
                            : g.boolExpr(sc, g.between(1, 4));
      int64_t a = kArgs[g.pick(int(std::size(kArgs)))],
              b = kArgs[g.pick(int(std::size(kArgs)))];
      bool c = g.chance(50);
      ExprOutcome r = evaluateBoth(e, isInt, a, b, c);
      if (!r.compiled) {
        ++st_.skipped["expr"];
        if (o_.verbose)
          std::cout << "seed " << seed << ": front end refused " << e << ": "
                    << r.frontError;
        continue;
      }
      if (r.smtUnsupported) {
        ++st_.skipped["expr"];
        continue;
      }
      ++st_.compared["expr"];
      if (r.agree() && batch_.size() < 6 && (r.checker || errors_ == 0)) {
        errors_ += r.checker ? 0 : 1;
        batch_.push_back({e, isInt, a, b, c, r.checker});
      }
      if (!r.agree()) {
        std::string path = o_.dir + "/expr-" + std::to_string(seed) + "-" +
                           std::to_string(i) + ".mom";
        std::ofstream(path) << "// f(" << a << ", " << b << ", "
                            << (c ? "true" : "false") << ")\n"
                            << exprProgram(e, isInt);
        auto show = [](const std::optional<int64_t> &v,
                       const std::string &err) {
          return v ? std::to_string(*v) : "error '" + err + "'";
        };
        ++st_.disagreements;
        std::cout << "DISAGREE seed=" << seed << " leg=expr file=" << path
                  << ": f(" << a << ", " << b << ", " << (c ? "true" : "false")
                  << "): checker " << show(r.checker, r.checkerError)
                  << ", SMT " << show(r.smt, r.smtError) << std::endl;
      }
    }
  }

  // Expressions with their arguments and the checker's value, for the
  // generated code (simExpressions).
  struct Evaluated {
    std::string expr;
    bool isInt;
    int64_t a, b;
    bool c;
    std::optional<int64_t> value;
  };

  static std::string intLiteral(int64_t v) {
    if (v == INT64_MIN)
      return "(-9223372036854775807 - 1)";
    return v < 0 ? "(" + std::to_string(v) + ")" : std::to_string(v);
  }

  // The batch of expressions as a program run by generated C++: one
  // transition per expression assigns its value (the arguments are role
  // variables); the conformance check of mommie sim compares each value
  // with the checker's. With an expression that fails, check reports the
  // error and the node fail-stops.
  void simExpressions(uint64_t seed) {
    if (batch_.empty())
      return;
    std::string work = o_.dir + "/x" + std::to_string(seed);
    fs::create_directories(work);
    file_ = work + "/expr.mom";
    std::ostringstream src;
    src << "// mommie_agree --seed " << seed
        << " --count 1: expressions in generated code\n"
        << "protocol ExprSim;\nprincipals R[1];\nrole Ro at R {\n";
    bool fails = false;
    std::string done;
    for (size_t i = 0; i < batch_.size(); ++i) {
      const Evaluated &e = batch_[i];
      std::string n = std::to_string(i), expr = e.expr;
      fails |= !e.value;
      // The arguments become this transition's own variables.
      for (const char *v : {"a", "b", "c"}) {
        std::string from = v, to = std::string(v) + n;
        for (size_t pos = 0;
             (pos = expr.find(from, pos)) != std::string::npos;) {
          bool word = (pos == 0 || !isalnum(expr[pos - 1])) &&
                      (pos + 1 >= expr.size() || !isalnum(expr[pos + 1]));
          if (word) {
            expr.replace(pos, 1, to);
            pos += to.size();
          } else {
            ++pos;
          }
        }
      }
      src << "  var a" << n << ": int = " << intLiteral(e.a) << ";\n  var b"
          << n << ": int = " << intLiteral(e.b) << ";\n  var c" << n
          << ": bool = " << (e.c ? "true" : "false") << ";\n  var r" << n
          << ": " << (e.isInt ? "int = 0" : "bool = false") << ";\n  var d" << n
          << ": bool = false;\n"
          << "  transition E" << n << " IF !d" << n << " @@{ r" << n << " <- "
          << expr << "; d" << n << " <- true; @@}\n";
      done += (i ? " && d" : "d") + n + "[p]";
    }
    src << "}\nterminate when forall p in R: " << done << ";\n";
    batch_.clear();
    errors_ = 0;
    std::ofstream(file_) << src.str();
    failed_ = false;
    Verdict check = checkVerdict(o_.mommie, file_, work, o_.maxStates);
    if (check.kind != (fails ? Verdict::Kind::Error : Verdict::Kind::Ok))
      disagree("expr-check",
               std::string("in-process checker: ") +
                   (fails ? "an evaluation error" : "every value") +
                   "; mommie check: " + check.text());
    Generated g;
    g.principals = {"R0"};
    Run r = simRun(g, work);
    if (r.code == 2) {
      ++st_.skipped["expr-sim"];
    } else {
      ++st_.compared["expr-sim"];
      if ((r.code == 0) == fails)
        disagree("expr-sim", std::string("mommie check: ") + check.text() +
                                 "; mommie sim (exit " +
                                 std::to_string(r.code) +
                                 "): " + r.all().substr(0, 1500));
    }
    if (!failed_ && !o_.keep)
      fs::remove_all(work);
  }

  const Options &o_;
  std::vector<Evaluated> batch_;
  int errors_ = 0;
  std::string jar_;
  Stats st_;
  std::string file_;
  uint64_t seed_ = 0;
  bool failed_ = false;
  int simCounter_ = 0;
};

int usage() {
  std::cerr << "usage: mommie_agree --mommie PATH [--seed S] [--count N] "
               "[--time-limit SECONDS]\n"
               "       [--dir DIR] [--legs tlc,prove,sim,expr] [--sim-every K] "
               "[--exprs N]\n"
               "       [--max-states N] [--require-tlc] [--keep] [-v]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--mommie")
      o.mommie = next();
    else if (a == "--seed")
      o.seed = std::stoull(next());
    else if (a == "--count")
      o.count = std::stoull(next());
    else if (a == "--time-limit")
      o.timeLimit = std::stod(next());
    else if (a == "--dir")
      o.dir = next();
    else if (a == "--legs") {
      o.legs.clear();
      std::stringstream ss(next());
      for (std::string leg; std::getline(ss, leg, ',');)
        o.legs.insert(leg);
    } else if (a == "--sim-every")
      o.simEvery = std::max(1, std::stoi(next()));
    else if (a == "--exprs")
      o.exprsPerProgram = std::stoi(next());
    else if (a == "--max-states")
      o.maxStates = std::stoull(next());
    else if (a == "--require-tlc")
      o.requireTlc = true;
    else if (a == "--keep")
      o.keep = true;
    else if (a == "-v")
      o.verbose = true;
    else
      return usage();
  }
  if (o.mommie.empty() || (o.count == 0 && o.timeLimit <= 0))
    return usage();
  o.mommie = fs::absolute(o.mommie);
  o.dir = fs::absolute(o.dir);
  if (o.requireTlc && !std::getenv("TLA2TOOLS_JAR")) {
    std::cout << "TLA2TOOLS_JAR is not set: skipping\n";
    return 77;
  }
  fs::create_directories(o.dir);
  Fuzzer fuzzer(o);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  uint64_t seed = o.seed;
  for (; o.count == 0 || seed < o.seed + o.count; ++seed) {
    if (o.timeLimit > 0 && elapsed() >= o.timeLimit)
      break;
    fuzzer.program(seed);
  }
  const Stats &st = fuzzer.stats();
  std::ostringstream os;
  os << "agree: " << st.programs << " programs (seeds " << o.seed << ".."
     << seed - 1 << "); check:";
  for (const auto &[k, v] : st.verdicts)
    os << " " << k << " " << v;
  os << "; compared:";
  for (const char *leg : {"tlc", "prove", "sim", "expr", "expr-sim"})
    os << " " << leg << " "
       << (st.compared.count(leg) ? st.compared.at(leg) : 0);
  os << " (skipped:";
  for (const char *leg : {"tlc", "prove", "sim", "expr", "expr-sim"})
    os << " " << leg << " " << (st.skipped.count(leg) ? st.skipped.at(leg) : 0);
  os << "); " << st.disagreements << " disagreement(s); " << int(elapsed())
     << " s";
  if (!fuzzer.tlcEnabled() && o.legs.count("tlc"))
    os << "; TLC not run (TLA2TOOLS_JAR unset)";
  std::cout << os.str() << std::endl;
  return st.disagreements ? 1 : 0;
}
