// Symmetry reduction over interchangeable principals.
//
// A principal set is symmetric when the program cannot tell its members
// apart: no expression names a member (a principal literal, `R[i]`), and
// no principal of the set is ordered (`<` on principals, `min` / `max` of
// principal sets). Then every permutation of its members maps reachable
// states to reachable states with the same invariant verdicts, and the
// explorer keeps one representative per orbit: the state whose canonical
// bytes are lexicographically least over all permutations of the group.
#pragma once

#include "checker/State.h"

#include <string>
#include <vector>

namespace mommie::checker {

class Symmetry {
public:
  // `enable` false: the identity (no reduction).
  Symmetry(const Layout &layout, bool enable);

  bool active() const { return perms_.size() > 1; }
  // The sets reduced, e.g. "R (4 principals)", and why others are not.
  const std::string &description() const { return description_; }
  // Canonical bytes of `s` (the least over the group).
  void canonicalBytes(const State &s, std::string &out, std::string &scratch) const {
    canonicalPerm(s, out, scratch);
  }
  // Same, returning the index of the permutation that gives them.
  size_t canonicalPerm(const State &s, std::string &out, std::string &scratch) const;
  // `s` under permutation `perm` of the group (0: the identity).
  State permuted(const State &s, size_t perm) const {
    return perm ? apply(s, perms_[perm]) : s;
  }
  // The permuted state.
  State apply(const State &s, const std::vector<int> &perm) const;
  // Sets whose members are interchangeable (before the group size cap).
  static std::vector<bool> symmetricSets(const ir::Program &program,
                                         std::vector<std::string> *reasons);

private:
  const Layout &layout_;
  std::vector<std::vector<int>> perms_; // all group elements, identity first
  std::string description_;
};

Value renameValue(const Value &v, const std::vector<int> &perm);

} // namespace mommie::checker
