// Lowering helpers: construction of IR nodes with their types and source
// locations. Sema elaborates each checked AST node into IR through these, so
// that every node the front end produces carries a SourceLoc and a type.
#pragma once

#include "ir/IR.h"

#include <vector>

namespace mommie::frontend::lower {

ir::ExprPtr intLit(int64_t v, const ir::SourceLoc &loc,
                   ir::TypeRef type = nullptr);
ir::ExprPtr boolLit(bool v, const ir::SourceLoc &loc);
ir::ExprPtr principalLit(int id, int set, const ir::SourceLoc &loc);
ir::ExprPtr me(int set, const ir::SourceLoc &loc);
ir::ExprPtr slot(int slot, ir::TypeRef type, const ir::SourceLoc &loc);
ir::ExprPtr stateVar(int role, int var, ir::TypeRef type,
                     const ir::SourceLoc &loc);
ir::ExprPtr stateVarOf(int role, int var, ir::ExprPtr who, ir::TypeRef type,
                       const ir::SourceLoc &loc);
ir::ExprPtr principalSet(int set, const ir::SourceLoc &loc);
ir::ExprPtr unary(ir::Op op, ir::ExprPtr a, ir::TypeRef type,
                  const ir::SourceLoc &loc);
ir::ExprPtr binary(ir::Op op, ir::ExprPtr a, ir::ExprPtr b, ir::TypeRef type,
                   const ir::SourceLoc &loc);
ir::ExprPtr builtin(ir::Builtin b, std::vector<ir::ExprPtr> args,
                    ir::TypeRef type, const ir::SourceLoc &loc);
// Any other node: kind, type, args, and optionally slot / index.
ir::ExprPtr node(ir::ExprKind kind, ir::TypeRef type,
                 std::vector<ir::ExprPtr> args, const ir::SourceLoc &loc,
                 int slot = -1, int index = -1);

ir::Op binOp(int astBinOp); // ast::BinOp -> ir::Op

} // namespace mommie::frontend::lower
