// Identifier management for the emitted TLA+: sanitizing program names into
// legal TLA+ identifiers and keeping every name unique in its scope (TLA+
// forbids redefinition and shadowing, so a user variable called `Init`,
// `self` or `Len` must be renamed).
#pragma once

#include <set>
#include <string>

namespace mommie::tla {

// True if `name` is a TLA+ keyword, a name from the standard modules the
// spec extends (Naturals, Integers, FiniteSets, Sequences, TLC) or from
// MommiePool.
bool isReservedName(const std::string &name);

// Turns `name` into a legal TLA+ identifier (letters, digits, `_`; not
// starting with WF_/SF_; at least one letter).
std::string sanitizeName(const std::string &name);

// A set of taken names, optionally layered on an enclosing scope.
class NameScope {
public:
  explicit NameScope(const NameScope *parent = nullptr) : parent_(parent) {}
  bool taken(const std::string &name) const;
  // Claims `base` (sanitized) or, if taken, the first free `base_1`,
  // `base_2`, ...
  std::string claim(const std::string &base);
  // Claims exactly `name` (must be free); returns false if taken.
  bool claimExact(const std::string &name);

private:
  const NameScope *parent_;
  std::set<std::string> names_;
};

} // namespace mommie::tla
