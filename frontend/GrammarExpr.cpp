// The expression grammar (X3). Precedence, lowest first:
//   ~>  (non-associative)      =>  (right-associative)      ||      &&
//   prefix [] <>  (operand: a comparison)
//   == != < <= > >= in notin subseteq  (non-associative)
//   union \      inter      ..  (non-associative)      + -      * / %
//   unary ! -    postfix .field .0 [index]    primary
// `{` starts a set literal, a filter `{x in S | p}` or a map `{e : x in S}`:
// the first element is parsed once and the token after it decides, so that
// nested braces never backtrack.
#include "frontend/Grammar.h"

namespace mommie::frontend::grammar {

using namespace ast;
namespace fusion = boost::fusion;
using x3::_attr;
using x3::_val;
using x3::_where;

namespace {

constexpr OpEntry orOps[] = {{"||", "", false, BinOp::Or}};
constexpr OpEntry andOps[] = {{"&&", "", false, BinOp::And}};
constexpr OpEntry cmpOps[] = {{"==", "", false, BinOp::Eq},
                              {"!=", "", false, BinOp::Ne},
                              {"<=", "", false, BinOp::Le},
                              {">=", "", false, BinOp::Ge},
                              {"<", "-<>=", false, BinOp::Lt},
                              {">", ">=", false, BinOp::Gt},
                              {"in", "", true, BinOp::In},
                              {"notin", "", true, BinOp::NotIn},
                              {"subseteq", "", true, BinOp::SubsetEq}};
constexpr OpEntry unionOps[] = {{"union", "", true, BinOp::Union},
                                {"\\", "", false, BinOp::Diff}};
constexpr OpEntry interOps[] = {{"inter", "", true, BinOp::Inter}};
constexpr OpEntry addOps[] = {{"+", "", false, BinOp::Add},
                              {"-", ">", false, BinOp::Sub}};
constexpr OpEntry mulOps[] = {{"*", "", false, BinOp::Mul},
                              {"/", "", false, BinOp::Div},
                              {"%", "", false, BinOp::Mod}};

template <size_t N>
constexpr OpParser ops(const OpEntry (&e)[N], const char *name) {
  return OpParser{{}, e, N, name};
}

// --- actions ----------------------------------------------------------------

auto const setVal = [](auto &c) { _val(c) = _attr(c); };

auto const foldBin = [](auto &c) {
  auto &a = _attr(c);
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Binary;
  e->binOp = fusion::at_c<0>(a);
  e->args = {_val(c), fusion::at_c<1>(a)};
  e->loc = e->args[0]->loc;
  noteHeight(e.get(), e->args[0].get(), e->args[1].get(), _where(c).begin());
  _val(c) = e;
};

// lhs OP rhs for a fixed kind / operator (attribute: rhs).
auto binKind(ExprKind k, BinOp op = BinOp::Add) {
  return [k, op](auto &c) {
    auto e = std::make_shared<Expr>();
    if (k == ExprKind::LeadsTo)
      state().temporalNodes.push_back(e);
    e->kind = k;
    e->binOp = op;
    e->args = {_val(c), _attr(c)};
    e->loc = e->args[0]->loc;
    noteHeight(e.get(), e->args[0].get(), e->args[1].get(), _where(c).begin());
    _val(c) = e;
  };
}

// Prefix operator (attribute: operand).
auto prefix(ExprKind k, UnOp op = UnOp::Not) {
  return [k, op](auto &c) {
    auto e = makeExpr(k, _where(c).begin());
    if (k != ExprKind::Unary)
      state().temporalNodes.push_back(e);
    e->unOp = op;
    e->args = {_attr(c)};
    _val(c) = e;
  };
}

// Starts a node of kind k at the current token.
auto start(ExprKind k) {
  return [k](auto &c) { _val(c) = makeExpr(k, _where(c).begin()); };
}
auto const pushArg = [](auto &c) { _val(c)->args.push_back(_attr(c)); };
auto const setArgs = [](auto &c) { _val(c)->args = _attr(c); };
auto const setBody = [](auto &c) { _val(c)->body = _attr(c); };
auto const setCond = [](auto &c) { _val(c)->cond = _attr(c); };
auto const pushBinder = [](auto &c) { _val(c)->binders.push_back(_attr(c)); };
auto const setBinders = [](auto &c) { _val(c)->binders = _attr(c); };

auto const mkInt = [](auto &c) {
  auto e = makeExpr(ExprKind::IntLit, _where(c).begin());
  e->intVal = _attr(c);
  _val(c) = e;
};
auto mkBool(bool b) {
  return [b](auto &c) {
    auto e = makeExpr(ExprKind::BoolLit, _where(c).begin());
    e->boolVal = b;
    _val(c) = e;
  };
}
auto const mkName = [](auto &c) {
  auto e = makeExpr(ExprKind::Name, _where(c).begin());
  e->name = _attr(c);
  _val(c) = e;
};
auto const mkKnown = [](auto &c) {
  auto e = makeExpr(ExprKind::Known, _where(c).begin());
  e->pattern = _attr(c);
  _val(c) = e;
};
// `(e)` is e itself; `(a, b, ...)` a tuple.
auto const mkParen = [](auto &c) {
  std::vector<ExprPtr> &v = _attr(c);
  if (v.size() == 1) {
    _val(c) = v[0];
    return;
  }
  auto e = makeExpr(ExprKind::Tuple, _where(c).begin());
  e->args = std::move(v);
  _val(c) = e;
};
auto const toCall = [](auto &c) { _val(c)->kind = ExprKind::Call; };
auto const toRecord = [](auto &c) { _val(c)->kind = ExprKind::RecordNamed; };
auto const pushField = [](auto &c) { _val(c)->fields.push_back(_attr(c)); };
// `{e : x in S ...}`: the first element becomes the image.
auto const toSetMap = [](auto &c) {
  Expr &e = *_val(c);
  e.kind = ExprKind::SetMap;
  e.body = e.args[0];
  e.args.clear();
  e.binders.push_back(_attr(c));
};
// `{x in S | p}`: the first element must be `x in S`.
auto const toFilter = [](auto &c) {
  Expr &e = *_val(c);
  ExprPtr first = e.args[0];
  if (first->kind != ExprKind::Binary || first->binOp != BinOp::In ||
      first->args[0]->kind != ExprKind::Name)
    throw SyntaxError{nullptr, "expected 'x in S' before '|' in a set filter",
                      first->loc};
  e.kind = ExprKind::SetFilter;
  e.args.clear();
  e.binders.push_back(
      Binder{first->args[0]->name, first->args[1], first->args[0]->loc});
  e.body = _attr(c);
};
auto const mkTupleGet = [](auto &c) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::TupleGet;
  e->intVal = _attr(c);
  e->args = {_val(c)};
  e->loc = _val(c)->loc;
  noteHeight(e.get(), e->args[0].get(), nullptr, _where(c).begin());
  _val(c) = e;
};
auto const mkField = [](auto &c) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::Field;
  e->name = _attr(c);
  e->args = {_val(c)};
  e->loc = _val(c)->loc;
  noteHeight(e.get(), e->args[0].get(), nullptr, _where(c).begin());
  _val(c) = e;
};

