// Sequential body specs as TLA+ LET-chains (see TlaBody.h).
#include "backends/tla/TlaBody.h"

namespace mommie::tla {

using namespace ir;

BodyTranslator::BodyTranslator(Emitter &em, Frame &f, int role)
    : em_(em), f_(f), role_(role) {
  const Role &r = em.prog.roles[role];
  for (size_t v = 0; v < r.vars.size(); ++v)
    initial.vars[v] = em.varNames[role][v] + "[" + f.me + "]";
  for (size_t t = 0; t < r.timers.size(); ++t)
    initial.timers[t] = em.timerNames[role][t] + "[" + f.me + "]";
  for (const auto &[rec, name] : em.poolNames)
    initial.pools[rec] = name;
  for (const auto &[rec, name] : em.knownNames)
    initial.known[rec] = name + "[" + f.me + "]";
  initial.slots = f.slotNames;
  cur = initial;
  f.stateVar = [this](int roleIdx, int var) {
    if (roleIdx == role_)
      return cur.vars[var];
    return em_.varNames[roleIdx][var] + "[" + f_.me + "]";
  };
  f.known = [this](int record) {
    auto it = cur.known.find(record);
    return it == cur.known.end() ? std::string("{}") : it->second;
  };
}

std::string BodyTranslator::define(const std::string &base,
                                   const std::string &text) {
  std::string name = f_.fresh(base);
  defs.emplace_back(name, text);
  return name;
}

void BodyTranslator::run(const Block &block) {
  for (const auto &s : block)
    if (s)
      stmt(*s);
}

namespace {

// The EXCEPT path `![k].f` of an lvalue, and the type it reaches.
std::string lvaluePath(Emitter &em, Frame &f, const Type *type,
                       const std::vector<LValueStep> &path) {
  std::string out;
  for (const auto &step : path) {
    switch (step.kind) {
    case LValueStep::Kind::Index: {
      bool seq = type && type->kind == TypeKind::Seq;
      std::string key;
      if (seq && step.key && step.key->kind == ExprKind::IntLit)
        key = std::to_string(step.key->intVal + 1);
      else if (seq)
        key = em.operand(step.key.get(), f) + " + 1";
      else
        key = em.expr(step.key.get(), f);
      out += "[" + key + "]";
      if (type && type->kind == TypeKind::Map && type->args.size() == 2)
        type = type->args[1].get();
      else if (type && !type->args.empty())
        type = type->args[0].get();
      else
        type = nullptr;
      break;
    }
    case LValueStep::Kind::Field: {
      int record = type ? type->record : -1;
      out += '.';
      out += em.fieldName(record, step.index);
      if (record >= 0 && record < static_cast<int>(em.prog.records.size()) &&
          step.index >= 0 &&
          step.index < static_cast<int>(em.prog.records[record].fields.size()))
        type = em.prog.records[record].fields[step.index].type.get();
      else
        type = nullptr;
      break;
    }
    case LValueStep::Kind::TupleGet:
      out += '[';
      out += std::to_string(step.index + 1);
      out += ']';
      if (type && step.index >= 0 &&
          step.index < static_cast<int>(type->args.size()))
        type = type->args[step.index].get();
      else
        type = nullptr;
      break;
    }
  }
  return out;
}

// A principal or a set of principals, as a set.
std::string asSet(Emitter &em, Frame &f, const Expr *e) {
  if (e && e->type && e->type->kind == TypeKind::Set)
    return em.expr(e, f);
  std::string set = "{"; // appended: GCC 12 -Wrestrict false positive on "{" +
                         // ... (GCC bug 105329)
  set += em.expr(e, f);
  set += '}';
  return set;
}

} // namespace

void BodyTranslator::stmt(const Stmt &s) {
  switch (s.kind) {
  case StmtKind::Assign: {
    const Role &r = em_.prog.roles[role_];
    if (s.var < 0 || s.var >= static_cast<int>(r.vars.size())) {
      em_.error(s.loc, "assignment to an unknown role variable");
      return;
    }
    std::string value = em_.expr(s.value.get(), f_);
    std::string text = value;
    if (!s.path.empty())
      text = "[" + cur.vars[s.var] + " EXCEPT !" +
             lvaluePath(em_, f_, r.vars[s.var].type.get(), s.path) + " = " +
             value + "]";
    cur.vars[s.var] = define(em_.varNames[role_][s.var], text);
    return;
  }
  case StmtKind::Let: {
    std::string value = em_.expr(s.value.get(), f_);
    if (s.slot < 0 || s.slot >= static_cast<int>(f_.slotNames.size()))
      return;
    if (!letSeen_.count(s.slot)) {
      letSeen_.insert(s.slot);
      defs.emplace_back(f_.slotNames[s.slot], value);
    } else {
      f_.slotNames[s.slot] = define(
          (*f_.slots)[s.slot].name.empty() ? "v" : (*f_.slots)[s.slot].name,
          value);
    }
    cur.slots = f_.slotNames;
    return;
  }
  case StmtKind::If: {
    std::string cond = em_.expr(s.cond.get(), f_);
    BodyState before = cur;
    run(s.thenBody);
    BodyState thenState = cur;
    cur = before;
    f_.slotNames = cur.slots;
    run(s.elseBody);
    BodyState elseState = cur;
    merge(cond, thenState, elseState);
    return;
  }
  case StmtKind::Publish: {
    if (!s.value || !s.value->type) {
      em_.error(s.loc, "PUBLISH of an untyped value");
      return;
    }
    int record = s.value->type->record;
    std::string ver = asSet(em_, f_, s.verifier.get());
    std::string aud = "{}";
    if (s.auditorKind == Stmt::Auditor::Any)
      aud = "Principals";
    else if (s.auditorKind == Stmt::Auditor::Expr)
      aud = asSet(em_, f_, s.auditor.get());
    std::string stmt =
        define("stmt", "Stmt(" + f_.me + ", " + ver + ", " + aud + ", " +
                           em_.expr(s.value.get(), f_) + ")");
    cur.pools[record] = define(em_.poolNames[record],
                               cur.pools[record] + " \\cup {" + stmt + "}");
    cur.known[record] = define(em_.knownNames[record],
                               cur.known[record] + " \\cup {" + stmt + "}");
    return;
  }
  case StmtKind::StartTimer:
    cur.timers[s.timer] = "TRUE";
    return;
  case StmtKind::CancelTimer:
    cur.timers[s.timer] = "FALSE";
    return;
  case StmtKind::Skip:
    return;
  }
}

void BodyTranslator::merge(const std::string &cond, const BodyState &a,
                           const BodyState &b) {
  auto pick = [&](const std::string &base, const std::string &x,
                  const std::string &y) {
    if (x == y)
      return x;
    return define(base, "IF " + cond + " THEN " + x + " ELSE " + y);
  };
  const Role &r = em_.prog.roles[role_];
  for (auto &[v, text] : cur.vars)
    text = pick(em_.varNames[role_][v], a.vars.at(v), b.vars.at(v));
  for (auto &[t, text] : cur.timers)
    text = pick(em_.timerNames[role_][t], a.timers.at(t), b.timers.at(t));
  for (auto &[rec, text] : cur.pools)
    text = pick(em_.poolNames[rec], a.pools.at(rec), b.pools.at(rec));
  for (auto &[rec, text] : cur.known)
    text = pick(em_.knownNames[rec], a.known.at(rec), b.known.at(rec));
  for (size_t i = 0; i < cur.slots.size(); ++i)
    cur.slots[i] = pick(
        f_.slots && !(*f_.slots)[i].name.empty() ? (*f_.slots)[i].name : "v",
        a.slots[i], b.slots[i]);
  f_.slotNames = cur.slots;
  (void)r;
}

std::vector<std::string>
BodyTranslator::updates(std::set<std::string> &changed) {
  std::vector<std::string> out;
  const std::string &me = f_.me;
  for (const auto &[v, text] : cur.vars) {
    if (text == initial.vars[v])
      continue;
    const std::string &name = em_.varNames[role_][v];
    out.push_back(name + "' = [" + name + " EXCEPT ![" + me + "] = " + text +
                  "]");
    changed.insert(name);
  }
  for (const auto &[t, text] : cur.timers) {
    if (text == initial.timers[t])
      continue;
    const std::string &name = em_.timerNames[role_][t];
    out.push_back(name + "' = [" + name + " EXCEPT ![" + me + "] = " + text +
                  "]");
    changed.insert(name);
  }
  for (const auto &[rec, text] : cur.pools) {
    if (text == initial.pools[rec])
      continue;
    out.push_back(em_.poolNames[rec] + "' = " + text);
    changed.insert(em_.poolNames[rec]);
  }
  for (const auto &[rec, text] : cur.known) {
    if (text == initial.known[rec])
      continue;
    const std::string &name = em_.knownNames[rec];
    out.push_back(name + "' = [" + name + " EXCEPT ![" + me + "] = " + text +
                  "]");
    changed.insert(name);
  }
  return out;
}

Lines letBlock(const std::vector<std::pair<std::string, std::string>> &defs,
               const Lines &body) {
  if (defs.empty())
    return body;
  Lines out;
  for (size_t i = 0; i < defs.size(); ++i)
    out.push_back(std::string(i == 0 ? "LET " : "    ") + defs[i].first +
                  " == " + defs[i].second);
  for (size_t i = 0; i < body.size(); ++i)
    out.push_back(std::string(i == 0 ? "IN  " : "    ") + body[i]);
  return out;
}

} // namespace mommie::tla
