// The Venn reduction of a parameterized query (see ParamVenn.h).
#include "proofs/ParamVenn.h"
#include "proofs/Limits.h"

#include <fmt/format.h>

#include <map>
#include <numeric>
#include <set>

namespace mommie::proofs::param {

namespace {

using LTerm = mommie::proofs::Term; // a term of the arithmetic query

// Too large a query is not worth building: the caller falls back.
constexpr size_t MaxCoreRegions = 4096;
constexpr size_t MaxGroupSets = 8;
constexpr size_t MaxElements = 40;

struct Unsupported {
  std::string why;
};

class Venn {
public:
  Venn(const Ctx &c, const std::vector<Term> &core) : c(c) {
    for (const auto &s : core)
      if (s != c.emptySet && s.getKind() == Kind::CONSTANT)
        coreIndex.emplace(s, coreIndex.size());
  }

  TermStore ts;
  std::vector<LTerm> out; // the arithmetic query
  std::string inexactWhy; // why atoms are inexact, each reason once
  std::set<std::string> inexact;
  size_t regionVars = 0;

  void build(const std::vector<Term> &formulas) {
    for (const auto &f : formulas)
      scan(f);
    makeGroups();
    makeRegions();
    makeElements();
    singletons();
    for (const auto &f : formulas)
      out.push_back(boolOf(f));
  }

private:
  const Ctx &c;
  // Base sets: partition cells (Ctx::cellOf), core bits, group members.
  std::unordered_map<Term, size_t> coreIndex;
  std::vector<int> partitions; // partition ids, in order of discovery
  std::unordered_map<int, size_t> partitionIndex;
  std::vector<Term> groupSets; // candidates, in order of discovery
  std::unordered_map<Term, size_t> groupSetIndex;
  std::vector<size_t> parent;                     // union-find over groupSets
  std::vector<std::vector<size_t>> groups;        // group -> groupSets indices
  std::vector<std::pair<size_t, size_t>> groupOf; // groupSet -> (group, bit)
  std::vector<Term> elements;
  std::unordered_map<Term, size_t> elementIndex;
  std::unordered_set<Term> scanned;

  // Core regions: a choice per partition (the cell index, or the cell count
  // for "in no cell" when the partition does not cover All) and core bits.
  struct Region {
    std::vector<size_t> choice;
    std::vector<bool> bits;
  };
  std::vector<Region> regions;
  std::vector<LTerm> coreCount; // [region]
  std::vector<std::vector<std::vector<LTerm>>>
      groupCount; // [group][region][combo]

  struct Loc {
    LTerm inAll;
    std::vector<LTerm> choice;                 // per partition: Int
    std::vector<LTerm> bits;                   // per core bit
    std::vector<std::vector<LTerm>> groupBits; // per group, per member
  };
  std::vector<Loc> locs; // per element
  std::map<std::pair<size_t, size_t>, LTerm> eqVars;
  std::unordered_map<Term, LTerm> boolMemo, intMemo;
  std::unordered_map<std::string, LTerm> vars;

  // Discovery ----------------------------------------------------------------

  bool isSet(const Term &t) const { return t.getSort().isSet(); }
  bool isElem(const Term &t) const { return t.getSort() == c.proc; }

  size_t find(size_t i) {
    while (parent[i] != i)
      i = parent[i] = parent[parent[i]];
    return i;
  }

  // The group candidates a set term mentions (through set-valued ites).
  void support(const Term &s, std::vector<size_t> &acc) {
    if (s.getKind() == Kind::CONSTANT) {
      if (auto it = c.iteDefs.find(s); it != c.iteDefs.end()) {
        support(it->second[1], acc);
        support(it->second[2], acc);
        return;
      }
      if (auto it = groupSetIndex.find(s); it != groupSetIndex.end())
        acc.push_back(it->second);
      return;
    }
    if (s.getKind() == Kind::ITE) {
      support(s[1], acc);
      support(s[2], acc);
      return;
    }
    for (size_t i = 0; i < s.getNumChildren(); ++i)
      if (isSet(s[i]))
        support(s[i], acc);
  }

  bool bare(const Term &s) const {
    return s.getKind() == Kind::CONSTANT && groupSetIndex.count(s) &&
           !c.iteDefs.count(s);
  }

