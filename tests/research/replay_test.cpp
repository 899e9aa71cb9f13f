// Any teardown of a sweep, replayed: the scenario file written for it plays
// back to the outcome the sweep counted, and the examples a sweep keeps are
// the first of each outcome whatever the threads.
#include <gtest/gtest.h>

#include <algorithm>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "research/replay.hpp"
#include "research/results_csv.hpp"

namespace fincheck::research {
namespace {

SweepSpec lossy_sweep() {
  SweepSpec spec;
  spec.loss_ppm = {50'000};
  spec.time_wait_permille = {0, 2'000};
  spec.reopen = {false, true};
  spec.delays = {*DelayDistribution::parse("exp:20s")};
  spec.samples = 3'000;
  spec.seed = 9;
  return spec;
}

TEST(Replay, EveryExampleReplaysToTheOutcomeItWasCountedFor) {
  const SweepSpec spec = lossy_sweep();
  const auto results = run_sweep(spec, 2, Shard{}, {}, 3);
  std::size_t replayed = 0;
  for (std::size_t p = 0; p < results.size(); ++p) {
    const Examples& ex = results[p].examples;
    ASSERT_EQ(ex.indices.size(), outcome_columns().size());
    for (std::size_t k = 0; k < ex.indices.size(); ++k) {
      const OutcomeColumn& c = outcome_columns()[k];
      // As many as asked for, or as many as the point had.
      EXPECT_EQ(ex.indices[k].size(), std::min<std::uint64_t>(3, results[p].tally.*(c.count)))
          << "point " << p << ", " << c.name;
      for (const std::uint64_t i : ex.indices[k]) {
        const ReplayedTeardown r = replay_teardown(spec, p, i);
        EXPECT_TRUE(r.outcome.*(c.flag)) << "point " << p << " teardown " << i << ": " << c.name;
        // Played from the file, as `fincheck run` reads it.
        const Scenario again = parse_scenario(r.text, "replayed");
        Simulation sim(again);
        EXPECT_EQ(outcome_of(sim.run()), r.outcome) << "point " << p << " teardown " << i;
        ++replayed;
      }
    }
  }
  // Clean closes, resets without TIME_WAIT and old duplicates after reopen
  // at 5 % loss: the sweep has each, so each was replayed.
  for (const char* outcome : {"clean", "reset_passive", "old_duplicate"})
    EXPECT_TRUE(std::any_of(results.begin(), results.end(), [&](const PointResult& r) {
      for (std::size_t k = 0; k < outcome_columns().size(); ++k)
        if (outcome_columns()[k].name == std::string(outcome) && !r.examples.indices[k].empty())
          return true;
      return false;
    })) << outcome;
  EXPECT_GT(replayed, 0U);
}

TEST(Replay, ExamplesAreTheFirstOfEachOutcomeForAnyThreads) {
  const SweepSpec spec = lossy_sweep();
  const auto one = run_sweep(spec, 1, Shard{}, {}, 4);
  const auto three = run_sweep(spec, 3, Shard{}, {}, 4);
  for (std::size_t p = 0; p < one.size(); ++p) {
    EXPECT_EQ(one[p].examples.indices, three[p].examples.indices) << "point " << p;
    // The first: no teardown before the last example lacks the outcome.
    const Scenario scenario = one[p].point.scenario(spec.base);
    for (std::size_t k = 0; k < one[p].examples.indices.size(); ++k) {
      const auto& idx = one[p].examples.indices[k];
      if (idx.empty()) continue;
      std::uint64_t with = 0;
      for (std::uint64_t i = 0; i <= idx.back(); ++i)
        with += run_teardown(scenario, one[p].point, spec.seed, p, i).*(outcome_columns()[k].flag);
      EXPECT_EQ(with, idx.size()) << "point " << p << ", " << outcome_columns()[k].name;
    }
  }
}

TEST(Replay, NoSuchPointOrTeardownIsSaid) {
  const SweepSpec spec = lossy_sweep();
  EXPECT_THROW(replay_teardown(spec, 4, 0), std::out_of_range);
  EXPECT_THROW(replay_teardown(spec, 0, 3'000), std::out_of_range);
}

}  // namespace
}  // namespace fincheck::research
