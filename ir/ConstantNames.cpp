// The places that hold named constants only (see ConstantNames.h).
//
// One walk over every evaluated expression of the program, with its
// context: a write to a place (initial value, assignment, record
// construction), a comparison, or anything else. Places are joined with a
// union-find; a place read anywhere else is marked unnamed. As a safety
// net, every read of a place that the walk did not see in a good context
// (a container it does not know) leaves the place unnamed too.
#include "ir/ConstantNames.h"

#include "ir/Rewrite.h"
#include "ir/Walk.h"

#include <numeric>
#include <set>
#include <vector>

namespace mommie::ir {

namespace {

bool isInteger(const TypeRef &t) {
  return t && (t->kind == TypeKind::Int || t->kind == TypeKind::Range);
}

// A named constant's name and value: an integer literal the front end
// computed from `const C = ...;`.
const ConstDecl *namedConstant(const Program &p, const Expr &e) {
  if (e.kind != ExprKind::IntLit || !e.sym || e.sym->kind != ExprKind::ConstRef)
    return nullptr;
  size_t i = size_t(e.sym->index);
  return i < p.consts.size() ? &p.consts[i] : nullptr;
}

// What an expression's value can be: named constants, reads of places, or
// something else.
struct Sources {
  std::vector<const Expr *> constants; // IntLit nodes with a ConstRef sym
  std::vector<int> places;
  std::vector<const Expr *> reads; // the place-read nodes
  bool other = false;
};

class Analysis {
public:
  explicit Analysis(const Program &p) : p_(p) {
    int n = 0;
    for (const auto &r : p.roles) {
      varBase_.push_back(n);
      n += int(r.vars.size());
    }
    for (const auto &r : p.records) {
      fieldBase_.push_back(n);
      n += int(r.fields.size());
    }
    parent_.resize(size_t(n));
    std::iota(parent_.begin(), parent_.end(), 0);
    bad_.assign(size_t(n), false);
    constants_.resize(size_t(n));
  }

  void run();
  void
  result(std::map<std::pair<int, int>, std::map<int64_t, std::string>> &vars,
         std::map<std::pair<int, int>, std::map<int64_t, std::string>> &fields);

private:
  int varPlace(int role, int var) const { return varBase_[size_t(role)] + var; }
  int fieldPlace(int record, int field) const {
    return fieldBase_[size_t(record)] + field;
  }
  // The place `e` reads, or -1.
  int placeRead(const Expr &e) const {
    if (!isInteger(e.type))
      return -1;
    if (e.kind == ExprKind::StateVar || e.kind == ExprKind::StateVarOf)
      return varPlace(e.role, e.var);
    if (e.kind == ExprKind::Field && !e.args.empty() && e.args[0] &&
        e.args[0]->type && e.args[0]->type->kind == TypeKind::Record)
      return fieldPlace(e.args[0]->type->record, e.index);
    return -1;
  }
  int find(int x) {
    while (parent_[size_t(x)] != x)
      x = parent_[size_t(x)] = parent_[size_t(parent_[size_t(x)])];
    return x;
  }
  void join(int a, int b) { parent_[size_t(find(a))] = find(b); }

  void sources(const Expr &e, Sources &s) const;
  // `into` (a place, or -1 for a comparison) and the places of `s` form one
  // class that holds the constants of `s`; `s` being something else makes
  // them all unnamed.
  void flow(int into, const Sources &s);
  void write(int place, const Expr &e);
  void compare(const Expr &a, const std::vector<const Expr *> &others);
  // The parts of `e` that `sources` did not account for.
  void visitRest(const Expr &e);
  void visit(const Expr &e);
  void visit(const ExprPtr &e) {
    if (e)
      visit(*e);
  }
  void pattern(const Pattern &pat);
  void block(int role, const Block &b);
  void temporal(const Temporal &t);