  void noteBase(const Term &t) {
    if (t == c.all || c.iteDefs.count(t) || coreIndex.count(t))
      return;
    if (auto it = c.cellOf.find(t); it != c.cellOf.end()) {
      if (partitionIndex.emplace(it->second.first, partitions.size()).second)
        partitions.push_back(it->second.first);
      return;
    }
    if (groupSetIndex.emplace(t, groupSets.size()).second) {
      groupSets.push_back(t);
      parent.push_back(parent.size());
    }
  }

  void scan(const Term &t) {
    if (!scanned.insert(t).second)
      return;
    if (t.getKind() == Kind::CONSTANT) {
      if (isSet(t)) {
        noteBase(t);
        if (auto it = c.iteDefs.find(t); it != c.iteDefs.end())
          for (const auto &d : it->second)
            scan(d);
      } else if (isElem(t) && elementIndex.emplace(t, elements.size()).second) {
        elements.push_back(t);
      }
      return;
    }
    // A singleton {e} is a core set of one element (exact, see singletons).
    if (t.getKind() == Kind::SET_SINGLETON &&
        t[0].getKind() == Kind::CONSTANT && !coreIndex.count(t))
      coreIndex.emplace(t, coreIndex.size());
    for (size_t i = 0; i < t.getNumChildren(); ++i)
      scan(t[i]);
  }

  // A singleton core set holds exactly its element.
  void singletons() {
    for (const auto &[set, k] : coreIndex) {
      if (set.getKind() != Kind::SET_SINGLETON)
        continue;
      size_t e = elementIndex.at(set[0]);
      std::vector<LTerm> in;
      for (size_t r = 0; r < regions.size(); ++r)
        if (regions[r].bits[k])
          in.push_back(coreCount[r]);
      out.push_back(ts.mkEq(ts.mkAdd(in), ts.intConst(1)));
      out.push_back(locs[e].bits[k]);
      for (size_t f = 0; f < elements.size(); ++f)
        out.push_back(ts.mkImplies(locs[f].bits[k], eqElem(f, e)));
    }
  }

  void link(const Term &t, std::unordered_set<Term> &seen) {
    if (!seen.insert(t).second)
      return;
    Kind k = t.getKind();
    bool setAtom = k == Kind::SET_CARD || k == Kind::SET_MEMBER ||
                   k == Kind::SET_SUBSET || (k == Kind::EQUAL && isSet(t[0]));
    // Two bare candidates compared (mailbox congruence) stay apart.
    bool pair =
        (k == Kind::EQUAL || k == Kind::SET_SUBSET) && bare(t[0]) && bare(t[1]);
    if (setAtom && !pair) {
      std::vector<size_t> acc;
      for (size_t i = 0; i < t.getNumChildren(); ++i)
        if (isSet(t[i]))
          support(t[i], acc);
      for (size_t i = 1; i < acc.size(); ++i)
        parent[find(acc[i])] = find(acc[0]);
    }
    if (k == Kind::CONSTANT) {
      if (auto it = c.iteDefs.find(t); it != c.iteDefs.end())
        for (const auto &d : it->second)
          link(d, seen);
      return;
    }
    for (size_t i = 0; i < t.getNumChildren(); ++i)
      link(t[i], seen);
  }

  void makeGroups() {
    std::unordered_set<Term> seen;
    for (const auto &t : scanned)
      link(t, seen);
    std::map<size_t, size_t> groupOfRoot;
    groupOf.resize(groupSets.size());
    for (size_t i = 0; i < groupSets.size(); ++i) {
      size_t r = find(i);
      auto [it, fresh] = groupOfRoot.emplace(r, groups.size());
      if (fresh)
        groups.emplace_back();
      groupOf[i] = {it->second, groups[it->second].size()};
      groups[it->second].push_back(i);
      if (groups[it->second].size() > MaxGroupSets)
        throw Unsupported{"a group of more than 8 sets"};
    }
    if (elements.size() > MaxElements)
      throw Unsupported{fmt::format("{} named principals (at most {})",
                                    elements.size(), MaxElements)};
  }

