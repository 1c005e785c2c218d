// libFuzzer target: a node's durable state as read back from disk
// (runtime/store/DurableLog.h): the write-ahead log's record scan and the
// durable-state record decoder must never crash, hang or read out of
// bounds; a scan's valid prefix scans alike on its own, and a record that
// decodes re-encodes to the same bytes (the encoding is canonical).
#include "runtime/store/DurableLog.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mommie::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  WalScan s = scanWal(bytes);
  if (s.validBytes > bytes.size())
    std::abort();
  WalScan prefix = scanWal(bytes.substr(0, s.validBytes));
  if (prefix.records != s.records || prefix.last != s.last || prefix.corruptAt)
    std::abort();
  int64_t round = 0;
  Value st;
  if (decodeDurableRecord(bytes, round, st) &&
      encodeDurableRecord(round, st) != bytes)
    std::abort();
  return 0;
}
