// The KV store's registration with the round node (see App.h).
#include "apps/kv/App.h"

#include "apps/kv/KvFlags.h"
#include "apps/kv/KvReplica.h"

namespace mommie::apps::kv {

namespace {
int loadMain(int argc, char **argv, const rt::RoundProgramInfo &) { return rt::kvLoadMain(argc, argv); }
} // namespace

bool registerApp() {
  addKvFlags();
  rt::registerRoundApp("--kv", rt::kvNodeMain);
  rt::registerRoundApp("--kv-load", loadMain);
  return true;
}

} // namespace mommie::apps::kv
