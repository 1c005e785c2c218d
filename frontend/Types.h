// Type utilities of the front end. Semantic analysis works directly on IR
// types (`ir::Type`): parameters are known when a program is checked, so
// range bounds and principal-set sizes are concrete numbers already.
//
// Integer-like types (int and lo..hi) are mutually assignable: staying in a
// declared range is a run-time (checker) property, as docs/semantics.md says.
// The same holds for principal types (any principal vs a member of a set).
#pragma once

#include "ir/IR.h"

#include <string>
#include <vector>

namespace mommie::frontend {

ir::TypeRef boolType();
ir::TypeRef intType();
// A range type; symLo/symHi are its bounds over parameters (ir/IR.h), when
// either reads one (the other then becomes a literal).
ir::TypeRef rangeType(int64_t lo, int64_t hi, ir::ExprPtr symLo = nullptr,
                      ir::ExprPtr symHi = nullptr, bool model = false);
// An int literal without a source location, for symbolic forms.
ir::ExprPtr symbolicInt(int64_t v);
ir::TypeRef principalType(int set = -1);
ir::TypeRef recordType(int record);
ir::TypeRef setType(ir::TypeRef elem);
ir::TypeRef mapType(ir::TypeRef key, ir::TypeRef value);
ir::TypeRef optionType(ir::TypeRef elem);
ir::TypeRef seqType(ir::TypeRef elem);
ir::TypeRef tupleType(std::vector<ir::TypeRef> elems);

bool isIntLike(const ir::Type &t);
bool isPrincipal(const ir::Type &t);
bool isBool(const ir::Type &t);
bool isSetOf(const ir::Type &t, bool (*pred)(const ir::Type &));
// A principal or a set of principals (verifier / auditor / send destination).
bool isPrincipalOrSet(const ir::Type &t);

// Structural equality.
bool sameType(const ir::Type &a, const ir::Type &b);
// Whether a value of type `from` may be stored where `to` is expected.
bool assignable(const ir::Type &from, const ir::Type &to);
// Whether `==`/`!=` may compare values of the two types.
bool comparable(const ir::Type &a, const ir::Type &b);
// The least common type of two compatible types (for set literals,
// conditional branches); nullptr when incompatible.
ir::TypeRef joinTypes(const ir::TypeRef &a, const ir::TypeRef &b);

// Whether every value of the type comes from a finite domain known before
// exploration (bool, ranges, principals, records of bounded fields, sets /
// maps / options / tuples of bounded types). `int` and `seq` are unbounded.
bool isBounded(const ir::Type &t, const std::vector<ir::RecordDecl> &records);
// Same for the field types of a record; the first unbounded field's name is
// stored in `field`.
bool recordBounded(int record, const std::vector<ir::RecordDecl> &records,
                   std::string &field);

// User-facing spelling: `0..3`, `set<principal>`, `R`, `Request`.
std::string typeName(const ir::Type &t,
                     const std::vector<ir::RecordDecl> &records,
                     const std::vector<ir::PrincipalSet> &sets);

} // namespace mommie::frontend
