// The cvc5 back end (cvc5 1.0 C++ API): TermStore terms -> cvc5::Term.
#include "proofs/Limits.h"
#include "proofs/Solver.h"

#include <cvc5/cvc5.h>

#include <unordered_map>

namespace mommie::proofs {

namespace {

class Cvc5Solver : public SmtSolver {
public:
  Cvc5Solver(const TermStore &store, unsigned timeoutMs)
      : timeoutMs_(timeoutMs) {
    slv_.setOption("incremental", "true");
    slv_.setOption("produce-models", "true");
    slv_.setLogic(store.nonLinear() ? "QF_NIA" : "QF_LIA");
  }

  void push() override { slv_.push(); }
  void pop() override { slv_.pop(); }
  void add(Term t) override { slv_.assertFormula(tr(t)); }

  SatResult check() override {
    try {
      cvc5::Result r = checkSatWithin(slv_, timeoutMs_);
      sat_ = r.isSat();
      if (r.isSat())
        return SatResult::Sat;
      if (r.isUnsat())
        return SatResult::Unsat;
      reason_ = r.toString();
      return SatResult::Unknown;
    } catch (const cvc5::CVC5ApiException &e) {
      reason_ = e.getMessage();
      return SatResult::Unknown;
    }
  }

  std::string reasonUnknown() override { return reason_; }

  int64_t value(Term var) override {
    if (!sat_)
      return 0;
    auto it = cache_.find(var);
    if (it == cache_.end())
      return 0;
    try {
      cvc5::Term v = slv_.getValue(it->second);
      if (var->isBool)
        return v.getBooleanValue() ? 1 : 0;
      if (v.isInt64Value())
        return v.getInt64Value();
    } catch (const cvc5::CVC5ApiException &) {
    }
    return 0;
  }

private:
  cvc5::Term tr(Term t) {
    auto it = cache_.find(t);
    if (it != cache_.end())
      return it->second;
    pollLimits();
    std::vector<cvc5::Term> args;
    for (Term a : t->args)
      args.push_back(tr(a));
    using cvc5::Kind;
    cvc5::Term e;
    switch (t->kind) {
    case TermKind::BoolConst:
      e = slv_.mkBoolean(t->val != 0);
      break;
    case TermKind::IntConst:
      e = slv_.mkInteger(t->val);
      break;
    case TermKind::BoolVar:
      e = slv_.mkConst(slv_.getBooleanSort(), t->name);
      break;
    case TermKind::IntVar:
      e = slv_.mkConst(slv_.getIntegerSort(), t->name);
      break;
    case TermKind::Not:
      e = slv_.mkTerm(Kind::NOT, args);
      break;
    case TermKind::And:
      e = slv_.mkTerm(Kind::AND, args);
      break;
    case TermKind::Or:
      e = slv_.mkTerm(Kind::OR, args);
      break;
    case TermKind::Ite:
      e = slv_.mkTerm(Kind::ITE, args);
      break;
    case TermKind::Eq:
      e = slv_.mkTerm(Kind::EQUAL, args);
      break;
    case TermKind::Le:
      e = slv_.mkTerm(Kind::LEQ, args);
      break;
    case TermKind::Lt:
      e = slv_.mkTerm(Kind::LT, args);
      break;
    case TermKind::Add:
      e = slv_.mkTerm(Kind::ADD, args);
      break;
    case TermKind::Sub:
      e = slv_.mkTerm(Kind::SUB, args);
      break;
    case TermKind::Mul:
      e = slv_.mkTerm(Kind::MULT, args);
      break;
    case TermKind::Div:
      e = slv_.mkTerm(Kind::INTS_DIVISION, args);
      break;
    case TermKind::Mod:
      e = slv_.mkTerm(Kind::INTS_MODULUS, args);
      break;
    case TermKind::Neg:
      e = slv_.mkTerm(Kind::NEG, args);
      break;
    }
    cache_.emplace(t, e);
    return e;
  }

  unsigned timeoutMs_;
  cvc5::Solver slv_;
  std::unordered_map<Term, cvc5::Term> cache_;
  std::string reason_;
  bool sat_ = false;
};

} // namespace

cvc5::Result checkSatWithin(cvc5::Solver &slv, unsigned timeoutMs) {
  checkLimits();
  // cvc5 1.0 has no memory option: its memory is checked before and after
  // the call, and the call is bounded by the time left.
  if (unsigned ms = solverTimeoutMs(timeoutMs))
    slv.setOption("tlimit-per", std::to_string(ms));
  cvc5::Result r = slv.checkSat();
  if (r.isUnknown())
    checkLimits(); // stopped on the time left: the budget's reason
  return r;
}

std::unique_ptr<SmtSolver> makeCvc5(const TermStore &store,
                                    unsigned timeoutMs) {
  return std::make_unique<Cvc5Solver>(store, timeoutMs);
}

const char *solverName(SolverKind kind) {
  return kind == SolverKind::Z3 ? "z3" : "cvc5";
}

std::unique_ptr<SmtSolver> makeZ3(const TermStore &store, unsigned timeoutMs);

std::unique_ptr<SmtSolver> makeSolver(SolverKind kind, const TermStore &store,
                                      unsigned timeoutMs) {
  if (kind == SolverKind::Z3)
    return makeZ3(store, timeoutMs);
  return makeCvc5(store, timeoutMs);
}

} // namespace mommie::proofs
