// Validated teardowns per second with a stack in another process: the
// Python example (examples/python-stack), started once
// (bench/validated_teardowns.hpp). Wall-clock time is the measure: most of
// it is spent waiting for the other process.
#include "bench/validated_teardowns.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_ValidatedExampleStackTeardown(benchmark::State& state) {
  validated_teardowns(state, stack_named("exec:python3 " FINCHECK_SOURCE_DIR
                                         "/examples/python-stack/teardown_stack.py"));
}
BENCHMARK(BM_ValidatedExampleStackTeardown)->UseRealTime();

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
