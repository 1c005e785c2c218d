// The one parser of `--faults` (runtime/wire/FaultSpec.h), which the
// generated code's simulated network and the checker's model simulation
// share.
#include "runtime/wire/FaultSpec.h"

#include <gtest/gtest.h>

using namespace mommie::rt;

namespace {
const std::vector<std::string> kNodes = {"R0", "R1", "C0"};
}

TEST(FaultSpec, EveryFault) {
  SimFaults f;
  std::string err;
  ASSERT_TRUE(parseSimFaults(
      "loss=0.1,dup=0.05,reorder,delay=1-20ms,crash=R1@2s,crash=C0@150,byz=R0,",
      kNodes, f, err))
      << err;
  EXPECT_DOUBLE_EQ(f.loss, 0.1);
  EXPECT_DOUBLE_EQ(f.dup, 0.05);
  EXPECT_TRUE(f.reorder);
  EXPECT_TRUE(f.delayGiven);
  EXPECT_EQ(f.delayMinUs, 1000);
  EXPECT_EQ(f.delayMaxUs, 20000);
  ASSERT_EQ(f.crashes.size(), 2u);
  EXPECT_EQ(f.crashes[0].node, 1);
  EXPECT_EQ(f.crashes[0].atUs, 2000000);
  EXPECT_FALSE(f.crashes[0].unitless);
  EXPECT_EQ(f.crashes[1].node, 2);
  EXPECT_EQ(f.crashes[1].atUs,
            150000); // a bare number: milliseconds, or the model's step 150
  EXPECT_TRUE(f.crashes[1].unitless);
  ASSERT_EQ(f.byzantine.size(), 1u);
  EXPECT_EQ(f.byzantine[0], 0);
}

TEST(FaultSpec, DefaultsWithoutDelay) {
  SimFaults f;
  std::string err;
  ASSERT_TRUE(parseSimFaults("", kNodes, f, err));
  EXPECT_FALSE(f.delayGiven);
  EXPECT_EQ(f.delayMinUs, 1000); // the network's default, 1 ms
  ASSERT_TRUE(parseSimFaults("delay=500us", kNodes, f, err)) << err;
  EXPECT_EQ(f.delayMinUs, 500);
  EXPECT_EQ(f.delayMaxUs, 500);
}

TEST(FaultSpec, BadInputIsAnError) {
  for (const char *bad :
       {"loss=2", "loss=-0.1", "dup=x", "delay=5-1ms", "delay=abc", "crash=R0",
        "crash=X9@1s", "crash=R0@1h", "byz=X9", "reorder=1", "bogus",
        "crash=R0@99999999999999s"}) {
    SimFaults f;
    std::string err;
    EXPECT_FALSE(parseSimFaults(bad, kNodes, f, err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}