// --- rules ------------------------------------------------------------------

struct LeadsToId : Annotate {};
x3::rule<LeadsToId, ExprPtr> const leadsTo = "expression";
struct ImpliesId : Annotate {};
x3::rule<ImpliesId, ExprPtr> const implies = "expression";
struct OrId : Annotate {};
x3::rule<OrId, ExprPtr> const orExpr = "expression";
struct AndId : Annotate {};
x3::rule<AndId, ExprPtr> const andExpr = "expression";
struct TPrefixId : Annotate {};
x3::rule<TPrefixId, ExprPtr> const tprefix = "expression";
struct CmpId : Annotate {};
x3::rule<CmpId, ExprPtr> const cmpExpr = "expression";
struct UnionId : Annotate {};
x3::rule<UnionId, ExprPtr> const unionExpr = "expression";
struct InterId : Annotate {};
x3::rule<InterId, ExprPtr> const interExpr = "expression";
struct RangeId : Annotate {};
x3::rule<RangeId, ExprPtr> const rangeExpr = "expression";
struct MulId : Annotate {};
x3::rule<MulId, ExprPtr> const mulExpr = "expression";
struct UnaryId : Annotate {};
x3::rule<UnaryId, ExprPtr> const unary = "expression";
struct PostfixId : Annotate {};
x3::rule<PostfixId, ExprPtr> const postfix = "expression";
struct PrimaryId : Annotate {};
x3::rule<PrimaryId, ExprPtr> const primary = "expression";
struct BracesId : Annotate {};
x3::rule<BracesId, ExprPtr> const braces = "expression";
struct IdentExprId : Annotate {};
x3::rule<IdentExprId, ExprPtr> const identExpr = "expression";
struct ExprListId : Annotate {};
x3::rule<ExprListId, std::vector<ExprPtr>> const exprList = "expression";
struct BinderId : Annotate {};
x3::rule<BinderId, Binder> const binder = "binder 'x in S'";
struct BindersId : Annotate {};
x3::rule<BindersId, std::vector<Binder>> const binders = "binder 'x in S'";
struct FieldInitId : Annotate {};
x3::rule<FieldInitId, FieldInit> const fieldInit =
    "field initializer 'name: expr'";

auto const expr_def = located[leadsTo[setVal]];

auto const leadsTo_def =
    located[implies[setVal] >>
            -(Punct("~>") > implies)[binKind(ExprKind::LeadsTo)]];

auto const implies_def =
    located[guard[orExpr[setVal] >> -(Punct("=>") > implies)[binKind(
                                        ExprKind::Binary, BinOp::Implies)]]];

auto const orExpr_def =
    located[andExpr[setVal] >> *(ops(orOps, "'||'") > andExpr)[foldBin]];

auto const andExpr_def =
    located[tprefix[setVal] >> *(ops(andOps, "'&&'") > tprefix)[foldBin]];

