// Validated lwIP teardowns per second: a generated case, run with lwIP as a,
// as b and as both in turn, judged by the catalog and the shadow, as
// `fincheck validate` does.
#include <benchmark/benchmark.h>

#include "properties/validation.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_ValidatedLwipTeardown(benchmark::State& state) {
  const StackUnderTest lwip = stack_named("lwip");
  std::uint32_t i = 0;
  for (auto _ : state) {
    Scenario s = generate_case(1, i, lwip.gen).value();
    prepare(lwip, s);
    benchmark::DoNotOptimize(validate_case(s, static_cast<Playing>(i % 3), lwip));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidatedLwipTeardown);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
