// See ProgramGen.h. A program is built from a menu of transitions (event
// programs) or of update statements (round programs); each part is drawn
// independently, and guards, assignments and invariants take random
// expressions from ExprGen over the variables in scope.
#include "ProgramGen.h"

#include "ExprGen.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

namespace mommie::agree {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

void replaceAll(std::string &s, const std::string &from,
                const std::string &to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;
       pos += to.size())
    s.replace(pos, from.size(), to);
}

// Crash-recovery on principal set `set` of program text `s`: a recover
// fault, and each of the role's variables durable or not, by a coin each.
template <class Gen>
void addRecover(Gen &g, std::string &s, const std::string &set) {
  s += "faults " + set + ": recover <= 1;\n";
  for (const char *v : {"x", "s", "y", "l", "d", "c"})
    if (g.chance(50))
      replaceAll(s, std::string("  var ") + v + ":",
                 std::string("  durable var ") + v + ":");
}

class EventProgram {
public:
  EventProgram(ExprGen &g, Generated &out) : g_(g), out_(out) {}

  std::string make(uint64_t seed) {
    n_ = g_.between(1, 3);
    k_ = g_.between(0, 2);
    m_ = g_.between(1, 3);
    out_.edges = g_.chance(15);
    bool arith = g_.chance(45);
    std::string s = "protocol Fuzz" + str(int64_t(seed % 1000000)) + ";\n";
    s += "principals R[" + str(n_) + "];\n";
    s += "record M { v: 0..K }\n";
    s += "role Ro at R {\n";
    s += g_.chance(30) ? "  var x: 0..MAX in " + choice(m_) + ";\n"
                       : "  var x: 0..MAX = 0;\n";
    s += g_.chance(50) ? "  var s: bool in {true, false};\n"
                       : "  var s: bool = false;\n";
    if (arith)
      s += "  var y: int = " + (out_.edges ? g_.literal(true) : "0") + ";\n";
    // A sequence (a log of x's values), read by guards and invariants.
    seq_ = g_.chance(25);
    if (seq_)
      s += "  var l: seq<0..MAX> = <<>>;\n";
    s += "  timer t = 10ms;\n";
    std::string body;
    int picked = 0;
    // Half the programs leave out the transitions that may fire forever
    // (below), so that mommie sim's runs of them end.
    calm_ = g_.chance(50);
    for (int i = 0; i < 14; ++i)
      if (g_.chance((i == 11 && !arith) || (i == 13 && !seq_) ||
                            (calm_ && (i == 4 || i == 5 || i == 9 || i == 11))
                        ? 0
                    : i == 0  ? 80
                    : i == 4  ? 55
                    : i == 13 ? 70
                              : 35)) {
        body += transition(i, arith);
        ++picked;
      }
    if (picked == 0)
      body += transition(0, arith);
    // Arm restarts its timer while !s, Set and Ar may fire forever, and
    // Reset undoes Inc, Or and Gather.
    out_.quiescent =
        !picks_.count(5) && !picks_.count(9) && !picks_.count(11) &&
        !(picks_.count(4) &&
          (picks_.count(0) || picks_.count(7) || picks_.count(12)));
    s += body + "}\n";
    if (n_ >= 2 && patterns_ && g_.chance(20)) {
      s += "faults R: byzantine <= 1;\n";
      out_.byzantine = true;
    } else if (g_.chance(25)) {
      s += "faults R: crash <= 1;\n";
    } else if (g_.chance(20)) {
      addRecover(g_, s, "R");
    }
    s += invariants(arith);
    if (calm_ || g_.chance(50)) {
      static const char *const kTerminate[] = {
          "terminate when forall p in R: x[p] == MAX;\n",
          "terminate when exists p in R: s[p];\n", "terminate when true;\n"};
      s += kTerminate[g_.pick(calm_ ? 3 : 2)];
    }
    replaceAll(s, "MAX", str(m_));
    replaceAll(s, "0..K", "0.." + str(k_));
    for (int i = 0; i < n_; ++i)
      out_.principals.push_back("R" + str(i));
    return s;
  }

private:
  // A `var x in S` set within 0..MAX.
  std::string choice(int m) {
    switch (g_.pick(3)) {
    case 0:
      return "0..MAX";
    case 1:
      return "{0, MAX}";
    default:
      return "{" + str(g_.between(0, m)) + "}";
    }
  }

