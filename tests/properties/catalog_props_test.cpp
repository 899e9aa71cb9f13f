// The invariant catalog as RapidCheck properties through GoogleTest: each
// invariant over generated scenarios on the reference model. The seed and
// the case count are fixed when configuring (FINCHECK_PROPERTY_SEED,
// FINCHECK_PROPERTY_CASES), so every CI run checks the same cases; an
// RC_PARAMS in the environment still wins (README, "In your CI").
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "impl/scenario_io.hpp"
#include "properties/checker.hpp"

namespace fincheck {

// How RapidCheck prints a counterexample: as the scenario file that replays it.
void showValue(const Scenario& s, std::ostream& os) { os << "\n" << write_scenario(s); }

namespace {

// Before RapidCheck first reads its configuration; never over the user's.
const bool fixed_params = setenv("RC_PARAMS", FINCHECK_RC_PARAMS, 0) == 0;

void holds_on_generated_scenarios(std::string_view id) {
  RC_ASSERT(fixed_params);
  const Invariant* inv = invariant_named(id);
  RC_ASSERT(inv != nullptr);
  const Scenario s = *gen_scenario();
  const Verdict v = judge(s, nullptr, inv).front();
  RC_CLASSIFY(v.applicable, "preconditions held");
  if (!v.holds()) RC_FAIL(v.violations.front().message);
}

RC_GTEST_PROP(Catalog, TimeWaitOnlyActiveCloser, ()) {
  holds_on_generated_scenarios("time-wait-only-active-closer");
}
RC_GTEST_PROP(Catalog, TimeWaitRestartsOnFin, ()) {
  holds_on_generated_scenarios("time-wait-restarts-on-fin");
}
RC_GTEST_PROP(Catalog, TimeWaitLasts2Msl, ()) {
  holds_on_generated_scenarios("time-wait-lasts-2msl");
}
RC_GTEST_PROP(Catalog, NoRstSingleLoss, ()) { holds_on_generated_scenarios("no-rst-single-loss"); }
RC_GTEST_PROP(Catalog, EventuallyClosed, ()) { holds_on_generated_scenarios("eventually-closed"); }
RC_GTEST_PROP(Catalog, FaultFreeCloseIsFourSegments, ()) {
  holds_on_generated_scenarios("fault-free-close-is-four-segments");
}
RC_GTEST_PROP(Catalog, EveryFinAcked, ()) { holds_on_generated_scenarios("every-fin-acked"); }
RC_GTEST_PROP(Catalog, HalfCloseDelivers, ()) {
  holds_on_generated_scenarios("half-close-delivers");
}
RC_GTEST_PROP(Catalog, NoOldDuplicateAccepted, ()) {
  holds_on_generated_scenarios("no-old-duplicate-accepted");
}
RC_GTEST_PROP(Catalog, TransitionsInTable, ()) {
  holds_on_generated_scenarios("transitions-in-table");
}

TEST(Catalog, HasTheTenStableIds) {
  const std::vector<std::string_view> ids{"time-wait-only-active-closer",
                                          "time-wait-restarts-on-fin",
                                          "time-wait-lasts-2msl",
                                          "no-rst-single-loss",
                                          "eventually-closed",
                                          "fault-free-close-is-four-segments",
                                          "every-fin-acked",
                                          "half-close-delivers",
                                          "no-old-duplicate-accepted",
                                          "transitions-in-table"};
  ASSERT_EQ(catalog().size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(catalog()[i].id, ids[i]);
}

}  // namespace
}  // namespace fincheck
