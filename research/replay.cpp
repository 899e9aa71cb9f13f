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
  const SweepStack* stack = spec.stack.get();
  ReplayedTeardown r{points[point_index], points[point_index].scenario(spec.base, stack), {}, {}};
  std::vector<SegmentFault> fates;
  r.outcome = run_teardown(r.scenario, r.point, spec.seed, point_index, index, &fates, stack);
  r.scenario.faults = fates;
  r.text = write_scenario(
      r.scenario,
      "Teardown " + std::to_string(index) + " of point " + std::to_string(point_index) + " (" +
          r.point.key() + ") of a sweep, seed " + std::to_string(spec.seed) + ": " +
          outcome_names(r.outcome) + ".\nEvery fate the sweep drew is a fault line below." +
          (stack
               ? "\n" + stack->name + " played " + name_of(stack->sides) +
                     ": fincheck run FILE --impl " + stack->name + " --as " + name_of(stack->sides)
               : std::string()));
  // Played back from the text, as `fincheck run` will.
  const Scenario again = parse_scenario(r.text, "replayed teardown");
  if (play_teardown(again, nullptr, stack) != r.outcome)
    throw std::logic_error("teardown " + std::to_string(index) + " of point " +
                           std::to_string(point_index) +
                           " does not play back to the outcome the sweep counted");
  return r;
}

}  // namespace fincheck::research
