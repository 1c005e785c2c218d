// Which principal sets a symmetry reduction may permute: the members of a
// set are interchangeable when no part of the program can tell them apart
// (none is named or selected by index, principals are never ordered). The
// checker reduces by these sets and the TLA+ backend emits the same group
// as TLC's SYMMETRY, so that both count the same orbits.
#pragma once

#include "ir/IR.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mommie::ir {

struct SymmetricSets {
  // Per principal set: permuted by the reduction.
  std::vector<bool> reduced;
  // Why each other set with two or more members is not ("R: a member is
  // named at line 12"), for the checker's first output line.
  std::vector<std::string> reasons;
};

// The reduced sets: every interchangeable set with at least two members, in
// declaration order, while the group's order (the product of the sets'
// factorials) stays at most `maxGroupOrder`.
SymmetricSets symmetricSets(const Program &program,
                            size_t maxGroupOrder = 5040);

} // namespace mommie::ir
