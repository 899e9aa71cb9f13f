// Validated teardowns per second with a stack in another process: the
// Python example (examples/python-stack), started once, a generated case per
// iteration with the stack as a, as b and as both in turn, as `fincheck
// validate --impl exec:...` runs them.
#include <benchmark/benchmark.h>

#include "properties/generators.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_ValidatedExampleStackTeardown(benchmark::State& state) {
  const StackUnderTest stack = stack_named("exec:python3 " FINCHECK_SOURCE_DIR
                                           "/examples/python-stack/teardown_stack.py");
  std::uint32_t i = 0;
  for (auto _ : state) {
    Scenario s = generate_case(1, i, stack.gen).value();
    prepare(stack, s);
    benchmark::DoNotOptimize(validate_case(s, static_cast<Playing>(i % 3), stack));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidatedExampleStackTeardown);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
