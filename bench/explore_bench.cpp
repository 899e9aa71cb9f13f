// How fast `fincheck explore` visits states: the textbook closes exhausted
// at (drops, dups) = (1, 1), (2, 2), (3, 3), on one thread and on two.
// Counters: states (distinct, over the closes), states per second. At
// (3, 3) the two half-closes are left out: half-close-data's frontier
// outgrows 10 GB there. Numbers go in the README.
#include <benchmark/benchmark.h>

#include "explore/explorer.hpp"

namespace fincheck::explore {
namespace {

void BM_ExploreTextbookCloses(benchmark::State& state) {
  ExploreOptions o;
  o.bounds.drops = o.bounds.dups = static_cast<std::uint32_t>(state.range(0));
  o.threads = static_cast<unsigned>(state.range(1));
  std::uint64_t states = 0;
  for (auto _ : state) {
    states = 0;
    for (const auto& [name, scenario] : textbook_closes())
      if (o.bounds.drops < 3 || name.rfind("half-close", 0) != 0)
        states += explore(scenario, o).states;
  }
  state.counters["states"] = static_cast<double>(states);
  state.counters["states_per_s"] =
      benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ExploreTextbookCloses)
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({2, 2})
    ->Args({3, 1})
    ->Args({3, 2})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fincheck::explore

BENCHMARK_MAIN();
