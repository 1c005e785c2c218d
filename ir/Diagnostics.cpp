// Diagnostic formatting: `file:line:col: severity: message`, source line,
// caret.
#include "ir/Diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mommie {

void DiagnosticEngine::addSource(const std::string &file, std::string text) {
  sources_[file] = std::move(text);
}

void DiagnosticEngine::add(Severity s, const ir::SourceLoc &loc,
                           std::string message) {
  if (s == Severity::Error) {
    if (errors_ >= errorLimit_)
      return;
    ++errors_;
  } else if (s == Severity::Warning) {
    ++warnings_;
  }
  diags_.push_back({s, loc, std::move(message)});
}

void DiagnosticEngine::error(const ir::SourceLoc &loc, std::string message) {
  add(Severity::Error, loc, std::move(message));
}
void DiagnosticEngine::warning(const ir::SourceLoc &loc, std::string message) {
  add(Severity::Warning, loc, std::move(message));
}
void DiagnosticEngine::note(const ir::SourceLoc &loc, std::string message) {
  add(Severity::Note, loc, std::move(message));
}

static const char *severityName(Severity s) {
  switch (s) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

// Returns line `n` (1-based) of `text`, without its newline.
static std::string lineOf(const std::string &text, uint32_t n) {
  size_t pos = 0;
  for (uint32_t i = 1; i < n; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos)
      return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  return text.substr(pos,
                     end == std::string::npos ? std::string::npos : end - pos);
}

std::string DiagnosticEngine::format(const Diagnostic &d) const {
  std::string out;
  if (d.loc.line == 0)
    out =
        fmt::format("{}: {}: {}\n", d.loc.file.empty() ? "mommie" : d.loc.file,
                    severityName(d.severity), d.message);
  else
    out = fmt::format("{}:{}:{}: {}: {}\n", d.loc.file, d.loc.line, d.loc.col,
                      severityName(d.severity), d.message);
  auto it = sources_.find(d.loc.file);
  if (it == sources_.end() || d.loc.line == 0)
    return out;
  std::string line = lineOf(it->second, d.loc.line);
  out += line + "\n";
  std::string caret;
  for (uint32_t i = 1; i < d.loc.col && i - 1 < line.size(); ++i)
    caret += line[i - 1] == '\t' ? '\t' : ' ';
  out += caret + "^\n";
  return out;
}

void DiagnosticEngine::print(std::ostream &os) const {
  for (const auto &d : diags_)
    os << format(d);
}

} // namespace mommie
