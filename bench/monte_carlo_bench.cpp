// The Monte Carlo inner loop: simulated teardowns per second.
#include <benchmark/benchmark.h>

#include "research/monte_carlo.hpp"

namespace fincheck::research {
namespace {

// One textbook teardown at 1 % loss, fixed 10 ms delays: the loop of
// `fincheck sweep` and `fincheck claims`.
void BM_MonteCarloTeardown(benchmark::State& state) {
  SweepSpec spec;
  spec.loss_ppm = {10'000};
  const SweepPoint point = spec.points().front();
  const Scenario s = point.scenario(spec.base);
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(run_teardown(s, point, 1, 0, i++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MonteCarloTeardown);

// The same with reopen and b's data in flight, delays exponential: the
// heaviest point of `fincheck claims`.
void BM_MonteCarloReopen(benchmark::State& state) {
  SweepSpec spec;
  spec.loss_ppm = {10'000};
  spec.delays = {*DelayDistribution::parse("exp:20s")};
  spec.reopen = {true};
  const SweepPoint point = spec.points().front();
  const Scenario s = point.scenario(spec.base);
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(run_teardown(s, point, 1, 0, i++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MonteCarloReopen);

}  // namespace
}  // namespace fincheck::research

BENCHMARK_MAIN();
