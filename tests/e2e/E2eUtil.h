// Helpers for end-to-end tests: temporary directories, free loopback
// ports, child processes with redirected output, bounded waits.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace e2e {

// Whether the tests and the binaries they build run under AddressSanitizer
// (scripts/test --sanitize): resident sizes and timings are not the
// production build's there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

inline std::string tempDir(const std::string &tag) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("mommie-" + tag + "-XXXXXX"))
          .string();
  return mkdtemp(tmpl.data()) ? tmpl : std::string();
}

inline std::string readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// `n` distinct ports free for listening on loopback (then released). They
// are taken below the kernel's ephemeral range (32768..60999 by default),
// from a start that differs per process: a port the kernel handed out for
// port 0 is in that range, where every outgoing connection of the nodes
// under test (and of tests running in parallel) also takes its source
// port, so a listener started a moment later found it in use now and then.
inline std::vector<int> freePorts(size_t n) {
  static uint32_t next =
      10000 + uint32_t(getpid() * 7919u + uint32_t(time(nullptr))) % 22000;
  std::vector<int> ports;
  for (int tries = 0; ports.size() < n && tries < 22000; ++tries) {
    int port = int(next);
    next = next + 1 >= 32000 ? 10000 : next + 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    bool ok =
        fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    if (fd >= 0)
      close(fd);
    // The UDP port too: some nodes use it (round transport over UDP).
    int ufd = socket(AF_INET, SOCK_DGRAM, 0);
    ok = ok && ufd >= 0 &&
         bind(ufd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    if (ufd >= 0)
      close(ufd);
    if (ok)
      ports.push_back(port);
  }
  return ports;
}

// Runs argv with stdout/stderr redirected to files; returns the pid.
inline pid_t spawn(const std::vector<std::string> &argv, const std::string &out,
                   const std::string &err) {
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char *> args;
    for (const auto &a : argv)
      args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` at most `ms`; kills it (SIGKILL) on timeout. Returns the
// exit code, or -1 if it timed out or died of a signal.
inline int waitFor(pid_t pid, int ms) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// Polls `pred` every 20ms for at most `ms`.
template <class F> bool eventually(int ms, F pred) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

inline int run(const std::vector<std::string> &argv, const std::string &dir,
               int ms) {
  return waitFor(spawn(argv, dir + "/run.out", dir + "/run.err"), ms);
}

// Writes `path`: a [Hosts] section giving `names` fresh loopback ports,
// then `rest` (e.g. an [Authentication] section).
inline void writeDeploy(const std::string &path,
                        const std::vector<std::string> &names,
                        const std::string &rest = "") {
  auto ports = freePorts(names.size());
  std::ofstream conf(path);
  conf << "[Hosts]\n";
  for (size_t i = 0; i < names.size(); ++i)
    conf << names[i] << " = 127.0.0.1:" << ports[i] << "\n";
  conf << rest;
}

// `mommie build` (the tool in $MOMMIE) of `program` (a path below the
// source tree) for principals `names`, into a fresh directory; the node
// binary's path, or empty with `error` set.
inline std::string buildNode(const std::string &tag, const std::string &program,
                             const std::vector<std::string> &names,
                             std::string &error) {
  const char *mommie = std::getenv("MOMMIE");
  std::string dir = tempDir(tag);
  if (!mommie || dir.empty()) {
    error = mommie ? "no temporary directory" : "MOMMIE is not set";
    return "";
  }
  writeDeploy(dir + "/build.conf", names);
  std::string bin = dir + "/node";
  if (run({mommie, "build", std::string(MOMMIE_SOURCE_DIR) + "/" + program,
           "--deploy", dir + "/build.conf", "-o", bin},
          dir, 240000) != 0) {
    error = readFile(dir + "/run.err");
    return "";
  }
  return bin;
}

} // namespace e2e
