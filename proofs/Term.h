// The solver-neutral term layer of `mommie prove`: a small hash-consed DAG of
// Bool / Int terms (quantifier-free, linear or non-linear integer
// arithmetic). The encodings build formulas here once; Z3 and cvc5 each get
// a translation of the very same DAG, so both solvers decide the same
// formula. Constructors fold constants and trivial identities, which keeps
// the fully expanded bounded encoding small.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace mommie::proofs {

enum class TermKind {
  BoolConst, // val 0/1
  IntConst,  // val
  BoolVar,   // name
  IntVar,    // name
  Not,
  And,
  Or,
  Ite,
  Eq, // args of the same sort (Bool or Int)
  Le,
  Lt,
  Add,
  Sub,
  Mul,
  Div, // floor division for a positive divisor (SMT-LIB div)
  Mod, // SMT-LIB mod
  Neg,
};

struct TermNode;
using Term = const TermNode *;

struct TermNode {
  TermKind kind;
  bool isBool;
  int64_t val = 0;
  std::string name;
  std::vector<Term> args;
  unsigned id = 0;
};

// Owns every term; structurally equal terms are the same pointer.
class TermStore {
public:
  TermStore();
  TermStore(const TermStore &) = delete;
  TermStore &operator=(const TermStore &) = delete;

  Term boolConst(bool b) { return b ? true_ : false_; }
  Term intConst(int64_t v);
  Term boolVar(const std::string &name);
  Term intVar(const std::string &name);
  // A fresh variable whose name starts with `hint` (made unique).
  Term freshBool(const std::string &hint);
  Term freshInt(const std::string &hint);

  Term mkNot(Term a);
  Term mkAnd(std::vector<Term> args);
  Term mkAnd(Term a, Term b) { return mkAnd(std::vector<Term>{a, b}); }
  Term mkOr(std::vector<Term> args);
  Term mkOr(Term a, Term b) { return mkOr(std::vector<Term>{a, b}); }
  Term mkImplies(Term a, Term b) { return mkOr(mkNot(a), b); }
  Term mkIte(Term c, Term a, Term b);
  Term mkEq(Term a, Term b);
  Term mkLe(Term a, Term b);
  Term mkLt(Term a, Term b);
  Term mkAdd(std::vector<Term> args);
  Term mkAdd(Term a, Term b) { return mkAdd(std::vector<Term>{a, b}); }
  Term mkSub(Term a, Term b);
  Term mkMul(Term a, Term b);
  Term mkDiv(Term a, Term b);
  Term mkMod(Term a, Term b);
  Term mkNeg(Term a);
  // ite(c, 1, 0)
  Term boolToInt(Term c) { return mkIte(c, intConst(1), intConst(0)); }

  bool isTrue(Term t) const { return t == true_; }
  bool isFalse(Term t) const { return t == false_; }
  static bool isConst(Term t) {
    return t->kind == TermKind::BoolConst || t->kind == TermKind::IntConst;
  }
  // Every variable created so far, in creation order.
  const std::vector<Term> &variables() const { return vars_; }
  // True when some Mul has two non-constant operands.
  bool nonLinear() const { return nonLinear_; }

private:
  Term make(TermKind kind, bool isBool, int64_t val, std::string name,
            std::vector<Term> args);
  struct Key {
    TermKind kind;
    int64_t val;
    std::string name;
    std::vector<unsigned> args;
    bool operator==(const Key &o) const {
      return kind == o.kind && val == o.val && name == o.name && args == o.args;
    }
  };
  struct KeyHash {
    size_t operator()(const Key &k) const;
  };
  std::vector<std::unique_ptr<TermNode>> nodes_;
  std::unordered_map<Key, Term, KeyHash> table_;
  std::map<std::string, unsigned> freshCounters_;
  std::vector<Term> vars_;
  Term true_ = nullptr, false_ = nullptr;
  bool nonLinear_ = false;
};

// Evaluates `t` given the values of variables (Bool as 0/1). Integer
// terms are computed in 128 bits, so that a comparison with an operand
// beyond 64 bits (an overflow that ArithOK refutes) gets its true value; an
// integer result beyond 64 bits is returned wrapped.
using TermValues = std::unordered_map<Term, __int128>;
int64_t evalTerm(Term t, const std::function<int64_t(Term)> &varValue,
                 TermValues &cache);

// Floor division / modulo with SMT-LIB conventions (0 for a zero divisor).
int64_t smtDiv(int64_t a, int64_t b);
int64_t smtMod(int64_t a, int64_t b);

} // namespace mommie::proofs
