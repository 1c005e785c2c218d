// Small helpers to build IR by hand in the ir/ unit tests, plus a sample
// program: the MOMMIE paper's replica Execute step (Figure 1, Step 3).
#pragma once

#include "ir/IR.h"

#include <initializer_list>
#include <memory>

namespace mommie::ir::testing {

inline SourceLoc at(uint32_t line, uint32_t col = 1) {
  return SourceLoc{"t.mom", line, col};
}

inline TypeRef kindT(TypeKind kind) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  return t;
}
inline TypeRef boolT() { return kindT(TypeKind::Bool); }
inline TypeRef intT() { return kindT(TypeKind::Int); }
inline TypeRef rangeT(int64_t lo, int64_t hi) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Range;
  t->lo = lo;
  t->hi = hi;
  return t;
}
inline TypeRef principalT(int set = -1) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Principal;
  t->principalSet = set;
  return t;
}
inline TypeRef recordT(int record) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Record;
  t->record = record;
  return t;
}
inline TypeRef compoundT(TypeKind kind, std::initializer_list<TypeRef> args) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->args = args;
  return t;
}

inline std::shared_ptr<Expr> mk(ExprKind kind, TypeRef type,
                                std::initializer_list<ExprPtr> args = {}) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->type = std::move(type);
  e->args = args;
  e->loc = at(1);
  return e;
}
inline ExprPtr intLit(int64_t v) {
  auto e = mk(ExprKind::IntLit, intT());
  e->intVal = v;
  return e;
}
inline ExprPtr boolLit(bool v) {
  auto e = mk(ExprKind::BoolLit, boolT());
  e->intVal = v;
  return e;
}
inline ExprPtr principal(int id, int set) {
  auto e = mk(ExprKind::PrincipalLit, principalT(set));
  e->intVal = id;
  return e;
}
inline ExprPtr slotRef(int slot, TypeRef type) {
  auto e = mk(ExprKind::Slot, std::move(type));
  e->slot = slot;
  return e;
}
inline ExprPtr stateVar(int role, int var, TypeRef type) {
  auto e = mk(ExprKind::StateVar, std::move(type));
  e->role = role;
  e->var = var;
  return e;
}
inline ExprPtr stateVarOf(int role, int var, TypeRef type, ExprPtr who) {
  auto e = mk(ExprKind::StateVarOf, std::move(type), {std::move(who)});
  e->role = role;
  e->var = var;
  return e;
}
inline ExprPtr binary(Op op, ExprPtr a, ExprPtr b, TypeRef type = nullptr) {
  if (!type)
    type = a ? a->type : intT();
  auto e = mk(ExprKind::Binary, type, {std::move(a), std::move(b)});
  e->op = op;
  return e;
}
inline ExprPtr cmp(Op op, ExprPtr a, ExprPtr b) {
  return binary(op, std::move(a), std::move(b), boolT());
}
inline ExprPtr field(ExprPtr rec, int index, TypeRef type) {
  auto e = mk(ExprKind::Field, std::move(type), {std::move(rec)});
  e->index = index;
  return e;
}
inline ExprPtr setOfPrincipals(int set) {
  auto e =
      mk(ExprKind::PrincipalSet, compoundT(TypeKind::Set, {principalT(set)}));
  e->index = set;
  return e;
}

