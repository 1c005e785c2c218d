// Structural equality and hashing of IR expressions, patterns and types.
//
// Two expressions are equal when they have the same kind, structurally equal
// types, the same scalar fields among those ExprKinds.def lists for the kind
// (a symbolic form Expr::sym compared structurally), equal operands in order
// and equal patterns; source locations are ignored, and so are fields a kind
// does not use. Types compare by kind, their kind's fields (range bounds and
// their symbolic forms, principal set, record) and arguments. Null compares
// equal only to null. Equal values have equal hashes.
#pragma once

#include "ir/IR.h"

#include <cstddef>

namespace mommie::ir {

bool equal(const Expr &a, const Expr &b);
bool equal(const ExprPtr &a, const ExprPtr &b);
bool equal(const Type &a, const Type &b);
bool equal(const TypeRef &a, const TypeRef &b);
bool equal(const Pattern &a, const Pattern &b);

size_t hash(const Expr &e);
size_t hash(const Type &t);
size_t hash(const Pattern &p);

// For unordered containers keyed by structure.
struct ExprHash {
  size_t operator()(const ExprPtr &e) const { return e ? hash(*e) : 0; }
};
struct ExprEqual {
  bool operator()(const ExprPtr &a, const ExprPtr &b) const {
    return equal(a, b);
  }
};

} // namespace mommie::ir