  LTerm fresh(bool isBool, const std::string &hint) {
    return isBool ? ts.freshBool(hint) : ts.freshInt(hint);
  }

  void makeRegions() {
    size_t total = 1;
    for (int p : partitions) {
      total *= c.partitionCells(p).size() + (c.partitionCovers(p) ? 0 : 1);
      if (total > MaxCoreRegions)
        throw Unsupported{"too many regions"};
    }
    for (size_t b = 0; b < coreIndex.size(); ++b)
      if ((total *= 2) > MaxCoreRegions)
        throw Unsupported{"too many regions"};
    for (size_t r = 0; r < total; ++r) {
      Region reg;
      size_t rest = r;
      for (int p : partitions) {
        size_t n = c.partitionCells(p).size() + (c.partitionCovers(p) ? 0 : 1);
        reg.choice.push_back(rest % n);
        rest /= n;
      }
      for (size_t b = 0; b < coreIndex.size(); ++b) {
        reg.bits.push_back(rest % 2 == 1);
        rest /= 2;
      }
      regions.push_back(std::move(reg));
      LTerm n = fresh(false, "n");
      out.push_back(ts.mkLe(ts.intConst(0), n));
      coreCount.push_back(n);
    }
    groupCount.resize(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
      size_t combos = size_t(1) << groups[g].size();
      for (size_t r = 0; r < regions.size(); ++r) {
        std::vector<LTerm> parts;
        for (size_t s = 0; s < combos; ++s) {
          LTerm n = fresh(false, fmt::format("n{}_", g));
          out.push_back(ts.mkLe(ts.intConst(0), n));
          parts.push_back(n);
        }
        out.push_back(ts.mkEq(ts.mkAdd(parts), coreCount[r]));
        groupCount[g].push_back(std::move(parts));
      }
    }
    regionVars = regions.size();
    for (const auto &g : groupCount)
      for (const auto &r : g)
        regionVars += r.size();
  }

  // Elements -----------------------------------------------------------------

  LTerm at(size_t e, size_t r) {
    const Loc &l = locs[e];
    std::vector<LTerm> parts{l.inAll};
    for (size_t p = 0; p < partitions.size(); ++p)
      parts.push_back(ts.mkEq(l.choice[p], ts.intConst(static_cast<int64_t>(
                                               regions[r].choice[p]))));
    for (size_t b = 0; b < l.bits.size(); ++b)
      parts.push_back(regions[r].bits[b] ? l.bits[b] : ts.mkNot(l.bits[b]));
    return ts.mkAnd(parts);
  }

  LTerm combo(size_t e, size_t g, size_t s) {
    std::vector<LTerm> parts;
    for (size_t k = 0; k < groups[g].size(); ++k)
      parts.push_back((s >> k) & 1 ? locs[e].groupBits[g][k]
                                   : ts.mkNot(locs[e].groupBits[g][k]));
    return ts.mkAnd(parts);
  }

  // The index of a named element; other principal terms are not covered.
  size_t elem(const Term &t) const {
    auto it = elementIndex.find(t);
    if (it == elementIndex.end())
      throw Unsupported{"a principal term " + t.toString()};
    return it->second;
  }

  LTerm eqElem(size_t a, size_t b) {
    if (a == b)
      return ts.boolConst(true);
    if (a > b)
      std::swap(a, b);
    return eqVars.at({a, b});
  }

