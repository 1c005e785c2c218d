// Local scopes and frames. A Frame owns the numbered slots of one
// transition / function / round / predicate (ir::SlotInfo); a ScopeStack maps
// the names visible at a point to slots of the current frame, innermost
// first, and remembers which locals were read (for unused-variable
// warnings).
//
// Global names (params, consts, principal sets, records, funs, roles, ...)
// live in Sema's GlobalTable, not here: a local shadows a global.
#pragma once

#include "ir/IR.h"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace mommie::frontend {

enum class LocalKind {
  Param,
  PatternRecord,
  IssuerBinder,
  Let,
  Binder,
  Mailbox
};

struct Local {
  int slot = -1;
  ir::TypeRef type;
  ir::SourceLoc loc;
  LocalKind kind = LocalKind::Let;
  bool used = false;
  bool warnUnused = true;
  std::string name;
};

class Frame {
public:
  // Adds a slot; its SlotInfo name is made unique within the frame by a
  // numeric suffix when the user reused a name in a nested scope.
  int addSlot(const std::string &name, ir::TypeRef type,
              const ir::SourceLoc &loc);
  void setType(int slot, ir::TypeRef type);
  const std::vector<ir::SlotInfo> &slots() const { return slots_; }
  std::vector<ir::SlotInfo> take() { return std::move(slots_); }

private:
  std::vector<ir::SlotInfo> slots_;
  std::map<std::string, int> nameCount_;
};

class ScopeStack {
public:
  void push();
  // Pops the innermost scope; its locals that were never read and are
  // marked warnUnused are appended to `unused`.
  void pop(std::vector<Local> *unused = nullptr);
  // Declares a local in the innermost scope. Returns the previous local of
  // the same name in the innermost scope (a redefinition), or nullptr.
  const Local *declare(const Local &local);
  Local *lookup(const std::string &name);
  bool empty() const { return scopes_.empty(); }
  // Every local of every open scope (innermost last).
  std::vector<Local *> all();

private:
  std::deque<std::deque<Local>> scopes_; // stable addresses
};

} // namespace mommie::frontend
