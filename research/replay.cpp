#include "research/replay.hpp"

#include <stdexcept>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "research/results_csv.hpp"

namespace fincheck::research {

std::string outcome_names(const TeardownOutcome& o) {
  std::string names;
  for (const OutcomeColumn& c : outcome_columns())
    if (o.*(c.flag)) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names.empty() ? "none of the outcomes" : names;
}

ReplayedTeardown replay_teardown(const SweepSpec& spec, std::uint64_t point_index,
                                 std::uint64_t index) {
  const auto points = spec.points();
  if (point_index >= points.size())
    throw std::out_of_range("the sweep has " + std::to_string(points.size()) +
                            " point(s), numbered from 0: no point " + std::to_string(point_index));
  if (index >= spec.samples)
    throw std::out_of_range("a point has " + std::to_string(spec.samples) +
                            " teardowns, numbered from 0: no teardown " + std::to_string(index));
  ReplayedTeardown r{points[point_index], points[point_index].scenario(spec.base), {}, {}};
  std::vector<SegmentFault> fates;
  r.outcome = run_teardown(r.scenario, r.point, spec.seed, point_index, index, &fates);
  r.scenario.faults = fates;
  r.text = write_scenario(r.scenario, "Teardown " + std::to_string(index) + " of point " +
                                          std::to_string(point_index) + " (" + r.point.key() +
                                          ") of a sweep, seed " + std::to_string(spec.seed) + ": " +
                                          outcome_names(r.outcome) +
                                          ".\nEvery fate the sweep drew is a fault line below.");
  // Played back from the text, as `fincheck run` will.
  Scenario again = parse_scenario(r.text, "replayed teardown");
  Simulation sim(again);
  sim.set_detailed_trace(false);
  if (outcome_of(sim.run()) != r.outcome)
    throw std::logic_error("teardown " + std::to_string(index) + " of point " +
                           std::to_string(point_index) +
                           " does not play back to the outcome the sweep counted");
  return r;
}

}  // namespace fincheck::research
