// Validated teardowns per second with a stack in another process: the
// Python example (examples/python-stack), started once
// (bench/validated_teardowns.hpp). Wall-clock time is the measure: most of
// it is spent waiting for the other process.
#include <thread>
#include <vector>

#include "bench/validated_teardowns.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_ValidatedExampleStackTeardown(benchmark::State& state) {
  validated_teardowns(state, stack_named("exec:python3 " FINCHECK_SOURCE_DIR
                                         "/examples/python-stack/teardown_stack.py"));
}
BENCHMARK(BM_ValidatedExampleStackTeardown)->UseRealTime();

// The same on N threads, a process each (validate --threads N): 2,000 cases
// per iteration, split among the threads.
void BM_ValidatedExampleStackTeardownOnThreads(benchmark::State& state) {
  const StackUnderTest stack =
      stack_named("exec:python3 " FINCHECK_SOURCE_DIR "/examples/python-stack/teardown_stack.py");
  const auto threads = static_cast<unsigned>(state.range(0));
  constexpr std::uint32_t cases = 2'000;
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (std::uint32_t i = t; i < cases; i += threads) {
          Scenario s = generate_case(1, i, stack.gen).value();
          prepare(stack, s);
          benchmark::DoNotOptimize(validate_case(s, static_cast<Playing>(i % 3), stack));
        }
      });
    for (std::thread& t : pool) t.join();
  }
  state.SetItemsProcessed(state.iterations() * cases);
}
BENCHMARK(BM_ValidatedExampleStackTeardownOnThreads)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
