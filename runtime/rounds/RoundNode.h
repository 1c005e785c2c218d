// The node binary of a round program: a RoundEngine over the TCP or UDP
// transport and the epoll loop, with traces and the outcome line.
//
//   BIN --id P1 --deploy deploy.conf [flags]   (main "round" of the flag
//                                               table, node/Flags.h: BIN
//                                               --help)
//   BIN --version | --info     (how it was built: BuildInfo.h)
//
// Round frames: u8 2, varint round (low 32 bits), value payload; round
// markers (sync rounds): u8 3, varint round. The sender is the peer the
// connection's hello names, or (UDP) whose endpoint the datagram comes from
// (trusted with PLAINTEXT; the other modules authenticate every frame). A
// payload that does not decode strictly or does not have the round's type is
// rejected. The node stops `--linger` ms (default 300) after its last phase and
// its last answer to a late peer (RoundEngine.h), or at --run-for. Exit 0, 1
// after a fail-stop (evaluation error), 2 bad input.
#pragma once

#include "runtime/rounds/RoundEngine.h"
#include "runtime/wire/BuildInfo.h"
#include "runtime/wire/Types.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mommie::rt {

struct RoundProgramInfo {
  std::string name;
  Schema schema;
  std::vector<std::string> principals;
  int first = 0, size = 0; // the principal set running the program
  int byzantine = 0;       // F (the `faults ... byzantine <= F` bound)
  // A process of principal `me`; with a choice seed (`mommie sim`), its
  // `var x in S` initialisations are drawn from it (rt::initialChoice).
  std::function<std::unique_ptr<RoundProgram>(
      int me, std::optional<uint64_t> choiceSeed)>
      make;
  ParamValues params; // the parameters it was built with (BuildInfo.h)
};

enum : uint8_t { FrameRound = 2, FrameRoundMarker = 3 };

std::vector<uint8_t> encodeRoundFrame(uint32_t round, const Value &payload);
// Strict decoding; false on anything but exactly one round frame.
// A marker frame (u8 3, varint round) sets `marker` and leaves `payload`.
bool decodeRoundFrame(const uint8_t *data, size_t size, uint32_t &round,
                      Value &payload, bool *marker = nullptr);
std::vector<uint8_t> encodeRoundMarker(uint32_t round);

class TraceWriter;
// Writes the trace record of a finished round: binding {phaseNo, roundNo,
// round, timedOut}, delivered = the mailbox [{from, payload}], published =
// what was sent [{to, payload}], changed = the variables' delta.
void traceRound(TraceWriter &trace, const RoundProgramInfo &info,
                RoundProgram &program, const std::string &node,
                const RoundRecord &rec);

int roundNodeMain(int argc, char **argv, const RoundProgramInfo &info);

// An application built on a round program (apps/kv: `BIN --kv`, `BIN
// --kv-load`) takes over the binary when its first argument is the
// application's flag. The application's archive registers its mains from a
// static initialiser of the source `mommie build --app NAME` adds to the
// build (apps/NAME/App.h); true, so that the initialiser can be a constant.
using RoundAppMain = int (*)(int argc, char **argv,
                             const RoundProgramInfo &info);
bool registerRoundApp(const char *flag, RoundAppMain main);

class Authenticator;
struct Endpoint;
// What a round node and an application's node (apps/kv/KvNode.cpp) set up
// alike: `me`, the principal named `id`, which must run the round program; the
// deploy file's hosts; the authenticator of its modules (keys from `keysDir`).
// Returns 0, or 2 after printing the error.
int openRoundNode(const char *argv0, const RoundProgramInfo &info,
                  const std::string &id, const std::string &deploy,
                  const std::string &keysDir, int &me,
                  std::vector<Endpoint> &hosts,
                  std::unique_ptr<Authenticator> &auth);
// `mommie sim`: every principal of the program in this process over a
// simulated network and virtual time (runtime/node/SimMain.cpp); roundNodeMain
// calls it when the first argument is --sim.
int roundSimMain(int argc, char **argv, const RoundProgramInfo &info);

} // namespace mommie::rt
