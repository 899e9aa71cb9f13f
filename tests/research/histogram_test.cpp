// Histograms of durations: bins of three leading digits, quantiles read off
// them within the bin's width, shards that add up to the whole bin by bin,
// and a CSV cell that reads back or is refused.
#include <gtest/gtest.h>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "research/histogram.hpp"
#include "research/outcome.hpp"

namespace fincheck::research {
namespace {

TEST(Histogram, BinsKeepThreeLeadingDigits) {
  EXPECT_EQ(Histogram::bin_of(0), 0);
  EXPECT_EQ(Histogram::bin_of(999), 999);
  EXPECT_EQ(Histogram::bin_of(1'234), 1'230);
  EXPECT_EQ(Histogram::bin_of(240'020'000), 240'000'000);
  EXPECT_EQ(Histogram::bin_end(240'000'000), 241'000'000);
  EXPECT_EQ(Histogram::bin_end(999), 1'000);
  // Less than 1 % wide: the lower end is within 1 % of any value in it.
  for (const std::int64_t v : {1'000LL, 1'009LL, 99'999LL, 123'456'789LL}) {
    EXPECT_LE(Histogram::bin_of(v), v);
    EXPECT_GT(Histogram::bin_of(v), v - v / 100) << v;
  }
}

TEST(Histogram, QuantilesOfKnownValues) {
  Histogram h;
  for (std::int64_t v = 1; v <= 100; ++v) h.add(v);  // exact bins under 1 ms
  EXPECT_EQ(h.quantile(0.5), 50);
  EXPECT_EQ(h.quantile(0.9), 90);
  EXPECT_EQ(h.quantile(0.99), 99);
  EXPECT_EQ(h.quantile(1.0), 100);
  EXPECT_FALSE(Histogram{}.quantile(0.5));
}

TEST(Histogram, ShardsAddUpToTheWhole) {
  Histogram whole, a, b;
  for (std::int64_t v = 0; v < 5'000; ++v) {
    const std::int64_t us = v * v * 37 + 11;
    whole.add(us);
    (v % 3 ? a : b).add(us);
  }
  a.merge(b);
  EXPECT_EQ(a, whole);
}

TEST(Histogram, CellsReadBackOrAreRefused) {
  Histogram h;
  h.add(240'020'000, 3);
  h.add(5);
  EXPECT_EQ(h.text(), "5:1;240000000:3");
  EXPECT_EQ(Histogram::parse(h.text()), h);
  EXPECT_EQ(Histogram::parse("")->count(), 0U);
  for (const char* bad : {"240020000:1", "5:0", "9:1;5:1", "5:1;", "5", "x:1", "-5:1", "5:1;5:1"})
    EXPECT_FALSE(Histogram::parse(bad)) << bad;
}

TEST(Outcome, ARstThatEndsTimeWaitIsAnAssassination) {
  // time-wait-assassination.scn: RFC 1337 §2's hazard H1 under RFC 9293's
  // rule; with RFC 1337's fix on, TIME_WAIT outlives the RST.
  const std::string file =
      std::string(std::getenv("FINCHECK_SOURCE_DIR")) + "/scenarios/time-wait-assassination.scn";
  Scenario s = load_scenario(file);
  {
    Simulation sim(s);
    EXPECT_TRUE(outcome_of(sim.run()).time_wait_assassinated);
  }
  s.params.rfc1337 = true;
  Simulation sim(s);
  EXPECT_FALSE(outcome_of(sim.run()).time_wait_assassinated);
}

TEST(Outcome, TallyKeepsTheExactMinimumAndMaximum) {
  Tally t, u;
  TeardownOutcome o;
  o.time_to_closed_us = 240'020'000;
  t.add(o);
  o.time_to_closed_us = 241'000'000;
  u.add(o);
  t.merge(u);
  EXPECT_EQ(t.closed_min_us, 240'020'000);
  EXPECT_EQ(t.closed_max_us, 241'000'000);
  EXPECT_EQ(t.closed_histogram.count(), 2U);
  // A tally that saw nothing does not lower the minimum.
  Tally empty;
  empty.n = 1;
  t.merge(empty);
  EXPECT_EQ(t.closed_min_us, 240'020'000);
}

}  // namespace
}  // namespace fincheck::research
