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

using Member =
    std::variant<VarDecl, TimerDecl, TransitionDecl, RetireDecl, PhaseDecl>;

auto const semi = Punct(";");
auto const colon = Punct(":");
auto const setDecl = [](auto &c) { _val(c) = std::move(_attr(c)); };
template <class T, class V> auto setTo(V T::*m, V v) {
  return [m, v](auto &c) { x3::_val(c).*m = v; };
}

struct TypedNameId : Annotate {};
x3::rule<TypedNameId, TypedName> const typedName = "'name: type'";
struct ParamId : Annotate {};
x3::rule<ParamId, ParamDecl> const paramDecl = "'param'";
struct AssumeId : Annotate {};
x3::rule<AssumeId, AssumeDecl> const assumeDecl = "'assume'";
struct PrincipalsId : Annotate {};
x3::rule<PrincipalsId, PrincipalsDecl> const principalsDecl = "'principals'";
struct ConstId : Annotate {};
x3::rule<ConstId, ConstDecl> const constDecl = "'const'";
struct RecordId : Annotate {};
x3::rule<RecordId, RecordDecl> const recordDecl = "'record'";
struct TypeAliasId : Annotate {};
x3::rule<TypeAliasId, TypeAliasDecl> const typeAliasDecl = "'type'";
struct FunId : Annotate {};
x3::rule<FunId, FunDecl> const funDecl = "'fun'";
struct RoleId : Annotate {};
x3::rule<RoleId, RoleDecl> const roleDecl = "'role'";
struct MemberId : Annotate {};
x3::rule<MemberId, Member> const member =
    "role member ('var', 'timer', 'transition', 'retire' or 'phase')";
struct VarId : Annotate {};
x3::rule<VarId, VarDecl> const varDecl = "'var'";
struct TimerId : Annotate {};
x3::rule<TimerId, TimerDecl> const timerDecl = "'timer'";
struct TransitionId : Annotate {};
x3::rule<TransitionId, TransitionDecl> const transitionDecl = "'transition'";
struct RetireId : Annotate {};
x3::rule<RetireId, RetireDecl> const retireDecl = "'retire'";
struct TriggerId : Annotate {};
x3::rule<TriggerId, Trigger> const trigger = "pattern or 'AFTER'";
struct PhaseId : Annotate {};
x3::rule<PhaseId, PhaseDecl> const phaseDecl = "'phase'";
struct RoundId : Annotate {};
x3::rule<RoundId, RoundDecl> const roundDecl = "'round'";
struct ProgressId : Annotate {};
x3::rule<ProgressId, ProgressCond> const progressCond =
    "progress condition (timeout, waitMessages, goAhead, catchUp, sync)";
struct SendId : Annotate {};
x3::rule<SendId, SendClause> const sendClause = "'send'";
struct FaultsId : Annotate {};
x3::rule<FaultsId, FaultsDecl> const faultsDecl = "'faults'";
struct InvariantId : Annotate {};
x3::rule<InvariantId, InvariantDecl> const invariantDecl = "'invariant'";
struct ConstraintId : Annotate {};
x3::rule<ConstraintId, ConstraintDecl> const constraintDecl = "'constraint'";
struct PropertyId : Annotate {};
x3::rule<PropertyId, PropertyDecl> const propertyDecl = "'property'";
struct FairnessId : Annotate {};
x3::rule<FairnessId, FairnessDecl> const fairnessDecl = "'fairness'";
struct CommunicationId : Annotate {};
x3::rule<CommunicationId, CommunicationDecl> const communicationDecl =
    "'communication'";
struct TerminateId : Annotate {};
x3::rule<TerminateId, TerminateDecl> const terminateDecl = "'terminate'";

auto const typedName_def = located[ident[([](auto &c) {
                                     _val(c).name = _attr(c);
                                     _val(c).loc = locAt(_where(c).begin());
                                   })] > colon > type[setF(&TypedName::type)]];

auto const paramDecl_def =
    located[Kw("param")[setLoc] > ident[setF(&ParamDecl::name)] >
            Punct("=", "=>") > expr[setF(&ParamDecl::value)] > semi];

auto const assumeDecl_def =
    located[Kw("assume")[setLoc] > expr[setF(&AssumeDecl::expr)] > semi];

auto const principalsDecl_def =
    located[Kw("principals")[setLoc] > ident[setF(&PrincipalsDecl::name)] >
            Punct("[") > expr[setF(&PrincipalsDecl::size)] > Punct("]") > semi];

auto const constDecl_def =
    located[Kw("const")[setLoc] > ident[setF(&ConstDecl::name)] >
            Punct("=", "=>") > expr[setF(&ConstDecl::value)] > semi];

auto const recordDecl_def =
    located[Kw("record")[setLoc] > ident[setF(&RecordDecl::name)] > Punct("{") >
            -(typedName[pushF(&RecordDecl::fields)] % Punct(",")) >>
            -Punct(",") > named("field or '}'", Punct("}"))];

