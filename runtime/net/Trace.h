// The trace recorder (`--trace FILE.jsonl`): one JSON object per local step
// of this node, in order:
//   {"node":"R1","seq":3,"t_us":1234,"transition":"Execute",
//    "binding":{"order":...,"c":"C0","req":...},
//    "delivered":[statements delivered since the previous step],
//    "published":[statements this step published],
//    "timers":{"started":[...],"stopped":[...]},
//    "changed":{var: value, ...}}   (the variables and timers whose value
//                                   changed since the previous record; all
//                                   of them in the node's first record; a
//                                   map that changed is given as
//                                   {"$mapDelta":[[k,v]...],"$removed":[k...]})
// A record with "transition": null carries deliveries only (flushed at exit).
// The first record also carries how the binary was built (BuildInfo.h),
// after "seq": "protocol":"PrimaryBackup","mommie":"0.1","params":{"F":1,...},
// and the node's initial state, "init":{var: value, ...} (every variable
// and timer): the values of its `var x in S` choices, which the
// conformance check starts the replay from.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

class TraceWriter {
public:
  TraceWriter() = default;
  ~TraceWriter();
  TraceWriter(const TraceWriter &) = delete;
  TraceWriter &operator=(const TraceWriter &) = delete;

  bool open(const std::string &path, std::string &error);
  bool isOpen() const { return f_ != nullptr; }
  // All JSON arguments are already rendered.
  void step(const std::string &node, const std::string *transition,
            const std::string &bindingJson,
            const std::vector<std::string> &delivered,
            const std::vector<std::string> &published,
            const std::string &timersJson, const std::string &stateJson);
  void flush();
  // Members (rendered JSON, no braces) added to the first record only:
  // traceHeaderJson() of BuildInfo.h.
  void setHeader(std::string members) { header_ = std::move(members); }
  void addHeader(const std::string &members) {
    header_ += (header_.empty() ? "" : ",") + members;
  }
  uint64_t steps() const { return seq_; }
  // The clock of "t_us" (µs); default: the monotonic clock since the first
  // record of the process (`mommie sim`: virtual time).
  void setClock(std::function<int64_t()> usNow) { clock_ = std::move(usNow); }

private:
  FILE *f_ = nullptr;
  std::function<int64_t()> clock_;
  std::string header_;
  uint64_t seq_ = 0;
};

} // namespace mommie::rt
