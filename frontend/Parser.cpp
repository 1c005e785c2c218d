// The parser driver: pre-scan (bracket depth, unterminated comments), the
// `protocol` header, then one declaration at a time with error recovery.
//
// Each declaration is parsed by the X3 rule `decl` (GrammarDecl.cpp). An
// expectation failure (`a > b` where b does not match) becomes
// `expected <what b is called>` at the first token after the white space
// where b was tried. The parser then skips to the next line starting with a
// top-level keyword and goes on. Parsing runs on a thread with a large
// stack so that the nesting limits, not the platform's default stack size,
// decide what is accepted.
#include "frontend/Parser.h"
#include "frontend/Grammar.h"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <string_view>

namespace mommie::frontend {

namespace grammar {

static thread_local ParseState *current = nullptr;

ParseState &state() { return *current; }
void setState(ParseState *s) { current = s; }

ParseState::ParseState(std::string f, const char *b, const char *e)
    : file(std::move(f)), begin(b), end(e) {
  lineStarts.push_back(0);
  for (const char *p = b; p != e; ++p)
    if (*p == '\n')
      lineStarts.push_back(size_t(p - b) + 1);
}

ast::SourceLoc ParseState::locAt(const char *p) const {
  if (!p || p < begin)
    p = begin;
  if (p > end)
    p = end;
  size_t off = size_t(p - begin);
  auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), off);
  size_t line = size_t(it - lineStarts.begin()); // 1-based
  size_t col = off - lineStarts[line - 1] + 1;
  return ast::SourceLoc{file, uint32_t(line), uint32_t(col)};
}

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }

static const char *const Keywords[] = {
    "protocol",   "param",     "assume",     "principals", "const",
    "record",     "type",      "fun",        "role",       "at",
    "var",        "timer",     "transition", "WHEN",       "ANDWHEN",
    "IF",         "AFTER",     "timeout",    "program",    "PUBLISH",
    "PROGRESS",   "KNOWN",     "ME",         "NOONE",      "ANY",
    "let",        "if",        "then",       "else",       "in",
    "notin",      "subseteq",  "union",      "inter",      "forall",
    "exists",     "start",     "cancel",     "skip",       "true",
    "false",      "none",      "some",       "faults",     "crash",
    "byzantine",  "invariant", "lemma",      "property",   "fairness",
    "constraint", "weak",      "strong",     "terminate",  "communication",
    "phase",      "bound",     "round",      "progress",   "waitMessages",
    "goAhead",    "when",      "catchUp",    "sync",       "send",
    "to",         "update",    "bool",       "int",        "principal",
    "set",        "map",       "option",     "seq",        "_"};

bool isKeyword(std::string_view w) {
  for (const char *k : Keywords)
    if (w == k)
      return true;
  return false;
}

const char *skipSpace(const char *p, const char *end) {
  while (p != end) {
    char c = *p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      ++p;
    } else if (c == '/' && end - p >= 2 && p[1] == '/') {
      while (p != end && *p != '\n')
        ++p;
    } else if (c == '/' && end - p >= 2 && p[1] == '*') {
      const char *q = p + 2;
      while (end - q >= 2 && !(q[0] == '*' && q[1] == '/'))
        ++q;
      if (end - q < 2)
        return p; // unterminated: reported by the pre-scan
      p = q + 2;
    } else {
      break;
    }
  }
  return p;
}

void noteHeight(const ast::Expr *node, const ast::Expr *a, const ast::Expr *b,
                const char *where) {
  ParseState &st = state();
  auto h = [&](const ast::Expr *e) -> unsigned {
    if (!e)
      return 0;
    auto it = st.heights.find(e);
    return it == st.heights.end() ? 1 : it->second;
  };
  unsigned height = std::max(h(a), h(b)) + 1;
  if (height > MaxNesting)
    throw SyntaxError{where, "expression is nested too deeply"};
  st.heights[node] = height;
}

} // namespace grammar