// Records of the sample: 0 Request{client: C, op: 0..3},
// 1 Order{m: Request, seqNo: 0..2}, 2 Reply{req: Request, res: 0..7}.
// Sets: R[4] (ids 0..3), C[1] (id 4).
inline Program samplePrimaryBackup() {
  Program p;
  p.name = "PrimaryBackup";
  p.file = "t.mom";
  p.params.push_back({"F", 1, nullptr, at(2)});
  p.principalSets.push_back({"R", 0, 4, nullptr, at(3)});
  p.principalSets.push_back({"C", 4, 1, nullptr, at(4)});
  p.numPrincipals = 5;

  RecordDecl request{"Request", {}, at(5)};
  request.fields.push_back({"client", principalT(1), at(5, 18)});
  request.fields.push_back({"op", rangeT(0, 3), at(5, 29)});
  RecordDecl order{"Order", {}, at(6)};
  order.fields.push_back({"m", recordT(0), at(6, 16)});
  order.fields.push_back({"seqNo", rangeT(0, 2), at(6, 28)});
  RecordDecl reply{"Reply", {}, at(7)};
  reply.fields.push_back({"req", recordT(0), at(7, 16)});
  reply.fields.push_back({"res", rangeT(0, 7), at(7, 30)});
  p.records = {request, order, reply};

  // fun execute(r: Request): 0..7 = r.op * 2 % 8;
  Function exec;
  exec.name = "execute";
  exec.slots.push_back({"r", recordT(0), at(8, 13)});
  exec.params = {0};
  exec.result = rangeT(0, 7);
  exec.body =
      binary(Op::Mod,
             binary(Op::Mul, field(slotRef(0, recordT(0)), 1, rangeT(0, 3)),
                    intLit(2), intT()),
             intLit(8), intT());
  exec.loc = at(8);
  p.funs.push_back(exec);

  Role replica;
  replica.name = "Replica";
  replica.principalSet = 0;
  replica.loc = at(9);
  VarDecl seq{"executeSeqNo", rangeT(0, 2), intLit(0), nullptr, at(10), {}};
  replica.vars.push_back(seq);
  replica.timers.push_back({"suspect", 50, at(11)});

  // transition Execute
  //   WHEN [PRIMARY, ME, NOONE] Order order {{ m == req; seqNo == executeSeqNo;
  //   }} ANDWHEN [c C == 1, ME, NOONE] Request req
  //   @@{ Result res <- execute(req); PUBLISH [ME, c, NOONE] Reply(req, res);
  //       executeSeqNo <- executeSeqNo + 1; @@}
  Transition t;
  t.name = "Execute";
  t.loc = at(12);
  t.slots = {{"order", recordT(1), at(13)},
             {"req", recordT(0), at(14)},
             {"c", principalT(1), at(14)},
             {"res", rangeT(0, 7), at(16)}};
  Pattern ord;
  ord.loc = at(13, 8);
  ord.issuer.kind = IssuerPattern::Kind::Exact;
  ord.issuer.expr = principal(0, 0);
  ord.verifier.kind = PartyPattern::Kind::Contains;
  ord.verifier.expr = mk(ExprKind::Me, principalT(0));
  ord.record = 1;
  ord.slot = 0;
  ord.constraints.push_back({at(13, 40), 0, Op::Eq, slotRef(1, recordT(0))});
  ord.constraints.push_back(
      {at(13, 50), 1, Op::Eq, stateVar(0, 0, rangeT(0, 2))});
  Pattern req;
  req.loc = at(14, 11);
  req.issuer.kind = IssuerPattern::Kind::Bind;
  req.issuer.set = 1;
  req.issuer.slot = 2;
  req.verifier.kind = PartyPattern::Kind::Contains;
  req.verifier.expr = mk(ExprKind::Me, principalT(0));
  req.record = 0;
  req.slot = 1;
  t.triggers = {ord, req};

  auto let = std::make_shared<Stmt>();
  let->kind = StmtKind::Let;
  let->slot = 3;
  auto call = mk(ExprKind::Call, rangeT(0, 7), {slotRef(1, recordT(0))});
  call->index = 0;
  let->value = call;
  let->loc = at(16);
  auto pub = std::make_shared<Stmt>();
  pub->kind = StmtKind::Publish;
  auto cons = mk(ExprKind::RecordCons, recordT(2),
                 {slotRef(1, recordT(0)), slotRef(3, rangeT(0, 7))});
  cons->index = 2;
  pub->value = cons;
  pub->verifier = slotRef(2, principalT(1));
  pub->loc = at(17);
  auto inc = std::make_shared<Stmt>();
  inc->kind = StmtKind::Assign;
  inc->var = 0;
  inc->value = binary(Op::Add, stateVar(0, 0, rangeT(0, 2)), intLit(1), intT());
  inc->loc = at(18);
  t.body = {let, pub, inc};
  replica.transitions.push_back(t);
  p.roles.push_back(replica);

  p.faults.push_back({FaultDecl::Kind::Crash, 0, 1, nullptr, at(20)});

  // invariant SeqBounded: forall r in R: Replica.executeSeqNo[r] <= 2;
  Predicate inv;
  inv.name = "SeqBounded";
  inv.loc = at(21);
  inv.slots = {{"r", principalT(0), at(21, 30)}};
  auto all =
      mk(ExprKind::Forall, boolT(),
         {setOfPrincipals(0),
          cmp(Op::Le, stateVarOf(0, 0, rangeT(0, 2), slotRef(0, principalT(0))),
              intLit(2))});
  all->slot = 0;
  inv.expr = all;
  p.invariants.push_back(inv);
  return p;
}

} // namespace mommie::ir::testing
