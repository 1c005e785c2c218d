// The durable-state log (runtime/store/DurableLog.h): records survive a
// reopen, a torn tail is cut off, a damaged middle is refused, the log is
// compacted to its last record, and a directory is refused unless it is
// this node's or --fresh says to start afresh.
#include "runtime/store/DurableLog.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

using namespace mommie::rt;
namespace fs = std::filesystem;

namespace {

class DurableLogTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mommie-durable-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/data";
  }
  void TearDown() override { fs::remove_all(root_); }

  DurableOptions options(bool fresh,
                         const std::string &principal = "P1") const {
    DurableOptions o;
    o.dir = dir_;
    o.protocol = "LastVoting";
    o.principal = principal;
    o.fresh = fresh;
    return o;
  }
  std::string readWal() const {
    std::ifstream in(dir_ + "/wal", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void writeWal(const std::string &bytes) const {
    std::ofstream out(dir_ + "/wal", std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  std::string root_, dir_;
};

TEST_F(DurableLogTest, RecordsSurviveAReopen) {
  std::string err;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(true), err)) << err;
    EXPECT_FALSE(log.recovered());
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(log.append("state " + std::to_string(i), err)) << err;
    EXPECT_EQ(log.stats().records, 5u);
    EXPECT_EQ(log.stats().syncs, 5u);
  }
  DurableLog again;
  ASSERT_TRUE(again.open(options(false), err)) << err;
  ASSERT_TRUE(again.recovered());
  EXPECT_EQ(*again.recovered(), "state 4");
  EXPECT_EQ(again.stats().recoveredRecords, 5u);
  EXPECT_EQ(again.stats().truncatedBytes, 0u);
}

TEST_F(DurableLogTest, MissingOrEmptyDirectoryNeedsFresh) {
  std::string err;
  DurableLog log;
  EXPECT_FALSE(log.open(options(false), err));
  EXPECT_NE(err.find("does not exist"), std::string::npos) << err;
  EXPECT_NE(err.find("--fresh"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir_)) << "a refused open creates nothing";
  fs::create_directory(dir_);
  DurableLog empty;
  EXPECT_FALSE(empty.open(options(false), err));
  EXPECT_NE(err.find("holds no durable state"), std::string::npos) << err;
}

TEST_F(DurableLogTest, AnotherNodesDirectoryIsRefused) {
  std::string err;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(true, "P1"), err)) << err;
    ASSERT_TRUE(log.append("p1's state", err));
  }
  for (bool fresh : {false, true}) {
    DurableLog other;
    EXPECT_FALSE(other.open(options(fresh, "P2"), err));
    EXPECT_NE(err.find("another node"), std::string::npos) << err;
    EXPECT_NE(err.find("principal P1"), std::string::npos) << err;
  }
  DurableLog mine;
  ASSERT_TRUE(mine.open(options(false, "P1"), err)) << err;
  EXPECT_EQ(*mine.recovered(), "p1's state");
}

TEST_F(DurableLogTest, TornTailIsCutAndAppendsFollowTheValidPrefix) {
  std::string err;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(true), err)) << err;
    ASSERT_TRUE(log.append("first", err));
    ASSERT_TRUE(log.append("second", err));
  }
  std::string whole = readWal();
  // Every way the third record's write may have been cut short.
  std::string third = walRecord("third, never finished");
  for (size_t cut = 1; cut < third.size(); ++cut) {
    writeWal(whole + third.substr(0, cut));
    DurableLog log;
    ASSERT_TRUE(log.open(options(false), err)) << "cut " << cut << ": " << err;
    ASSERT_TRUE(log.recovered());
    EXPECT_EQ(*log.recovered(), "second") << "cut " << cut;
    EXPECT_EQ(log.stats().truncatedBytes, cut);
  }
  // A torn last record with a wrong checksum: cut too.
  std::string bad = third;
  bad.back() ^= 0x5a;
  writeWal(whole + bad);
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(false), err)) << err;
    EXPECT_EQ(*log.recovered(), "second");
    ASSERT_TRUE(log.append("third", err));
  }
  DurableLog log;
  ASSERT_TRUE(log.open(options(false), err)) << err;
  EXPECT_EQ(*log.recovered(), "third");
  EXPECT_EQ(log.stats().recoveredRecords, 3u);
}

// A machine crash may leave zeros after the synced prefix (blocks
// allocated, data not written): a torn tail, not empty records.
TEST_F(DurableLogTest, ZerosAfterTheRecordsAreATornTail) {
  std::string err;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(true), err)) << err;
    ASSERT_TRUE(log.append("kept", err));
    EXPECT_FALSE(log.append("", err)) << "no record is empty";
  }
  writeWal(readWal() + std::string(4096, '\0'));
  DurableLog log;
  ASSERT_TRUE(log.open(options(false), err)) << err;
  ASSERT_TRUE(log.recovered());
  EXPECT_EQ(*log.recovered(), "kept");
  EXPECT_EQ(log.stats().truncatedBytes, 4096u);
}

TEST_F(DurableLogTest, DamageBeforeWholeRecordsIsRefused) {
  std::string err;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(options(true), err)) << err;
    for (const char *s : {"a", "b", "c"})
      ASSERT_TRUE(log.append(s, err));
  }
  std::string w = readWal();
  w[8 + 1 + 8] ^= 1; // the payload of the second record
  writeWal(w);
  DurableLog log;
  EXPECT_FALSE(log.open(options(false), err));
  EXPECT_NE(err.find("corrupt at byte 9"), std::string::npos) << err;
  EXPECT_EQ(readWal(), w) << "a refused log is left as it was";
}