auto const tprefix_def =
    located[guard[(Punct("[]") > tprefix)[prefix(ExprKind::Always)] |
                  (Punct("<>") > tprefix)[prefix(ExprKind::Eventually)] |
                  cmpExpr[setVal]]];

auto const cmpExpr_def =
    located[unionExpr[setVal] >>
            -(ops(cmpOps, "comparison") > unionExpr)[foldBin]];

auto const unionExpr_def =
    located[interExpr[setVal] >>
            *(ops(unionOps, "'union'") > interExpr)[foldBin]];

auto const interExpr_def =
    located[rangeExpr[setVal] >>
            *(ops(interOps, "'inter'") > rangeExpr)[foldBin]];

auto const rangeExpr_def =
    located[additive[setVal] >>
            -(Punct("..") > additive)[binKind(ExprKind::Range)]];

auto const additive_def =
    located[mulExpr[setVal] >> *(ops(addOps, "'+'") > mulExpr)[foldBin]];

auto const mulExpr_def =
    located[unary[setVal] >> *(ops(mulOps, "'*'") > unary)[foldBin]];

auto const unary_def = located
    [guard[(Punct("!", "=") > unary)[prefix(ExprKind::Unary, UnOp::Not)] |
           (Punct("-", ">") > unary)[prefix(ExprKind::Unary, UnOp::Neg)] |
           postfix[setVal]]];

auto const postfix_def =
    located[primary[setVal] >>
            *((Punct(".", ".") >> intLit)[mkTupleGet] |
              (Punct(".", ".") > ident)[mkField] |
              (Punct("[") > expr > Punct("]"))[binKind(ExprKind::Index)])];

auto const exprList_def = located[expr % Punct(",")];

auto const binder_def =
    located[ident[([](auto &c) {
              _val(c).name = _attr(c);
              _val(c).loc = locAt(_where(c).begin());
            })] > Kw("in") > expr[([](auto &c) { _val(c).set = _attr(c); })]];

auto const binders_def = located[binder % Punct(",")];

auto const fieldInit_def =
    located[ident[([](auto &c) {
              _val(c).name = _attr(c);
              _val(c).loc = locAt(_where(c).begin());
            })] > Punct(":") >
            expr[([](auto &c) { _val(c).value = _attr(c); })]];

auto const setTail =
    named("',', '}', ':' or '|'",
          (Punct(":") > binder[toSetMap] > -(Punct("|", "|-") > expr[setCond]) >
           Punct("}")) |
              (Punct("|", "|-") > expr[toFilter] > Punct("}")) |
              (*(Punct(",") > expr[pushArg]) > Punct("}")));

auto const braces_def =
    located[Punct("{")[start(ExprKind::SetLit)] >
            named("expression or '}'", Punct("}") | (expr[pushArg] > setTail))];

auto const identExpr_def =
    located[ident[mkName] >>
            -(((&(Punct("{") >> ident >> Punct(":")) >> Punct("{"))[toRecord] >
               (fieldInit[pushField] % Punct(",")) > Punct("}")) |
              (Punct("(")[toCall] >
               named("expression or ')'",
                     Punct(")") | (exprList[setArgs] > Punct(")")))))];

auto const primary_def =
    located[intLit[mkInt] | Kw("true")[mkBool(true)] |
            Kw("false")[mkBool(false)] | Kw("ME")[start(ExprKind::Me)] |
            Kw("none")[start(ExprKind::NoneLit)] |
            (Kw("some")[start(ExprKind::Some)] > Punct("(") > expr[pushArg] >
             Punct(")")) |
            (Kw("if")[start(ExprKind::Ite)] > expr[pushArg] > Kw("then") >
             expr[pushArg] > Kw("else") > expr[pushArg]) |
            (Kw("forall")[start(ExprKind::Forall)] > binders[setBinders] >
             Punct(":") > expr[setBody]) |
            (Kw("exists")[start(ExprKind::Exists)] > binders[setBinders] >
             Punct(":") > expr[setBody]) |
            (Kw("KNOWN") > pattern)[mkKnown] |
            (Punct("(") > exprList > Punct(")"))[mkParen] | braces[setVal] |
            (Punct("[", "]")[start(ExprKind::MapCons)] > binder[pushBinder] >
             Punct("|->") > expr[setBody] > Punct("]")) |
            (Punct("<<")[start(ExprKind::SeqLit)] >
             named("expression or '>>'",
                   Punct(">>") | (exprList[setArgs] > Punct(">>")))) |
            identExpr[setVal]];

} // namespace

BOOST_SPIRIT_DEFINE(expr, leadsTo, implies, orExpr, andExpr, tprefix, cmpExpr,
                    unionExpr, interExpr, rangeExpr, additive, mulExpr, unary,
                    postfix, exprList, binder, binders, fieldInit, braces,
                    identExpr, primary)

BOOST_SPIRIT_INSTANTIATE(ExprRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(AdditiveRule, Iterator, Context)

} // namespace mommie::frontend::grammar
