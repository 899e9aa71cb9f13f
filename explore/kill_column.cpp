#include "explore/kill_column.hpp"

namespace fincheck::explore {

const std::vector<Bounds>& kill_ladder() {
  static const std::vector<Bounds> ladder{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
                                          {1, 1, 0}, {1, 0, 1}, {0, 1, 1}, {2, 2, 0}};
  return ladder;
}

std::string bounds_name(const Bounds& b) {
  return "(" + std::to_string(b.drops) + "," + std::to_string(b.dups) + "," +
         std::to_string(b.delays) + ")";
}

ExploreColumnCell explore_kill(const Mutant& mutant, unsigned threads) {
  ExploreColumnCell cell;
  ExploreOptions options;
  options.mutant = &mutant;
  options.threads = threads;
  for (const Bounds& b : kill_ladder()) {
    options.bounds = b;
    for (const auto& [name, scenario] : textbook_closes()) {
      const ExploreReport r = explore(scenario, options);
      cell.seconds += r.seconds;
      cell.states += r.states;
      if (!r.counterexample) continue;
      cell.kill = ExploreKill{b, name, r.counterexample->property, r.counterexample->depth,
                              r.counterexample->scenario};
      return cell;
    }
  }
  return cell;
}

}  // namespace fincheck::explore
