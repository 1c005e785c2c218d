// libFuzzer target: decoding of frames, statements and values must never
// crash, hang or read out of bounds, and whatever decodes re-encodes
// canonically to the same bytes.
#include "runtime/pool/Statement.h"
#include "runtime/wire/Value.h"

#include <cstdint>
#include <cstdlib>

using namespace mommie::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    Reader r(data, size);
    Value v;
    if (Value::decode(r, v)) {
      size_t used = size - r.remaining();
      std::string re = v.encoded();
      if (re.size() != used ||
          re.compare(0, used, reinterpret_cast<const char *>(data), used) != 0)
        std::abort();
    }
  }
  {
    Reader r(data, size);
    uint8_t type = r.u8();
    Statement s;
    if (type == 1 && Statement::decode(r, s))
      (void)s.key();
  }
  return 0;
}
