// Diagnostics: clang-style `file:line:col: error: message`, the source line
// and a caret, with notes. Every stage (front end, deploy-file parser,
// checker input errors) reports user errors here, never by throwing.
#pragma once

#include "ir/IR.h"
#include "runtime/wire/ClosestName.h" // closestName, for "did you mean" (shared with the runtime)

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace mommie {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  ir::SourceLoc loc;
  std::string message;
};

class DiagnosticEngine {
public:
  // Registers the text of a file so that diagnostics can quote its lines.
  void addSource(const std::string &file, std::string text);

  void error(const ir::SourceLoc &loc, std::string message);
  void warning(const ir::SourceLoc &loc, std::string message);
  void note(const ir::SourceLoc &loc, std::string message);

  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ != 0; }
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }

  // Prints every diagnostic in report order: the location line, the quoted
  // source line and a caret under the column.
  void print(std::ostream &os) const;
  // One diagnostic, formatted as print() would.
  std::string format(const Diagnostic &d) const;

  // Stop collecting after this many errors (a run never floods).
  void setErrorLimit(unsigned n) { errorLimit_ = n; }

private:
  void add(Severity s, const ir::SourceLoc &loc, std::string message);
  std::map<std::string, std::string> sources_;
  std::vector<Diagnostic> diags_;
  unsigned errors_ = 0, warnings_ = 0, errorLimit_ = 50;
};

} // namespace mommie