auto const typeAliasDecl_def =
    located[Kw("type")[setLoc] > ident[setF(&TypeAliasDecl::name)] >
            Punct("=", "=>") > type[setF(&TypeAliasDecl::type)] > semi];

auto const funDecl_def =
    located[Kw("fun")[setLoc] > ident[setF(&FunDecl::name)] > Punct("(") >
            -(typedName[pushF(&FunDecl::params)] % Punct(",")) >
            named("parameter or ')'", Punct(")")) > colon >
            type[setF(&FunDecl::result)] > Punct("=", "=>") >
            expr[setF(&FunDecl::body)] > semi];

auto const setGhost = [](auto &c) {
  x3::_val(c).loc = locAt(x3::_where(c).begin());
  x3::_val(c).ghost = true;
};
auto const setDurable = [](auto &c) {
  x3::_val(c).loc = locAt(x3::_where(c).begin());
  x3::_val(c).durable = true;
};
auto const varDecl_def =
    located[((Kw("ghost")[setGhost] > Kw("var")) |
             (Kw("durable")[setDurable] > Kw("var")) | Kw("var")[setLoc]) >
            ident[setF(&VarDecl::name)] > colon > type[setF(&VarDecl::type)] >>
            -((Punct("=", "=>") > expr[setF(&VarDecl::init)]) |
              (Kw("in") > expr[setF(&VarDecl::initSet)])) >
            named("'=', 'in' or ';'", semi)];

auto const timerDecl_def =
    located[Kw("timer")[setLoc] > ident[setF(&TimerDecl::name)] >
            Punct("=", "=>") > durationLit[setF(&TimerDecl::duration)] > semi];

auto const trigger_def =
    located[(Kw("AFTER")[setLoc][setTo(
                 &Trigger::kind, Trigger::Kind::Timeout)] > Kw("timeout") >
             Punct("(") > ident[setF(&Trigger::timer)] > Punct(")")) |
            pattern[([](auto &c) {
              _val(c).kind = Trigger::Kind::Pattern;
              _val(c).pattern = _attr(c);
              _val(c).loc = _attr(c)->loc;
            })]];

auto const transitionDecl_def =
    located[Kw("transition")[setLoc] > ident[setF(&TransitionDecl::name)] >>
            -(Punct("(") > (typedName[pushF(&TransitionDecl::params)] %
                            Punct(",")) > Punct(")")) >>
            -(Kw("WHEN") > trigger[pushF(&TransitionDecl::triggers)] >
              *(Kw("ANDWHEN") > trigger[pushF(&TransitionDecl::triggers)])) >>
            -(Kw("IF") > expr[setF(&TransitionDecl::guard)]) >>
            -(Kw("program") > ident[setF(&TransitionDecl::bodyProgram)]) >
            named("'@@{'", Punct("@@{")) >
            *((!Punct("@@}")) > stmt[pushF(&TransitionDecl::body)]) >
            Punct("@@}")];

// `retire` is not reserved (like `ghost`): it starts a role member only.
auto const retireDecl_def =
    located[Kw("retire")[setLoc] > pattern[setF(&RetireDecl::pattern)] >>
            -(Kw("IF") > expr[setF(&RetireDecl::cond)]) >
            named("'IF' or ';'", semi)];

using PKind = ProgressCond::Kind;
auto const progressCond_def =
    located[(Kw("timeout")[setLoc][setTo(&ProgressCond::kind, PKind::Timeout)] >
             Punct("(") > durationLit[setF(&ProgressCond::timeout)] >
             Punct(")")) |
            Kw("waitMessages")[setLoc][setTo(&ProgressCond::kind,
                                             PKind::WaitMessages)] |
            (Kw("goAhead")[setLoc][setTo(&ProgressCond::kind, PKind::GoAhead)] >
             Kw("when") > expr[setF(&ProgressCond::expr)]) |
            Kw("catchUp")[setLoc][setTo(&ProgressCond::kind, PKind::CatchUp)] |
            (Kw("sync")[setLoc][setTo(&ProgressCond::kind, PKind::Sync)] >
             Punct("(") > expr[setF(&ProgressCond::expr)] > Punct(")"))];

auto const sendClause_def =
    located[Kw("send")[setLoc] > expr[setF(&SendClause::payload)] > Kw("to") >
            expr[setF(&SendClause::dest)] >>
            -(Kw("if") > expr[setF(&SendClause::cond)]) > semi];

auto const roundDecl_def =
    located[Kw("round")[setLoc] > ident[setF(&RoundDecl::name)] > colon >
            type[setF(&RoundDecl::payload)] > Punct("{") >>
            -(Kw("progress") > (progressCond[pushF(&RoundDecl::progress)] %
                                Punct(",")) > semi) >>
            *sendClause[pushF(&RoundDecl::sends)] >>
            -(Kw("update")[setTo(&RoundDecl::hasUpdate, true)] >
              block[setF(&RoundDecl::update)]) >
            named("'send', 'update' or '}'", Punct("}"))];

