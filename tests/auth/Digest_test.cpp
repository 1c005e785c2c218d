// DIGEST references (runtime/dissem/Digest.h), unit level: a referenced record
// is cut out of the frame and replaced by its SHA-256; a receiver that knows it
// splices it back, one that does not fetches it from the sender and gets
// exactly the sealed frame; forged answers are rejected (bad_digest); frames of
// a peer stay in order behind a held one; NEST sends nothing cut.
#include "../e2e/E2eUtil.h"
#include "runtime/auth/Deploy.h"
#include "runtime/dissem/Digest.h"
#include "runtime/node/Node.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace mommie::rt;

namespace {

DeployConfig parse(const std::string &text) {
  DeployConfig c;
  std::vector<DeployError> errors;
  EXPECT_TRUE(parseDeploy(text, c, errors))
      << (errors.empty() ? "" : errors[0].message);
  return c;
}

const std::vector<std::string> PNames = {"A", "B"};
const std::string Hosts = "[Hosts]\nA = 127.0.0.1:1\nB = 127.0.0.1:2\n";

Value request(int64_t id) {
  Value::Elems f = {Value::principal(0), Value::integer(id)};
  for (int k = 0; k < 12; ++k)
    f.push_back(Value::integer(912345678 + 104729 * k + id));
  return Value::record(0, f);
}

Statement order(int64_t id, int64_t seqNo) {
  Statement s;
  s.issuer = 0;
  s.verifiers = Value::set({Value::principal(1)});
  s.auditors = Value::set({});
  s.msg = Value::record(1, {request(id), Value::integer(seqNo)});
  return s;
}

struct Pair {
  DeployConfig conf;
  std::vector<std::pair<int, std::vector<uint8_t>>> sentA, sentB; // (to, frame)
  std::vector<std::vector<uint8_t>> openedB;
  RejectCounts rejectsB;
  std::unique_ptr<DigestLink> a, b;
  explicit Pair(const std::string &rules) : conf(parse(Hosts + rules)) {
    a = std::make_unique<DigestLink>(
        conf, PNames, 0,
        [this](int p, const std::vector<uint8_t> &f) {
          sentA.emplace_back(p, f);
        },
        [](int, const uint8_t *, size_t) {
          ADD_FAILURE() << "A opened a frame";
        },
        [](Reject, const char *) { ADD_FAILURE() << "A rejected"; });
    b = std::make_unique<DigestLink>(
        conf, PNames, 1,
        [this](int p, const std::vector<uint8_t> &f) {
          sentB.emplace_back(p, f);
        },
        [this](int, const uint8_t *d, size_t n) {
          openedB.emplace_back(d, d + n);
        },
        [this](Reject r, const char *) { rejectsB.add(r); });
  }
};

} // namespace

TEST(Digest, ReceiverThatKnowsTheReferenceSplicesLocally) {
  Pair p("[Dissemination]\n* -> * : DIGEST\n");
  ASSERT_TRUE(DigestLink::anyDigest(p.conf, PNames, 0));
  Statement s = order(7, 3);
  auto sealed = Node::encodeStatementFrame(s);
  auto sent = p.a->compress(1, sealed, {&s});
  EXPECT_EQ(sent[0], DigestLink::FrameDigest);
  size_t refBytes = request(7).encoded().size();
  ASSERT_GT(refBytes, DigestLink::MinCut);
  // The reference (refBytes) is replaced by one offset and 32 bytes.
  EXPECT_LT(sent.size(), sealed.size());
  EXPECT_LE(sent.size(), sealed.size() - refBytes + 1 + 2 + 1 + 32);
  p.b->remember(request(7)); // B had the Request in its pool
  EXPECT_TRUE(p.b->intercept(0, sent.data(), sent.size()));
  ASSERT_EQ(p.openedB.size(), 1u);
  EXPECT_EQ(p.openedB[0], sealed);
  EXPECT_TRUE(p.sentB.empty()); // no fetch
  EXPECT_EQ(p.b->counters().resolvedLocally, 1u);
}