  Scope localScope(bool arith) {
    Scope sc;
    sc.ints = {"x"};
    if (arith)
      sc.ints.push_back("y");
    sc.bools = {"s"};
    if (seq_)
      sc.ints.push_back("len(l)");
    sc.edges = out_.edges;
    return sc;
  }

  // A guard conjunct (with a leading " && "), or nothing.
  std::string guard(Scope &sc) {
    if (!g_.chance(45))
      return "";
    return " && " + g_.boolExpr(sc, g_.between(1, 3));
  }

  std::string verifier() {
    if (g_.chance(70))
      return "R";
    return "R[" + str(g_.between(0, n_ - 1)) + "]";
  }

  std::string transition(int which, bool arith) {
    picks_.insert(which);
    Scope sc = localScope(arith);
    switch (which) {
    case 0:
      return "  transition Inc IF x < MAX" + guard(sc) +
             " @@{ x <- x + 1; @@}\n";
    case 1: {
      publishes_ = true;
      std::string ver = verifier();
      std::string aud = g_.chance(70) ? "NOONE" : "ANY";
      return "  transition Pub(v: 0..K) IF !s @@{ PUBLISH [ME, " + ver + ", " +
             aud + "] M(v); s <- true; @@}\n";
    }
    case 2: {
      patterns_ = true;
      sc.ints.push_back("mm.v");
      return "  transition Rcv WHEN [q in R, ME, NOONE] M mm IF x < MAX" +
             guard(sc) + " @@{ x <- x + 1; @@}\n";
    }
    case 3:
      patterns_ = true;
      return "  transition Quo WHEN [R >= " + str(g_.between(1, n_)) +
             ", ME, NOONE] M mm @@{ x <- if mm.v <= MAX then mm.v else MAX; "
             "start t; @@}\n";
    case 4:
      return "  transition Reset IF x == MAX @@{ x <- 0; s <- false; @@}\n";
    case 5:
      return "  transition Arm IF !s" + guard(sc) +
             " @@{ start t; @@}\n"
             "  transition Tick WHEN AFTER timeout(t) @@{ s <- !s; @@}\n";
    case 6:
      patterns_ = true;
      return "  transition Join WHEN [q in R, ME, NOONE] M a ANDWHEN [r in R, "
             "ME, NOONE] M b "
             "{{ v == a.v; }} IF q != r @@{ x <- MAX; @@}\n";
    case 7: {
      // A guard with `||` and `exists` that short-circuits a lookup.
      return "  transition Or IF x < MAX && (x == 0 || (exists i in 0..MAX: i "
             "== x && " +
             g_.boolExpr(sc, 1) + ")) @@{ x <- x + 1; s <- !s; @@}\n";
    }
    case 8: {
      patterns_ = true;
      std::string op = g_.chance(50) ? "==" : ">=";
      std::string v = str(g_.between(0, k_));
      return "  transition See IF !s && (KNOWN [_, ME, NOONE] M mm {{ v " + op +
             " " + v + "; }}) @@{ s <- true; @@}\n";
    }
    case 9:
      return "  transition Set(w: 0..MAX) IF w != x" + guard(sc) +
             " => s @@{ x <- w; @@}\n";
    case 10:
      patterns_ = true;
      return "  transition Echo WHEN [q in R, ME, _] M mm IF q != ME @@{ "
             "PUBLISH [ME, q, NOONE] "
             "M(mm.v); @@}\n";
    case 12: {
      // A statement set: every M from a quorum of issuers, values that may
      // differ, bound as a set of (issuer, statement) pairs.
      patterns_ = true;
      std::string c =
          g_.chance(50) ? " {{ v >= " + str(g_.between(0, k_)) + "; }}" : "";
      std::string use = g_.chance(50) ? "max({ e.1.v : e in ms })" : "card(ms)";
      return "  transition Gather WHEN [R >= " + str(g_.between(1, n_)) +
             ", ME, NOONE] M* ms" + c + " IF !s @@{ let top = " + use +
             "; x <- if top <= MAX then top else MAX; s <- true; @@}\n";
    }
    case 13: {
      // Appends to the log, at most two entries.
      std::string g = g_.chance(50) ? " && (len(l) == 0 || head(l) <= x)" : "";
      return "  transition Log IF len(l) < 2" + g +
             " @@{ l <- append(l, x); @@}\n";
    }
    default: {
      // Integer arithmetic: y from the role's variables.
      Scope ar = localScope(false);
      ar.edges = out_.edges;
      std::string cond = g_.boolExpr(ar, g_.between(0, 2));
      std::string value = g_.intExpr(ar, g_.between(1, 3));
      return "  transition Ar IF " + cond + " @@{ y <- " + value + "; @@}\n";
    }
    }
  }

