#pragma once
// Any teardown of a sweep as a scenario file: teardown I of point P with
// every fate the sweep drew for it (loss, delay) written as a fault line,
// so that `fincheck run` plays exactly that teardown again.
#include <cstdint>
#include <string>

#include "impl/scenario.hpp"
#include "research/monte_carlo.hpp"
#include "research/sweep_spec.hpp"

namespace fincheck::research {

struct ReplayedTeardown {
  SweepPoint point;
  Scenario scenario;        // the teardown, its fates as faults
  TeardownOutcome outcome;  // what the sweep counted for it
  std::string text;         // the scenario file, its story in the leading comment
};

// Throws std::out_of_range when the sweep has no such point or teardown, and
// std::logic_error if the file written does not play back to the outcome
// the sweep counted (it always should: the fates are all there is).
ReplayedTeardown replay_teardown(const SweepSpec& spec, std::uint64_t point_index,
                                 std::uint64_t index);

// "reset_passive, passive_time_wait", or "none of the outcomes".
std::string outcome_names(const TeardownOutcome& o);

}  // namespace fincheck::research
