// The protocol corpus the ir/ tests run over: every example and bug variant.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace mommie::ir::testing {

// The .mom files of examples/ and tests/bugs/, sorted.
inline std::vector<std::string> corpusPaths() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const char *dir : {"examples", "tests/bugs"})
    for (const auto &e :
         fs::directory_iterator(fs::path(MOMMIE_SOURCE_DIR) / dir))
      if (e.path().extension() == ".mom")
        out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace mommie::ir::testing
