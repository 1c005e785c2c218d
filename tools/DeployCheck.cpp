// Deployment module check (see DeployCheck.h).
#include "tools/DeployCheck.h"

#include "runtime/auth/AuthModules.h"

#include <algorithm>
#include <set>

namespace mommie::tool {

namespace {

using PSet = std::set<int>;

struct Checker {
  const ir::Program &prog;
  const rt::DeployConfig &conf;
  const std::string &deployPath;
  DiagnosticEngine &diags;
  std::vector<std::string> names;
  std::set<std::string> reported; // (statement location, rule) pairs
  bool ok = true;

  PSet all() const {
    PSet s;
    for (int p = 0; p < prog.numPrincipals; ++p)
      s.insert(p);
    return s;
  }
  PSet members(int set) const {
    PSet s;
    if (set < 0 || size_t(set) >= prog.principalSets.size())
      return all();
    const auto &ps = prog.principalSets[size_t(set)];
    for (int i = 0; i < ps.size; ++i)
      s.insert(ps.first + i);
    return s;
  }
  PSet fromType(const ir::TypeRef &t) const {
    if (!t)
      return all();
    if (t->kind == ir::TypeKind::Principal)
      return t->principalSet >= 0 ? members(t->principalSet) : all();
    if (t->kind == ir::TypeKind::Set && !t->args.empty())
      return fromType(t->args[0]);
    return all();
  }
  // The principals `e` (a principal or a set of principals) may denote.
  PSet candidates(const ir::ExprPtr &e, const PSet &me) const {
    if (!e)
      return all();
    switch (e->kind) {
    case ir::ExprKind::PrincipalSet:
      return members(e->index);
    case ir::ExprKind::PrincipalLit:
      return PSet{int(e->intVal)};
    case ir::ExprKind::Me:
      return me;
    case ir::ExprKind::SetLit: {
      PSet s;
      for (const auto &a : e->args) {
        PSet c = candidates(a, me);
        s.insert(c.begin(), c.end());
      }
      return s;
    }
    case ir::ExprKind::Binary:
      if (e->op == ir::Op::Union && e->args.size() == 2) {
        PSet s = candidates(e->args[0], me), t = candidates(e->args[1], me);
        s.insert(t.begin(), t.end());
        return s;
      }
      if ((e->op == ir::Op::Diff || e->op == ir::Op::Inter) && !e->args.empty())
        return candidates(e->args[0], me);
      return fromType(e->type);
    default:
      return fromType(e->type);
    }
  }

  std::string where(const ir::SourceLoc &l) const {
    return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.col);
  }
  std::string ruleText(const rt::Resolved &r) const {
    if (!r.rule)
      return "no rule (PLAINTEXT by default)";
    return deployPath + ":" + std::to_string(r.rule->line);
  }
  void refuse(const ir::SourceLoc &loc, const std::string &what,
              const rt::Resolved &r, const std::string &msg) {
    std::string key = where(loc) + "|" +
                      (r.rule ? std::to_string(r.rule->line) : "-") + "|" +
                      what;
    if (!reported.insert(key).second)
      return;
    ok = false;
    diags.error(loc, msg);
    if (r.spec)
      diags.note(ir::SourceLoc{deployPath, uint32_t(r.spec->line),
                               uint32_t(r.spec->col)},
                 std::string("module ") + r.spec->name + " chosen here");
  }
  const std::string &recName(int rec) const {
    static const std::string unknown = "?";
    return rec >= 0 && size_t(rec) < prog.records.size()
               ? prog.records[size_t(rec)].name
               : unknown;
  }
  std::string auditorText(const PSet &aud, bool any) const {
    if (any)
      return "auditor ANY";
    std::string s = "auditors {";
    bool first = true;
    for (int a : aud) {
      s += (first ? "" : ", ") + names[size_t(a)];
      first = false;
    }
    return s + "}";
  }