  void makeElements() {
    for (size_t e = 0; e < elements.size(); ++e) {
      Loc l;
      l.inAll = fresh(true, "in");
      for (int p : partitions) {
        LTerm ch = fresh(false, "ch");
        int64_t n = static_cast<int64_t>(c.partitionCells(p).size()) +
                    (c.partitionCovers(p) ? 0 : 1);
        out.push_back(
            ts.mkImplies(l.inAll, ts.mkAnd(ts.mkLe(ts.intConst(0), ch),
                                           ts.mkLt(ch, ts.intConst(n)))));
        out.push_back(
            ts.mkImplies(ts.mkNot(l.inAll), ts.mkEq(ch, ts.intConst(-1))));
        l.choice.push_back(ch);
      }
      auto bit = [&] {
        LTerm b = fresh(true, "b");
        // Every base set lies within All (Ctx::freshSet).
        out.push_back(ts.mkImplies(b, l.inAll));
        return b;
      };
      for (size_t b = 0; b < coreIndex.size(); ++b)
        l.bits.push_back(bit());
      for (const auto &g : groups) {
        std::vector<LTerm> bits;
        for (size_t k = 0; k < g.size(); ++k)
          bits.push_back(bit());
        l.groupBits.push_back(std::move(bits));
      }
      locs.push_back(std::move(l));
    }
    // Equality of elements: a congruence on their locations, transitive.
    for (size_t a = 0; a < elements.size(); ++a)
      for (size_t b = a + 1; b < elements.size(); ++b) {
        LTerm eq = fresh(true, "eq");
        eqVars[{a, b}] = eq;
        std::vector<LTerm> same{ts.mkEq(locs[a].inAll, locs[b].inAll)};
        for (size_t p = 0; p < partitions.size(); ++p)
          same.push_back(ts.mkEq(locs[a].choice[p], locs[b].choice[p]));
        for (size_t k = 0; k < locs[a].bits.size(); ++k)
          same.push_back(ts.mkEq(locs[a].bits[k], locs[b].bits[k]));
        for (size_t g = 0; g < groups.size(); ++g)
          for (size_t k = 0; k < groups[g].size(); ++k)
            same.push_back(
                ts.mkEq(locs[a].groupBits[g][k], locs[b].groupBits[g][k]));
        out.push_back(ts.mkImplies(eq, ts.mkAnd(same)));
      }
    for (size_t a = 0; a < elements.size(); ++a)
      for (size_t b = 0; b < elements.size(); ++b)
        for (size_t d = 0; d < elements.size(); ++d)
          if (a != b && b != d && a != d && a < d)
            out.push_back(ts.mkImplies(ts.mkAnd(eqElem(a, b), eqElem(b, d)),
                                       eqElem(a, d)));
    // A region holds at least its distinct named elements.
    std::vector<LTerm> rep;
    for (size_t e = 0; e < elements.size(); ++e) {
      std::vector<LTerm> firsts;
      for (size_t f = 0; f < e; ++f)
        firsts.push_back(ts.mkNot(eqElem(f, e)));
      rep.push_back(ts.mkAnd(firsts));
    }
    for (size_t r = 0; r < regions.size(); ++r) {
      std::vector<LTerm> here;
      std::vector<LTerm> atR;
      for (size_t e = 0; e < elements.size(); ++e) {
        atR.push_back(ts.mkAnd(rep[e], at(e, r)));
        here.push_back(ts.boolToInt(atR.back()));
      }
      if (!here.empty())
        out.push_back(ts.mkLe(ts.mkAdd(here), coreCount[r]));
      for (size_t g = 0; g < groups.size(); ++g)
        for (size_t s = 0; s < groupCount[g][r].size(); ++s) {
          std::vector<LTerm> in;
          for (size_t e = 0; e < elements.size(); ++e)
            in.push_back(ts.boolToInt(ts.mkAnd(atR[e], combo(e, g, s))));
          if (!in.empty())
            out.push_back(ts.mkLe(ts.mkAdd(in), groupCount[g][r][s]));
        }
    }
  }

  // Set terms ----------------------------------------------------------------

  // The group a set term's regions refine (-1: the core alone); throws when
  // it spans two groups.
  int groupOfTerm(const Term &s) {
    std::vector<size_t> acc;
    support(s, acc);
    int g = -1;
    for (size_t i : acc) {
      int gi = static_cast<int>(groupOf[i].first);
      if (g >= 0 && gi != g)
        throw Unsupported{"a set term over two groups"};
      g = gi;
    }
    return g;
  }

