// The KV store's client library (C++17): one session the cluster assigns,
// one operation at a time, over the client protocol of KvNode.cpp
// (docs/rounds.md). Any replica serves (it forwards to the leader); on a
// timeout or a broken connection the client moves to the next replica and
// the operation's outcome is Indeterminate: it may or may not have taken
// effect (the caller may retry it with retry(), which the cluster applies
// at most once and answers with the first reply).
//
//   KvClient c({{"127.0.0.1", 7000}, {"127.0.0.1", 7001}});
//   std::string err;
//   if (!c.open(err)) ...
//   KvClient::Result r = c.put("k", "v");     // r.status == Ok, r.slot
//   r = c.get("k");                           // Ok with r.value, or NotFound
//   r = c.cas("k", "v", "w");                 // Ok, or CasMismatch with
//   r.value
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mommie::rt {

enum class KvOp : uint8_t;

class KvClient {
public:
  using Endpoint = std::pair<std::string, int>; // IPv4 address, port

  enum class Status {
    Ok,
    NotFound,      // get, del: the key is absent
    CasMismatch,   // cas: the key held another value (in `value`; absent:
                   // `absent`)
    Indeterminate, // no answer: it may or may not have taken effect
    Refused,       // an error frame (too large, busy, ...): it did not happen
  };
  struct Result {
    Status status = Status::Indeterminate;
    std::string value;   // get: the value; cas mismatch: the value held
    bool absent = false; // cas mismatch: the key was absent
    uint64_t slot = 0;   // the log slot it was applied in
    std::string error;   // Refused / Indeterminate: why
  };

  explicit KvClient(std::vector<Endpoint> servers, int timeoutMs = 1000,
                    uint64_t nonce = 0);
  ~KvClient();
  KvClient(const KvClient &) = delete;
  KvClient &operator=(const KvClient &) = delete;

  // Registers a session, trying the replicas in turn for at most
  // `patience`; false (and why) if none answered.
  bool open(std::string &error,
            std::chrono::milliseconds patience = std::chrono::seconds(30));
  uint64_t session() const { return session_; }
  // The replica the next request goes to (an index into the servers).
  size_t server() const { return server_; }

  Result put(const std::string &key, const std::string &value);
  Result get(const std::string &key);
  Result del(const std::string &key);
  // Sets `value` if the key holds `expected` (or, with expectAbsent, is
  // absent).
  Result cas(const std::string &key, const std::string &expected,
             const std::string &value, bool expectAbsent = false);
  // Sends the last request again, same session and number: applied at most
  // once, answered with its first reply.
  Result retry();

  // The replica's status: applied slots and log digest; false if no answer.
  static bool status(const Endpoint &server, uint64_t &applied,
                     std::string &digest, int timeoutMs = 2000);
  // "HOST:PORT,HOST:PORT..." into endpoints; false (and why) if malformed.
  static bool parseServers(const std::string &list, std::vector<Endpoint> &out,
                           std::string &error);
  // A TCP connection to `server` (TCP_NODELAY; reads and writes time out
  // after timeoutMs, 0: never); -1 if it cannot connect.
  static int dial(const Endpoint &server, int timeoutMs);

private:
  Result request(KvOp op, const std::string &key, const std::string &value,
                 const std::string &expected, bool expectAbsent);
  Result send(const std::vector<uint8_t> &body, uint64_t seq);
  bool connect();
  void rotate();

  std::vector<Endpoint> servers_;
  int timeoutMs_;
  uint64_t nonce_;
  int fd_ = -1;
  size_t server_ = 0;
  uint64_t session_ = 0, seq_ = 0;
  std::vector<uint8_t> last_; // the last request's body, for retry()
};

} // namespace mommie::rt
