// One obligation in a child process (see Isolate.h). The child writes its
// result to a pipe as four lines: verdict, limit flag, detail length, then
// the detail bytes.
#include "proofs/Isolate.h"
#include "ir/Resources.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mommie::proofs {

namespace {

constexpr size_t StageSize = 256;
int childOut = -1; // the child's end of the pipe

void writeAll(int fd, const std::string &s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += size_t(n);
  }
}

[[noreturn]] void sendAndExit(Verdict v, bool limit,
                              const std::string &detail) {
  writeAll(childOut, fmt::format("{}\n{}\n{}\n{}", int(v), limit ? 1 : 0,
                                 detail.size(), detail));
  ::_exit(0); // no destructors: freeing what the obligation built is slow
}

void limitInChild(const std::string &reason) {
  sendAndExit(Verdict::Unknown, true, reason);
}

bool parseResult(const std::string &text, ObligationResult &r) {
  // Three numbers, each on its own line, then the detail.
  size_t pos = 0;
  long long nums[3];
  for (long long &n : nums) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos)
      return false;
    try {
      n = std::stoll(text.substr(pos, eol - pos));
    } catch (const std::exception &) {
      return false;
    }
    pos = eol + 1;
  }
  if (nums[0] < 0 || nums[0] > 2 || text.size() - pos != size_t(nums[2]))
    return false;
  r.verdict = static_cast<Verdict>(nums[0]);
  r.limit = nums[1] != 0;
  r.detail = text.substr(pos);
  return true;
}

} // namespace

void runIsolated(const Limits &limits,
                 const std::function<ObligationResult()> &work,
                 ObligationResult &r) {
  auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  };
  auto inProcess = [&] {
    try {
      Budget budget(limits);
      ObligationResult out = work();
      r.verdict = out.verdict;
      r.limit = out.limit;
      r.detail = out.detail;
    } catch (const LimitReached &e) {
      r.verdict = Verdict::Unknown;
      r.limit = true;
      r.detail = e.reason;
    }
    r.seconds = seconds();
  };
  // Within an obligation already (the bounded counterexample search of a
  // parameterized one), or without limits: here.
  if (Budget::current() || (!limits.timeoutMs && !limits.maxMemoryMb))
    return inProcess();
  void *shared = ::mmap(nullptr, StageSize, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int fds[2];
  if (shared == MAP_FAILED)
    return inProcess();
  if (::pipe(fds) != 0) {
    ::munmap(shared, StageSize);
    return inProcess();
  }
  char *stage = static_cast<char *>(shared);
  std::snprintf(stage, StageSize, "%s", "the encoding");
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Die with the parent (a run stopped from outside leaves no child).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1)
      ::_exit(1);
    ::close(fds[0]);
    childOut = fds[1];
    becomeIsolatedChild(stage, StageSize, limitInChild);
    ObligationResult out;
    try {
      Budget budget(limits);
      out = work();
    } catch (const LimitReached &e) {
      sendAndExit(Verdict::Unknown, true, e.reason);
    } catch (const std::exception &e) {
      sendAndExit(Verdict::Unknown, false,
                  std::string("internal error: ") + e.what());
    }
    sendAndExit(out.verdict, out.limit, out.detail);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    ::munmap(shared, StageSize);
    return inProcess();
  }
  // Read the child's answer, stopping it past the deadline (plus grace) or
  // above the memory limit.
  std::string text, stopped;
  auto deadline =
      t0 + std::chrono::milliseconds(limits.timeoutMs + IsolationGraceMs);
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    int n = ::poll(&p, 1, 20);
    if (n > 0) {
      char buf[4096];
      ssize_t got = ::read(fds[0], buf, sizeof buf);
      if (got > 0) {
        text.append(buf, size_t(got));
        continue;
      }
      if (got == 0 || errno != EINTR)
        break; // end of file: the child is done
    }
    std::string where(stage, strnlen(stage, StageSize));
    if (limits.timeoutMs && std::chrono::steady_clock::now() >= deadline)
      stopped = fmt::format("timeout after {:g} s in {}",
                            limits.timeoutMs / 1000.0, where);
    else if (limits.maxMemoryMb && residentBytesOf(pid) > limits.maxMemoryMb
                                                              << 20)
      stopped = fmt::format("memory limit {} MB reached in {}",
                            limits.maxMemoryMb, where);
    if (!stopped.empty()) {
      ::kill(pid, SIGKILL);
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string where(stage, strnlen(stage, StageSize));
  ::munmap(shared, StageSize);
  r.seconds = seconds();
  if (!stopped.empty()) {
    r.verdict = Verdict::Unknown;
    r.limit = true;
    r.detail = stopped;
    return;
  }
  if (!parseResult(text, r)) {
    r.verdict = Verdict::Unknown;
    r.limit = false;
    r.detail =
        WIFSIGNALED(status)
            ? fmt::format("the prover died (signal {}) in {}", WTERMSIG(status),
                          where)
            : fmt::format("the prover stopped without a result in {}", where);
  }
}

} // namespace mommie::proofs