auto const phaseDecl_def =
    located[Kw("phase")[setLoc] > Kw("bound") > expr[setF(&PhaseDecl::bound)] >
            Punct("{") > *((!Punct("}")) >
                           roundDecl[pushF(&PhaseDecl::rounds)]) > Punct("}")];

auto const member_def =
    located[varDecl[setDecl] | timerDecl[setDecl] | transitionDecl[setDecl] |
            retireDecl[setDecl] | phaseDecl[setDecl]];

auto const pushMember = [](auto &c) {
  RoleDecl &r = _val(c);
  Member &m = _attr(c);
  if (auto *v = std::get_if<VarDecl>(&m))
    r.vars.push_back(std::move(*v));
  else if (auto *t = std::get_if<TimerDecl>(&m))
    r.timers.push_back(std::move(*t));
  else if (auto *tr = std::get_if<TransitionDecl>(&m))
    r.transitions.push_back(std::move(*tr));
  else if (auto *rt = std::get_if<RetireDecl>(&m))
    r.retires.push_back(std::move(*rt));
  else if (auto *ph = std::get_if<PhaseDecl>(&m))
    r.phases.push_back(std::move(*ph));
};

auto const roleDecl_def =
    located[Kw("role")[setLoc] > ident[setF(&RoleDecl::name)] > Kw("at") >
            ident[setF(&RoleDecl::set)] > Punct("{") >
            *((!Punct("}")) > member[pushMember]) > Punct("}")];

using FKind = FaultsDecl::Kind;
auto const faultsDecl_def =
    located[Kw("faults")[setLoc] > ident[setF(&FaultsDecl::set)] > colon >
            named("'crash', 'recover' or 'byzantine'",
                  Kw("crash")[setTo(&FaultsDecl::kind, FKind::Crash)] |
                      Kw("recover")[setTo(&FaultsDecl::kind, FKind::Recover)] |
                      Kw("byzantine")[setTo(&FaultsDecl::kind,
                                            FKind::Byzantine)]) > Punct("<=") >
            expr[setF(&FaultsDecl::max)] > semi];

auto const invariantDecl_def =
    located[(Kw("invariant")[setLoc] |
             Kw("lemma")[setLoc][setTo(&InvariantDecl::lemma, true)]) >
            ident[setF(&InvariantDecl::name)] > colon >
            expr[setF(&InvariantDecl::expr)] > semi];

// `constraint Name: e;` or `constraint e;` (the name is optional).
auto const constraintDecl_def =
    located[Kw("constraint")[setLoc] >
            -x3::omit[(ident >> colon)[setF(&ConstraintDecl::name)]] >
            expr[setF(&ConstraintDecl::expr)] > semi];

auto const propertyDecl_def =
    located[Kw("property")[setLoc] > ident[setF(&PropertyDecl::name)] > colon >
            expr[([](auto &c) {
              _val(c).formula = toTemporal(_attr(c));
              state().temporalNodes.clear(); // allowed here
            })] > semi];

using FairKind = FairnessDecl::Kind;
auto const fairnessDecl_def =
    located[Kw("fairness")[setLoc] >
            named("'weak' or 'strong'",
                  Kw("weak")[setTo(&FairnessDecl::kind, FairKind::Weak)] |
                      Kw("strong")[setTo(&FairnessDecl::kind,
                                         FairKind::Strong)]) > semi];

auto const communicationDecl_def =
    located[Kw("communication")[setLoc] >
            ident[setF(&CommunicationDecl::name)] > colon > Kw("round") >
            ident[setF(&CommunicationDecl::round)] > colon >
            expr[setF(&CommunicationDecl::expr)] > semi];

auto const terminateDecl_def = located[Kw("terminate")[setLoc] > Kw("when") >
                                       expr[setF(&TerminateDecl::expr)] > semi];

} // namespace

auto const decl_def =
    located[paramDecl[setDecl] | assumeDecl[setDecl] | principalsDecl[setDecl] |
            constDecl[setDecl] | recordDecl[setDecl] | typeAliasDecl[setDecl] |
            funDecl[setDecl] | roleDecl[setDecl] | faultsDecl[setDecl] |
            invariantDecl[setDecl] | constraintDecl[setDecl] |
            propertyDecl[setDecl] | fairnessDecl[setDecl] |
            communicationDecl[setDecl] | terminateDecl[setDecl]];

auto const header_def = located[Kw("protocol") > ident > Punct(";")];

BOOST_SPIRIT_DEFINE(typedName, paramDecl, assumeDecl, principalsDecl, constDecl,
                    recordDecl, typeAliasDecl, funDecl, varDecl, timerDecl,
                    trigger, transitionDecl, retireDecl, progressCond,
                    sendClause, roundDecl, phaseDecl, member, roleDecl,
                    faultsDecl, invariantDecl, constraintDecl, propertyDecl,
                    fairnessDecl, communicationDecl, terminateDecl, decl,
                    header)
BOOST_SPIRIT_INSTANTIATE(DeclRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(HeaderRule, Iterator, Context)

} // namespace mommie::frontend::grammar
