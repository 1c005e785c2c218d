// The simulated network (see SimTransport.h).
#include "runtime/net/SimTransport.h"

#include <memory>

namespace mommie::rt {

SimNetwork::SimNetwork(EventLoop &loop, size_t numPrincipals, SimFaults faults,
                       uint64_t seed)
    : loop_(loop), faults_(std::move(faults)),
      rng_(seed * 0x9E3779B97F4A7C15ull + 1), start_(loop.clock()),
      receivers_(numPrincipals), crashed_(numPrincipals, false),
      lastAt_(numPrincipals * numPrincipals, start_), n_(numPrincipals) {}

int64_t SimNetwork::nowUs() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(loop_.clock() -
                                                               start_)
      .count();
}

void SimNetwork::send(int from, int to, const std::vector<uint8_t> &frame) {
  if (size_t(to) >= n_ || size_t(from) >= n_ || crashed_[size_t(from)])
    return;
  ++stats_.sent;
  if (faults_.loss > 0 && uniform() < faults_.loss) {
    ++stats_.lost;
    return;
  }
  auto shared = std::make_shared<const std::vector<uint8_t>>(frame);
  schedule(from, to, shared);
  if (faults_.dup > 0 && uniform() < faults_.dup) {
    ++stats_.duplicated;
    schedule(from, to, shared);
  }
}

void SimNetwork::schedule(int from, int to,
                          std::shared_ptr<const std::vector<uint8_t>> frame) {
  int64_t span = faults_.delayMaxUs - faults_.delayMinUs;
  int64_t d = faults_.delayMinUs +
              (span > 0 ? int64_t(next() % uint64_t(span + 1)) : 0);
  TimePoint when = loop_.clock() + std::chrono::microseconds(d);
  TimePoint &last = lastAt_[size_t(from) * n_ + size_t(to)];
  if (!faults_.reorder && when < last)
    when = last; // FIFO channel: never before an earlier frame
  last = std::max(last, when);
  loop_.at(when, [this, from, to, frame] {
    if (crashed_[size_t(to)]) {
      ++stats_.toCrashed;
      return;
    }
    ++stats_.delivered;
    if (receivers_[size_t(to)])
      receivers_[size_t(to)](from, frame->data(), frame->size());
  });
}

std::vector<Value> payloadVariants(const Value &v, int numPrincipals) {
  std::vector<Value> out;
  switch (v.kind()) {
  case Kind::Bool:
    out.push_back(Value::boolean(!v.asBool()));
    break;
  case Kind::Int:
    out.push_back(Value::integer(v.asInt() + 1));
    out.push_back(Value::integer(v.asInt() - 1));
    break;
  case Kind::Principal:
    if (numPrincipals > 1)
      out.push_back(Value::principal((v.asPrincipal() + 1) % numPrincipals));
    break;
  case Kind::Option:
    if (v.size() == 1) {
      out.push_back(Value::none());
      for (auto &x : payloadVariants(v.elems()[0], numPrincipals))
        out.push_back(Value::some(std::move(x)));
    }
    break;
  case Kind::Record:
  case Kind::Tuple:
    for (size_t i = 0; i < v.size(); ++i)
      for (auto &x : payloadVariants(v.elems()[i], numPrincipals)) {
        Value::Elems e = v.elems();
        e[i] = std::move(x);
        out.push_back(v.is(Kind::Record)
                          ? Value::record(v.recordIndex(), std::move(e))
                          : Value::tuple(std::move(e)));
      }
    break;
  case Kind::Seq:
  case Kind::Set:
    if (v.size() > 0) {
      Value::Elems e(v.elems().begin(), v.elems().end() - 1);
      out.push_back(v.is(Kind::Seq) ? Value::seq(std::move(e))
                                    : Value::set(std::move(e)));
    }
    break;
  case Kind::Map:
    if (v.size() > 0) {
      std::vector<std::pair<Value, Value>> m;
      for (size_t i = 0; i + 1 < v.size(); ++i)
        m.emplace_back(v.mapKey(i), v.mapValue(i));
      out.push_back(Value::map(std::move(m)));
    }
    break;
  }
  return out;
}

} // namespace mommie::rt
