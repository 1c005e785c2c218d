// Property test: on random small programs the explorer's distinct state
// count equals a naive reference explorer's (a plain BFS over a std::set of
// encoded states); symmetry reduction never increases the count and finds
// the same violations, with a shortest trace of the same length; two
// workers give the same count as one. Under symmetry the count is exactly
// the number of orbits of the naive explorer's states (each orbit named by
// its least encoding over every permutation), and every state of an orbit
// has the same canonical representative.
#include "Support.h"

#include "checker/Successors.h"
#include "checker/Symmetry.h"

#include <rapidcheck/gtest.h>

#include <algorithm>
#include <deque>
#include <set>

using namespace mommie::checker;
using namespace mommie::checker::testing;

namespace {

// Random programs whose state space exceeds this are discarded: the naive
// explorer is slow, and a property case must stay quick on a 2-core CI box.
constexpr size_t kNaiveLimit = 20000;

struct Naive {
  bool tooBig = false;
  uint64_t distinct = 0;
  int64_t firstViolationDepth = -1; // in steps
  std::vector<State> states;
};

Naive naiveExplore(const mommie::ir::Program &p) {
  Layout layout(p);
  Generator gen(layout);
  std::set<std::string> seen;
  std::deque<std::pair<State, int64_t>> queue;
  Naive n;
  auto visit = [&](State &&s, int64_t depth) {
    std::string b;
    layout.encode(s, b);
    if (!seen.insert(b).second)
      return;
    if (n.firstViolationDepth < 0 && !gen.violatedInvariant(s).empty())
      n.firstViolationDepth = depth;
    n.states.push_back(s);
    queue.emplace_back(std::move(s), depth);
  };
  gen.initialStates([&](State &&s, const Action *) { visit(std::move(s), 0); });
  while (!queue.empty()) {
    if (seen.size() > kNaiveLimit) {
      n.tooBig = true;
      return n;
    }
    auto [s, d] = std::move(queue.front());
    queue.pop_front();
    int64_t next = d + 1; // (clang 14 cannot capture a structured binding)
    gen.successors(s, false, [&, next](State &&t, const Action *) {
      visit(std::move(t), next);
    });
  }
  n.distinct = seen.size();
  return n;
}

std::string randomProgram() {
  int n = *rc::gen::inRange(1, 4) == 3 && *rc::gen::arbitrary<bool>()
              ? 3
              : *rc::gen::inRange(1, 3);
  int k = *rc::gen::inRange(0, 2);
  int m = *rc::gen::inRange(1, 3);
  std::string s =
      "protocol Random;\nprincipals R[" + std::to_string(n) + "];\n";
  s += "record M { v: 0.." + std::to_string(k) + " }\n";
  s += "role Ro at R {\n  var x: 0.." + std::to_string(m) + " = 0;\n";
  s += "  var s: bool in {true, false};\n  timer t = 10ms;\n";
  const char *menu[] = {
      "  transition Inc IF x < MAX @@{ x <- x + 1; @@}\n",
      "  transition Pub(v: 0..K) IF !s @@{ PUBLISH [ME, R, NOONE] M(v); s <- "
      "true; @@}\n",
      "  transition Rcv WHEN [q in R, ME, NOONE] M mm IF x < MAX @@{ x <- x + "
      "1; @@}\n",
      "  transition Quo WHEN [R >= 2, ME, NOONE] M mm @@{ x <- 0; start t; "
      "@@}\n",
      "  transition Reset IF x == MAX @@{ x <- 0; s <- false; @@}\n",
      "  transition Tick WHEN AFTER timeout(t) @@{ s <- !s; @@}\n",
      "  transition Join WHEN [q in R, ME, NOONE] M a ANDWHEN [r in R, ME, "
      "NOONE] M b "
      "{{ v == a.v; }} IF q != r @@{ x <- MAX; @@}\n",
  };
  bool any = false;
  for (const char *t : menu)
    if (*rc::gen::arbitrary<bool>()) {
      s += t;
      any = true;
    }
  if (!any)
    s += menu[0];
  s += "}\n";
  if (*rc::gen::arbitrary<bool>())
    s += "faults R: crash <= 1;\n";
  if (*rc::gen::arbitrary<bool>())
    s += "invariant Small: forall p in R: x[p] < MAX;\n";
  auto replace = [&](const std::string &from, const std::string &to) {
    for (size_t pos; (pos = s.find(from)) != std::string::npos;)
      s.replace(pos, from.size(), to);
  };
  replace("MAX", std::to_string(m));
  replace("0..K", "0.." + std::to_string(k));
  return s;
}

} // namespace

RC_GTEST_PROP(RandomPrograms, MatchesNaiveExplorer, ()) {
  std::string src = randomProgram();
  RC_LOG() << src;
  mommie::DiagnosticEngine diags;
  auto p = mommie::frontend::compile("random.mom", src, {}, diags);
  RC_ASSERT(p.has_value());
  RC_ASSERT(!diags.hasErrors());
  Naive naive = naiveExplore(*p);
  RC_PRE(!naive.tooBig);
  auto full = run(*p, false, 1, false);
  auto sym = run(*p, true, 1, false);
  if (naive.firstViolationDepth < 0) {
    RC_ASSERT(full.verdict == CheckResult::Verdict::Ok);
    RC_ASSERT(full.distinct == naive.distinct);
    RC_ASSERT(sym.verdict == CheckResult::Verdict::Ok);
    RC_ASSERT(sym.distinct <= full.distinct);
    auto two = run(*p, false, 2, false);
    RC_ASSERT(two.distinct == full.distinct);
    Layout layout(*p);
    Symmetry symmetry(layout, true);
    if (symmetry.active()) {
      // Random programs have one principal set, R.
      std::vector<std::vector<int>> perms;
      std::vector<int> perm(size_t(p->numPrincipals));
      for (size_t i = 0; i < perm.size(); ++i)
        perm[i] = int(i);
      do
        perms.push_back(perm);
      while (std::next_permutation(perm.begin(), perm.end()));
      std::set<std::string> orbits;
      Symmetry::Scratch w, v;
      std::string bytes;
      for (const State &st : naive.states) {
        std::string least;
        for (const auto &pi : perms) {
          layout.encode(symmetry.apply(st, pi), bytes);
          if (least.empty() || bytes < least)
            least = bytes;
        }
        orbits.insert(least);
        symmetry.canonical(st, w);
        for (const auto &pi : perms) {
          symmetry.canonical(symmetry.apply(st, pi), v);
          RC_ASSERT(v.bytes == w.bytes);
        }
      }
      RC_ASSERT(sym.distinct == orbits.size());
    } else {
      RC_ASSERT(sym.distinct == full.distinct);
    }
  } else {
    RC_ASSERT(full.verdict == CheckResult::Verdict::InvariantViolated);
    RC_ASSERT(int64_t(full.trace.size()) - 1 == naive.firstViolationDepth);
    RC_ASSERT(sym.verdict == CheckResult::Verdict::InvariantViolated);
    RC_ASSERT(sym.trace.size() == full.trace.size());
  }
}
