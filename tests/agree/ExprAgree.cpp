// See ExprAgree.h. The SMT side follows tests/semantics/arith_test.cpp: the
// arguments are solver variables fixed by equations (so that the solver,
// not the term store's folding, computes), and the expression fails when
// some ArithOK obligation can be false under the condition it is
// evaluated in.
#include "ExprAgree.h"

#include "checker/Eval.h"
#include "checker/Successors.h"
#include "frontend/Frontend.h"
#include "proofs/Solver.h"
#include "proofs/SymEval.h"

#include <sstream>

namespace mommie::agree {

std::string exprProgram(const std::string &expr, bool isInt) {
  return "protocol Expr;\nprincipals R[1];\nfun f(a: int, b: int, c: bool): " +
         std::string(isInt ? "int" : "bool") + " =\n  " + expr +
         ";\nrole Ro at R {\n  var z: bool = false;\n  transition T IF !z @@{ "
         "z <- true; @@}\n}\n";
}

namespace {

void checkerSide(const ir::Program &p, const ir::Function &f, int64_t a,
                 int64_t b, bool c, ExprOutcome &out) {
  checker::Layout layout(p);
  checker::Generator gen(layout);
  std::optional<checker::State> init;
  gen.initialStates([&](checker::State &&s, const checker::Action *) {
    if (!init)
      init = std::move(s);
  });
  std::vector<checker::Value> slots(f.slots.size());
  slots[size_t(f.params[0])] = checker::Value::integer(a);
  slots[size_t(f.params[1])] = checker::Value::integer(b);
  slots[size_t(f.params[2])] = checker::Value::boolean(c);
  checker::Env env{layout, *init, -1, slots};
  try {
    out.checker = checker::eval(*f.body, env).scalar();
  } catch (const checker::EvalError &e) {
    out.checkerError = e.what();
  }
}

void smtSide(const ir::Program &p, const ir::Function &f, int64_t a, int64_t b,
             bool c, ExprOutcome &out) {
  proofs::TermStore store;
  proofs::ValueOps ops(store, p);
  proofs::SymState state;
  proofs::Evaluator ev(ops, state, -1, f.slots.size());
  proofs::Term va = store.intVar("a"), vb = store.intVar("b"),
               vc = store.boolVar("c");
  ev.slots[size_t(f.params[0])] = proofs::SVal::scalar(va);
  ev.slots[size_t(f.params[1])] = proofs::SVal::scalar(vb);
  ev.slots[size_t(f.params[2])] = proofs::SVal::scalar(vc);
  proofs::Term r;
  try {
    r = ev.eval(*f.body).t;
  } catch (const std::exception &e) {
    out.smtUnsupported = true;
    out.smtError = e.what();
    return;
  }
  bool isInt = f.result->kind == ir::TypeKind::Int;
  proofs::Term result = isInt ? store.intVar("r") : store.boolVar("r");
  auto solver = proofs::makeSolver(proofs::SolverKind::Z3, store, 10000);
  solver->add(store.mkEq(va, store.intConst(a)));
  solver->add(store.mkEq(vb, store.intConst(b)));
  solver->add(c ? vc : store.mkNot(vc));
  solver->add(store.mkEq(result, r));
  for (const auto &ar : ev.arith) {
    solver->push();
    solver->add(store.mkNot(store.mkImplies(ar.cond, ar.ok)));
    proofs::SatResult broken = solver->check();
    solver->pop();
    if (broken == proofs::SatResult::Unknown) {
      out.smtUnsupported = true;
      out.smtError = "unknown: " + solver->reasonUnknown();
      return;
    }
    if (broken == proofs::SatResult::Sat) {
      out.smtError = ar.what;
      return;
    }
  }
  if (solver->check() != proofs::SatResult::Sat) {
    out.smtUnsupported = true;
    out.smtError = "the value is not satisfiable";
    return;
  }
  out.smt = solver->value(result);
}

} // namespace

ExprOutcome evaluateBoth(const std::string &expr, bool isInt, int64_t a,
                         int64_t b, bool c) {
  ExprOutcome out;
  DiagnosticEngine diags;
  auto p = frontend::compile("expr.mom", exprProgram(expr, isInt), {}, diags);
  if (!p || diags.hasErrors()) {
    std::ostringstream os;
    diags.print(os);
    out.frontError = os.str();
    return out;
  }
  out.compiled = true;
  const ir::Function &f = p->funs.at(0);
  checkerSide(*p, f, a, b, c, out);
  smtSide(*p, f, a, b, c, out);
  return out;
}

} // namespace mommie::agree