TEST_F(DurableLogTest, CompactionKeepsTheLastRecordOnly) {
  std::string err;
  DurableOptions o = options(true);
  o.compactBytes = 256;
  {
    DurableLog log;
    ASSERT_TRUE(log.open(o, err)) << err;
    for (int i = 0; i < 1000; ++i)
      ASSERT_TRUE(log.append("state number " + std::to_string(i), err)) << err;
    EXPECT_GT(log.stats().compactions, 10u);
  }
  EXPECT_LE(fs::file_size(dir_ + "/wal"), 256u + 64u);
  EXPECT_FALSE(fs::exists(dir_ + "/wal.tmp"));
  DurableLog log;
  ASSERT_TRUE(log.open(options(false), err)) << err;
  EXPECT_EQ(*log.recovered(), "state number 999");
}

// Group commit off the owner's thread: written() counts records, a
// requested sync runs on the helper and wakes the owner, finishSync()
// advances synced(); one request covers every record written before it
// and none after; a rewrite waits for the
// helper and leaves everything synced; the records survive a reopen.
TEST_F(DurableLogTest, BackgroundSyncAdvancesWhatIsDurable) {
  std::string err;
  {
    DurableLog log;
    DurableOptions o = options(true);
    o.wholeState = false;
    ASSERT_TRUE(log.open(o, err)) << err;
    std::mutex mu;
    std::condition_variable cv;
    int wakes = 0;
    log.startBackground([&] {
      std::lock_guard<std::mutex> lk(mu);
      ++wakes;
      cv.notify_all();
    });
    auto waitWake = [&](int n) {
      std::unique_lock<std::mutex> lk(mu);
      return cv.wait_for(lk, std::chrono::seconds(10),
                         [&] { return wakes >= n; });
    };
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(log.write("r" + std::to_string(i), err)) << err;
    EXPECT_EQ(log.written(), 3u);
    EXPECT_EQ(log.synced(), 0u);
    log.requestSync();
    ASSERT_TRUE(log.write("r3", err))
        << err; // after the request: not covered by it
    ASSERT_TRUE(waitWake(1));
    ASSERT_TRUE(log.finishSync(err)) << err;
    EXPECT_EQ(log.synced(), 3u);
    EXPECT_TRUE(log.dirty());
    log.requestSync();
    ASSERT_TRUE(waitWake(2));
    ASSERT_TRUE(log.finishSync(err)) << err;
    EXPECT_EQ(log.synced(), 4u);
    EXPECT_FALSE(log.dirty());
    EXPECT_EQ(log.stats().syncs, 2u);
    ASSERT_TRUE(log.write("r4", err)) << err;
    log.requestSync();
    ASSERT_TRUE(log.rewrite({"snap", "r5"}, err))
        << err; // waits for the helper
    EXPECT_EQ(log.written(), 7u);
    EXPECT_EQ(log.synced(), 7u);
    ASSERT_TRUE(waitWake(3));
    ASSERT_TRUE(log.finishSync(err)) << err;
    EXPECT_EQ(log.synced(), 7u);
  }
  DurableLog again;
  DurableOptions o = options(false);
  o.wholeState = false;
  ASSERT_TRUE(again.open(o, err)) << err;
  EXPECT_EQ(again.recoveredAll(), (std::vector<std::string>{"snap", "r5"}));
}

// With fsync off every record counts as durable once written.
TEST_F(DurableLogTest, WithoutFsyncWrittenIsSynced) {
  std::string err;
  DurableLog log;
  DurableOptions o = options(true);
  o.fsync = false;
  ASSERT_TRUE(log.open(o, err)) << err;
  ASSERT_TRUE(log.write("a", err)) << err;
  ASSERT_TRUE(log.write("b", err)) << err;
  EXPECT_EQ(log.synced(), 2u);
  EXPECT_FALSE(log.dirty());
}

TEST(DurableRecord, RoundTripsAndRejectsGarbage) {
  Value st = Value::tuple(
      {Value::integer(1), Value::integer(4), Value::some(Value::integer(0))});
  std::string enc = encodeDurableRecord(14, st);
  int64_t round = -1;
  Value back;
  ASSERT_TRUE(decodeDurableRecord(enc, round, back));
  EXPECT_EQ(round, 14);
  EXPECT_EQ(back, st);
  EXPECT_FALSE(decodeDurableRecord(enc + "x", round, back)) << "trailing bytes";
  EXPECT_FALSE(decodeDurableRecord(enc.substr(0, enc.size() - 1), round, back));
  EXPECT_FALSE(decodeDurableRecord("", round, back));
}

TEST(WalScan, StopsAtTheFirstIncompleteRecord) {
  std::string a = walRecord("a"), b = walRecord("bb");
  WalScan s = scanWal(a + b + "\x05\x00");
  EXPECT_EQ(s.records, 2u);
  EXPECT_EQ(s.validBytes, a.size() + b.size());
  EXPECT_EQ(*s.last, "bb");
  EXPECT_FALSE(s.corruptAt);
  std::string huge = walRecord("x");
  huge[3] = '\x7f'; // length beyond the limit: torn, not a 2 GB allocation
  EXPECT_EQ(scanWal(a + huge).records, 1u);
}

} // namespace
