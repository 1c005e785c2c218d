// The KV store's rows of the node flag table (runtime/node/Flags.h): the
// modes `--kv` and `--kv-load` of a round program's binary and the flags of
// each, added when the application registers (App.cpp).
#include "apps/kv/KvFlags.h"

#include "runtime/node/Flags.h"

namespace mommie::apps::kv {

void addKvFlags() {
  using rt::FlagSpec;
  rt::addFlagMain(
      "kv",
      "--kv --id PRINCIPAL --deploy deploy.conf --client-port PORT [flags]   "
      "(a KV store replica, apps/kv)");
  rt::addFlagMain(
      "kv-load",
      "--kv-load --servers HOST:PORT[,HOST:PORT...] [flags]   (the KV load "
      "generator)");
  rt::addFlagMain("kv-client", "--kv-client --servers HOST:PORT[,...] [--json] "
                               "[--timeout MS] get KEY | put KEY "
                               "VALUE | del KEY | cas KEY EXPECTED VALUE | "
                               "cas-absent KEY VALUE | status   (the KV "
                               "command-line client)");
  // clang-format off
  rt::addFlags({
    {"--kv", "", "round", "as the first argument: run a replica of the KV store on this program (the kv flags)", true},
    {"--kv-load", "", "round", "as the first argument: run the KV store's load generator (the kv-load flags)", true},
    {"--kv-client", "", "round", "as the first argument: one operation of the KV store's command-line client (the kv-client flags)", true},
    {"--client-port", "PORT", "kv", "the port clients connect to (required)"},
    {"--log-level", "LEVEL", "kv", "the least level logged: debug, info, warn, error or off (default warn)"},
    {"--window", "N", "kv", "log slots decided concurrently (default 20)"},
    {"--batch-bytes", "B", "kv", "bytes of requests per slot's batch (default 32768, at most 524288); a request's key and value must fit in one (else error 'too large')"},
    {"--max-client-mb", "M", "kv", "MiB of client requests accepted and not yet applied, all connections (default 64; beyond: error 'busy')"},
    {"--max-outstanding", "N", "kv", "requests one client connection may have unanswered before the replica stops reading it (default 1024)"},
    {"--max-clients", "N", "kv", "client connections (default 1000; one more is refused with an error)"},
    {"--client-timeout", "MS", "kv", "close a client connection whose frame is not complete within MS ms (default 10000)"},
    {"--max-pending", "N", "kv", "frames of future rounds buffered per peer and slot (default 64)"},
    {"--slot-phases", "N", "kv", "phases a slot runs without a decision before it asks its peers (default 40)"},
    {"--max-future", "N", "kv", "frames of slots beyond the window buffered (default 4096)"},
    {"--snapshot-mb", "M", "kv", "with --data-dir: replace the durable log by a snapshot once it exceeds M MiB (default 64)"},
    {"--trace-dir", "DIR", "kv", "write the traces of some slots to DIR (with --trace-slots)"},
    {"--trace-slots", "K", "kv", "trace the first K slots"},
    {"--trace-every", "K", "kv", "and then every K-th slot"},
    {"--servers", "LIST", "kv-load kv-client", "the replicas' client endpoints, HOST:PORT,... (required)"},
    {"--timeout", "MS", "kv-client", "wait at most MS ms for each replica's answer (default 2000)"},
    {"--requests", "N", "kv-load", "puts to complete (default 1000)"},
    {"--concurrency", "C", "kv-load", "puts outstanding at once (default 64)"},
    {"--value-size", "B", "kv-load", "bytes per value (default 1024)"},
    {"--key-space", "K", "kv-load", "distinct keys (default 1000)"},
    {"--get-percent", "P", "kv-load", "make P% of the requests gets, the others puts (default 0)"},
    {"--max-seconds", "S", "kv-load", "give up after S seconds (default 60)"},
    {"--rate", "R", "kv-load", "issue at most R puts per second (default 0: unbounded)"},
    {"--json", "", "kv-load kv-client", "print one JSON object"},
    {"--sync", "", "kv-load", "wait until every replica reports the same applied log"},
  });
  // clang-format on
  rt::acceptFlags("kv",
                  {"--help", "--version", "--info", "--id", "--deploy",
                   "--keys", "--run-for", "--data-dir", "--fresh", "--fsync"});
  rt::acceptFlags("kv-load", {"--help"});
  rt::acceptFlags("kv-client", {"--help"});
}

} // namespace mommie::apps::kv