  // Membership in a set term, from membership in its leaves (All, the base
  // sets, singletons), which `leaf` answers; sets defined by cases
  // (Ctx::iteDefs) are unfolded.
  template <class Leaf> LTerm membership(const Term &t, const Leaf &leaf) {
    auto in = [&](const Term &u) { return membership(u, leaf); };
    if (t.getKind() == Kind::CONSTANT)
      if (auto it = c.iteDefs.find(t); it != c.iteDefs.end())
        return ts.mkIte(boolOf(it->second[0]), in(it->second[1]),
                        in(it->second[2]));
    switch (t.getKind()) {
    case Kind::SET_EMPTY:
      return ts.boolConst(false);
    case Kind::ITE:
      return ts.mkIte(boolOf(t[0]), in(t[1]), in(t[2]));
    case Kind::SET_UNION:
      return ts.mkOr(in(t[0]), in(t[1]));
    case Kind::SET_INTER:
      return ts.mkAnd(in(t[0]), in(t[1]));
    case Kind::SET_MINUS:
      return ts.mkAnd(in(t[0]), ts.mkNot(in(t[1])));
    case Kind::CONSTANT:
    case Kind::SET_SINGLETON:
      return leaf(t);
    default:
      throw Unsupported{"set term " + t.toString()};
    }
  }

  // Whether the elements of core region r (and group combo s of group g)
  // are in the set term `t`.
  LTerm memRegion(const Term &t, size_t r, int g, size_t s) {
    return membership(t, [&](const Term &u) {
      if (u == c.all)
        return ts.boolConst(true);
      if (u.getKind() == Kind::SET_SINGLETON) {
        auto it = coreIndex.find(u);
        if (it == coreIndex.end())
          throw Unsupported{"a singleton of a principal term"};
        return ts.boolConst(regions[r].bits[it->second]);
      }
      if (auto it = c.cellOf.find(u); it != c.cellOf.end())
        return ts.boolConst(
            regions[r].choice[partitionIndex.at(it->second.first)] ==
            it->second.second);
      if (auto it = coreIndex.find(u); it != coreIndex.end())
        return ts.boolConst(regions[r].bits[it->second]);
      auto [gi, bit] = groupOf.at(groupSetIndex.at(u));
      if (static_cast<int>(gi) != g)
        throw Unsupported{"a set term over two groups"};
      return ts.boolConst((s >> bit) & 1);
    });
  }

  // Sum over the regions of a set term (its cardinality), or a conjunction
  // over them: `f(membership, count)`.
  template <class F> void eachRegion(int g, F f) {
    for (size_t r = 0; r < regions.size(); ++r) {
      if (g < 0) {
        f(r, g, 0, coreCount[r]);
        continue;
      }
      for (size_t s = 0; s < groupCount[g][r].size(); ++s)
        f(r, g, s, groupCount[g][r][s]);
    }
  }

  LTerm cardOf(const Term &set) {
    int g = groupOfTerm(set);
    std::vector<LTerm> parts;
    eachRegion(g, [&](size_t r, int gi, size_t s, LTerm n) {
      parts.push_back(ts.mkIte(memRegion(set, r, gi, s), n, ts.intConst(0)));
    });
    return ts.mkAdd(parts);
  }

  // a ⊆ b (and b ⊆ a when `both`): no element in a region of the difference.
  LTerm subsetOf(const Term &a, const Term &b, bool both) {
    int ga = groupOfTerm(a), gb = groupOfTerm(b);
    if (ga >= 0 && gb >= 0 && ga != gb)
      throw Unsupported{"a set term over two groups"};
    int g = std::max(ga, gb);
    std::vector<LTerm> parts;
    eachRegion(g, [&](size_t r, int gi, size_t s, LTerm n) {
      LTerm ma = memRegion(a, r, gi, s), mb = memRegion(b, r, gi, s);
      LTerm diff =
          both ? ts.mkNot(ts.mkEq(ma, mb)) : ts.mkAnd(ma, ts.mkNot(mb));
      parts.push_back(ts.mkImplies(diff, ts.mkEq(n, ts.intConst(0))));
    });
    return ts.mkAnd(parts);
  }

