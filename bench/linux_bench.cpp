// Checked teardowns of the running kernel per minute of wall time: the loop
// `fincheck validate --impl linux` runs, generated cases with the kernel as
// a and as b, as many at once as the argument says (one thread and TUN
// device each). Real time is the measure: a case lives through the kernel's
// timers. Needs root; without it the benchmark says why and skips.
#include <benchmark/benchmark.h>

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
  for (auto _ : state) {
    const ValidationReport r = validate(generated_cases(*stack, 1, cases), cases, *stack, {},
                                        {Playing::A, Playing::B}, at_once);
    runs += r.runs;
    if (r.stack_failed()) state.SkipWithError("the lab fell behind or the kernel failed");
  }
  state.SetItemsProcessed(runs);
  state.counters["teardowns_per_minute"] =
      benchmark::Counter(runs * 60.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CheckedKernelTeardowns)
    ->Arg(1'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