  const Program &p_;
  std::vector<int> varBase_, fieldBase_, parent_;
  std::vector<bool> bad_;
  std::vector<std::vector<const Expr *>> constants_;
  std::set<const Expr *> accounted_;
};

void Analysis::sources(const Expr &e, Sources &s) const {
  if (namedConstant(p_, e)) {
    s.constants.push_back(&e);
  } else if (int place = placeRead(e); place >= 0) {
    s.places.push_back(place);
    s.reads.push_back(&e);
  } else if (e.kind == ExprKind::Ite && e.args.size() == 3 && e.args[1] &&
             e.args[2]) {
    sources(*e.args[1], s);
    sources(*e.args[2], s);
  } else {
    s.other = true;
  }
}

void Analysis::flow(int into, const Sources &s) {
  std::vector<int> places = s.places;
  if (into >= 0)
    places.push_back(into);
  for (int q : places) {
    if (s.other)
      bad_[size_t(q)] = true;
    join(q, places.front());
  }
  if (places.empty())
    return;
  for (const Expr *c : s.constants)
    constants_[size_t(places.front())].push_back(c);
  accounted_.insert(s.reads.begin(), s.reads.end());
}

void Analysis::write(int place, const Expr &e) {
  Sources s;
  sources(e, s);
  flow(place, s);
  visitRest(e);
}

// `a` compared with each of `others` (`==`, `!=`, or membership in a set
// literal): one class.
void Analysis::compare(const Expr &a, const std::vector<const Expr *> &others) {
  Sources s;
  sources(a, s);
  for (const Expr *o : others)
    sources(*o, s);
  flow(-1, s);
  visitRest(a);
  for (const Expr *o : others)
    visitRest(*o);
}

void Analysis::visitRest(const Expr &e) {
  if (namedConstant(p_, e))
    return;
  if (placeRead(e) >= 0) {
    forEachChild(e, [&](const Expr &c) { visit(c); });
  } else if (e.kind == ExprKind::Ite && e.args.size() == 3 && e.args[1] &&
             e.args[2]) {
    visit(e.args[0]);
    visitRest(*e.args[1]);
    visitRest(*e.args[2]);
  } else {
    visit(e);
  }
}

void Analysis::visit(const Expr &e) {
  if (e.kind == ExprKind::Binary && (e.op == Op::Eq || e.op == Op::Ne) &&
      e.args.size() == 2 && e.args[0] && e.args[1]) {
    compare(*e.args[0], {e.args[1].get()});
    return;
  }
  if (e.kind == ExprKind::Binary && (e.op == Op::In || e.op == Op::NotIn) &&
      e.args.size() == 2 && e.args[0] && e.args[1] &&
      e.args[1]->kind == ExprKind::SetLit) {
    std::vector<const Expr *> elems;
    for (const auto &x : e.args[1]->args)
      if (x)
        elems.push_back(x.get());
    compare(*e.args[0], elems);
    return;
  }
  if (e.kind == ExprKind::RecordCons) {
    for (size_t i = 0; i < e.args.size(); ++i)
      if (e.args[i]) {
        if (isInteger(e.args[i]->type))
          write(fieldPlace(e.index, int(i)), *e.args[i]);
        else
          visit(*e.args[i]);
      }
    return;
  }
  if (e.kind == ExprKind::Known && e.pattern) {
    pattern(*e.pattern);
    return;
  }
  if (int place = placeRead(e); place >= 0)
    bad_[size_t(place)] = true; // read in another context
  forEachChild(e, [&](const Expr &c) { visit(c); });
}

void Analysis::pattern(const Pattern &pat) {
  for (const ExprPtr *x : {&pat.issuer.expr, &pat.issuer.threshold,
                           &pat.verifier.expr, &pat.auditor.expr})
    visit(*x);
  for (const auto &c : pat.constraints) {
    if (!c.expr)
      continue;
    const auto &fields = p_.records[size_t(pat.record)].fields;
    bool integer = c.field >= 0 && size_t(c.field) < fields.size() &&
                   isInteger(fields[size_t(c.field)].type);
    if (integer && (c.op == Op::Eq || c.op == Op::Ne)) {
      write(fieldPlace(pat.record, c.field),
            *c.expr); // a comparison: one class
      continue;
    }
    if (integer)
      bad_[size_t(fieldPlace(pat.record, c.field))] = true; // `<` and the like
    visit(*c.expr);
  }
}

// The record and field an assignment's path ends in, if it ends in a field.
std::pair<int, int> pathField(const Program &p, const VarDecl &var,
                              const std::vector<LValueStep> &path) {
  TypeRef t = var.type;
  std::pair<int, int> out{-1, -1};
  for (const auto &step : path) {
    out = {-1, -1};
    if (!t)
      return out;
    if (step.kind == LValueStep::Kind::Field && t->kind == TypeKind::Record) {
      out = {t->record, step.index};
      t = p.records[size_t(t->record)].fields[size_t(step.index)].type;
    } else if (step.kind == LValueStep::Kind::Index && !t->args.empty()) {
      t = t->args.back(); // a map's values, a sequence's elements
    } else if (step.kind == LValueStep::Kind::TupleGet &&
               size_t(step.index) < t->args.size()) {
      t = t->args[size_t(step.index)];
    } else {
      return out;
    }
  }
  return out;
}

void Analysis::block(int role, const Block &b) {
  forEachStmt(b, [&](const Stmt &s) {
    if (s.kind == StmtKind::Assign && s.value) {
      const VarDecl &var = p_.roles[size_t(role)].vars[size_t(s.var)];
      for (const auto &step : s.path)
        visit(step.key);
      auto [record, field] = pathField(p_, var, s.path);
      if (s.path.empty() && isInteger(var.type))
        write(varPlace(role, s.var), *s.value);
      else if (record >= 0 && isInteger(s.value->type))
        write(fieldPlace(record, field), *s.value);
      else
        visit(*s.value);
      return;
    }
    forEachStmtExpr(
        s, [&](const Expr &e) { visit(e); }, StmtExprs::Evaluated);
    if (s.progress)
      pattern(*s.progress);
  });
}

void Analysis::temporal(const Temporal &t) {
  visit(t.state);
  for (const auto &a : t.args)
    if (a)
      temporal(*a);
}

void Analysis::run() {
  for (size_t r = 0; r < p_.roles.size(); ++r) {
    const Role &role = p_.roles[r];
    for (size_t v = 0; v < role.vars.size(); ++v) {
      const VarDecl &var = role.vars[v];
      int place = varPlace(int(r), int(v));
      if (var.init && isInteger(var.type)) {
        write(place, *var.init);
      } else if (var.initSet && var.initSet->kind == ExprKind::SetLit &&
                 isInteger(var.type)) {
        for (const auto &x : var.initSet->args)
          if (x)
            write(place, *x);
      } else {
        bad_[size_t(place)] = true; // no initial value, or a range of them
        visit(var.init);
        visit(var.initSet);
      }
    }
    for (const auto &t : role.transitions) {
      for (const auto &pat : t.triggers)
        pattern(pat);
      visit(t.guard);
      block(int(r), t.body);
    }
    for (const auto &ret : role.retires) {
      pattern(ret.pattern);
      visit(ret.cond);
    }
    if (role.phase)
      for (const auto &round : role.phase->rounds) {
        for (const auto &pc : round.progress)
          visit(pc.expr);
        for (const auto &send : round.sends) {
          visit(send.payload);
          visit(send.dest);
          visit(send.cond);
        }
        block(int(r), round.update);
      }
  }
  for (const auto &f : p_.funs)
    visit(f.body);
  for (const auto *preds : {&p_.invariants, &p_.constraints})
    for (const auto &pred : *preds)
      visit(pred.expr);
  for (const auto &prop : p_.properties)
    if (prop.formula)
      temporal(*prop.formula);
  for (const auto &cp : p_.commPredicates)
    visit(cp.expr);
  visit(p_.termination.expr);
  // The safety net: a read the walk did not account for.
  forEachExpr(p_, [&](const Expr &e) {
    if (int place = placeRead(e); place >= 0 && !accounted_.count(&e))
      bad_[size_t(place)] = true;
  });
}

void Analysis::result(
    std::map<std::pair<int, int>, std::map<int64_t, std::string>> &vars,
    std::map<std::pair<int, int>, std::map<int64_t, std::string>> &fields) {
  size_t n = parent_.size();
  std::vector<bool> classBad(n, false);
  std::vector<std::map<int64_t, std::string>> names(n);
  for (size_t q = 0; q < n; ++q) {
    size_t root = size_t(find(int(q)));
    classBad[root] = classBad[root] || bad_[q];
    for (const Expr *c : constants_[q]) {
      const std::string &name = namedConstant(p_, *c)->name;
      auto [it, fresh] = names[root].try_emplace(c->intVal, name);
      if (!fresh && it->second != name)
        classBad[root] = true; // two names for one value
    }
  }
  auto named = [&](int place) -> const std::map<int64_t, std::string> * {
    size_t root = size_t(find(place));
    return classBad[root] || names[root].empty() ? nullptr : &names[root];
  };
  for (size_t r = 0; r < p_.roles.size(); ++r)
    for (size_t v = 0; v < p_.roles[r].vars.size(); ++v)
      if (isInteger(p_.roles[r].vars[v].type))
        if (const auto *m = named(varPlace(int(r), int(v))))
          vars[{int(r), int(v)}] = *m;
  for (size_t r = 0; r < p_.records.size(); ++r)
    for (size_t f = 0; f < p_.records[r].fields.size(); ++f)
      if (isInteger(p_.records[r].fields[f].type))
        if (const auto *m = named(fieldPlace(int(r), int(f))))
          fields[{int(r), int(f)}] = *m;
}

} // namespace

ConstantNames::ConstantNames(const Program &program) {
  Analysis a(program);
  a.run();
  a.result(vars_, fields_);
}

const std::string *
ConstantNames::lookup(const std::map<std::pair<int, int>, Names> &places, int a,
                      int b, int64_t value) {
  auto it = places.find({a, b});
  if (it == places.end())
    return nullptr;
  auto v = it->second.find(value);
  return v == it->second.end() ? nullptr : &v->second;
}

const std::string *ConstantNames::ofVar(int role, int var,
                                        int64_t value) const {
  return lookup(vars_, role, var, value);
}

const std::string *ConstantNames::ofField(int record, int field,
                                          int64_t value) const {
  return lookup(fields_, record, field, value);
}

} // namespace mommie::ir
