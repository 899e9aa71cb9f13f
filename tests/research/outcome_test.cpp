// What a teardown came to: "clean" is what the applications saw -- an
// orderly close and nothing else -- and in a reopen run also that
// connection 2, which has no actions of its own, was left alone.
#include <gtest/gtest.h>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "research/outcome.hpp"

namespace fincheck::research {
namespace {

Trace reopened_close() {
  const Scenario s = parse_scenario("a close at 0ms\nb close after eof 0ms\nreopen\n", "test");
  Trace t;
  Simulation(s, t).run();
  return t;
}

TEST(Outcome, AFaultFreeReopenIsClean) {
  const Trace t = reopened_close();
  ASSERT_EQ(t.connections, 2);
  EXPECT_TRUE(outcome_of(t).clean);
}

TEST(Outcome, AResetTheSecondConnectionsApplicationSawIsNotClean) {
  Trace t = reopened_close();
  AppRecord reset;
  reset.conn = 2;
  reset.op = AppOp::Reset;
  t.add(reset);
  const TeardownOutcome o = outcome_of(t);
  EXPECT_FALSE(o.clean);
  // Connection 1's own counts are untouched.
  EXPECT_FALSE(o.reset_passive);
  EXPECT_GE(o.time_to_closed_us, 0);
}

TEST(Outcome, ARstNoApplicationSawLeavesTheCloseClean) {
  // A stray duplicate reaches an end after both closed; the RST it draws
  // reaches no application.
  Trace t = reopened_close();
  SegmentRecord rst;
  rst.conn = 1;
  rst.seg.flags.rst = true;
  t.segments.push_back(rst);
  EXPECT_TRUE(outcome_of(t).clean);
}

TEST(Outcome, ATimeoutIsNotClean) {
  Trace t = reopened_close();
  AppRecord timed_out;
  timed_out.op = AppOp::TimedOut;
  t.add(timed_out);
  EXPECT_FALSE(outcome_of(t).clean);
}

TEST(Outcome, ASecondConnectionThatLeftEstablishedIsNotClean) {
  Trace t = reopened_close();
  t.final_states[1] = model::State::CloseWait;
  EXPECT_FALSE(outcome_of(t).clean);
}

}  // namespace
}  // namespace fincheck::research
