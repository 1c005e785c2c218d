// The Z3 back end (z3++ API): TermStore terms -> z3::expr.
#include "proofs/Limits.h"
#include "proofs/Solver.h"

#include <z3++.h>

#include <unordered_map>

namespace mommie::proofs {

namespace {

class Z3Solver : public SmtSolver {
public:
  Z3Solver(const TermStore &store, unsigned timeoutMs)
      : timeoutMs_(timeoutMs), solver_(makeZ3Solver(ctx_, store)) {}

  void push() override { solver_.push(); }
  void pop() override { solver_.pop(); }
  void add(Term t) override {
    try {
      solver_.add(tr(t));
    } catch (const z3::exception &e) {
      limitOf(e);
      throw;
    }
  }

  SatResult check() override {
    checkLimits();
    // The time left of the obligation's budget, and its memory limit
    // (global in Z3: the allocations of every context together).
    z3::set_param("memory_max_size", std::to_string(solverMemoryMb()).c_str());
    if (unsigned ms = solverTimeoutMs(timeoutMs_)) {
      z3::params p(ctx_);
      p.set("timeout", ms);
      solver_.set(p);
    }
    try {
      switch (solver_.check()) {
      case z3::sat:
        model_ = std::make_unique<z3::model>(solver_.get_model());
        return SatResult::Sat;
      case z3::unsat:
        return SatResult::Unsat;
      default:
        reason_ = solver_.reason_unknown();
        checkLimits(); // stopped on the time left: the budget's reason
        return SatResult::Unknown;
      }
    } catch (const z3::exception &e) {
      limitOf(e);
      reason_ = e.msg();
      return SatResult::Unknown;
    }
  }

  std::string reasonUnknown() override { return reason_; }

  int64_t value(Term var) override {
    if (!model_)
      return 0;
    auto it = cache_.find(var);
    if (it == cache_.end())
      return 0; // never asserted: any value is a model value
    z3::expr v = model_->eval(it->second, true);
    if (var->isBool)
      return v.is_true() ? 1 : 0;
    int64_t out = 0;
    if (v.is_numeral_i64(out))
      return out;
    return 0;
  }

private:
  // Z3 past memory_max_size: the budget's memory limit.
  static void limitOf(const z3::exception &e) {
    if (std::string(e.msg()).find("out of memory") != std::string::npos)
      if (Budget *b = Budget::current())
        b->memoryReached();
  }

  static z3::solver makeZ3Solver(z3::context &ctx, const TermStore &store) {
    return z3::solver(ctx, store.nonLinear() ? "QF_NIA" : "QF_LIA");
  }

  z3::expr tr(Term t) {
    auto it = cache_.find(t);
    if (it != cache_.end())
      return it->second;
    pollLimits();
    z3::expr_vector args(ctx_);
    for (Term a : t->args)
      args.push_back(tr(a));
    z3::expr e(ctx_);
    switch (t->kind) {
    case TermKind::BoolConst:
      e = ctx_.bool_val(t->val != 0);
      break;
    case TermKind::IntConst:
      e = ctx_.int_val(static_cast<int64_t>(t->val));
      break;
    case TermKind::BoolVar:
      e = ctx_.bool_const(t->name.c_str());
      break;
    case TermKind::IntVar:
      e = ctx_.int_const(t->name.c_str());
      break;
    case TermKind::Not:
      e = !args[0];
      break;
    case TermKind::And:
      e = z3::mk_and(args);
      break;
    case TermKind::Or:
      e = z3::mk_or(args);
      break;
    case TermKind::Ite:
      e = z3::ite(args[0], args[1], args[2]);
      break;
    case TermKind::Eq:
      e = args[0] == args[1];
      break;
    case TermKind::Le:
      e = args[0] <= args[1];
      break;
    case TermKind::Lt:
      e = args[0] < args[1];
      break;
    case TermKind::Add:
      e = z3::sum(args);
      break;
    case TermKind::Sub:
      e = args[0] - args[1];
      break;
    case TermKind::Mul:
      e = args[0] * args[1];
      break;
    case TermKind::Div:
      e = args[0] / args[1];
      break;
    case TermKind::Mod:
      e = z3::mod(args[0], args[1]);
      break;
    case TermKind::Neg:
      e = -args[0];
      break;
    }
    cache_.emplace(t, e);
    return e;
  }

  unsigned timeoutMs_;
  z3::context ctx_;
  z3::solver solver_;
  std::unique_ptr<z3::model> model_;
  std::unordered_map<Term, z3::expr> cache_;
  std::string reason_;
};

} // namespace

std::unique_ptr<SmtSolver> makeZ3(const TermStore &store, unsigned timeoutMs) {
  return std::make_unique<Z3Solver>(store, timeoutMs);
}

} // namespace mommie::proofs
