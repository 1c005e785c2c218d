// The TTP(z) relay and node (see Ttp.h).
#include "runtime/auth/Ttp.h"

#include "runtime/auth/AuthSetup.h"
#include "runtime/net/EventLoop.h"
#include "runtime/net/Stop.h"
#include "runtime/net/Transport.h"

#include <csignal>
#include <cstdio>
#include <iostream>

namespace mommie::rt {

TtpRelay::TtpRelay(Authenticator &auth, Logger &log, Send send)
    : auth_(auth), log_(log), send_(std::move(send)) {}

void TtpRelay::reject(Reject r) {
  ++stats_.rejected;
  stats_.rejects.add(r);
  if (log_.enabled(LogLevel::Warn) &&
      (stats_.rejected <= 100 || stats_.rejected % 10000 == 0))
    log_.warn("rejected",
              {{"why", "TTP request not accepted"}, {"reason", rejectName(r)}});
}

void TtpRelay::receive(int peer, const uint8_t *data, size_t size) {
  if (size == 0 || data[0] != Authenticator::FrameTtpRequest) {
    reject(Reject::BadFrame);
    return;
  }
  Statement s;
  std::vector<int> to;
  Reject why;
  if (!auth_.openTtpRequest(peer, data, size, s, to, why)) {
    reject(why);
    return;
  }
  auto frame = auth_.sealCountersigned(s);
  if (frame.empty()) {
    reject(Reject::NoKey);
    return;
  }
  ++stats_.countersigned;
  for (int v : to) {
    send_(v, frame);
    ++stats_.relayed;
  }
}

std::string TtpRelay::statsJson() const {
  return "{\"countersigned\":" + std::to_string(stats_.countersigned) +
         ",\"relayed\":" + std::to_string(stats_.relayed) +
         ",\"rejected\":" + std::to_string(stats_.rejected) +
         ",\"rejects\":" + stats_.rejects.toJson() + "}";
}

int ttpNodeMain(const char *argv0, const TtpNodeOptions &o,
                const DeployConfig &conf,
                const std::vector<std::string> &programPrincipals,
                const std::vector<Endpoint> &hosts) {
  std::vector<std::string> names = programPrincipals;
  for (const auto &z : ttpPrincipals(conf, programPrincipals))
    names.push_back(z);
  int me = -1;
  for (size_t i = programPrincipals.size(); i < names.size(); ++i)
    if (names[i] == o.id)
      me = int(i);
  if (me < 0) {
    std::cerr << argv0 << ": error: '" << o.id << "' is no TTP(z) of "
              << o.deployPath << "\n";
    return 2;
  }
  std::string err;
  auto auth = makeStatementAuthenticator(conf, o.deployPath, programPrincipals,
                                         me, o.keysDir, err);
  if (!auth) {
    std::cerr << argv0 << ": error: " << err << "\n";
    return 2;
  }
  Logger log(o.id, o.level);
  EventLoop loop;
  if (!loop.ok()) {
    std::cerr << argv0 << ": error: cannot create the event loop\n";
    return 2;
  }
  Transport transport(loop, me, hosts, log);
  transport.setPeerNames(auth->names());
  if (!transport.listen(err)) {
    std::cerr << argv0 << ": error: " << err << "\n";
    return 2;
  }
  TimePoint start = EventLoop::now(), last = start;
  TtpRelay relay(*auth, log, [&](int peer, const std::vector<uint8_t> &f) {
    transport.send(peer, f);
  });
  transport.onFrame([&](int peer, const uint8_t *d, size_t n) {
    last = EventLoop::now();
    uint64_t before = relay.stats().countersigned;
    relay.receive(peer, d, n);
    return relay.stats().countersigned > before; // the issuer's MAC checked
  });
  installStopSignals();
  std::signal(SIGPIPE, SIG_IGN);
  log.info("started", {{"role", "TTP"}});
  std::function<void()> tick = [&] {
    TimePoint now = EventLoop::now();
    if (stopRequested() ||
        (o.quiescentMs >= 0 && now - last >= Millis(o.quiescentMs)) ||
        (o.runForMs >= 0 && now - start >= Millis(o.runForMs))) {
      loop.stop();
      return;
    }
    loop.after(Millis(20), tick);
  };
  loop.after(Millis(20), tick);
  loop.run();

  const auto &ts = transport.stats();
  std::string stats = "{\"ttp\":" + relay.statsJson() +
                      ",\"rejects\":" + relay.stats().rejects.toJson() +
                      ",\"transport\":" + transportStatsJson(ts) +
                      ",\"crypto\":" + cryptoCountersJson() + "}";
  if (!o.statsPath.empty())
    if (FILE *sf = std::fopen(o.statsPath.c_str(), "w")) {
      std::fputs((stats + "\n").c_str(), sf);
      std::fclose(sf);
    }
  std::string out = "{\"node\":";
  appendJsonString(out, o.id);
  out += ",\"role\":\"TTP\",\"failed\":false,\"rejected\":" +
         std::to_string(relay.stats().rejected) +
         ",\"frames_out\":" + std::to_string(ts.framesOut) +
         ",\"frames_in\":" + std::to_string(ts.framesIn) +
         ",\"stats\":" + stats + "}\n";
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  transport.closeAll();
  return 0;
}

} // namespace mommie::rt
