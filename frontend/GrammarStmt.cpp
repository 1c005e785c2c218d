// The statement grammar (X3) of body specs `@@{ ... @@}` and round
// `update { ... }` blocks. A statement is chosen by its first token(s):
// a keyword (let, if, PUBLISH, start, cancel, skip), a type followed by an
// identifier (the typed local `Result res <- e;`), or an lvalue path
// followed by `<-` (assignment). The typed-local form is only tried when a
// look-ahead shows a type keyword, `(`, a number, `-` or two identifiers,
// so no expectation failure escapes a wrong guess.
#include "frontend/Grammar.h"

namespace mommie::frontend::grammar {

using namespace ast;
using x3::_attr;
using x3::_val;
using x3::_where;

namespace {

auto start(StmtKind k) {
  return [k](auto &c) {
    _val(c) = std::make_shared<Stmt>();
    _val(c)->kind = k;
    _val(c)->loc = locAt(_where(c).begin());
  };
}
auto const startTyped = [](auto &c) {
  _val(c) = std::make_shared<Stmt>();
  _val(c)->kind = StmtKind::TypedLocal;
  _val(c)->type = _attr(c);
  _val(c)->loc = _attr(c)->loc;
};
auto const startAssign = [](auto &c) {
  _val(c) = std::make_shared<Stmt>();
  _val(c)->kind = StmtKind::Assign;
  _val(c)->name = _attr(c);
  _val(c)->loc = locAt(_where(c).begin());
};
auto const setElseIf = [](auto &c) { _val(c)->elseBody = {_attr(c)}; };
auto const setHasElse = [](auto &c) { _val(c)->hasElse = true; };

using LK = LValueStep::Kind;
auto const stepTuple = [](auto &c) {
  _val(c).kind = LK::TupleGet;
  _val(c).index = _attr(c);
};
auto const stepField = [](auto &c) {
  _val(c).kind = LK::Field;
  _val(c).field = _attr(c);
};
auto const pushStep = [](auto &c) { _val(c)->path.push_back(_attr(c)); };

struct LStepId : Annotate {};
x3::rule<LStepId, LValueStep> const lstep = "'[', '.' or '<-'";
auto const lstep_def = located[(Punct(".", ".") >> intLit)[stepTuple] |
                               (Punct(".", ".") > ident)[stepField] |
                               (Punct("[") > expr[([](auto &c) {
                                  _val(c).kind = LK::Index;
                                  _val(c).key = _attr(c);
                                })] > Punct("]"))];

struct IfStmtId : Annotate {};
x3::rule<IfStmtId, StmtPtr> const ifStmt = "'if'";

auto const semi = Punct(";");

auto const rangeOp = Punct("..") | Punct("+") | Punct("-", ">") | Punct("*") |
                     Punct("/") | Punct("%");
auto const typeStart = Kw("bool") | Kw("int") | Kw("principal") | Kw("set") |
                       Kw("map") | Kw("option") | Kw("seq") | Punct("(") |
                       (-Punct("-") >> intLit >> rangeOp) | (ident >> ident) |
                       (ident >> rangeOp);

auto const ifStmt_def =
    located[Kw("if")[start(StmtKind::If)] > expr[setP(&Stmt::cond)] >
            block[setP(&Stmt::thenBody)] >>
            -(Kw("else")[setHasElse] >
              named("'{' or 'if'",
                    ifStmt[setElseIf] | block[setP(&Stmt::elseBody)]))];

} // namespace

auto const block_def =
    located[Punct("{") > *((!Punct("}")) > stmt[([](auto &c) {
                             _val(c).push_back(_attr(c));
                           })]) > Punct("}")];

auto const stmt_def =
    located[guard[(Kw("let")[start(StmtKind::Let)] > ident[setP(&Stmt::name)] >
                   Punct("=", "=>") > expr[setP(&Stmt::value)] > semi) |
                  ifStmt[([](auto &c) { _val(c) = _attr(c); })] |
                  (Kw("PUBLISH")[start(StmtKind::Publish)] > Punct("[") >
                   expr[setP(&Stmt::issuer)] > Punct(",") >
                   expr[setP(&Stmt::verifier)] > Punct(",") >
                   party[setP(&Stmt::auditor)] > Punct("]") >
                   named("record value", expr)[setP(&Stmt::value)] >>
                   -(Kw("PROGRESS") > pattern[setP(&Stmt::progress)]) > semi) |
                  (Kw("start")[start(StmtKind::Start)] >
                   ident[setP(&Stmt::name)] > semi) |
                  (Kw("cancel")[start(StmtKind::Cancel)] >
                   ident[setP(&Stmt::name)] > semi) |
                  (Kw("skip")[start(StmtKind::Skip)] > semi) |
                  ((&typeStart >> type[startTyped]) > ident[setP(&Stmt::name)] >
                   Punct("<-") > expr[setP(&Stmt::value)] > semi) |
                  ((ident[startAssign] >> *lstep[pushStep]) > Punct("<-") >
                   expr[setP(&Stmt::value)] > semi)]];

BOOST_SPIRIT_DEFINE(lstep, ifStmt, block, stmt)
BOOST_SPIRIT_INSTANTIATE(StmtRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(BlockRule, Iterator, Context)

} // namespace mommie::frontend::grammar
