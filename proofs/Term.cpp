// The hash-consed term DAG with constant folding (see Term.h).
#include "proofs/Term.h"
#include "proofs/Limits.h"

#include <algorithm>
#include <set>

namespace mommie::proofs {

size_t TermStore::KeyHash::operator()(const Key &k) const {
  size_t h = std::hash<int>()(static_cast<int>(k.kind)) * 31 +
             std::hash<int64_t>()(k.val);
  h = h * 131 + std::hash<std::string>()(k.name);
  for (unsigned a : k.args)
    h = h * 1000003 + a;
  return h;
}

TermStore::TermStore() {
  false_ = make(TermKind::BoolConst, true, 0, "", {});
  true_ = make(TermKind::BoolConst, true, 1, "", {});
}

Term TermStore::make(TermKind kind, bool isBool, int64_t val, std::string name,
                     std::vector<Term> args) {
  Key key{kind, val, name, {}};
  key.args.reserve(args.size());
  for (Term a : args)
    key.args.push_back(a->id);
  auto it = table_.find(key);
  if (it != table_.end())
    return it->second;
  pollLimits(); // every new term: the encodings' and the Venn reduction's
  auto node = std::make_unique<TermNode>();
  node->kind = kind;
  node->isBool = isBool;
  node->val = val;
  node->name = std::move(name);
  node->args = std::move(args);
  node->id = static_cast<unsigned>(nodes_.size());
  Term t = node.get();
  nodes_.push_back(std::move(node));
  table_.emplace(std::move(key), t);
  if (kind == TermKind::BoolVar || kind == TermKind::IntVar)
    vars_.push_back(t);
  return t;
}

Term TermStore::intConst(int64_t v) {
  return make(TermKind::IntConst, false, v, "", {});
}
Term TermStore::boolVar(const std::string &name) {
  return make(TermKind::BoolVar, true, 0, name, {});
}
Term TermStore::intVar(const std::string &name) {
  return make(TermKind::IntVar, false, 0, name, {});
}

static std::string uniqueName(std::map<std::string, unsigned> &counters,
                              const std::string &hint) {
  unsigned n = counters[hint]++;
  return n == 0 ? hint : hint + "#" + std::to_string(n);
}

Term TermStore::freshBool(const std::string &hint) {
  return boolVar(uniqueName(freshCounters_, hint));
}
Term TermStore::freshInt(const std::string &hint) {
  return intVar(uniqueName(freshCounters_, hint));
}

Term TermStore::mkNot(Term a) {
  if (a->kind == TermKind::BoolConst)
    return boolConst(a->val == 0);
  if (a->kind == TermKind::Not)
    return a->args[0];
  return make(TermKind::Not, true, 0, "", {a});
}

Term TermStore::mkAnd(std::vector<Term> args) {
  std::vector<Term> out;
  std::set<Term> seen;
  for (Term a : args) {
    if (isTrue(a))
      continue;
    if (isFalse(a))
      return false_;
    if (a->kind == TermKind::And) {
      for (Term b : a->args)
        if (seen.insert(b).second)
          out.push_back(b);
      continue;
    }
    if (seen.insert(a).second)
      out.push_back(a);
  }
  for (Term a : out)
    if (a->kind == TermKind::Not && seen.count(a->args[0]))
      return false_;
  if (out.empty())
    return true_;
  if (out.size() == 1)
    return out[0];
  return make(TermKind::And, true, 0, "", std::move(out));
}

Term TermStore::mkOr(std::vector<Term> args) {
  std::vector<Term> out;
  std::set<Term> seen;
  for (Term a : args) {
    if (isFalse(a))
      continue;
    if (isTrue(a))
      return true_;
    if (a->kind == TermKind::Or) {
      for (Term b : a->args)
        if (seen.insert(b).second)
          out.push_back(b);
      continue;
    }
    if (seen.insert(a).second)
      out.push_back(a);
  }
  for (Term a : out)
    if (a->kind == TermKind::Not && seen.count(a->args[0]))
      return true_;
  if (out.empty())
    return false_;
  if (out.size() == 1)
    return out[0];
  return make(TermKind::Or, true, 0, "", std::move(out));
}

Term TermStore::mkIte(Term c, Term a, Term b) {
  if (isTrue(c) || a == b)
    return a;
  if (isFalse(c))
    return b;
  if (a->isBool) {
    if (isTrue(a) && isFalse(b))
      return c;
    if (isFalse(a) && isTrue(b))
      return mkNot(c);
    if (isTrue(a))
      return mkOr(c, b);
    if (isFalse(a))
      return mkAnd(mkNot(c), b);
    if (isTrue(b))
      return mkOr(mkNot(c), a);
    if (isFalse(b))
      return mkAnd(c, a);
  }
  if (c->kind == TermKind::Not)
    return mkIte(c->args[0], b, a);
  return make(TermKind::Ite, a->isBool, 0, "", {c, a, b});
}

Term TermStore::mkEq(Term a, Term b) {
  if (a == b)
    return true_;
  if (isConst(a) && isConst(b))
    return boolConst(a->val == b->val);
  if (a->isBool) {
    if (isTrue(a))
      return b;
    if (isTrue(b))
      return a;
    if (isFalse(a))
      return mkNot(b);
    if (isFalse(b))
      return mkNot(a);
  }
  // ite(c, k1, k2) = k: decide by the constants.
  auto iteConst = [&](Term ite, Term k) -> Term {
    if (ite->kind != TermKind::Ite || !isConst(k))
      return nullptr;
    Term x = ite->args[1], y = ite->args[2];
    if (!isConst(x) || !isConst(y))
      return nullptr;
    bool ex = x->val == k->val, ey = y->val == k->val;
    if (ex && ey)
      return true_;
    if (!ex && !ey)
      return false_;
    return ex ? ite->args[0] : mkNot(ite->args[0]);
  };
  if (Term r = iteConst(a, b))
    return r;
  if (Term r = iteConst(b, a))
    return r;
  if (a->id > b->id)
    std::swap(a, b);
  return make(TermKind::Eq, true, 0, "", {a, b});
}

Term TermStore::mkLe(Term a, Term b) {
  if (a == b)
    return true_;
  if (isConst(a) && isConst(b))
    return boolConst(a->val <= b->val);
  return make(TermKind::Le, true, 0, "", {a, b});
}

Term TermStore::mkLt(Term a, Term b) {
  if (a == b)
    return false_;
  if (isConst(a) && isConst(b))
    return boolConst(a->val < b->val);
  return make(TermKind::Lt, true, 0, "", {a, b});
}

Term TermStore::mkAdd(std::vector<Term> args) {
  std::vector<Term> out;
  int64_t k = 0;
  // Constants are summed while the sum fits in 64 bits; one that would
  // overflow it stays a term (the solvers' integers are unbounded).
  // (__builtin_add_overflow stores the wrapped sum even when it overflows.)
  auto addConst = [&](Term c) {
    int64_t sum = 0;
    if (__builtin_add_overflow(k, c->val, &sum))
      out.push_back(c);
    else
      k = sum;
  };
  for (Term a : args) {
    if (a->kind == TermKind::IntConst) {
      addConst(a);
      continue;
    }
    if (a->kind == TermKind::Add) {
      for (Term b : a->args) {
        if (b->kind == TermKind::IntConst)
          addConst(b);
        else
          out.push_back(b);
      }
      continue;
    }
    out.push_back(a);
  }
  if (k != 0 || out.empty())
    out.push_back(intConst(k));
  if (out.size() == 1)
    return out[0];
  return make(TermKind::Add, false, 0, "", std::move(out));
}

Term TermStore::mkSub(Term a, Term b) {
  int64_t r = 0;
  if (isConst(a) && isConst(b) && !__builtin_sub_overflow(a->val, b->val, &r))
    return intConst(r);
  if (b->kind == TermKind::IntConst && b->val == 0)
    return a;
  if (a == b)
    return intConst(0);
  return make(TermKind::Sub, false, 0, "", {a, b});
}

Term TermStore::mkMul(Term a, Term b) {
  int64_t r = 0;
  if (isConst(a) && isConst(b) && !__builtin_mul_overflow(a->val, b->val, &r))
    return intConst(r);
  if (isConst(b))
    std::swap(a, b);
  if (isConst(a)) {
    if (a->val == 0)
      return a;
    if (a->val == 1)
      return b;
  } else {
    nonLinear_ = true;
  }
  return make(TermKind::Mul, false, 0, "", {a, b});
}

int64_t smtDiv(int64_t a, int64_t b) {
  if (b == 0)
    return 0;
  // SMT-LIB's div: a == b * q + r with 0 <= r < |b|. From the truncating
  // quotient, without forming a - r (which overflows for a near INT64_MIN;
  // the callers exclude INT64_MIN / -1).
  int64_t q = a / b;
  if (a % b < 0)
    q += b > 0 ? -1 : 1;
  return q;
}

int64_t smtMod(int64_t a, int64_t b) {
  if (b == 0)
    return a;
  if (b == INT64_MIN) // |b| = 2^63 is not an int64_t: a mod 2^63
    return a < 0 ? (a + INT64_MAX) + 1 : a;
  int64_t m = b < 0 ? -b : b;
  int64_t r = a % m;
  return r < 0 ? r + m : r;
}

Term TermStore::mkDiv(Term a, Term b) {
  if (isConst(a) && isConst(b) && b->val != 0 &&
      !(a->val == INT64_MIN && b->val == -1))
    return intConst(smtDiv(a->val, b->val));
  if (isConst(b) && b->val == 1)
    return a;
  if (!isConst(b))
    nonLinear_ = true;
  return make(TermKind::Div, false, 0, "", {a, b});
}

Term TermStore::mkMod(Term a, Term b) {
  if (isConst(a) && isConst(b) && b->val != 0)
    return intConst(smtMod(a->val, b->val));
  if (!isConst(b))
    nonLinear_ = true;
  return make(TermKind::Mod, false, 0, "", {a, b});
}

Term TermStore::mkNeg(Term a) {
  if (isConst(a) && a->val != INT64_MIN)
    return intConst(-a->val);
  if (a->kind == TermKind::Neg)
    return a->args[0];
  return make(TermKind::Neg, false, 0, "", {a});
}

namespace {

using Wide = __int128;

// smtDiv / smtMod in 128 bits.
Wide wideMod(Wide a, Wide b) {
  if (b == 0)
    return a;
  Wide m = b < 0 ? -b : b, r = a % m;
  return r < 0 ? r + m : r;
}
Wide wideDiv(Wide a, Wide b) { return b == 0 ? 0 : (a - wideMod(a, b)) / b; }

Wide evalWide(Term t, const std::function<int64_t(Term)> &varValue,
              TermValues &cache) {
  auto it = cache.find(t);
  if (it != cache.end())
    return it->second;
  auto arg = [&](size_t i) { return evalWide(t->args[i], varValue, cache); };
  Wide v = 0;
  switch (t->kind) {
  case TermKind::BoolConst:
  case TermKind::IntConst:
    v = t->val;
    break;
  case TermKind::BoolVar:
  case TermKind::IntVar:
    v = varValue(t);
    break;
  case TermKind::Not:
    v = !arg(0);
    break;
  case TermKind::And:
    v = 1;
    for (size_t i = 0; i < t->args.size() && v; ++i)
      v = arg(i) != 0;
    break;
  case TermKind::Or:
    v = 0;
    for (size_t i = 0; i < t->args.size() && !v; ++i)
      v = arg(i) != 0;
    break;
  case TermKind::Ite:
    v = arg(0) ? arg(1) : arg(2);
    break;
  case TermKind::Eq:
    v = arg(0) == arg(1);
    break;
  case TermKind::Le:
    v = arg(0) <= arg(1);
    break;
  case TermKind::Lt:
    v = arg(0) < arg(1);
    break;
  case TermKind::Add:
    for (size_t i = 0; i < t->args.size(); ++i)
      v += arg(i);
    break;
  case TermKind::Sub:
    v = arg(0) - arg(1);
    break;
  case TermKind::Mul:
    v = arg(0) * arg(1);
    break;
  case TermKind::Div:
    v = wideDiv(arg(0), arg(1));
    break;
  case TermKind::Mod:
    v = wideMod(arg(0), arg(1));
    break;
  case TermKind::Neg:
    v = -arg(0);
    break;
  }
  cache.emplace(t, v);
  return v;
}

} // namespace

int64_t evalTerm(Term t, const std::function<int64_t(Term)> &varValue,
                 TermValues &cache) {
  return static_cast<int64_t>(evalWide(t, varValue, cache));
}

} // namespace mommie::proofs
