// Internal to the parser: the token parsers, the parse state and the rule
// declarations shared by the Grammar*.cpp files (Boost.Spirit X3).
//
// The grammar is split over several translation units (X3 compiles slowly):
// GrammarExpr.cpp (expressions), GrammarType.cpp (types), GrammarPattern.cpp
// (statement patterns), GrammarStmt.cpp (statements), GrammarDecl.cpp
// (declarations). Each rule is declared here with BOOST_SPIRIT_DECLARE and
// instantiated for the one iterator/context pair the driver (Parser.cpp)
// uses.
//
// Tokens are parsed by small hand-written X3 parsers rather than by a
// separate lexer: Punct (an operator or punctuation, with the characters
// that must not follow it, so that `<` never eats the start of `<-`), Kw (a
// keyword: whole word only), Ident (an identifier that is not a keyword),
// IntLit and DurationLit. Each names itself for "expected ..." messages.
#pragma once

#include "frontend/Ast.h"

#include <boost/spirit/home/x3.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mommie::frontend::grammar {

namespace x3 = boost::spirit::x3;

using Iterator = const char *;

//===----------------------------------------------------------------------===//
// Parse state and errors
//===----------------------------------------------------------------------===//

// The source being parsed; one per parseProgram call (thread-local current).
struct ParseState {
  std::string file;
  const char *begin = nullptr;
  const char *end = nullptr;
  std::vector<size_t> lineStarts; // offsets of the first char of each line
  unsigned depth = 0;             // current nesting of guarded rules
  std::unordered_map<const ast::Expr *, unsigned> heights; // see noteHeight
  std::vector<ast::ExprPtr> temporalNodes; // [] <> ~> of the current decl

  ParseState(std::string file, const char *b, const char *e);
  ast::SourceLoc locAt(const char *p) const;
};

ParseState &state();
void setState(ParseState *s);

// Maximum nesting of guarded rules (expressions, types, statements). Each
// bracket of the source costs two or three levels.
constexpr unsigned MaxNesting = 800;

// A syntax error detected by an action (not by an expectation point).
struct SyntaxError {
  const char *where; // null: use loc
  std::string message;
  ast::SourceLoc loc = {};
};

// Records the height of a left-folded expression node (binary operator
// chains, postfix chains) and throws when a chain nests too deeply: such
// trees are built iteratively by the parser but walked recursively later.
void noteHeight(const ast::Expr *node, const ast::Expr *a, const ast::Expr *b,
                const char *where);

inline ast::SourceLoc locAt(const char *p) { return state().locAt(p); }

bool isIdentStart(char c);
bool isIdentChar(char c);
bool isKeyword(std::string_view word);
bool startsWithKeywordProtocol(const char *p, const char *end);

// Skips white space, `// ...` and `/* ... */` (the grammar's skipper).
// An unterminated block comment is left in place (the pre-scan reports it).
const char *skipSpace(const char *p, const char *end);

//===----------------------------------------------------------------------===//
// Token parsers
//===----------------------------------------------------------------------===//

struct Skipper : x3::parser<Skipper> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &, RCtx &, Attr &) const {
    const char *p = skipSpace(first, last);
    if (p == first)
      return false;
    first = p;
    return true;
  }
};
constexpr Skipper skipper{};

using Context = x3::phrase_parse_context<Skipper>::type;

// Punctuation / operator `text`, not followed by any char of `notFollowed`.
struct Punct : x3::parser<Punct> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  const char *text;
  const char *notFollowed;
  constexpr Punct(const char *t, const char *nf = "")
      : text(t), notFollowed(nf) {}
  bool match(const char *p, const char *end) const {
    const char *t = text;
    for (; *t; ++t, ++p)
      if (p == end || *p != *t)
        return false;
    if (p != end)
      for (const char *n = notFollowed; *n; ++n)
        if (*p == *n)
          return false;
    return true;
  }
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &, Attr &) const {
    x3::skip_over(first, last, ctx);
    if (!match(first, last))
      return false;
    first += std::char_traits<char>::length(text);
    return true;
  }
};

// A keyword (or `_`): the word, not followed by an identifier character.
struct Kw : x3::parser<Kw> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  const char *text;
  constexpr explicit Kw(const char *t) : text(t) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &, Attr &) const {
    x3::skip_over(first, last, ctx);
    const char *p = first;
    for (const char *t = text; *t; ++t, ++p)
      if (p == last || *p != *t)
        return false;
    if (p != last && isIdentChar(*p))
      return false;
    first = p;
    return true;
  }
};

