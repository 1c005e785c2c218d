// Structured logs: one JSON object per line on stderr (or a file), with a
// monotonic timestamp in microseconds since start, the level, the node id
// and the event name, then the event's fields.
//   {"t":1234,"level":"info","node":"R1","event":"fired","transition":"Execute"}
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>

namespace mommie::rt {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

// "debug" | "info" | "warn" | "error" | "off"; false on anything else.
bool parseLogLevel(const std::string &s, LogLevel &out);

class Logger {
public:
  using Fields = std::initializer_list<std::pair<const char *, std::string>>;

  explicit Logger(std::string node = "", LogLevel level = LogLevel::Info,
                  FILE *out = stderr);
  void setNode(std::string node) { node_ = std::move(node); }
  void setLevel(LogLevel l) { level_ = l; }
  LogLevel level() const { return level_; }
  bool enabled(LogLevel l) const { return l >= level_; }

  // String fields (quoted).
  void log(LogLevel l, const char *event, Fields fields);
  void debug(const char *event, Fields f = {}) {
    log(LogLevel::Debug, event, f);
  }
  void info(const char *event, Fields f = {}) { log(LogLevel::Info, event, f); }
  void warn(const char *event, Fields f = {}) { log(LogLevel::Warn, event, f); }
  void error(const char *event, Fields f = {}) {
    log(LogLevel::Error, event, f);
  }
  // Fields whose values are already JSON (numbers, objects).
  void logJson(LogLevel l, const char *event, Fields jsonFields);
  // Counters as numbers (the `stats` line of `--stats-every`).
  void
  logCounts(LogLevel l, const char *event,
            std::initializer_list<std::pair<const char *, uint64_t>> counts);

private:
  void write(LogLevel l, const char *event,
             const std::pair<const char *, std::string> *begin,
             const std::pair<const char *, std::string> *end, bool raw);
  std::string node_;
  LogLevel level_;
  FILE *out_;
};

} // namespace mommie::rt
