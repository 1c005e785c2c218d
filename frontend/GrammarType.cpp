// The type grammar (X3): bool, int, `int model lo..hi`, principal, set<T>,
// map<K, V>, option<T>, seq<T>, (T1, T2, ...), a name, or a range lo..hi whose
// bounds are additive expressions. A name followed by a token that continues an
// expression (`..`, `+`, `[`, ...) starts a range, so `N-1..N` parses.
#include "frontend/Grammar.h"

namespace mommie::frontend::grammar {

using namespace ast;
using x3::_attr;
using x3::_val;
using x3::_where;

namespace {

auto start(TypeKind k) {
  return [k](auto &c) {
    auto t = std::make_shared<Type>();
    t->kind = k;
    t->loc = locAt(_where(c).begin());
    _val(c) = t;
  };
}
auto const pushArg = [](auto &c) { _val(c)->args.push_back(_attr(c)); };
auto const mkNamed = [](auto &c) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Named;
  t->name = _attr(c);
  t->loc = locAt(_where(c).begin());
  _val(c) = t;
};
auto const startRange = [](auto &c) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::Range;
  t->lo = _attr(c);
  t->loc = t->lo->loc;
  _val(c) = t;
};
// `int model lo..hi`: the range the model explores of an unbounded int.
auto const setModelLo = [](auto &c) {
  _val(c)->kind = TypeKind::Range;
  _val(c)->model = true;
  _val(c)->lo = _attr(c);
};
auto const setHi = [](auto &c) { _val(c)->hi = _attr(c); };
// `(T)` is T; `(T1, T2, ...)` a tuple.
auto const fixTuple = [](auto &c) {
  if (_val(c)->args.size() == 1)
    _val(c) = _val(c)->args[0];
};

auto const rangeCont = Punct("..") | Punct("+") | Punct("-", ">") | Punct("*") |
                       Punct("/") | Punct("%") | Punct(".") | Punct("[") |
                       Punct("(");

} // namespace

auto const type_def =
    located[guard[Kw("bool")[start(TypeKind::Bool)] |
                  (Kw("int")[start(TypeKind::Int)] >>
                   -(Kw("model") > additive[setModelLo] > Punct("..") >
                     additive[setHi])) |
                  Kw("principal")[start(TypeKind::Principal)] |
                  (Kw("set")[start(TypeKind::Set)] > Punct("<") >
                   type[pushArg] > Punct(">")) |
                  (Kw("map")[start(TypeKind::Map)] > Punct("<") >
                   type[pushArg] > Punct(",") > type[pushArg] > Punct(">")) |
                  (Kw("option")[start(TypeKind::Option)] > Punct("<") >
                   type[pushArg] > Punct(">")) |
                  (Kw("seq")[start(TypeKind::Seq)] > Punct("<") >
                   type[pushArg] > Punct(">")) |
                  ((Punct("(")[start(TypeKind::Tuple)] > type[pushArg] >
                    *(Punct(",") > type[pushArg]) > Punct(")"))[fixTuple]) |
                  (ident >> !rangeCont)[mkNamed] |
                  (additive[startRange] > Punct("..") > additive[setHi])]];

BOOST_SPIRIT_DEFINE(type)
BOOST_SPIRIT_INSTANTIATE(TypeRule, Iterator, Context)

} // namespace mommie::frontend::grammar
