// Symmetry reduction over interchangeable principals.
//
// A principal set is symmetric when the program cannot tell its members
// apart: no expression names a member (a principal literal, `R[i]`), and
// no principal of the set is ordered (`<` on principals, `min` / `max` of
// principal sets). Then every permutation of its members maps reachable
// states to reachable states with the same invariant verdicts, and the
// explorer keeps one representative per orbit (see canonical()).
#pragma once

#include "checker/State.h"

#include <string>
#include <vector>

namespace mommie::checker {

class Symmetry {
public:
  // `enable` false: the identity (no reduction).
  Symmetry(const Layout &layout, bool enable);

  bool active() const { return !sets_.empty(); }
  // The sets reduced, e.g. "R (4 principals)", and why others are not.
  const std::string &description() const { return description_; }

  // Per-thread buffers of canonical().
  struct Scratch {
    std::string bytes, trial, key;
    State best, cand;
    bool identity = false; // `s` itself is the representative
    std::vector<int> perm;
    std::vector<std::pair<uint64_t, int>> keyed;
    std::vector<std::pair<std::vector<int>, std::vector<int>>> ties;
  };
  // The representative of `s`'s orbit (`s` itself or `w.best`), its
  // canonical bytes in `w.bytes`.
  // Each reduced set's members are sorted by a key that renaming cannot
  // change (the member's own principal-free variables, timers, fault bits,
  // and the sizes of its refraction and knowledge sets); among the
  // permutations that respect that order (all orders of members with equal
  // keys), the one whose image has the least bytes wins. For a state
  // sigma(s) of the same orbit the admissible permutations are those of `s`
  // composed with sigma's inverse, so both give the same images and the
  // same representative.
  const State &canonical(const State &s, Scratch &w) const;
  // The permuted state (t[perm[p]] = s[p], principals renamed).
  State apply(const State &s, const std::vector<int> &perm) const;

private:
  struct Owned { // what a principal owns in a State
    std::vector<int> vars, timers, fired;
  };
  const Layout &layout_;
  std::vector<std::pair<int, int>> sets_; // reduced sets: (first, size)
  std::vector<Owned> owned_;              // per principal
  std::string description_;
  uint64_t keyOf(const State &s, int p, std::string &buf) const;
  void orders(const State &s, Scratch &w, size_t tie) const;
};

Value renameValue(const Value &v, const std::vector<int> &perm);

} // namespace mommie::checker