// An identifier that is not a keyword (and not `_`).
struct Ident : x3::parser<Ident> {
  using attribute_type = std::string;
  static bool const has_attribute = true;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &,
             Attr &attr) const {
    x3::skip_over(first, last, ctx);
    const char *p = first;
    if (p == last || !isIdentStart(*p))
      return false;
    while (p != last && isIdentChar(*p))
      ++p;
    std::string_view word(first, p - first);
    if (isKeyword(word))
      return false;
    x3::traits::move_to(std::string(word), attr);
    first = p;
    return true;
  }
};
constexpr Ident ident{};

// A non-negative decimal integer that fits in int64, not followed by an
// identifier character.
struct IntLit : x3::parser<IntLit> {
  using attribute_type = int64_t;
  static bool const has_attribute = true;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &,
             Attr &attr) const {
    x3::skip_over(first, last, ctx);
    const char *p = first;
    uint64_t v = 0;
    if (p == last || *p < '0' || *p > '9')
      return false;
    for (; p != last && *p >= '0' && *p <= '9'; ++p) {
      v = v * 10 + uint64_t(*p - '0');
      if (v > uint64_t(INT64_MAX))
        throw SyntaxError{first, "integer literal is too large"};
    }
    if (p != last && isIdentChar(*p))
      return false;
    x3::traits::move_to(int64_t(v), attr);
    first = p;
    return true;
  }
};
constexpr IntLit intLit{};

// A duration `50ms` / `2s`.
struct DurationLit : x3::parser<DurationLit> {
  using attribute_type = ast::Duration;
  static bool const has_attribute = true;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &,
             Attr &attr) const {
    x3::skip_over(first, last, ctx);
    const char *p = first;
    int64_t v = 0;
    if (p == last || *p < '0' || *p > '9')
      return false;
    for (; p != last && *p >= '0' && *p <= '9'; ++p) {
      v = v * 10 + (*p - '0');
      if (v > 1000000000000LL)
        throw SyntaxError{first, "duration is too large"};
    }
    ast::Duration d;
    if (last - p >= 2 && p[0] == 'm' && p[1] == 's') {
      d.unit = ast::Duration::Unit::Ms;
      p += 2;
    } else if (p != last && *p == 's') {
      d.unit = ast::Duration::Unit::S;
      p += 1;
    } else {
      return false;
    }
    if (p != last && isIdentChar(*p))
      return false;
    d.value = v;
    d.loc = locAt(first);
    x3::traits::move_to(d, attr);
    first = p;
    return true;
  }
};
constexpr DurationLit durationLit{};

// One of a fixed list of binary operators; attribute: the BinOp.
struct OpEntry {
  const char *text;
  const char *notFollowed; // for punctuation
  bool word;               // a keyword operator (in, notin, ...)
  ast::BinOp op;
};

struct OpParser : x3::parser<OpParser> {
  using attribute_type = ast::BinOp;
  static bool const has_attribute = true;
  const OpEntry *entries;
  size_t count;
  const char *name;
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &rctx,
             Attr &attr) const {
    x3::skip_over(first, last, ctx);
    for (size_t i = 0; i < count; ++i) {
      const OpEntry &e = entries[i];
      It p = first;
      x3::unused_type u;
      bool ok = e.word ? Kw(e.text).parse(p, last, x3::unused, rctx, u)
                       : Punct(e.text, e.notFollowed)
                             .parse(p, last, x3::unused, rctx, u);
      if (ok) {
        x3::traits::move_to(e.op, attr);
        first = p;
        return true;
      }
    }
    return false;
  }
};

// Gives a parser a name for "expected <name>" messages.
template <class Subject>
struct NamedDirective : x3::unary_parser<Subject, NamedDirective<Subject>> {
  using base_type = x3::unary_parser<Subject, NamedDirective<Subject>>;
  static bool const is_pass_through_unary = true;
  const char *name;
  constexpr NamedDirective(Subject const &s, const char *n)
      : base_type(s), name(n) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &rctx,
             Attr &attr) const {
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};
template <class P> constexpr auto named(const char *n, P const &p) {
  return NamedDirective<typename x3::extension::as_parser<P>::value_type>(
      x3::as_parser(p), n);
}