  // One statement kind: `rec` from each of `issuers` to each of `verifiers`,
  // audited by `aud` (empty = NOONE; `anyAud` for ANY).
  void needs(const ir::SourceLoc &loc, int rec, const PSet &issuers,
             const PSet &verifiers, const PSet &aud, bool anyAud,
             const char *what) {
    std::vector<std::string> audNames;
    for (int a : aud)
      audNames.push_back(names[size_t(a)]);
    for (int i : issuers)
      for (int v : verifiers) {
        if (v == i)
          continue;
        const std::string &in = names[size_t(i)], &vn = names[size_t(v)];
        rt::Resolved r = rt::carrierFor(conf, in, vn, audNames);
        const rt::AuthModuleInfo *m = r.module;
        std::string stmt = std::string(what) + " " + recName(rec);
        if (!m) {
          refuse(loc, "unknown", r,
                 stmt + ": unknown module between " + in + " and " + vn);
          continue;
        }
        if (!m->implemented) {
          refuse(loc, "impl", r,
                 stmt + " from " + in + " to " + vn + ": module " + m->name +
                     " is not implemented yet (" + ruleText(r) + ")");
          continue;
        }
        if (!m->authenticated)
          refuse(loc, "auth", r,
                 stmt + " from " + in + " to " + vn +
                     " needs authentication, but " + ruleText(r) + " gives " +
                     m->name);
        if (!aud.empty() && !m->anyAuditor)
          refuse(loc, "aud", r,
                 stmt + " from " + in + " to " + vn + " with " +
                     auditorText(aud, anyAud) + " needs non-repudiation, but " +
                     ruleText(r) + " gives " + m->name +
                     " (repudiable: auditor NOONE only)");
        if (forwarded(in, vn) && !m->forwardable)
          refuse(loc, "fwd", r,
                 stmt + " from " + in + " to " + vn +
                     " may be forwarded by a dissemination module "
                     "(OPTIMISTIC), but " +
                     ruleText(r) + " gives " + m->name +
                     ", which a third party cannot forward");
      }
  }
  bool forwarded(const std::string &a, const std::string &b) const {
    for (const auto &r : conf.dissemination) {
      auto has = [](const std::vector<std::string> &pats,
                    const std::string &n) {
        return std::any_of(pats.begin(), pats.end(), [&](const std::string &p) {
          return rt::principalMatches(p, n);
        });
      };
      bool covers = (has(r.from, a) && has(r.to, b)) ||
                    (r.bidirectional && has(r.from, b) && has(r.to, a));
      if (!covers)
        continue;
      for (const auto &m : r.modules)
        if (m.name == "OPTIMISTIC")
          return true;
    }
    return false;
  }

  void walk(const ir::Block &b, const PSet &issuers) {
    for (const auto &s : b) {
      if (!s)
        continue;
      if (s->kind == ir::StmtKind::If) {
        walk(s->thenBody, issuers);
        walk(s->elseBody, issuers);
        continue;
      }
      if (s->kind != ir::StmtKind::Publish)
        continue;
      int rec = s->value && s->value->kind == ir::ExprKind::RecordCons
                    ? s->value->index
                : s->value && s->value->type ? s->value->type->record
                                             : -1;
      // Verifiers per issuer (the verifier expression may mention ME).
      for (int i : issuers) {
        PSet me{i};
        PSet ver = candidates(s->verifier, me);
        PSet aud;
        bool anyAud = s->auditorKind == ir::Stmt::Auditor::Any;
        if (anyAud)
          aud = all();
        else if (s->auditorKind == ir::Stmt::Auditor::Expr)
          aud = candidates(s->auditor, me);
        needs(s->loc, rec, me, ver, aud, anyAud, "statement");
      }
    }
  }

  void pattern(const ir::Pattern &p, const PSet &receivers) {
    if (p.auditor.kind == ir::PartyPattern::Kind::Any)
      return;
    PSet issuers;
    switch (p.issuer.kind) {
    case ir::IssuerPattern::Kind::Bind:
    case ir::IssuerPattern::Kind::Quorum:
      issuers = members(p.issuer.set);
      break;
    case ir::IssuerPattern::Kind::Exact:
      issuers = candidates(p.issuer.expr, receivers);
      break;
    default:
      issuers = all();
    }
    bool anyAud = p.auditor.kind == ir::PartyPattern::Kind::Universal;
    PSet aud = anyAud ? all() : candidates(p.auditor.expr, receivers);
    for (int r : receivers)
      needs(p.loc, p.record, issuers, PSet{r}, aud, anyAud, "pattern on");
  }
};

} // namespace

bool checkDeployModules(const ir::Program &program,
                        const rt::DeployConfig &conf,
                        const std::string &deployPath,
                        DiagnosticEngine &diags) {
  Checker c{program, conf, deployPath, diags, {}, {}, true};
  for (int p = 0; p < program.numPrincipals; ++p)
    c.names.push_back(program.principalName(p));
  for (const auto &role : program.roles) {
    PSet issuers = c.members(role.principalSet);
    for (const auto &t : role.transitions) {
      c.walk(t.body, issuers);
      for (const auto &p : t.triggers)
        c.pattern(p, issuers);
    }
  }
  return c.ok;
}

} // namespace mommie::tool
