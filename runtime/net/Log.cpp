// Structured JSON-lines logs (see Log.h).
#include "runtime/net/Log.h"

#include "runtime/net/EventLoop.h"
#include "runtime/wire/Value.h"

#include <vector>

namespace mommie::rt {

namespace {
const TimePoint Start = Clock::now();
const char *levelName(LogLevel l) {
  switch (l) {
  case LogLevel::Debug:
    return "debug";
  case LogLevel::Info:
    return "info";
  case LogLevel::Warn:
    return "warn";
  case LogLevel::Error:
    return "error";
  case LogLevel::Off:
    return "off";
  }
  return "?";
}
} // namespace

bool parseLogLevel(const std::string &s, LogLevel &out) {
  for (LogLevel l : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn,
                     LogLevel::Error, LogLevel::Off})
    if (s == levelName(l)) {
      out = l;
      return true;
    }
  return false;
}

Logger::Logger(std::string node, LogLevel level, FILE *out)
    : node_(std::move(node)), level_(level), out_(out) {}

void Logger::log(LogLevel l, const char *event, Fields fields) {
  if (enabled(l))
    write(l, event, fields.begin(), fields.end(), false);
}

void Logger::logJson(LogLevel l, const char *event, Fields fields) {
  if (enabled(l))
    write(l, event, fields.begin(), fields.end(), true);
}

void Logger::logCounts(
    LogLevel l, const char *event,
    std::initializer_list<std::pair<const char *, uint64_t>> counts) {
  if (!enabled(l))
    return;
  std::vector<std::pair<const char *, std::string>> fields;
  for (const auto &[k, n] : counts)
    fields.emplace_back(k, std::to_string(n));
  write(l, event, fields.data(), fields.data() + fields.size(), true);
}

void Logger::write(LogLevel l, const char *event,
                   const std::pair<const char *, std::string> *begin,
                   const std::pair<const char *, std::string> *end, bool raw) {
  std::string line = "{\"t\":";
  line += std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                             Clock::now() - Start)
                             .count());
  line += ",\"level\":\"";
  line += levelName(l);
  line += "\",\"node\":";
  appendJsonString(line, node_);
  line += ",\"event\":";
  appendJsonString(line, event);
  for (auto it = begin; it != end; ++it) {
    const auto &[k, v] = *it;
    line += ',';
    appendJsonString(line, k);
    line += ':';
    if (raw)
      line += v;
    else
      appendJsonString(line, v);
  }
  line += "}\n";
  fwrite(line.data(), 1, line.size(), out_);
  fflush(out_);
}

} // namespace mommie::rt