TEST(Digest, MissingReferenceIsFetchedForgedAnswerRejectedOrderKept) {
  Pair p("[Dissemination]\n* -> * : DIGEST\n");
  Statement s1 = order(1, 0), s2 = order(2, 1);
  auto sealed1 = Node::encodeStatementFrame(s1),
       sealed2 = Node::encodeStatementFrame(s2);
  auto sent1 = p.a->compress(1, sealed1, {&s1});
  auto sent2 = p.a->compress(1, sealed2, {&s2});
  p.b->remember(
      request(2)); // the second one is known, but must wait behind the first
  EXPECT_TRUE(p.b->intercept(0, sent1.data(), sent1.size()));
  EXPECT_TRUE(p.b->intercept(0, sent2.data(), sent2.size()));
  EXPECT_TRUE(p.openedB.empty());
  ASSERT_EQ(p.sentB.size(), 1u); // one fetch, to A
  EXPECT_EQ(p.sentB[0].first, 0);
  EXPECT_EQ(p.sentB[0].second[0], DigestLink::FrameFetch);
  // A forged answer: bytes that hash to no outstanding digest.
  std::string forged = request(99).encoded();
  Writer w;
  w.u8(DigestLink::FrameAnswer);
  w.varint(1);
  w.str(forged);
  EXPECT_TRUE(p.b->intercept(0, w.buffer().data(), w.buffer().size()));
  EXPECT_EQ(p.rejectsB[Reject::BadDigest], 1u);
  EXPECT_TRUE(p.openedB.empty());
  // A answers the genuine fetch with the referenced record.
  auto fetch = p.sentB[0].second;
  EXPECT_TRUE(p.a->intercept(1, fetch.data(), fetch.size()));
  ASSERT_EQ(p.sentA.size(), 1u);
  auto answer = p.sentA[0].second;
  EXPECT_EQ(answer[0], DigestLink::FrameAnswer);
  EXPECT_TRUE(p.b->intercept(0, answer.data(), answer.size()));
  ASSERT_EQ(p.openedB.size(), 2u);
  EXPECT_EQ(p.openedB[0], sealed1);
  EXPECT_EQ(p.openedB[1], sealed2);
  EXPECT_EQ(p.b->counters().fetched, 1u);
  // Replaying the answer: nothing is outstanding any more.
  EXPECT_TRUE(p.b->intercept(0, answer.data(), answer.size()));
  EXPECT_EQ(p.rejectsB[Reject::BadDigest], 2u);
  // A fetch for something A never referenced gets no answer.
  Writer f;
  f.u8(DigestLink::FrameFetch);
  f.varint(1);
  auto k = crypto::sha256(reinterpret_cast<const uint8_t *>(forged.data()),
                          forged.size());
  f.bytes(k.data(), k.size());
  size_t before = p.sentA.size();
  p.b->remember(request(99));
  EXPECT_TRUE(p.a->intercept(1, f.buffer().data(), f.buffer().size()));
  EXPECT_EQ(p.sentA.size(), before);
}

TEST(Digest, MalformedDigestFramesAreRejected) {
  Pair p("[Dissemination]\n* -> * : DIGEST\n");
  Statement s = order(5, 0);
  auto sealed = Node::encodeStatementFrame(s);
  auto sent = p.a->compress(1, sealed, {&s});
  p.b->remember(request(5));
  // Offset beyond the frame.
  auto bad = sent;
  bad[2] = 0x7f;
  EXPECT_TRUE(p.b->intercept(0, bad.data(), bad.size()));
  // Truncated header.
  std::vector<uint8_t> trunc(sent.begin(), sent.begin() + 10);
  EXPECT_TRUE(p.b->intercept(0, trunc.data(), trunc.size()));
  EXPECT_EQ(p.rejectsB[Reject::BadFrame], 2u);
  EXPECT_TRUE(p.openedB.empty());
}

TEST(Digest, NestAndSmallReferencesTravelNested) {
  Pair p("[Dissemination]\n* -> * : DIGEST\nA -> B : NEST\n");
  EXPECT_FALSE(p.a->digestTo(1));
  EXPECT_TRUE(p.b->digestTo(0));
  Statement s = order(1, 0);
  auto sealed = Node::encodeStatementFrame(s);
  EXPECT_EQ(p.a->compress(1, sealed, {&s}), sealed);
  Pair q("[Dissemination]\n* -> * : DIGEST\n");
  Statement small = s;
  small.msg = Value::record(
      1, {Value::record(0, {Value::integer(1)}), Value::integer(0)});
  auto sealedSmall = Node::encodeStatementFrame(small);
  EXPECT_EQ(q.a->compress(1, sealedSmall, {&small}), sealedSmall);
}

