// A bounded closed-loop put (and get) client for etcd's v3 gRPC API, for
// the benchmarks (bench/runtime, bench/rounds, bench/kv). Debian's etcd 3.4
// ships no `benchmark` tool, so this plays the role of its `benchmark put`
// (and, with --get-percent, of `benchmark range`):
//
//   etcd_grpc_put --endpoints 127.0.0.1:2379,127.0.0.1:2479 [--connections C]
//                 [--clients K] [--threads T] [--target-leader] [--requests N]
//                 [--value-size B] [--key-space K] [--get-percent P]
//                 [--max-seconds S] [--json]
//
// C gRPC channels (one HTTP/2 connection each, spread round-robin over the
// endpoints, as etcd's benchmark dials its --conns; with --target-leader,
// as its flag of that name, all to the member that Maintenance.Status names
// leader, which spares the followers' forwarding) carry K clients (default
// K = C; client k uses channel k mod C), and every client keeps one
// KV.Put outstanding (key "k<n mod K>", a value of B bytes) until N puts
// were issued in all or S seconds passed. With --get-percent P (default 0:
// puts only), about P% of the requests (request n is a get if a hash of n
// mod 100 is below P) are instead a KV.Range of that one key, with etcd's
// default linearizable consistency (serializable = false: the member
// confirms its commit index with the leader, ReadIndex, before it
// answers); a get completes when it returns OK, found or not. The calls are
// asynchronous, on T completion queues with one thread each (default: the
// number of cores, at most 4). A put counts as completed when the RPC returns
// OK (etcd committed it through raft), failed otherwise (any status, including
// the 5 s deadline of each call). Prints one line: completed, failed, seconds,
// requests/s, p50/p99 latency (and the gets done, those that found no key,
// and the value bytes they read); `--json` prints the same as a JSON
// object, with the keys of etcd_put's. Exit 0 if nothing failed.
//
// The stubs come from etcd's own rpc.proto (Debian golang-etcd-server-dev),
// compiled at build time (bench/etcd/CMakeLists.txt).
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<std::string> endpoints;
  int connections = 1;
  int clients = 0; // 0: as many as connections
  int threads = 0; // 0: the number of cores, at most 4
  long requests = 1000;
  int valueSize = 32;
  long keySpace = 100000;
  int getPercent = 0;
  double maxSeconds = 60;
  bool targetLeader = false;
  bool json = false;
};

// One closed-loop client: its call in flight (a put or a get) and when it
// was issued.
struct Client {
  etcdserverpb::KV::Stub *stub = nullptr;
  grpc::CompletionQueue *cq = nullptr;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientAsyncResponseReader<etcdserverpb::PutResponse>>
      call;
  std::unique_ptr<grpc::ClientAsyncResponseReader<etcdserverpb::RangeResponse>>
      rangeCall;
  etcdserverpb::PutRequest request;
  etcdserverpb::PutResponse response;
  etcdserverpb::RangeRequest rangeRequest;
  etcdserverpb::RangeResponse rangeResponse;
  bool isGet = false;
  grpc::Status status;
  Clock::time_point issuedAt;
};

// What one completion-queue thread saw.
struct Tally {
  std::vector<double> latUs;
  long failed = 0;
  long reads = 0, notFound = 0, readBytes = 0;
};

// Shared by the clients: the budget of requests and time.
struct Budget {
  std::atomic<long> issued{0};
  long requests = 0;
  long keySpace = 1;
  int getPercent = 0;
  Clock::time_point deadline;
};

// Whether request n is a get: a hash of n (splitmix64) mod 100 below P.
bool isGetRequest(long n, int getPercent) {
  uint64_t z = uint64_t(n) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return int((z ^ (z >> 31)) % 100) < getPercent;
}

