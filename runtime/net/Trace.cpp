// The JSON-lines trace recorder (see Trace.h).
#include "runtime/net/Trace.h"

#include "runtime/net/EventLoop.h"
#include "runtime/wire/Value.h"

#include <cerrno>
#include <cstring>

namespace mommie::rt {

TraceWriter::~TraceWriter() {
  if (f_)
    fclose(f_);
}

bool TraceWriter::open(const std::string &path, std::string &error) {
  f_ = fopen(path.c_str(), "w");
  if (!f_) {
    error = "cannot write trace '" + path + "': " + std::strerror(errno);
    return false;
  }
  return true;
}

void TraceWriter::step(const std::string &node, const std::string *transition,
                       const std::string &bindingJson,
                       const std::vector<std::string> &delivered,
                       const std::vector<std::string> &published,
                       const std::string &timersJson,
                       const std::string &stateJson) {
  if (!f_)
    return;
  static const TimePoint start = Clock::now();
  std::string line = "{\"node\":";
  appendJsonString(line, node);
  line += ",\"seq\":" + std::to_string(seq_);
  if (seq_++ == 0 && !header_.empty())
    line += "," + header_;
  line += ",\"t_us\":" +
          std::to_string(
              clock_ ? clock_()
                     : std::chrono::duration_cast<std::chrono::microseconds>(
                           Clock::now() - start)
                           .count());
  line += ",\"transition\":";
  if (transition)
    appendJsonString(line, *transition);
  else
    line += "null";
  line +=
      ",\"binding\":" + (bindingJson.empty() ? std::string("{}") : bindingJson);
  auto list = [&](const char *key, const std::vector<std::string> &xs) {
    line += ",\"";
    line += key;
    line += "\":[";
    for (size_t i = 0; i < xs.size(); ++i) {
      if (i)
        line += ',';
      line += xs[i];
    }
    line += ']';
  };
  list("delivered", delivered);
  list("published", published);
  line +=
      ",\"timers\":" + (timersJson.empty() ? std::string("{}") : timersJson);
  line += ",\"changed\":" + stateJson + "}\n";
  fwrite(line.data(), 1, line.size(), f_);
}

void TraceWriter::flush() {
  if (f_)
    fflush(f_);
}

} // namespace mommie::rt
