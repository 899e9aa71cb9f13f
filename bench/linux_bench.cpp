// Checked teardowns of the running kernel per minute of wall time: the loop
// `fincheck validate --impl linux` runs, generated cases with the kernel as
// a and as b, as many at once as the argument says (one thread and TUN
// device each). Real time is the measure: a case lives through the kernel's
// timers. Needs root; without it the benchmark says why and skips.
#include <benchmark/benchmark.h>

#include <chrono>

#include "properties/validation.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_CheckedKernelTeardowns(benchmark::State& state) {
  std::optional<StackUnderTest> stack;
  try {
    stack = stack_named("linux");
  } catch (const StackUnavailable& e) {
    state.SkipWithError(e.what());
    return;
  }
  const auto at_once = static_cast<unsigned>(state.range(0));
  const std::uint32_t cases = at_once;  // each thread one case per side
  std::uint32_t runs = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const ValidationReport r = validate(generated_cases(*stack, 1, cases), cases, *stack, {},
                                        {Playing::A, Playing::B}, at_once);
    runs += r.runs;
    for (const DivergenceClass& d : r.divergences)
      if (d.kind == stack_error_kind) state.SkipWithError(d.message.c_str());
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  state.SetItemsProcessed(runs);
  state.counters["teardowns_per_minute"] = runs * 60.0 / took.count();
}
BENCHMARK(BM_CheckedKernelTeardowns)
    ->Arg(1'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
