// The explorer: its paths are the simulator's runs, its choice of arrival
// times stands for every delay, merging states loses no verdict, and the
// report is the same on any number of threads.
#include <gtest/gtest.h>

#include <set>

#include "explore/explorer.hpp"
#include "explore/visited_set.hpp"
#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "impl/trace_json.hpp"
#include "properties/run_report.hpp"

namespace fincheck::explore {
namespace {

const Scenario& close_named(const std::string& name) {
  for (const auto& [n, s] : textbook_closes())
    if (n == name) return s;
  throw std::logic_error("no textbook close " + name);
}

// What each end lived through, in its order, without times: what it sent,
// what reached it and what it made of it, its steps, its application's
// calls. Two runs that give both ends the same are the same run to them
// (events at two ends with nothing between them may come in either order:
// no end can tell, and a simulator's tie between them decides nothing).
std::string ordering(const Trace& t) {
  std::array<std::string, 2> local;
  auto at = [&](Side s) -> std::string& { return local[s == Side::A ? 0 : 1]; };
  for (const LogEntry& e : t.log) {
    switch (e.kind) {
      case LogEntry::Kind::Sent: {
        const SegmentRecord& r = t.segments[e.index];
        at(r.from) += "S" + std::to_string(r.n) + tcpdump_flags(r.seg.flags) +
                      std::to_string(r.seg.seq.raw()) + "/" + std::to_string(r.seg.ack.raw()) +
                      ";";
        break;
      }
      case LogEntry::Kind::Arrival: {
        const ArrivalRecord& a = t.arrivals[e.index];
        at(a.to) += "A" + std::to_string(t.segments[a.segment].n) + (a.accepted ? "+;" : "-;");
        break;
      }
      case LogEntry::Kind::Step: {
        const StepRecord& s = t.steps[e.index];
        at(s.endpoint) += "T" + std::string(model::to_string(s.to)) + ":" + std::string(s.cause) + ";";
        break;
      }
      case LogEntry::Kind::App:
        at(t.app[e.index].endpoint) += "C" + std::string(to_string(t.app[e.index].op)) + ";";
        break;
      default:
        break;
    }
  }
  return local[0] + " | " + local[1];
}

TEST(Explorer, EveryPathIsTheRunOfItsScenario) {
  // Each path the explorer judged, written as a scenario and run by the
  // simulator, gives the same trace: a saved counterexample replays.
  for (const auto& close : textbook_closes())
    for (const Bounds& b : {Bounds{1, 1, 0}, Bounds{0, 1, 1}}) {
    // Named, not bound: a lambda may not capture a structured binding (C++20).
    const std::string& name = close.first;
    const Scenario& scenario = close.second;
    ExploreOptions o;
    o.bounds = b;
    o.detailed_traces = true;
    std::size_t compared = 0;
    o.on_end = [&](const Trace& t) {
      if (compared++ % 10 != 0) return;  // a tenth of them, for time
      const Scenario path = path_scenario(scenario, t);
      Simulation sim(path);
      const Trace& replayed = sim.run();
      ASSERT_EQ(segments_json(replayed).dump(), segments_json(t).dump())
          << name << "\n" << write_scenario(path);
      ASSERT_EQ(transitions_json(replayed).dump(), transitions_json(t).dump()) << name;
      ASSERT_EQ(ordering(replayed), ordering(t)) << name;
    };
    const ExploreReport r = explore(scenario, o);
    EXPECT_TRUE(r.passed()) << name;
    EXPECT_GT(compared, 50U) << name;
    }
}

TEST(Explorer, EarliestAndLatestArrivalsStandForEveryDelay) {
  // One segment delayed by any amount up to MSL (a grid of 4,000 delays
  // for each of the first five segments of each side, a step of 29,993 us,
  // none on an instant the explorer picks):
  // every order of events the simulator shows, the explorer showed too.
  for (const auto& [name, base] : textbook_closes()) {
    std::set<std::string> explored;
    ExploreOptions o;
    o.bounds = {0, 0, 1, true};  // a delayed segment may be overtaken
    o.detailed_traces = true;
    // Every path to its end: a merged path's own ending is not walked (the
    // test below shows merging changes no verdict).
    o.merge = false;
    o.on_end = [&](const Trace& t) { explored.insert(ordering(t)); };
    explore(base, o);
    std::size_t runs = 0, missing = 0;
    std::string first_missing;
    for (Side side : {Side::A, Side::B})
      for (std::uint32_t n = 1; n <= 5; ++n)
        for (std::int64_t d = base.delay_us + 1; d <= base.delay_bound_us(); d += 29'993) {
          Scenario s = base;
          SegmentFault& f = s.fault_slot(side, n);
          f.delay_us = d;
          Simulation sim(s);
          const Trace& t = sim.run();
          ++runs;
          if (!explored.count(ordering(t)) && missing++ == 0) first_missing = write_scenario(s);
        }
    EXPECT_EQ(missing, 0U) << name << ": " << missing << " of " << runs
                           << " orders not explored; the first:\n"
                           << first_missing;
  }
}

std::set<std::string> failing(const ExploreReport& r) {
  std::set<std::string> out;
  for (const PropertyTally& t : r.tallies)
    if (t.failed) out.insert(std::string(t.id));
  return out;
}

TEST(Explorer, MergingStatesLosesNoVerdict) {
  // Against the same search as a tree (no state merged), the model and
  // every mutant: the same invariants fail, at the same depth. Run to the
  // end (the whole catalog judges every path: no early stop in a tree).
  std::vector<const Mutant*> models{nullptr};
  for (const Mutant& m : mutants()) models.push_back(&m);
  for (const auto& [name, scenario] : textbook_closes())
    for (const Mutant* m : models) {
      ExploreOptions o;
      o.bounds = {1, 1, 0};
      o.mutant = m;
      const ExploreReport merged = explore(scenario, o);
      o.merge = false;
      const ExploreReport tree = explore(scenario, o);
      const std::string who = name + " " + (m ? std::string(m->name) : "reference");
      EXPECT_EQ(failing(merged), failing(tree)) << who;
      ASSERT_EQ(merged.counterexample.has_value(), tree.counterexample.has_value()) << who;
      if (merged.counterexample) {
        EXPECT_EQ(merged.counterexample->depth, tree.counterexample->depth) << who;
      }
      EXPECT_LE(merged.states, tree.states) << who;
    }
}

TEST(Explorer, MergesStatesTheTreeVisitsTwice) {
  ExploreOptions o;
  o.bounds = {1, 1, 0};
  const ExploreReport merged = explore(close_named("half-close-data"), o);
  o.merge = false;
  const ExploreReport tree = explore(close_named("half-close-data"), o);
  EXPECT_GT(merged.merged, 0U);
  EXPECT_LT(merged.states, tree.states);
  EXPECT_EQ(tree.merged, 0U);
}

TEST(Explorer, SameReportOnAnyNumberOfThreads) {
  ExploreOptions o;
  o.bounds = {1, 1, 0};
  o.mutant = mutant_named("no-restart-on-fin");
  const ExploreReport one = explore(close_named("active"), o);
  o.threads = 3;
  const ExploreReport three = explore(close_named("active"), o);
  EXPECT_EQ(one.states, three.states);
  EXPECT_EQ(one.transitions, three.transitions);
  EXPECT_EQ(one.merged, three.merged);
  EXPECT_EQ(one.row_hits, three.row_hits);
  ASSERT_TRUE(one.counterexample && three.counterexample);
  EXPECT_EQ(write_scenario(one.counterexample->scenario),
            write_scenario(three.counterexample->scenario));
}

TEST(Explorer, ShortestCounterexampleReplaysToTheSameViolation) {
  const Mutant& m = *mutant_named("no-restart-on-fin");
  ExploreOptions o;
  o.bounds = {2, 2, 0};
  o.mutant = &m;
  const ExploreReport r = explore(close_named("active"), o);
  ASSERT_TRUE(r.counterexample);
  const Scenario replayed =
      parse_scenario(write_scenario(r.counterexample->scenario), "replayed.scn");
  EXPECT_FALSE(judge(m.apply(replayed), &m, invariant_named(r.counterexample->property))
                   .front()
                   .holds());
  // Shortest: a loss is needed for a FIN to meet TIME-WAIT twice, and none
  // of the smaller bounds reaches it.
  o.bounds = {0, 2, 0};
  EXPECT_FALSE(explore(close_named("active"), o).counterexample);
}

TEST(Explorer, RowsReachedAreTheRowsItsPathsFired) {
  // Without faults there is one path, the run of the file: the same rows,
  // as often.
  for (const auto& [name, scenario] : textbook_closes()) {
    ExploreOptions o;
    o.bounds = {0, 0, 0};
    const ExploreReport r = explore(scenario, o);
    Simulation sim(scenario);
    EXPECT_EQ(r.row_hits, row_hits(sim.run(), r.row_hits.size())) << name;
    EXPECT_EQ(r.ended, 1U) << name;
  }
}

TEST(Explorer, BitstateWhenTheVisitedSetRunsShort) {
  ExploreOptions o;
  o.bounds = {1, 1, 0};
  o.visited_bytes = 4096;
  const ExploreReport r = explore(close_named("half-close-data"), o);
  EXPECT_TRUE(r.bitstate);
  EXPECT_GT(r.omission_probability, 0.0);
  EXPECT_LE(r.visited_bytes, 4096U);
}

TEST(Explorer, AFrontierTooLargeIsReportedIncomplete) {
  ExploreOptions o;
  o.bounds = {2, 2, 0};
  o.frontier_bytes = 10'000;
  const ExploreReport r = explore(close_named("active"), o);
  EXPECT_TRUE(r.frontier_exhausted);
  EXPECT_FALSE(r.complete());
}

TEST(Explorer, RefusesInjectionAndReopen) {
  EXPECT_NE(unsupported(parse_scenario("a close at 0ms\ninject a->b R seq rcv_nxt+1 at 5ms\n", "x.scn"))
                .find("inject"),
            std::string::npos);
  EXPECT_NE(unsupported(parse_scenario("a close at 0ms\nreopen\n", "x.scn")).find("reopen"),
            std::string::npos);
  EXPECT_EQ(unsupported(close_named("active")), "");
}

TEST(VisitedSet, TakesEachFingerprintOnce) {
  VisitedSet v(1 << 20);
  EXPECT_TRUE(v.insert(42));
  EXPECT_FALSE(v.insert(42));
  EXPECT_TRUE(v.insert(0));  // 0 marks an empty slot; it still counts
  EXPECT_FALSE(v.insert(0));
  for (std::uint64_t i = 1; i < 10'000; ++i) v.insert(i * 0x9e3779b97f4a7c15ULL);
  EXPECT_FALSE(v.insert(5 * 0x9e3779b97f4a7c15ULL));
  EXPECT_FALSE(v.bitstate());
}

}  // namespace
}  // namespace fincheck::explore