// End to end: tests/auth/inputs/refs.mom (Orders and Replies reference a
// large Request; R3 never receives the Request) under NEST and under
// DIGEST with HMAC everywhere: same client result, nothing rejected, fewer
// bytes under DIGEST, R3 fetches every referenced Request from R0, the
// client resolves its Replies' references locally, and the DIGEST traces
// conform to the model.
TEST(Digest, RefsProgramNestVersusDigestEndToEnd) {
  using nlohmann::json;
  const char *mommie = std::getenv("MOMMIE");
  ASSERT_NE(mommie, nullptr);
  const int NumReq = 30;
  const std::vector<std::string> ids = {"R0", "R1", "R2", "R3", "C0"};
  std::string dir = e2e::tempDir("digest");
  std::ofstream(dir + "/build.conf")
      << "[Hosts]\nR0 = 127.0.0.1:1\nR1 = 127.0.0.1:2\n"
         "R2 = 127.0.0.1:3\nR3 = 127.0.0.1:4\nC0 = 127.0.0.1:5\n";
  std::string src =
      std::string(MOMMIE_SOURCE_DIR) + "/tests/auth/inputs/refs.mom";
  ASSERT_EQ(
      e2e::run({mommie, "build", src, "-D", "NumReq=" + std::to_string(NumReq),
                "--deploy", dir + "/build.conf", "-o", dir + "/refs"},
               dir, 240000),
      0)
      << e2e::readFile(dir + "/run.err");
  auto runWith = [&](const std::string &tag, const std::string &module) {
    std::map<std::string, json> out;
    std::string run = dir + "/" + tag;
    std::filesystem::create_directories(run);
    auto ports = e2e::freePorts(ids.size());
    {
      std::ofstream conf(run + "/deploy.conf");
      conf << "[Hosts]\n";
      for (size_t i = 0; i < ids.size(); ++i)
        conf << ids[i] << " = 127.0.0.1:" << ports[i] << "\n";
      conf << "[Authentication]\n* <-> * : HMAC_SHA256\n[Dissemination]\n* -> "
              "* : "
           << module << "\n";
    }
    EXPECT_EQ(
        e2e::run({mommie, "keygen", run + "/deploy.conf", "-o", run + "/keys"},
                 run, 30000),
        0);
    std::map<std::string, pid_t> pids;
    for (const auto &id : ids)
      pids[id] =
          e2e::spawn({dir + "/refs", "--id", id, "--deploy",
                      run + "/deploy.conf", "--keys", run + "/keys", "--trace",
                      run + "/" + id + ".jsonl", "--run-for", "60000",
                      "--exit-when-quiescent", id == "C0" ? "1500" : "2500"},
                     run + "/" + id + ".out", run + "/" + id + ".log");
    for (const auto &[id, pid] : pids) {
      EXPECT_EQ(e2e::waitFor(pid, 70000), 0) << tag << " " << id;
      out[id] =
          json::parse(e2e::readFile(run + "/" + id + ".out"), nullptr, false);
      EXPECT_FALSE(out[id].is_discarded()) << tag << " " << id;
    }
    return out;
  };
  auto nest = runWith("nest", "NEST");
  auto digest = runWith("digest", "DIGEST");
  for (auto *o : {&nest, &digest}) {
    json &c = (*o)["C0"];
    ASSERT_FALSE(c.is_discarded());
    EXPECT_EQ(c["state"]["next"], NumReq);
    ASSERT_EQ(c["state"]["accepted"]["$map"].size(), size_t(NumReq));
    for (const auto &id : ids)
      EXPECT_EQ((*o)[id]["rejected"], 0) << id << " " << (*o)[id].dump();
  }
  EXPECT_EQ(nest["C0"]["state"], digest["C0"]["state"]);
  uint64_t bytesNest = 0, bytesDigest = 0;
  for (const auto &id : ids) {
    bytesNest += nest[id]["stats"]["transport"]["bytes_out"].get<uint64_t>();
    bytesDigest +=
        digest[id]["stats"]["transport"]["bytes_out"].get<uint64_t>();
    EXPECT_EQ(nest[id]["stats"]["digest"], json::object()) << id;
  }
  EXPECT_LT(bytesDigest, bytesNest);
  std::cout << "bytes/request NEST " << bytesNest / NumReq << " DIGEST "
            << bytesDigest / NumReq << "\n";
  const json &r3 = digest["R3"]["stats"]["digest"],
             &r0 = digest["R0"]["stats"]["digest"];
  EXPECT_EQ(r3["fetched"], NumReq) << r3; // R3 never had the Requests
  EXPECT_GE(r3["fetches"].get<int>(), 1);
  EXPECT_GE(r0["answered"].get<int>(), NumReq) << r0;
  EXPECT_EQ(r0["cut"], 4 * NumReq) << r0; // 3 Orders + 1 Reply per request
  EXPECT_EQ(digest["C0"]["stats"]["digest"]["resolved_locally"], 4 * NumReq);
  EXPECT_EQ(digest["C0"]["stats"]["digest"]["fetches"], 0);
  std::vector<std::string> argv = {mommie, "conform", src, "-D",
                                   "NumReq=" + std::to_string(NumReq)};
  for (const auto &id : ids)
    argv.push_back(dir + "/digest/" + id + ".jsonl");
  EXPECT_EQ(e2e::run(argv, dir, 300000), 0)
      << e2e::readFile(dir + "/run.out") << e2e::readFile(dir + "/run.err");
  std::filesystem::remove_all(dir);
}