  // Two bare sets of different groups (mailbox congruence): what a = b
  // implies: equal counts in every core region, equal named members.
  LTerm marginalEq(const Term &a, const Term &b) {
    auto [ga, ka] = groupOf.at(groupSetIndex.at(a));
    auto [gb, kb] = groupOf.at(groupSetIndex.at(b));
    std::vector<LTerm> parts;
    for (size_t r = 0; r < regions.size(); ++r) {
      std::vector<LTerm> sa, sb;
      for (size_t s = 0; s < groupCount[ga][r].size(); ++s)
        if ((s >> ka) & 1)
          sa.push_back(groupCount[ga][r][s]);
      for (size_t s = 0; s < groupCount[gb][r].size(); ++s)
        if ((s >> kb) & 1)
          sb.push_back(groupCount[gb][r][s]);
      parts.push_back(ts.mkEq(ts.mkAdd(sa), ts.mkAdd(sb)));
    }
    for (const auto &l : locs)
      parts.push_back(ts.mkEq(l.groupBits[ga][ka], l.groupBits[gb][kb]));
    return ts.mkAnd(parts);
  }

  // Whether element e is in the set term `t`.
  LTerm memElem(size_t e, const Term &t) {
    const Loc &l = locs[e];
    return membership(t, [&](const Term &u) {
      if (u == c.all)
        return l.inAll;
      if (u.getKind() == Kind::SET_SINGLETON)
        return eqElem(e, elem(u[0]));
      if (auto it = c.cellOf.find(u); it != c.cellOf.end())
        return ts.mkAnd(
            l.inAll,
            ts.mkEq(l.choice[partitionIndex.at(it->second.first)],
                    ts.intConst(static_cast<int64_t>(it->second.second))));
      if (auto it = coreIndex.find(u); it != coreIndex.end())
        return l.bits[it->second];
      auto [g, bit] = groupOf.at(groupSetIndex.at(u));
      return l.groupBits[g][bit];
    });
  }

  // A set atom that cannot be translated exactly: a fresh variable, which
  // any model of the set query can match.
  LTerm opaque(bool isBool, const Unsupported &why) {
    if (inexact.insert(why.why).second)
      inexactWhy += (inexactWhy.empty() ? "" : "; ") + why.why;
    LTerm v = fresh(isBool, isBool ? "atom" : "card");
    if (!isBool)
      out.push_back(ts.mkLe(ts.intConst(0), v));
    return v;
  }

  // Formulas and integer terms -----------------------------------------------

  LTerm constant(const Term &t, bool isBool) {
    std::string key = fmt::format("{}#{}", t.toString(), t.getId());
    auto it = vars.find(key);
    if (it != vars.end())
      return it->second;
    LTerm v = isBool ? ts.boolVar(key) : ts.intVar(key);
    vars.emplace(key, v);
    return v;
  }

  std::vector<LTerm> children(const Term &t, bool asBool) {
    std::vector<LTerm> v;
    for (size_t i = 0; i < t.getNumChildren(); ++i)
      v.push_back(asBool ? boolOf(t[i]) : intOf(t[i]));
    return v;
  }

public:
  LTerm boolOf(const Term &t) {
    if (auto it = boolMemo.find(t); it != boolMemo.end())
      return it->second;
    LTerm r = boolOfUncached(t);
    boolMemo.emplace(t, r);
    return r;
  }

