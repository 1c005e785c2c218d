// The KV store's command-line client (`BIN --kv-client ...` of a node
// binary built with `--app kv`), on the client library (KvClient.h):
//
//   BIN --kv-client --servers HOST:PORT[,...] [--json] [--timeout MS] COMMAND
//     get KEY | put KEY VALUE | del KEY | cas KEY EXPECTED VALUE
//     | cas-absent KEY VALUE | status
//
// One session per invocation. Prints the result ("ok", the value, "not
// found", "cas mismatch: held VALUE") or, with --json, one object:
// {"op":"get","key":"k","status":"ok","value":"v","slot":12,"session":3}.
// Exit 0 ok, 1 not found or cas mismatch, 2 bad usage or a refusal
// (too large, busy), 3 no answer (the operation may or may not have taken
// effect; a put or cas can be retried in a new session only by the caller,
// who knows whether repeating it is harmless).
#include "apps/kv/KvClient.h"
#include "apps/kv/KvReplica.h"
#include "runtime/node/Flags.h"
#include "runtime/wire/Value.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace mommie::rt {

namespace {

int clientUsage(const char *argv0, const std::string &why) {
  std::cerr << argv0 << ": error: " << why << "\n"
            << "usage: " << argv0
            << " --kv-client --servers HOST:PORT[,...] [--json] [--timeout MS] "
               "get KEY | put KEY VALUE | del KEY | cas KEY EXPECTED VALUE | "
               "cas-absent KEY VALUE | status\n";
  return 2;
}

const char *statusName(KvClient::Status s) {
  switch (s) {
  case KvClient::Status::Ok:
    return "ok";
  case KvClient::Status::NotFound:
    return "not_found";
  case KvClient::Status::CasMismatch:
    return "cas_mismatch";
  case KvClient::Status::Indeterminate:
    return "indeterminate";
  case KvClient::Status::Refused:
    return "refused";
  }
  return "?";
}

} // namespace

int kvClientMain(int argc, char **argv) {
  // The flags come first; the command and its operands after them.
  int cmdAt = 2;
  while (cmdAt < argc && std::string(argv[cmdAt]).rfind("--", 0) == 0)
    cmdAt += std::string(argv[cmdAt]) == "--json" ||
                     std::string(argv[cmdAt]) == "--help"
                 ? 1
                 : 2;
  FlagValues v;
  if (int rc = readFlags("kv-client", std::min(cmdAt, argc), argv, 2,
                         {"kv-client"}, v);
      rc >= 0)
    return rc;
  std::string err;
  std::vector<KvClient::Endpoint> servers;
  int64_t timeoutMs = 2000;
  if (!v.has("--servers"))
    return clientUsage(argv[0], "--servers is required");
  if (!KvClient::parseServers(v.str("--servers"), servers, err) ||
      !v.count("--timeout", timeoutMs, err, 1, 600000))
    return clientUsage(argv[0], err);
  bool json = v.has("--json");
  std::vector<std::string> cmd(argv + std::min(cmdAt, argc), argv + argc);
  if (cmd.empty())
    return clientUsage(argv[0], "no command");
  const std::string &op = cmd[0];
  static const std::vector<std::pair<std::string, size_t>> arity = {
      {"get", 2}, {"put", 3},        {"del", 2},
      {"cas", 4}, {"cas-absent", 3}, {"status", 1}};
  bool known = false;
  for (const auto &[name, n] : arity)
    if (name == op) {
      known = true;
      if (cmd.size() != n)
        return clientUsage(argv[0], "'" + op + "' takes " +
                                        std::to_string(n - 1) + " operand(s)");
    }
  if (!known)
    return clientUsage(argv[0], "unknown command '" + op + "'");

  if (op == "status") {
    int rc = 0;
    std::string out = json ? "[" : "";
    for (size_t i = 0; i < servers.size(); ++i) {
      uint64_t applied = 0;
      std::string digest;
      bool ok = KvClient::status(servers[i], applied, digest, int(timeoutMs));
      std::string ep =
          servers[i].first + ":" + std::to_string(servers[i].second);
      rc = ok ? rc : 3;
      if (json) {
        out += i ? "," : "";
        out += "{\"server\":";
        appendJsonString(out, ep);
        out += ok ? ",\"applied\":" + std::to_string(applied) +
                        ",\"log_digest\":\"" + digest + "\"}"
                  : std::string(",\"error\":\"no answer\"}");
      } else {
        out += ep +
               (ok ? ": " + std::to_string(applied) + " applied slots, log " +
                         digest
                   : ": no answer") +
               "\n";
      }
    }
    std::cout << out << (json ? "]\n" : "");
    return rc;
  }

  KvClient client(servers, int(timeoutMs));
  if (!client.open(err, std::chrono::milliseconds(timeoutMs *
                                                  int64_t(servers.size())))) {
    std::cerr << argv[0] << ": error: " << err << "\n";
    return 3;
  }
  KvClient::Result r;
  if (op == "get")
    r = client.get(cmd[1]);
  else if (op == "put")
    r = client.put(cmd[1], cmd[2]);
  else if (op == "del")
    r = client.del(cmd[1]);
  else if (op == "cas")
    r = client.cas(cmd[1], cmd[2], cmd[3]);
  else
    r = client.cas(cmd[1], "", cmd[2], /*expectAbsent=*/true);
  if (json) {
    std::string out = "{\"op\":";
    appendJsonString(out, op);
    out += ",\"key\":";
    appendJsonString(out, cmd[1]);
    out += ",\"status\":\"" + std::string(statusName(r.status)) + "\"";
    if (r.status == KvClient::Status::Ok && op == "get") {
      out += ",\"value\":";
      appendJsonString(out, r.value);
    }
    if (r.status == KvClient::Status::CasMismatch) {
      out += ",\"held\":";
      if (r.absent)
        out += "null";
      else
        appendJsonString(out, r.value);
    }
    if (r.status == KvClient::Status::Ok ||
        r.status == KvClient::Status::NotFound ||
        r.status == KvClient::Status::CasMismatch)
      out += ",\"slot\":" + std::to_string(r.slot);
    if (!r.error.empty()) {
      out += ",\"error\":";
      appendJsonString(out, r.error);
    }
    out += ",\"session\":" + std::to_string(client.session()) + "}\n";
    std::cout << out;
  } else {
    switch (r.status) {
    case KvClient::Status::Ok:
      std::cout << (op == "get" ? r.value : std::string("ok")) << "\n";
      break;
    case KvClient::Status::NotFound:
      std::cout << "not found\n";
      break;
    case KvClient::Status::CasMismatch:
      std::cout << "cas mismatch: "
                << (r.absent ? std::string("the key is absent")
                             : "held " + r.value)
                << "\n";
      break;
    default:
      std::cerr << argv[0] << ": " << statusName(r.status) << ": " << r.error
                << "\n";
    }
  }
  switch (r.status) {
  case KvClient::Status::Ok:
    return 0;
  case KvClient::Status::NotFound:
  case KvClient::Status::CasMismatch:
    return 1;
  case KvClient::Status::Refused:
    return 2;
  case KvClient::Status::Indeterminate:
    return 3;
  }
  return 3;
}

} // namespace mommie::rt
