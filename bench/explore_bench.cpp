// How fast `fincheck explore` visits states: the five textbook closes
// exhausted at (drops, dups) = (1, 1), (2, 2), (3, 3), on one thread and on
// two. Counters: states (distinct, all five closes), states per second.
// Numbers go in the README beside SPIN's.
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
    for (const auto& [name, scenario] : textbook_closes()) states += explore(scenario, o).states;
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