  LTerm intOf(const Term &t) {
    if (auto it = intMemo.find(t); it != intMemo.end())
      return it->second;
    LTerm r = intOfUncached(t);
    intMemo.emplace(t, r);
    return r;
  }

private:
  LTerm boolOfUncached(const Term &t) {
    if (t.isBooleanValue())
      return ts.boolConst(t.getBooleanValue());
    switch (t.getKind()) {
    case Kind::CONSTANT:
      return constant(t, true);
    case Kind::NOT:
      return ts.mkNot(boolOf(t[0]));
    case Kind::AND:
      return ts.mkAnd(children(t, true));
    case Kind::OR:
      return ts.mkOr(children(t, true));
    case Kind::IMPLIES:
      return ts.mkImplies(boolOf(t[0]), boolOf(t[1]));
    case Kind::ITE:
      return ts.mkIte(boolOf(t[0]), boolOf(t[1]), boolOf(t[2]));
    case Kind::EQUAL: {
      if (isSet(t[0])) {
        try {
          return subsetOf(t[0], t[1], true);
        } catch (const Unsupported &u) {
          if (!bare(t[0]) || !bare(t[1]))
            return opaque(true, u);
          LTerm a = opaque(true, Unsupported{"equal sets of two groups"});
          out.push_back(ts.mkImplies(a, marginalEq(t[0], t[1])));
          return a;
        }
      }
      if (isElem(t[0]))
        return eqElem(elem(t[0]), elem(t[1]));
      if (t[0].getSort().isBoolean())
        return ts.mkEq(boolOf(t[0]), boolOf(t[1]));
      return ts.mkEq(intOf(t[0]), intOf(t[1]));
    }
    case Kind::DISTINCT:
      if (t.getNumChildren() == 2 && !isSet(t[0]) && !isElem(t[0]) &&
          !t[0].getSort().isBoolean())
        return ts.mkNot(ts.mkEq(intOf(t[0]), intOf(t[1])));
      throw Unsupported{"distinct"};
    case Kind::LEQ:
      return ts.mkLe(intOf(t[0]), intOf(t[1]));
    case Kind::LT:
      return ts.mkLt(intOf(t[0]), intOf(t[1]));
    case Kind::GEQ:
      return ts.mkLe(intOf(t[1]), intOf(t[0]));
    case Kind::GT:
      return ts.mkLt(intOf(t[1]), intOf(t[0]));
    case Kind::SET_MEMBER:
      return memElem(elem(t[0]), t[1]);
    case Kind::SET_SUBSET:
      try {
        return subsetOf(t[0], t[1], false);
      } catch (const Unsupported &u) {
        return opaque(true, u);
      }
    default:
      throw Unsupported{"formula " + t.toString()};
    }
  }

  LTerm intOfUncached(const Term &t) {
    if (t.isIntegerValue())
      return ts.intConst(t.getInt64Value());
    switch (t.getKind()) {
    case Kind::CONSTANT:
      return constant(t, false);
    case Kind::ADD:
      return ts.mkAdd(children(t, false));
    case Kind::SUB: {
      LTerm acc = intOf(t[0]);
      for (size_t i = 1; i < t.getNumChildren(); ++i)
        acc = ts.mkSub(acc, intOf(t[i]));
      return acc;
    }
    case Kind::NEG:
      return ts.mkNeg(intOf(t[0]));
    case Kind::MULT: {
      LTerm acc = intOf(t[0]);
      for (size_t i = 1; i < t.getNumChildren(); ++i)
        acc = ts.mkMul(acc, intOf(t[i]));
      return acc;
    }
    case Kind::INTS_DIVISION:
      return ts.mkDiv(intOf(t[0]), intOf(t[1]));
    case Kind::INTS_MODULUS:
      return ts.mkMod(intOf(t[0]), intOf(t[1]));
    case Kind::ITE:
      return ts.mkIte(boolOf(t[0]), intOf(t[1]), intOf(t[2]));
    case Kind::SET_CARD:
      try {
        return cardOf(t[0]);
      } catch (const Unsupported &u) {
        return opaque(false, u);
      }
    default:
      throw Unsupported{"integer term " + t.toString()};
    }
  }
};

} // namespace

VennResult decideByVenn(const Ctx &c, const std::vector<Term> &core,
                        const std::vector<Term> &formulas, SolverKind solver,
                        unsigned timeoutMs) {
  VennResult res;
  Budget::Stage building("the Venn reduction");
  Venn v(c, core);
  try {
    v.build(formulas);
  } catch (const Unsupported &u) {
    res.reason = "the Venn reduction does not cover it: " + u.why;
    return res;
  } catch (const std::exception &e) { // a term kind not foreseen
    res.reason = std::string("the Venn reduction failed: ") + e.what();
    return res;
  }
  res.regions = v.regionVars;
  Budget::Stage solving(solver == SolverKind::Z3
                            ? "z3 on the Venn reduction"
                            : "cvc5 on the Venn reduction");
  auto slv = makeSolver(solver, v.ts, timeoutMs);
  for (LTerm f : v.out)
    slv->add(f);
  res.result = slv->check();
  if (res.result == SatResult::Unknown)
    res.reason = slv->reasonUnknown();
  else if (res.result == SatResult::Sat)
    res.reason = v.inexact.empty()
                     ? "the Venn reduction is satisfiable"
                     : "the Venn reduction (inexact: " + v.inexactWhy +
                           ") is satisfiable";
  return res;
}

} // namespace mommie::proofs::param