  std::string invariants(bool arith) {
    std::string s;
    if (g_.chance(25))
      s += "invariant Small: forall p in R: x[p] < MAX;\n";
    if (g_.chance(30)) {
      Scope sc;
      sc.ints = {"x[p]"};
      if (arith)
        sc.ints.push_back("y[p]");
      sc.bools = {"s[p]"};
      sc.edges = out_.edges;
      std::string q = g_.chance(70) ? "forall" : "exists";
      s += "invariant Rand: " + q +
           " p in R: " + g_.boolExpr(sc, g_.between(1, 3)) + ";\n";
    }
    if (publishes_ && g_.chance(40))
      s += "invariant Pool: forall p in R: (KNOWN [p, _, _] M mm {{ v == 0; "
           "}}) => s[p];\n";
    if (g_.chance(25))
      s += "invariant Sum: forall p in R, q in R: x[p] + x[q] <= 2 * MAX;\n";
    if (seq_ && g_.chance(50))
      s += g_.chance(50)
               ? "invariant LogShort: forall p in R: len(l[p]) <= 1;\n"
               : "invariant LogBelow: forall p in R: len(l[p]) > 0 => l[p][0] "
                 "<= x[p];\n";
    return s;
  }

  ExprGen &g_;
  Generated &out_;
  int n_ = 1, k_ = 0, m_ = 1;
  bool publishes_ = false, patterns_ = false, calm_ = false, seq_ = false;
  std::set<int> picks_;
};

class RoundProgram {
public:
  RoundProgram(ExprGen &g, Generated &out) : g_(g), out_(out) {}

