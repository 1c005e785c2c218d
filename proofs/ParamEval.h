// Symbolic evaluation for the parameterized encoding (docs/prove.md,
// "The parameterized encoding"). Principals are elements of an
// uninterpreted sort `Proc`; the role's principal set is a set `All` with
// |All| = its (affine, symbolic) size. A role variable of a finite type is a
// partition of All into *cells*, one set per value of the type (the
// principals holding that value), so that a comprehension or quantifier
// over principals whose condition reads their state is a set term built
// from cells: the condition is evaluated at a fresh binder element `e`
// (where `x[e]` is an ite over `e in cell`), and the resulting formula is
// turned into a set by splitting on the conditions that mention `e`
// (`lift`). Everything stays quantifier-free in cvc5's theory of finite sets
// with cardinality.
#pragma once

#include "ir/IR.h"
#include "proofs/SymbolicParams.h"

#include <array>
#include <cvc5/cvc5.h>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mommie::proofs::param {

using cvc5::Kind;
using cvc5::Term;

// A construct outside the parameterized encoding.
struct NotSupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct GuardedPV;

// A symbolic value.
struct PV {
  enum class K { Scalar, Opt, Tuple, Elem, PSet, VSet, Mbox } k = K::Scalar;
  Term t;                       // Scalar, Opt (isSome), Elem, PSet
  std::vector<PV> sub;          // Opt {payload}, Tuple components
  std::vector<GuardedPV> items; // VSet: guarded elements
  int mbox = -1;                // Mbox: Ctx::mailboxes index
  static PV scalar(Term t);
  static PV of(K k, Term t);
};

// An element of a VSet, present when `guard` holds. (A struct, not a
// std::pair: a pair cannot hold PV while PV is incomplete.)
struct GuardedPV {
  Term guard;
  PV value;
};

inline PV PV::scalar(Term t) {
  PV v;
  v.t = t;
  return v;
}
inline PV PV::of(K k, Term t) {
  PV v;
  v.k = k;
  v.t = t;
  return v;
}

// A value of a finite type and how to print it.
struct DomVal {
  PV v;
  std::string text;
};

// A symbolic global state of the round program.
struct PState {
  std::vector<std::vector<Term>> cells; // [var][value index]
  Term crashed, byz;                    // sets of principals
  Term phaseNo, roundNo;
  // Post-states: the value at a ground element (computed by the step), and
  // the cells of a variable (created on demand).
  std::function<PV(const Term &elem, int var)> groundValue;
  std::function<std::vector<Term>(int var)> lazyCells;
};

class Ctx {
public:
  Ctx(cvc5::Solver &slv, const ir::Program &prog,
      const SymbolicParams &symParams);

  cvc5::Solver &slv;
  const ir::Program &prog;
  const SymbolicParams &symParams;
  const ir::Role &role;
  const ir::PrincipalSet &set;
  cvc5::Sort proc, pset;
  Term all, size, emptySet, tt, ff;
  std::vector<Term> params; // as symParams.symbolic
  std::vector<Term> hyps;   // to assert (grows while encoding)
  std::vector<std::vector<DomVal>> varDomains; // per role var
  // Mailboxes: the set of senders and the payload of a sender.
  struct Mailbox {
    Term box;
    std::function<PV(const Term &sender)> payload;
  };
  std::vector<Mailbox> mailboxes;
  // Named ground elements (constants, skolems, witnesses), for printing.
  std::vector<std::pair<Term, std::string>> named;
  std::vector<Term> constElems; // principal index within the set -> element
  bool nonLinear = false;
  // Elements known to be in All (constants, skolems), for simplification.
  std::unordered_set<Term> inAll;
  // Complements within All of partition cells, and which partition a cell
  // belongs to (cells of one partition are disjoint).
  std::unordered_map<Term, Term> complement;
  std::unordered_map<Term, std::pair<int, size_t>> cellOf;
  // Sets defined by cases (mkIte): s -> {condition, then, else}.
  std::unordered_map<Term, std::array<Term, 3>> iteDefs;
  // The cells of partition `id` (a cellOf value), and whether they cover All.
  const std::vector<Term> &partitionCells(int id) const {
    return partitionCells_.at(id);
  }
  bool partitionCovers(int id) const { return covered_.count(id) != 0; }