namespace {

namespace x3 = boost::spirit::x3;
using grammar::Iterator;
using grammar::ParseState;
using grammar::skipSpace;

const char *const TopKeywords[] = {
    "protocol",  "param",     "assume",   "principals", "const",
    "record",    "type",      "fun",      "role",       "faults",
    "invariant", "lemma",     "property", "fairness",   "communication",
    "terminate", "constraint"};

bool startsWithKeyword(const char *p, const char *end, const char *kw) {
  size_t n = std::strlen(kw);
  if (size_t(end - p) < n || std::memcmp(p, kw, n) != 0)
    return false;
  return p + n == end || !grammar::isIdentChar(p[n]);
}

// The first line after `from` whose first token is a top-level keyword.
const char *recover(const char *from, const char *begin, const char *end) {
  const char *p = from;
  if (p > begin && p[-1] != '\n') {
    p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
    if (!p)
      return end;
    ++p;
  }
  while (p < end) {
    const char *q = p;
    while (q != end && (*q == ' ' || *q == '\t' || *q == '\r'))
      ++q;
    for (const char *kw : TopKeywords)
      if (startsWithKeyword(q, end, kw))
        return q;
    p = static_cast<const char *>(std::memchr(q, '\n', size_t(end - q)));
    if (!p)
      return end;
    ++p;
  }
  return end;
}

// Bracket depth and unterminated block comments. Returns false after
// reporting an error.
bool prescan(ParseState &st, DiagnosticEngine &diags) {
  unsigned depth = 0;
  const char *p = st.begin, *end = st.end;
  while (p != end) {
    char c = *p;
    if (c == '/' && end - p >= 2 && p[1] == '/') {
      while (p != end && *p != '\n')
        ++p;
      continue;
    }
    if (c == '/' && end - p >= 2 && p[1] == '*') {
      const char *q = p + 2;
      while (end - q >= 2 && !(q[0] == '*' && q[1] == '/'))
        ++q;
      if (end - q < 2) {
        diags.error(st.locAt(p), "unterminated block comment");
        return false;
      }
      p = q + 2;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      if (++depth > MaxBracketDepth) {
        diags.error(st.locAt(p),
                    fmt::format("brackets nested too deeply (more than {})",
                                MaxBracketDepth));
        return false;
      }
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++p;
  }
  return true;
}

// A likely fix for the token at `at`, appended to the error "expected
// `which`": `=` where `<-` (an assignment) or `==` (a comparison ending an
// expression, a TLA+ habit) is meant, a keyword in the wrong case (`when`),
// a misspelt keyword (`ANDWHN`).
std::string hintAt(const char *at, const char *end, const std::string &which) {
  at = skipSpace(at, end);
  if (at == end)
    return "";
  if (*at == '=' && (end - at < 2 || (at[1] != '=' && at[1] != '>'))) {
    if (which.find("'<-'") != std::string::npos)
      return "; an assignment is written 'x <- e'";
    bool afterExpr = which == "'@@{'" ||
                     which.find("';'") != std::string::npos ||
                     which.find("')'") != std::string::npos;
    return afterExpr ? "; did you mean '=='?" : "";
  }
  const char *q = at;
  while (q != end && grammar::isIdentChar(*q))
    ++q;
  std::string word(at, q);
  if (word.empty() || !grammar::isIdentStart(word[0]))
    return "";
  if (grammar::isKeyword(word)) { // `if` / `when` where `IF` / `WHEN` fits
    std::string upper = word;
    for (auto &c : upper)
      c = char(std::toupper((unsigned char)c));
    return upper != word && grammar::isKeyword(upper)
               ? "; keywords are case-sensitive: did you mean '" + upper + "'?"
               : "";
  }
  std::vector<std::string> keywords(std::begin(grammar::Keywords),
                                    std::end(grammar::Keywords));
  for (const auto &k : keywords)
    if (k.size() == word.size() &&
        std::equal(k.begin(), k.end(), word.begin(), [](char a, char b) {
          return std::tolower((unsigned char)a) ==
                 std::tolower((unsigned char)b);
        }))
      return "; keywords are case-sensitive: did you mean '" + k + "'?";
  if (word.size() >= 4) {
    std::string close = closestName(word, keywords);
    if (!close.empty())
      return "; did you mean '" + close + "'?";
  }
  return "";
}

struct Driver {
  ParseState &st;
  DiagnosticEngine &diags;
  bool ok = true;

  void error(const char *at, const std::string &msg) {
    ok = false;
    diags.error(st.locAt(skipSpace(at, st.end)), msg);
  }

  // Runs `fn` (one X3 parse starting at p) and converts its failures.
  // Returns the position to continue from.
  template <class Fn> const char *guarded(const char *p, Fn fn) {
    st.depth = 0;
    st.heights.clear();
    st.temporalNodes.clear();
    try {
      return fn(p);
    } catch (const x3::expectation_failure<Iterator> &e) {
      error(e.where(),
            "expected " + e.which() + hintAt(e.where(), st.end, e.which()));
      return recover(std::max(e.where(), p + 1), st.begin, st.end);
    } catch (const grammar::SyntaxError &e) {
      ok = false;
      if (e.where)
        diags.error(st.locAt(e.where), e.message);
      else
        diags.error(e.loc, e.message);
      const char *from = e.where ? e.where : p;
      return recover(std::max(from, p + 1), st.begin, st.end);
    }
  }

  ast::Program run() {
    ast::Program prog;
    prog.file = st.file;
    const char *p = skipSpace(st.begin, st.end);
    p = guarded(p, [&](const char *q) -> const char * {
      std::string name;
      const char *start = q;
      if (!x3::phrase_parse(q, st.end, grammar::header, grammar::skipper,
                            name)) {
        error(start, "expected 'protocol'");
        return recover(start + (start != st.end), st.begin, st.end);
      }
      prog.name = std::move(name);
      prog.loc = st.locAt(start);
      return q;
    });
    while (true) {
      p = skipSpace(p, st.end);
      if (p == st.end || diags.errorCount() >= 50)
        break;
      if (*p == '/' && p + 1 != st.end && p[1] == '*')
        break; // unterminated comment, already reported
      p = guarded(p, [&](const char *q) -> const char * {
        const char *start = q;
        ast::Decl d;
        if (!x3::phrase_parse(q, st.end, grammar::decl, grammar::skipper, d)) {
          error(start, grammar::startsWithKeywordProtocol(start, st.end)
                           ? "duplicate 'protocol' header"
                           : "expected declaration");
          return recover(start + 1, st.begin, st.end);
        }
        if (!st.temporalNodes.empty()) {
          ast::SourceLoc first = st.temporalNodes[0]->loc;
          for (const ast::ExprPtr &e : st.temporalNodes)
            if (e->loc.line < first.line ||
                (e->loc.line == first.line && e->loc.col < first.col))
              first = e->loc;
          ok = false;
          diags.error(first,
                      "temporal operator outside a property (use 'property')");
          return q;
        }
        prog.decls.push_back(std::move(d));
        return q;
      });
    }
    return prog;
  }
};

// Runs fn on a thread with a 64 MiB stack (falls back to the caller's
// thread if one cannot be created).
template <class Fn> void runWithLargeStack(Fn &fn) {
  pthread_attr_t attr;
  pthread_t thread;
  auto entry = [](void *arg) -> void * {
    (*static_cast<Fn *>(arg))();
    return nullptr;
  };
  if (pthread_attr_init(&attr) == 0) {
    bool started = pthread_attr_setstacksize(&attr, size_t(64) << 20) == 0 &&
                   pthread_create(&thread, &attr, entry, &fn) == 0;
    pthread_attr_destroy(&attr);
    if (started) {
      pthread_join(thread, nullptr);
      return;
    }
  }
  fn();
}

} // namespace

namespace grammar {
bool startsWithKeywordProtocol(const char *p, const char *end) {
  return startsWithKeyword(p, end, "protocol");
}
} // namespace grammar

std::optional<ast::Program> parseProgram(const std::string &file,
                                         const std::string &source,
                                         DiagnosticEngine &diags) {
  std::optional<ast::Program> result;
  try {
    diags.addSource(file, source);
  } catch (...) {
  }
  auto body = [&]() noexcept {
    try {
      ParseState st(file, source.data(), source.data() + source.size());
      grammar::setState(&st);
      struct Reset {
        ~Reset() { grammar::setState(nullptr); }
      } reset;
      if (!prescan(st, diags))
        return;
      Driver driver{st, diags};
      ast::Program prog = driver.run();
      if (driver.ok)
        result = std::move(prog);
    } catch (const std::exception &e) {
      diags.error(ast::SourceLoc{file, 0, 0},
                  std::string("internal parser error: ") + e.what());
    } catch (...) {
      diags.error(ast::SourceLoc{file, 0, 0}, "internal parser error");
    }
  };
  runWithLargeStack(body);
  return result;
}

} // namespace mommie::frontend
