// Frames (slot allocation) and lexical scopes of locals.
#include "frontend/Scope.h"

namespace mommie::frontend {

int Frame::addSlot(const std::string &name, ir::TypeRef type,
                   const ir::SourceLoc &loc) {
  int n = nameCount_[name]++;
  std::string unique = n == 0 ? name : name + "_" + std::to_string(n);
  while (n > 0 && nameCount_.count(unique))
    unique += "_";
  if (n > 0)
    nameCount_[unique]++;
  slots_.push_back({unique, std::move(type), loc});
  return (int)slots_.size() - 1;
}

void Frame::setType(int slot, ir::TypeRef type) {
  if (slot >= 0 && slot < (int)slots_.size())
    slots_[slot].type = std::move(type);
}

void ScopeStack::push() { scopes_.emplace_back(); }

void ScopeStack::pop(std::vector<Local> *unused) {
  if (scopes_.empty())
    return;
  if (unused)
    for (const auto &l : scopes_.back())
      if (!l.used && l.warnUnused && !l.name.empty() && l.name[0] != '_')
        unused->push_back(l);
  scopes_.pop_back();
}

const Local *ScopeStack::declare(const Local &local) {
  if (scopes_.empty())
    push();
  for (const auto &l : scopes_.back())
    if (l.name == local.name)
      return &l;
  scopes_.back().push_back(local);
  return nullptr;
}

Local *ScopeStack::lookup(const std::string &name) {
  for (auto s = scopes_.rbegin(); s != scopes_.rend(); ++s)
    for (auto &l : *s)
      if (l.name == name)
        return &l;
  return nullptr;
}

std::vector<Local *> ScopeStack::all() {
  std::vector<Local *> out;
  for (auto &s : scopes_)
    for (auto &l : s)
      out.push_back(&l);
  return out;
}

} // namespace mommie::frontend