// Issues the client's next put or get; false when the budget is spent.
bool issue(Client &c, Budget &b) {
  long n = b.issued.fetch_add(1);
  if (n >= b.requests || Clock::now() >= b.deadline)
    return false;
  char key[24];
  int len = std::snprintf(key, sizeof key, "k%ld", n % b.keySpace);
  c.isGet = isGetRequest(n, b.getPercent);
  c.context = std::make_unique<grpc::ClientContext>();
  c.context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(5));
  c.issuedAt = Clock::now();
  if (c.isGet) {
    c.rangeRequest.set_key(key, size_t(len));
    c.rangeCall =
        c.stub->PrepareAsyncRange(c.context.get(), c.rangeRequest, c.cq);
    c.rangeCall->StartCall();
    c.rangeCall->Finish(&c.rangeResponse, &c.status, &c);
    return true;
  }
  c.request.set_key(key, size_t(len));
  c.call = c.stub->PrepareAsyncPut(c.context.get(), c.request, c.cq);
  c.call->StartCall();
  c.call->Finish(&c.response, &c.status, &c);
  return true;
}

// Drains one completion queue until none of its clients has a call in
// flight: records each put and issues the client's next one.
void poll(grpc::CompletionQueue &cq, int inFlight, Budget &b, Tally &t) {
  void *tag = nullptr;
  bool ok = false;
  while (inFlight > 0 && cq.Next(&tag, &ok)) {
    Client &c = *static_cast<Client *>(tag);
    if (ok && c.status.ok()) {
      t.latUs.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - c.issuedAt)
              .count());
      if (c.isGet) {
        ++t.reads;
        if (c.rangeResponse.kvs_size() == 0)
          ++t.notFound;
        for (const auto &kv : c.rangeResponse.kvs())
          t.readBytes += long(kv.value().size());
      }
    } else {
      ++t.failed;
    }
    if (!issue(c, b))
      --inFlight;
  }
}

std::shared_ptr<grpc::Channel> dial(const std::string &endpoint) {
  grpc::ChannelArguments args;
  // A channel of its own per connection: without a local subchannel pool,
  // channels to one endpoint would share a single TCP connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(-1);
  return grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(),
                                   args);
}

// The endpoint of the raft leader (asked of each endpoint in turn); empty
// if none answers within 5 s.
std::string findLeader(const std::vector<std::string> &endpoints) {
  for (const auto &ep : endpoints) {
    auto stub = etcdserverpb::Maintenance::NewStub(dial(ep));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    etcdserverpb::StatusResponse status;
    if (stub->Status(&context, etcdserverpb::StatusRequest(), &status).ok() &&
        status.leader() != 0 && status.leader() == status.header().member_id())
      return ep;
  }
  return "";
}

void usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s --endpoints HOST:PORT[,HOST:PORT...] [--connections "
               "C] [--clients K] "
               "[--threads T] [--target-leader] [--requests N] [--value-size "
               "B] [--key-space K] [--get-percent P] "
               "[--max-seconds S] [--json]\n",
               argv0);
}

bool parseEndpoints(const std::string &s, std::vector<std::string> &out) {
  size_t p = 0;
  while (p <= s.size()) {
    size_t q = s.find(',', p);
    std::string ep =
        s.substr(p, q == std::string::npos ? std::string::npos : q - p);
    if (ep.rfind("http://", 0) == 0)
      ep = ep.substr(7);
    if (ep.find(':') == std::string::npos)
      return false;
    out.push_back(ep);
    if (q == std::string::npos)
      break;
    p = q + 1;
  }
  return !out.empty();
}

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json" || a == "--target-leader") {
      (a == "--json" ? o.json : o.targetLeader) = true;
      continue;
    }
    if (i + 1 >= argc)
      return false;
    const char *v = argv[++i];
    if (a == "--endpoints") {
      if (!parseEndpoints(v, o.endpoints))
        return false;
    } else if (a == "--connections") {
      o.connections = std::atoi(v);
    } else if (a == "--clients") {
      o.clients = std::atoi(v);
    } else if (a == "--threads") {
      o.threads = std::atoi(v);
    } else if (a == "--requests") {
      o.requests = std::atol(v);
    } else if (a == "--value-size") {
      o.valueSize = std::atoi(v);
    } else if (a == "--key-space") {
      o.keySpace = std::atol(v);
    } else if (a == "--get-percent") {
      o.getPercent = std::atoi(v);
    } else if (a == "--max-seconds") {
      o.maxSeconds = std::atof(v);
    } else {
      return false;
    }
  }
  if (o.clients == 0)
    o.clients = o.connections;
  if (o.threads == 0)
    o.threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  return !o.endpoints.empty() && o.connections >= 1 && o.connections <= 4096 &&
         o.clients >= 1 && o.clients <= 100000 && o.threads >= 1 &&
         o.threads <= 64 && o.requests >= 1 && o.valueSize >= 0 &&
         o.valueSize <= (1 << 20) && o.keySpace >= 1 && o.getPercent >= 0 &&
         o.getPercent <= 100 && o.maxSeconds > 0;
}