// Counts nesting; throws SyntaxError when the input nests too deeply
// (protects the stack against inputs like 100000 '(' characters).
template <class Subject>
struct GuardDirective : x3::unary_parser<Subject, GuardDirective<Subject>> {
  using base_type = x3::unary_parser<Subject, GuardDirective<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr GuardDirective(Subject const &s) : base_type(s) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &rctx,
             Attr &attr) const {
    ParseState &st = state();
    if (st.depth >= MaxNesting) {
      x3::skip_over(first, last, ctx);
      throw SyntaxError{first, "nesting is too deep"};
    }
    struct Depth {
      ParseState &st;
      ~Depth() { --st.depth; }
    } d{st};
    ++st.depth;
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};
struct GuardGen {
  template <class P> constexpr auto operator[](P const &p) const {
    return GuardDirective<typename x3::extension::as_parser<P>::value_type>(
        x3::as_parser(p));
  }
};
constexpr GuardGen guard{};

//===----------------------------------------------------------------------===//
// Rules shared across translation units
//===----------------------------------------------------------------------===//

// Rule IDs derive from Annotate: when a rule matches, X3 calls
// on_success with the first position after white space, which becomes the
// `loc` of the rule's value (a node, or a struct with a `loc` member).
template <class T> void annotate(std::shared_ptr<T> &p, const char *at) {
  if constexpr (requires { p->loc = ast::SourceLoc{}; })
    if (p)
      p->loc = locAt(at);
}
template <class T> void annotate(T &v, const char *at) {
  if constexpr (requires { v.loc = ast::SourceLoc{}; })
    v.loc = locAt(at);
}
struct Annotate {
  // (Ctx&&: X3 1.74 tests for on_success with the attribute and context
  // types swapped, passing the "context" as an rvalue.)
  template <class It, class Attr, class Ctx>
  void on_success(It const &first, It const &, Attr &attr, Ctx &&) const {
    annotate(attr, first);
  }
};

// located[p]: after p matches, sets the loc of the enclosing rule's value
// (X3 passes the rule's value as `rcontext`) to p's first token. Every
// rule definition is wrapped in it (X3 does not call on_success with the
// value of rules that have semantic actions).
template <class Subject>
struct LocatedDirective : x3::unary_parser<Subject, LocatedDirective<Subject>> {
  using base_type = x3::unary_parser<Subject, LocatedDirective<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr LocatedDirective(Subject const &s) : base_type(s) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It &first, It const &last, Ctx const &ctx, RCtx &rctx,
             Attr &attr) const {
    x3::skip_over(first, last, ctx);
    It start = first;
    if (!this->subject.parse(first, last, ctx, rctx, attr))
      return false;
    annotate(rctx, start);
    return true;
  }
};
struct LocatedGen {
  template <class P> constexpr auto operator[](P const &p) const {
    return LocatedDirective<typename x3::extension::as_parser<P>::value_type>(
        x3::as_parser(p));
  }
};
constexpr LocatedGen located{};

struct ExprId : Annotate {};
struct AdditiveId : Annotate {};
struct TypeId : Annotate {};
struct PatternId : Annotate {};
struct StmtId : Annotate {};
struct BlockId : Annotate {};
struct DeclId : Annotate {};
struct PartyId : Annotate {};
struct HeaderId : Annotate {};

using ExprRule = x3::rule<ExprId, ast::ExprPtr>;
using AdditiveRule = x3::rule<AdditiveId, ast::ExprPtr>;
using TypeRule = x3::rule<TypeId, ast::TypePtr>;
using PatternRule = x3::rule<PatternId, ast::PatternPtr>;
using StmtRule = x3::rule<StmtId, ast::StmtPtr>;
using BlockRule = x3::rule<BlockId, ast::Block>;
using DeclRule = x3::rule<DeclId, ast::Decl>;
using PartyRule = x3::rule<PartyId, ast::PartyPattern>;
using HeaderRule = x3::rule<HeaderId, std::string>;

constexpr ExprRule expr = "expression";
constexpr AdditiveRule additive = "expression";
constexpr TypeRule type = "type";
constexpr PatternRule pattern = "pattern";
constexpr StmtRule stmt = "statement";
constexpr BlockRule block = "'{'";
constexpr DeclRule decl = "declaration";
constexpr PartyRule party = "'_', 'ANY', 'NOONE' or expression";
constexpr HeaderRule header = "'protocol'";

BOOST_SPIRIT_DECLARE(ExprRule, AdditiveRule, TypeRule, PatternRule, StmtRule,
                     BlockRule, DeclRule, PartyRule, HeaderRule)

// Converts a property formula (an expression that may contain [] <> ~>)
// into a Temporal tree; throws SyntaxError when a temporal operator sits
// inside a state expression (e.g. `x + <>p`).
ast::TemporalPtr toTemporal(const ast::ExprPtr &e);