  std::string make(uint64_t seed) {
    int n = g_.between(2, 3), v = g_.between(1, 2), bound = g_.between(1, 2);
    out_.rounds = true;
    std::string s = "protocol FuzzR" + str(int64_t(seed % 1000000)) + ";\n";
    s += "principals P[" + str(n) + "];\n";
    s += "role Process at P {\n";
    s += "  var x: 0..V in 0..V;\n  var d: option<0..V> = none;\n  var c: int "
         "= 0;\n";
    s += "  phase bound " + str(bound) + " {\n";
    int rounds = g_.chance(30) ? 2 : 1;
    for (int r = 0; r < rounds; ++r)
      s += round(r, n);
    s += "  }\n}\n";
    if (g_.chance(20)) {
      s += "faults P: byzantine <= 1;\n";
      out_.byzantine = true;
    } else if (g_.chance(25)) {
      s += "faults P: crash <= 1;\n";
      // Messages from every process that has not crashed by the round's end.
      if (g_.chance(50))
        s += "communication Live: round A: forall q in P: !crashed(q) => q in "
             "dom(mbox);\n";
    } else if (g_.chance(20)) {
      addRecover(g_, s, "P");
    }
    if (g_.chance(30))
      s += "communication Some: round A: card(dom(mbox)) >= 1;\n";
    s += "invariant Agree: forall p in P, q in P: d[p] != none && d[q] != none "
         "=> d[p] == d[q];\n";
    if (g_.chance(40)) {
      Scope sc;
      sc.ints = {"x[p]", "c[p]"};
      s += "invariant Rand: forall p in P: " +
           g_.boolExpr(sc, g_.between(1, 2)) + ";\n";
    }
    replaceAll(s, "0..V", "0.." + str(v));
    for (int i = 0; i < n; ++i)
      out_.principals.push_back("P" + str(i));
    return s;
  }

private:
  std::string round(int r, int n) {
    std::string name = r == 0 ? "A" : "B";
    int threshold = g_.between(0, n);
    std::string s = "    round " + name + " : 0..V {\n";
    if (g_.chance(30))
      s += "      progress timeout(50ms), catchUp, goAhead when "
           "card(dom(mbox)) > " +
           str(threshold) + ";\n";
    s += g_.chance(70) ? "      send x to P;\n"
                       : "      send x to P if x > 0;\n";
    s += "      update {\n";
    // threshold 0 lets an empty mailbox through: min of an empty set.
    s += "        if card(dom(mbox)) " +
         std::string(g_.chance(80) ? ">" : ">=") + " " + str(threshold) +
         " {\n";
    s += std::string("          x <- ") + (g_.chance(50) ? "min" : "max") +
         "({ mbox[q] : q in dom(mbox) });\n";
    s += "          if forall q in dom(mbox): mbox[q] == x { d <- some(x); }\n";
    s += "        }\n";
    if (g_.chance(50)) {
      Scope sc;
      sc.ints = {"x", "card(dom(mbox))", "phaseNo"};
      sc.bools = {"isSome(d)"};
      s += "        c <- " + g_.intExpr(sc, g_.between(1, 2)) + ";\n";
    }
    s += "      }\n    }\n";
    return s;
  }

  ExprGen &g_;
  Generated &out_;
};

// Replaces every identifier `from` of `src` (a whole word) by `to`.
std::string renameIdentifier(const std::string &src, const std::string &from,
                             const std::string &to) {
  auto ident = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  std::string out;
  for (size_t i = 0; i < src.size();) {
    if (ident(src[i]) && (i == 0 || !ident(src[i - 1]))) {
      size_t j = i;
      while (j < src.size() && ident(src[j]))
        ++j;
      std::string word = src.substr(i, j - i);
      out += word == from ? to : word;
      i = j;
    } else {
      out += src[i++];
    }
  }
  return out;
}

// Names the back ends use themselves (TLA+ operators and variables, locals
// and types of the generated C++): a role variable may be called so.
const char *const kRiskyNames[] = {
    "o",     "st",     "names", "spec",   "step",   "self",    "Init",
    "Next",  "vars",   "acc",   "out",    "state",  "msg",     "node",
    "Value", "src",    "sent",  "Live",   "TypeOK", "known_M", "pool_M",
    "byz",   "phase_", "ok",    "result", "me_",    "Spec",
};

} // namespace

Generated generateProgram(uint64_t seed) {
  std::mt19937_64 rng(seed);
  ExprGen g(rng);
  Generated out;
  bool rounds = g.chance(25);
  if (rounds)
    out.source = RoundProgram(g, out).make(seed);
  else
    out.source = EventProgram(g, out).make(seed);
  // Sometimes the role variables take names the back ends use.
  if (g.chance(40)) {
    std::vector<std::string> vars =
        rounds ? std::vector<std::string>{"x", "d", "c"}
               : std::vector<std::string>{"x", "s", "y"};
    std::vector<std::string> taken;
    for (const auto &v : vars) {
      if (!g.chance(60))
        continue;
      std::string to = kRiskyNames[g.pick(int(std::size(kRiskyNames)))];
      if (std::find(taken.begin(), taken.end(), to) != taken.end())
        continue;
      taken.push_back(to);
      out.source = renameIdentifier(out.source, v, to);
    }
  }
  return out;
}

} // namespace mommie::agree
