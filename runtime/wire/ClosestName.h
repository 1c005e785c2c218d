// "Did you mean ...?" for names a user typed: the one edit-distance helper
// of the project, used by the compiler's diagnostics (ir/Diagnostics.h)
// and by the node binaries' flag parser (runtime/wire/Flags.h). Header-only
// and dependency-free, so that the compiler can use it without linking the
// runtime. C++17.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace mommie {

// Optimal string alignment distance (Damerau-Levenshtein without repeated
// edits of a substring), case-insensitive so that `numreq` finds `NumReq`.
inline size_t editDistance(const std::string &a, const std::string &b) {
  auto lower = [](char c) { return char(std::tolower((unsigned char)c)); };
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The candidate closest to `name` by edit distance (insertions, deletions,
// substitutions, adjacent swaps), if it is close enough to be a likely typo
// (at most a third of the name's length, at least one edit); else empty.
inline std::string closestName(const std::string &name,
                               const std::vector<std::string> &candidates) {
  size_t limit = std::max<size_t>(1, name.size() / 3);
  std::string best;
  size_t bestDist = limit + 1;
  for (const auto &c : candidates) {
    size_t dist = editDistance(name, c);
    // Replacing every letter is no typo ('G' is not a misspelt 'F').
    if (dist >= std::min(name.size(), c.size()))
      continue;
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return best;
}

} // namespace mommie
