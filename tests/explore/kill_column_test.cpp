// The explore column of the kill matrix: every mutant of the table is
// killed at some bound of the ladder, and each shortest counterexample,
// written out and read back, breaks the same invariant in `fincheck run`.
#include <gtest/gtest.h>

#include "explore/kill_column.hpp"
#include "impl/scenario_io.hpp"

namespace fincheck::explore {
namespace {

// Mutants of the classifier that only a segment the model never sends
// reveals (an ACK of data never sent, a RST inside the window but not at
// RCV.NXT): the explorer puts only the model's segments on the wire, and
// only `check`'s injected segments and the shadow catch them.
bool needs_a_forged_segment(const Mutant& m) {
  return m.name == "rst-anywhere-in-window" || m.name == "ack-range-off-by-one";
}

TEST(ExploreKillColumn, EveryMutantThatTheWireCanShowIsKilledAndReplays) {
  for (const Mutant& m : mutants()) {
    const ExploreColumnCell cell = explore_kill(m, 2);
    if (needs_a_forged_segment(m)) {
      EXPECT_FALSE(cell.kill) << m.name << " needs no forged segment after all: update the test";
      continue;
    }
    ASSERT_TRUE(cell.kill) << m.name << " survives every bound of the ladder";
    const ExploreKill& k = *cell.kill;
    const Scenario replayed = parse_scenario(write_scenario(k.scenario), "replayed.scn");
    EXPECT_FALSE(judge(m.apply(replayed), &m, invariant_named(k.property)).front().holds())
        << m.name << " at " << bounds_name(k.bounds) << " in " << k.close << ":\n"
        << write_scenario(k.scenario);
  }
}

}  // namespace
}  // namespace fincheck::explore
