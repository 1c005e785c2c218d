// The statement-pattern grammar (X3):
//   [issuer, verifier, auditor] Record binder {{ field op expr; ... }}
//   [issuer, verifier, auditor] Record* binder {{ ... }}   (a statement set)
// Issuer forms are tried from the most specific: `_`, `ANY`, `x in S`,
// `x S == 1` (the paper's spelling), `x S >= k`, `S >= k` / `S == k`, and
// finally any expression. Each specific form is a short sequence of tokens
// (identifiers, keywords), so trying them costs no deep backtracking.
#include "frontend/Grammar.h"

namespace mommie::frontend::grammar {

using namespace ast;
namespace fusion = boost::fusion;
using x3::_attr;
using x3::_val;
using x3::_where;

namespace {

constexpr OpEntry quorumOps[] = {{">=", "", false, BinOp::Ge},
                                 {"==", "", false, BinOp::Eq}};
constexpr OpEntry constraintOps[] = {
    {"==", "", false, BinOp::Eq},    {"!=", "", false, BinOp::Ne},
    {"<=", "", false, BinOp::Le},    {">=", "", false, BinOp::Ge},
    {"<", "-<>=", false, BinOp::Lt}, {">", ">=", false, BinOp::Gt}};

constexpr OpParser quorumOp{{}, quorumOps, 2, "'>=' or '=='"};
constexpr OpParser constraintOp{{}, constraintOps, 6, "comparison operator"};

using IK = IssuerPattern::Kind;

auto issuerKind(IK k) {
  return [k](auto &c) {
    _val(c) = IssuerPattern{};
    _val(c).kind = k;
    _val(c).loc = locAt(_where(c).begin());
  };
}
auto const mkBindIn = [](auto &c) {
  auto &a = _attr(c);
  _val(c) = IssuerPattern{};
  _val(c).kind = IK::BindIn;
  _val(c).binder = fusion::at_c<0>(a);
  _val(c).set = fusion::at_c<1>(a);
  _val(c).loc = locAt(_where(c).begin());
};
auto const mkBindOne = [](auto &c) {
  auto &a = _attr(c);
  _val(c) = IssuerPattern{};
  _val(c).kind = IK::BindOne;
  _val(c).binder = fusion::at_c<0>(a);
  _val(c).set = fusion::at_c<1>(a);
  _val(c).loc = locAt(_where(c).begin());
};
auto const mkQuorumBinder = [](auto &c) {
  auto &a = _attr(c);
  _val(c) = IssuerPattern{};
  _val(c).kind = IK::Quorum;
  _val(c).binder = fusion::at_c<0>(a);
  _val(c).set = fusion::at_c<1>(a);
  _val(c).exact = fusion::at_c<2>(a) == BinOp::Eq;
  _val(c).threshold = fusion::at_c<3>(a);
  _val(c).loc = locAt(_where(c).begin());
};
auto const mkQuorum = [](auto &c) {
  auto &a = _attr(c);
  _val(c) = IssuerPattern{};
  _val(c).kind = IK::Quorum;
  _val(c).set = fusion::at_c<0>(a);
  _val(c).exact = fusion::at_c<1>(a) == BinOp::Eq;
  _val(c).threshold = fusion::at_c<2>(a);
  _val(c).loc = locAt(_where(c).begin());
};
auto const mkIssuerExpr = [](auto &c) {
  _val(c) = IssuerPattern{};
  _val(c).kind = IK::Expr;
  _val(c).expr = _attr(c);
  _val(c).loc = _attr(c)->loc;
};

using PK = PartyPattern::Kind;
auto partyKind(PK k) {
  return [k](auto &c) {
    _val(c) = PartyPattern{};
    _val(c).kind = k;
    _val(c).loc = locAt(_where(c).begin());
  };
}
auto const mkPartyExpr = [](auto &c) {
  _val(c) = PartyPattern{};
  _val(c).kind = PK::Expr;
  _val(c).expr = _attr(c);
  _val(c).loc = _attr(c)->loc;
};

auto const startPattern = [](auto &c) {
  _val(c) = std::make_shared<Pattern>();
  _val(c)->loc = locAt(_where(c).begin());
};

struct IssuerId : Annotate {};
x3::rule<IssuerId, IssuerPattern> const issuer =
    "issuer ('_', 'ANY', 'x in S', 'S >= k' or expression)";
struct ConstraintId : Annotate {};
x3::rule<ConstraintId, FieldConstraint> const constraint =
    "field constraint 'field == expr;'";

auto const comma = &Punct(",");

auto const issuer_def =
    located[(Kw("_") >> comma)[issuerKind(IK::Underscore)] |
            (Kw("ANY") >> comma)[issuerKind(IK::Any)] |
            (ident >> Kw("in") >> ident >> comma)[mkBindIn] |
            (ident >> ident >> Punct("==") >> Kw("1") >> comma)[mkBindOne] |
            ((ident >> ident >> quorumOp) > expr)[mkQuorumBinder] |
            ((ident >> quorumOp) > expr)[mkQuorum] | expr[mkIssuerExpr]];

auto const constraint_def =
    located[ident[([](auto &c) {
              _val(c).field = _attr(c);
              _val(c).loc = locAt(_where(c).begin());
            })] > constraintOp[setF(&FieldConstraint::op)] >
            expr[setF(&FieldConstraint::expr)] > Punct(";")];

} // namespace

auto const party_def =
    located[Kw("_")[partyKind(PK::Underscore)] | Kw("ANY")[partyKind(PK::Any)] |
            Kw("NOONE")[partyKind(PK::Noone)] | expr[mkPartyExpr]];

auto const pattern_def =
    located[Punct("[")[startPattern] > issuer[setP(&Pattern::issuer)] >
            Punct(",") > party[setP(&Pattern::verifier)] > Punct(",") >
            party[setP(&Pattern::auditor)] > Punct("]") >
            named("record name", x3::raw[ident][([](auto &c) {
                    _val(c)->record.assign(_attr(c).begin(), _attr(c).end());
                    _val(c)->recordLoc = locAt(&*_attr(c).begin());
                  })]) >
            -Punct("*")[([](auto &c) { _val(c)->statementSet = true; })] >
            named("pattern variable", x3::raw[ident][([](auto &c) {
                    _val(c)->binder.assign(_attr(c).begin(), _attr(c).end());
                    _val(c)->binderLoc = locAt(&*_attr(c).begin());
                  })]) >>
            -(Punct("{{") >
              *((!Punct("}}")) > constraint[pushP(&Pattern::constraints)]) >
              Punct("}}"))];

BOOST_SPIRIT_DEFINE(issuer, constraint, party, pattern)
BOOST_SPIRIT_INSTANTIATE(PatternRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(PartyRule, Iterator, Context)

} // namespace mommie::frontend::grammar