double percentile(std::vector<double> &v, double p) {
  if (v.empty())
    return 0;
  size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    usage(argv[0]);
    return 2;
  }
  if (o.targetLeader) {
    std::string leader = findLeader(o.endpoints);
    if (leader.empty()) {
      std::fprintf(stderr,
                   "etcd_grpc_put: no endpoint reports itself leader\n");
      return 2;
    }
    o.endpoints = {leader};
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<etcdserverpb::KV::Stub>> stubs;
  for (int c = 0; c < o.connections; ++c) {
    channels.push_back(dial(o.endpoints[size_t(c) % o.endpoints.size()]));
    stubs.push_back(etcdserverpb::KV::NewStub(channels.back()));
  }
  // Connect before the clock starts (as etcd's benchmark dials first); a
  // channel that does not connect in 5 s fails its puts.
  for (auto &ch : channels)
    ch->WaitForConnected(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));

  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  for (int t = 0; t < o.threads; ++t)
    queues.push_back(std::make_unique<grpc::CompletionQueue>());
  const std::string value(size_t(o.valueSize), 'v');
  std::vector<Client> clients(size_t(o.clients));
  for (size_t k = 0; k < clients.size(); ++k) {
    clients[k].stub = stubs[k % stubs.size()].get();
    clients[k].cq = queues[k % queues.size()].get();
    clients[k].request.set_value(value);
  }

  Budget budget;
  budget.requests = o.requests;
  budget.keySpace = o.keySpace;
  budget.getPercent = o.getPercent;
  const auto start = Clock::now();
  budget.deadline = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(o.maxSeconds));
  std::vector<int> inFlight(queues.size(), 0);
  for (size_t k = 0; k < clients.size(); ++k)
    if (issue(clients[k], budget))
      ++inFlight[k % queues.size()];
  std::vector<Tally> tallies(queues.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < queues.size(); ++t)
    threads.emplace_back(
        [&, t] { poll(*queues[t], inFlight[t], budget, tallies[t]); });
  for (auto &th : threads)
    th.join();
  const double secs =
      std::chrono::duration<double>(Clock::now() - start).count();
  for (auto &q : queues) {
    q->Shutdown();
    void *tag;
    bool ok;
    while (q->Next(&tag, &ok)) {
    }
  }

  std::vector<double> lat;
  long failed = 0, reads = 0, notFound = 0, readBytes = 0;
  for (auto &t : tallies) {
    lat.insert(lat.end(), t.latUs.begin(), t.latUs.end());
    failed += t.failed;
    reads += t.reads;
    notFound += t.notFound;
    readBytes += t.readBytes;
  }
  const long completed = long(lat.size());
  const double p50 = percentile(lat, 0.50), p99 = percentile(lat, 0.99);
  const double rate = secs > 0 ? double(completed) / secs : 0;
  if (o.json)
    std::printf("{\"completed\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"req_per_"
                "s\":%.1f,\"p50_us\":%.1f,"
                "\"p99_us\":%.1f,\"connections\":%d,\"clients\":%d,\"reads\":%"
                "ld,\"not_found\":%ld,"
                "\"read_bytes\":%ld}\n",
                completed, failed, secs, rate, p50, p99, o.connections,
                o.clients, reads, notFound, readBytes);
  else
    std::printf(
        "etcd grpc put: %ld completed, %ld failed in %.3f s: %.0f req/s, "
        "latency p50 %.3f ms, "
        "p99 %.3f ms (%d connections, %d clients; %ld gets, %ld not found)\n",
        completed, failed, secs, rate, p50 / 1000, p99 / 1000, o.connections,
        o.clients, reads, notFound);
  return failed == 0 ? 0 : 1;
}
