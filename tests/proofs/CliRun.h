// Runs the `mommie` binary named by $MOMMIE with a shell argument string,
// for the end-to-end tests of `mommie prove`: exit status and the merged
// stdout/stderr, bounded by `timeout`.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

namespace proofs_test {

struct CliRun {
  int exit = -1;
  std::string out;
};

inline CliRun mommie(const std::string &args, int timeoutSeconds = 300) {
  const char *bin = std::getenv("MOMMIE");
  CliRun r;
  if (!bin)
    return r;
  std::string cmd = "timeout " + std::to_string(timeoutSeconds) + " " +
                    std::string(bin) + " " + args + " 2>&1";
  FILE *f = popen(cmd.c_str(), "r");
  if (!f)
    return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0)
    r.out.append(buf.data(), n);
  int status = pclose(f);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string src(const std::string &rel) {
  return std::string(MOMMIE_SOURCE_DIR) + "/" + rel;
}

} // namespace proofs_test
