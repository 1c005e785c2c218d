// The declaration grammar (X3): everything after `protocol Name;` --
// param, assume, principals, const, record, type, fun, role (var, timer,
// transition, phase/round), faults, invariant, lemma, property, fairness,
// communication, terminate. Also the conversion of property formulas into
// Temporal trees.
#include "frontend/Grammar.h"

namespace mommie::frontend::grammar {

using namespace ast;
using x3::_attr;
using x3::_val;
using x3::_where;

//===----------------------------------------------------------------------===//
// Property formulas
//===----------------------------------------------------------------------===//

static bool containsTemporal(const ExprPtr &e);

static bool containsTemporal(const Pattern &p) {
  if (containsTemporal(p.issuer.threshold) || containsTemporal(p.issuer.expr) ||
      containsTemporal(p.verifier.expr) || containsTemporal(p.auditor.expr))
    return true;
  for (const FieldConstraint &fc : p.constraints)
    if (containsTemporal(fc.expr))
      return true;
  return false;
}

static bool containsTemporal(const ExprPtr &e) {
  if (!e)
    return false;
  if (e->kind == ExprKind::Always || e->kind == ExprKind::Eventually ||
      e->kind == ExprKind::LeadsTo)
    return true;
  for (const ExprPtr &a : e->args)
    if (containsTemporal(a))
      return true;
  for (const Binder &b : e->binders)
    if (containsTemporal(b.set))
      return true;
  for (const FieldInit &f : e->fields)
    if (containsTemporal(f.value))
      return true;
  if (containsTemporal(e->body) || containsTemporal(e->cond))
    return true;
  return e->pattern && containsTemporal(*e->pattern);
}

TemporalPtr toTemporal(const ExprPtr &e) {
  auto t = std::make_shared<Temporal>();
  t->loc = e->loc;
  if (!containsTemporal(e)) {
    t->kind = Temporal::Kind::State;
    t->state = e;
    return t;
  }
  using K = Temporal::Kind;
  switch (e->kind) {
  case ExprKind::Always:
    t->kind = K::Always;
    break;
  case ExprKind::Eventually:
    t->kind = K::Eventually;
    break;
  case ExprKind::LeadsTo:
    t->kind = K::LeadsTo;
    break;
  case ExprKind::Unary:
    if (e->unOp != UnOp::Not)
      throw SyntaxError{nullptr, "temporal operator inside a state expression",
                        e->loc};
    t->kind = K::Not;
    break;
  case ExprKind::Binary:
    if (e->binOp == BinOp::And)
      t->kind = K::And;
    else if (e->binOp == BinOp::Or)
      t->kind = K::Or;
    else if (e->binOp == BinOp::Implies)
      t->kind = K::Implies;
    else
      throw SyntaxError{nullptr, "temporal operator inside a state expression",
                        e->loc};
    break;
  default:
    throw SyntaxError{nullptr, "temporal operator inside a state expression",
                      e->loc};
  }
  for (const ExprPtr &a : e->args)
    t->args.push_back(toTemporal(a));
  return t;
}

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

namespace {

using Member = std::variant<VarDecl, TimerDecl, TransitionDecl, PhaseDecl>;

auto const semi = Punct(";");
auto const colon = Punct(":");
auto const setDecl = [](auto &c) { _val(c) = std::move(_attr(c)); };
template <class T, class V> auto setTo(V T::*m, V v) {
  return [m, v](auto &c) { x3::_val(c).*m = v; };
}

x3::rule<struct TypedNameId, TypedName> const typedName = "'name: type'";
x3::rule<struct ParamId, ParamDecl> const paramDecl = "'param'";
x3::rule<struct AssumeId, AssumeDecl> const assumeDecl = "'assume'";
x3::rule<struct PrincipalsId, PrincipalsDecl> const principalsDecl =
    "'principals'";
x3::rule<struct ConstId, ConstDecl> const constDecl = "'const'";
x3::rule<struct RecordId, RecordDecl> const recordDecl = "'record'";
x3::rule<struct TypeAliasId, TypeAliasDecl> const typeAliasDecl = "'type'";
x3::rule<struct FunId, FunDecl> const funDecl = "'fun'";
x3::rule<struct RoleId, RoleDecl> const roleDecl = "'role'";
x3::rule<struct MemberId, Member> const member =
    "role member ('var', 'timer', 'transition' or 'phase')";
x3::rule<struct VarId, VarDecl> const varDecl = "'var'";
x3::rule<struct TimerId, TimerDecl> const timerDecl = "'timer'";
x3::rule<struct TransitionId, TransitionDecl> const transitionDecl =
    "'transition'";
x3::rule<struct TriggerId, Trigger> const trigger = "pattern or 'AFTER'";
x3::rule<struct PhaseId, PhaseDecl> const phaseDecl = "'phase'";
x3::rule<struct RoundId, RoundDecl> const roundDecl = "'round'";
x3::rule<struct ProgressId, ProgressCond> const progressCond =
    "progress condition (timeout, waitMessages, goAhead, catchUp, sync)";
x3::rule<struct SendId, SendClause> const sendClause = "'send'";
x3::rule<struct FaultsId, FaultsDecl> const faultsDecl = "'faults'";
x3::rule<struct InvariantId, InvariantDecl> const invariantDecl =
    "'invariant'";
x3::rule<struct PropertyId, PropertyDecl> const propertyDecl = "'property'";
x3::rule<struct FairnessId, FairnessDecl> const fairnessDecl = "'fairness'";
x3::rule<struct CommunicationId, CommunicationDecl> const communicationDecl =
    "'communication'";
x3::rule<struct TerminateId, TerminateDecl> const terminateDecl =
    "'terminate'";

auto const typedName_def = ident[([](auto &c) {
  _val(c).name = _attr(c);
  _val(c).loc = locAt(_where(c).begin());
})] > colon > type[setF(&TypedName::type)];

auto const paramDecl_def = Kw("param")[setLoc] > ident[setF(&ParamDecl::name)] >
                           Punct("=", "=>") > expr[setF(&ParamDecl::value)] >
                           semi;

auto const assumeDecl_def =
    Kw("assume")[setLoc] > expr[setF(&AssumeDecl::expr)] > semi;

auto const principalsDecl_def =
    Kw("principals")[setLoc] > ident[setF(&PrincipalsDecl::name)] >
    Punct("[") > expr[setF(&PrincipalsDecl::size)] > Punct("]") > semi;

auto const constDecl_def = Kw("const")[setLoc] > ident[setF(&ConstDecl::name)] >
                           Punct("=", "=>") > expr[setF(&ConstDecl::value)] >
                           semi;

auto const recordDecl_def =
    Kw("record")[setLoc] > ident[setF(&RecordDecl::name)] > Punct("{") >
    -(typedName[pushF(&RecordDecl::fields)] % Punct(",")) >> -Punct(",") >
    named("field or '}'", Punct("}"));

auto const typeAliasDecl_def =
    Kw("type")[setLoc] > ident[setF(&TypeAliasDecl::name)] >
    Punct("=", "=>") > type[setF(&TypeAliasDecl::type)] > semi;

auto const funDecl_def =
    Kw("fun")[setLoc] > ident[setF(&FunDecl::name)] > Punct("(") >
    -(typedName[pushF(&FunDecl::params)] % Punct(",")) >
    named("parameter or ')'", Punct(")")) > colon >
    type[setF(&FunDecl::result)] > Punct("=", "=>") >
    expr[setF(&FunDecl::body)] > semi;

auto const varDecl_def =
    Kw("var")[setLoc] > ident[setF(&VarDecl::name)] > colon >
    type[setF(&VarDecl::type)] >>
    -((Punct("=", "=>") > expr[setF(&VarDecl::init)]) |
      (Kw("in") > expr[setF(&VarDecl::initSet)])) >
    named("'=', 'in' or ';'", semi);

auto const timerDecl_def = Kw("timer")[setLoc] >
                           ident[setF(&TimerDecl::name)] > Punct("=", "=>") >
                           durationLit[setF(&TimerDecl::duration)] > semi;

auto const trigger_def =
    (Kw("AFTER")[setLoc][setTo(&Trigger::kind, Trigger::Kind::Timeout)] >
     Kw("timeout") > Punct("(") > ident[setF(&Trigger::timer)] > Punct(")")) |
    pattern[([](auto &c) {
      _val(c).kind = Trigger::Kind::Pattern;
      _val(c).pattern = _attr(c);
      _val(c).loc = _attr(c)->loc;
    })];

auto const transitionDecl_def =
    Kw("transition")[setLoc] > ident[setF(&TransitionDecl::name)] >>
    -(Punct("(") > (typedName[pushF(&TransitionDecl::params)] % Punct(",")) >
      Punct(")")) >>
    -(Kw("WHEN") > trigger[pushF(&TransitionDecl::triggers)] >
      *(Kw("ANDWHEN") > trigger[pushF(&TransitionDecl::triggers)])) >>
    -(Kw("IF") > expr[setF(&TransitionDecl::guard)]) >>
    -(Kw("program") > ident[setF(&TransitionDecl::bodyProgram)]) >
    named("'@@{'", Punct("@@{")) >
    *(!Punct("@@}") > stmt[pushF(&TransitionDecl::body)]) > Punct("@@}");

using PKind = ProgressCond::Kind;
auto const progressCond_def =
    (Kw("timeout")[setLoc][setTo(&ProgressCond::kind, PKind::Timeout)] >
     Punct("(") > durationLit[setF(&ProgressCond::timeout)] > Punct(")")) |
    Kw("waitMessages")[setLoc][setTo(&ProgressCond::kind,
                                     PKind::WaitMessages)] |
    (Kw("goAhead")[setLoc][setTo(&ProgressCond::kind, PKind::GoAhead)] >
     Kw("when") > expr[setF(&ProgressCond::expr)]) |
    Kw("catchUp")[setLoc][setTo(&ProgressCond::kind, PKind::CatchUp)] |
    (Kw("sync")[setLoc][setTo(&ProgressCond::kind, PKind::Sync)] >
     Punct("(") > expr[setF(&ProgressCond::expr)] > Punct(")"));

auto const sendClause_def =
    Kw("send")[setLoc] > expr[setF(&SendClause::payload)] > Kw("to") >
    expr[setF(&SendClause::dest)] >>
    -(Kw("if") > expr[setF(&SendClause::cond)]) > semi;

auto const roundDecl_def =
    Kw("round")[setLoc] > ident[setF(&RoundDecl::name)] > colon >
    type[setF(&RoundDecl::payload)] > Punct("{") >>
    -(Kw("progress") > (progressCond[pushF(&RoundDecl::progress)] % Punct(",")) >
      semi) >>
    *sendClause[pushF(&RoundDecl::sends)] >>
    -(Kw("update")[setTo(&RoundDecl::hasUpdate, true)] >
      block[setF(&RoundDecl::update)]) >
    named("'send', 'update' or '}'", Punct("}"));

auto const phaseDecl_def =
    Kw("phase")[setLoc] > Kw("bound") > expr[setF(&PhaseDecl::bound)] >
    Punct("{") > *(!Punct("}") > roundDecl[pushF(&PhaseDecl::rounds)]) >
    Punct("}");

auto const member_def = varDecl[setDecl] | timerDecl[setDecl] |
                        transitionDecl[setDecl] | phaseDecl[setDecl];

auto const pushMember = [](auto &c) {
  RoleDecl &r = _val(c);
  Member &m = _attr(c);
  if (auto *v = std::get_if<VarDecl>(&m))
    r.vars.push_back(std::move(*v));
  else if (auto *t = std::get_if<TimerDecl>(&m))
    r.timers.push_back(std::move(*t));
  else if (auto *tr = std::get_if<TransitionDecl>(&m))
    r.transitions.push_back(std::move(*tr));
  else if (auto *ph = std::get_if<PhaseDecl>(&m))
    r.phases.push_back(std::move(*ph));
};

auto const roleDecl_def = Kw("role")[setLoc] > ident[setF(&RoleDecl::name)] >
                          Kw("at") > ident[setF(&RoleDecl::set)] >
                          Punct("{") >
                          *(!Punct("}") > member[pushMember]) > Punct("}");

using FKind = FaultsDecl::Kind;
auto const faultsDecl_def =
    Kw("faults")[setLoc] > ident[setF(&FaultsDecl::set)] > colon >
    named("'crash' or 'byzantine'",
          Kw("crash")[setTo(&FaultsDecl::kind, FKind::Crash)] |
              Kw("byzantine")[setTo(&FaultsDecl::kind, FKind::Byzantine)]) >
    Punct("<=") > expr[setF(&FaultsDecl::max)] > semi;

auto const invariantDecl_def =
    (Kw("invariant")[setLoc] |
     Kw("lemma")[setLoc][setTo(&InvariantDecl::lemma, true)]) >
    ident[setF(&InvariantDecl::name)] > colon >
    expr[setF(&InvariantDecl::expr)] > semi;

auto const propertyDecl_def =
    Kw("property")[setLoc] > ident[setF(&PropertyDecl::name)] > colon >
    expr[([](auto &c) {
      _val(c).formula = toTemporal(_attr(c));
      state().temporalAt = nullptr; // allowed here
    })] >
    semi;

using FairKind = FairnessDecl::Kind;
auto const fairnessDecl_def =
    Kw("fairness")[setLoc] >
    named("'weak' or 'strong'",
          Kw("weak")[setTo(&FairnessDecl::kind, FairKind::Weak)] |
              Kw("strong")[setTo(&FairnessDecl::kind, FairKind::Strong)]) >
    semi;

auto const communicationDecl_def =
    Kw("communication")[setLoc] > ident[setF(&CommunicationDecl::name)] >
    colon > Kw("round") > ident[setF(&CommunicationDecl::round)] > colon >
    expr[setF(&CommunicationDecl::expr)] > semi;

auto const terminateDecl_def = Kw("terminate")[setLoc] > Kw("when") >
                               expr[setF(&TerminateDecl::expr)] > semi;

} // namespace

auto const decl_def = paramDecl[setDecl] | assumeDecl[setDecl] |
                      principalsDecl[setDecl] | constDecl[setDecl] |
                      recordDecl[setDecl] | typeAliasDecl[setDecl] |
                      funDecl[setDecl] | roleDecl[setDecl] |
                      faultsDecl[setDecl] | invariantDecl[setDecl] |
                      propertyDecl[setDecl] | fairnessDecl[setDecl] |
                      communicationDecl[setDecl] | terminateDecl[setDecl];

auto const header_def = Kw("protocol") > ident > Punct(";");

BOOST_SPIRIT_DEFINE(typedName, paramDecl, assumeDecl, principalsDecl,
                    constDecl, recordDecl, typeAliasDecl, funDecl, varDecl,
                    timerDecl, trigger, transitionDecl, progressCond,
                    sendClause, roundDecl, phaseDecl, member, roleDecl,
                    faultsDecl, invariantDecl, propertyDecl, fairnessDecl,
                    communicationDecl, terminateDecl, decl, header)
BOOST_SPIRIT_INSTANTIATE(DeclRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(HeaderRule, Iterator, Context)

} // namespace mommie::frontend::grammar