// Action factories: set / push a field of the rule's value (`_val` is a
// struct) or of the pointed-to node (`_val` is a shared_ptr).
template <class T, class F> auto setF(F T::*m) {
  return [m](auto &c) { x3::_val(c).*m = std::move(x3::_attr(c)); };
}
template <class T, class F> auto setP(F T::*m) {
  return [m](auto &c) { (*x3::_val(c)).*m = std::move(x3::_attr(c)); };
}
template <class T, class F> auto pushF(std::vector<F> T::*m) {
  return [m](auto &c) { (x3::_val(c).*m).push_back(std::move(x3::_attr(c))); };
}
template <class T, class F> auto pushP(std::vector<F> T::*m) {
  return
      [m](auto &c) { ((*x3::_val(c)).*m).push_back(std::move(x3::_attr(c))); };
}
// Sets `_val.loc` to the current token (for struct values).
inline auto const setLoc = [](auto &c) {
  x3::_val(c).loc = locAt(x3::_where(c).begin());
};

// Helpers shared by the grammar files.
inline ast::ExprPtr makeExpr(ast::ExprKind k, const char *at) {
  auto e = std::make_shared<ast::Expr>();
  e->kind = k;
  e->loc = locAt(at);
  return e;
}

} // namespace mommie::frontend::grammar

namespace boost::spirit::x3 {
template <> struct get_info<mommie::frontend::grammar::Punct> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::Punct const &p) const {
    return std::string("'") + p.text + "'";
  }
};
template <> struct get_info<mommie::frontend::grammar::Kw> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::Kw const &p) const {
    return std::string("'") + p.text + "'";
  }
};
template <> struct get_info<mommie::frontend::grammar::Ident> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::Ident const &) const {
    return "identifier";
  }
};
template <> struct get_info<mommie::frontend::grammar::IntLit> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::IntLit const &) const {
    return "integer";
  }
};
template <> struct get_info<mommie::frontend::grammar::DurationLit> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::DurationLit const &) const {
    return "duration (e.g. 50ms, 2s)";
  }
};
template <> struct get_info<mommie::frontend::grammar::OpParser> {
  using result_type = std::string;
  std::string operator()(mommie::frontend::grammar::OpParser const &p) const {
    return p.name;
  }
};
template <class S>
struct get_info<mommie::frontend::grammar::NamedDirective<S>> {
  using result_type = std::string;
  std::string
  operator()(mommie::frontend::grammar::NamedDirective<S> const &p) const {
    return p.name;
  }
};
// Names of composite parsers, for "expected ..." messages: a sequence is
// named after its first element, an alternative after its branches.
template <class L, class R> struct get_info<sequence<L, R>> {
  using result_type = std::string;
  std::string operator()(sequence<L, R> const &p) const { return what(p.left); }
};
template <class L, class R> struct get_info<alternative<L, R>> {
  using result_type = std::string;
  std::string operator()(alternative<L, R> const &p) const {
    return what(p.left) + " or " + what(p.right);
  }
};
template <class S> struct get_info<optional<S>> {
  using result_type = std::string;
  std::string operator()(optional<S> const &p) const { return what(p.subject); }
};
template <class S> struct get_info<kleene<S>> {
  using result_type = std::string;
  std::string operator()(kleene<S> const &p) const { return what(p.subject); }
};
template <class S> struct get_info<expect_directive<S>> {
  using result_type = std::string;
  std::string operator()(expect_directive<S> const &p) const {
    return what(p.subject);
  }
};
template <class S> struct get_info<and_predicate<S>> {
  using result_type = std::string;
  std::string operator()(and_predicate<S> const &p) const {
    return what(p.subject);
  }
};
template <class S, class A> struct get_info<action<S, A>> {
  using result_type = std::string;
  std::string operator()(action<S, A> const &p) const {
    return what(p.subject);
  }
};
template <class S>
struct get_info<mommie::frontend::grammar::LocatedDirective<S>> {
  using result_type = std::string;
  std::string
  operator()(mommie::frontend::grammar::LocatedDirective<S> const &p) const {
    return what(p.subject);
  }
};
template <class S>
struct get_info<mommie::frontend::grammar::GuardDirective<S>> {
  using result_type = std::string;
  std::string
  operator()(mommie::frontend::grammar::GuardDirective<S> const &p) const {
    return what(p.subject);
  }
};
} // namespace boost::spirit::x3
