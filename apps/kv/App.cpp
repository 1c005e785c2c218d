// The KV store's registration with the round node (see App.h).
#include "apps/kv/App.h"

#include "apps/kv/KvFlags.h"
#include "apps/kv/KvReplica.h"

namespace mommie::apps::kv {

namespace {
int loadMain(int argc, char **argv, const rt::RoundProgramInfo &) {
  return rt::kvLoadMain(argc, argv);
}
int clientMain(int argc, char **argv, const rt::RoundProgramInfo &) {
  return rt::kvClientMain(argc, argv);
}
} // namespace

bool registerApp() {
  addKvFlags();
  rt::registerRoundApp("--kv", rt::kvNodeMain);
  rt::registerRoundApp("--kv-load", loadMain);
  rt::registerRoundApp("--kv-client", clientMain);
  return true;
}

} // namespace mommie::apps::kv
