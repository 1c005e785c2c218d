// Out-of-line helpers of the IR: principal names and principal-set lookup.
#include "ir/IR.h"

namespace mommie::ir {

int Program::setOf(int principal) const {
  for (size_t i = 0; i < principalSets.size(); ++i) {
    const auto &s = principalSets[i];
    if (principal >= s.first && principal < s.first + s.size)
      return static_cast<int>(i);
  }
  return -1;
}

std::string Program::principalName(int id) const {
  int set = setOf(id);
  if (set < 0)
    return "<principal " + std::to_string(id) + ">";
  const auto &s = principalSets[set];
  return s.name + std::to_string(id - s.first);
}

} // namespace mommie::ir
