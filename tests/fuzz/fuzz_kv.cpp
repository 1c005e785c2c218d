// libFuzzer target: the KV store's decoders (apps/kv): a batch of
// requests (replica frames, forwarded requests) and a client request must
// never crash, hang or read out of bounds; what decodes re-encodes (the
// batch encoder, the client library's request encoder) and decodes to the
// same requests.
#include "apps/kv/KvReplica.h"
#include "runtime/wire/Wire.h"

#include <cstdint>
#include <cstdlib>

using namespace mommie::rt;

namespace {

bool same(const KvRequest &a, const KvRequest &b) {
  return a.op == b.op && a.session == b.session && a.seq == b.seq &&
         a.ackBelow == b.ackBelow && a.key == b.key && a.value == b.value &&
         a.expected == b.expected && a.expectAbsent == b.expectAbsent;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<KvRequest> reqs;
  if (KvReplica::decodeBatch(
          std::string(reinterpret_cast<const char *>(data), size), reqs)) {
    auto enc = KvReplica::encodeBatch(reqs);
    std::vector<KvRequest> back;
    if (!KvReplica::decodeBatch(std::string(enc.begin(), enc.end()), back) ||
        back.size() != reqs.size())
      std::abort();
    for (size_t i = 0; i < reqs.size(); ++i)
      if (!same(reqs[i], back[i]))
        std::abort();
  }
  if (size > 0) {
    Reader r(data + 1, size - 1);
    KvRequest q;
    if (decodeClientRequest(data[0], r, 4096, q)) {
      if (q.bytes() > 3 * 4096)
        std::abort();
      // The client library's encoder writes what the replica decodes.
      auto enc = encodeClientRequest(q);
      Reader again(enc.data() + 1, enc.size() - 1);
      KvRequest back;
      if (!decodeClientRequest(enc[0], again, 4096, back) || !same(q, back))
        std::abort();
    }
  }
  return 0;
}