  // Terms.
  Term mk(Kind k, const std::vector<Term> &args);
  Term mkInt(int64_t v) { return slv.mkInteger(v); }
  Term mkNot(const Term &a);
  Term mkAnd(const std::vector<Term> &args);
  Term mkOr(const std::vector<Term> &args);
  Term mkImplies(const Term &a, const Term &b) { return mkOr({mkNot(a), b}); }
  Term mkIte(const Term &c, const Term &a, const Term &b);
  Term mkEq(const Term &a, const Term &b);
  Term member(const Term &e, const Term &s) {
    return mk(Kind::SET_MEMBER, {e, s});
  }
  Term inter(const Term &a, const Term &b);
  Term unite(const Term &a, const Term &b);
  Term minus(const Term &a, const Term &b);
  Term subset(const Term &a, const Term &b) {
    return mk(Kind::SET_SUBSET, {a, b});
  }
  Term card(const Term &s) { return mk(Kind::SET_CARD, {s}); }
  Term isEmpty(const Term &s) { return mkEq(s, emptySet); }
  Term freshSet(const std::string &name);
  Term freshElem(const std::string &name);
  Term binder();
  bool isBinderFree(const Term &t);

  // The set of elements e of All for which the formula `f` (over the
  // binder `e`) holds; throws NotSupported when `e` occurs other than in
  // membership / equality atoms reachable by splitting.
  Term lift(const Term &f, const Term &e);
  Term simp(const Term &t);

  // Values.
  std::vector<DomVal> domainOf(const ir::Type &type);
  PV defaultValue(const ir::Type &type);
  PV ite(const Term &c, const PV &a, const PV &b);
  Term eq(const PV &a, const PV &b);
  // The declared ranges of `v` (an `int model` range holds by the
  // hypothesis that a step stays within the model: true).
  Term typeOk(const ir::Type &type, const PV &v);
  // The value of var `var` at `elem` given its cells.
  PV decode(const Term &elem, int var, const std::vector<Term> &cells);
  // Fresh cells partitioning All (disjoint, covering).
  std::vector<Term> freshCells(int var, const std::string &tag, bool cover);
  Term affine(const Affine &a);
  // A literal of the program: its value over the symbolic parameters when
  // it depends on them (throws NotSupported when that is not affine).
  Term intLit(const ir::Expr &e);
  Term principalLit(const ir::Expr &e);
  Term boolLit(const ir::Expr &e);
  // Throws NotSupported for a range type whose bounds depend on the
  // symbolic parameters.
  void requireConcrete(const ir::Type &type);
  Term elemOf(int principal); // the element of a constant principal
  // The element P[i] for a symbolic index `i` (binder-free): in All, equal
  // to P[j] exactly when i = j (within 0..|All|-1), P[k] when i = k.
  Term indexedElem(const Term &i);
  std::string valueText(const ir::Type &type, const PV &v,
                        const std::function<Term(const Term &)> &value);

private:
  bool contains(const Term &f, const Term &e);
  bool disjoint(const Term &a, const Term &b);
  int partitions_ = 0;
  std::unordered_map<std::string, Term> setIte_;
  std::unordered_map<int, std::vector<Term>> partitionCells_;
  std::vector<std::pair<Term, Term>> indexed_; // (index, element)
  void sameIffSameIndex(const Term &i, const Term &e, const Term &j,
                        const Term &f);
  std::unordered_set<int> covered_;
  std::optional<Term> groundSplit(const Term &f, const Term &e);
  std::unordered_map<std::string, bool> containsMemo_;
  std::vector<Term> binders_;
  unsigned fresh_ = 0;
};

// Evaluates expressions, goals and update blocks in one frame.
class Ev {
public:
  Ev(Ctx &c, const PState &st, Term me, size_t numSlots)
      : c(c), st(st), me(me), slots(numSlots) {}
  Ctx &c;
  const PState &st;
  Term me; // null when there is no executing principal
  std::vector<std::optional<PV>> slots;
  bool inUpdate = false;
  std::vector<PV> local; // ME's variables while running an update
  const std::vector<ir::SlotInfo> *frame = nullptr; // names skolems

  PV eval(const ir::Expr &e);
  Term evalBool(const ir::Expr &e) { return eval(e).t; }
  // A goal: universal quantifiers at positive polarity (existential at
  // negative) are skolemized with fresh elements named after the binder.
  Term evalGoal(const ir::Expr &e, bool positive);
  void exec(const ir::Block &b, const Term &pc);
  PV stateAt(const Term &elem, int var);

private:
  PV builtin(const ir::Expr &e);
  PV binary(const ir::Expr &e);
  PV quantifier(const ir::Expr &e);
  PV setFilter(const ir::Expr &e);
  PV setMap(const ir::Expr &e);
  Term in(const PV &x, const PV &s);
  std::vector<int64_t> range(const ir::Expr &lo, const ir::Expr &hi);
};

} // namespace mommie::proofs::param
