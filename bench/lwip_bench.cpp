// Validated lwIP teardowns per second (bench/validated_teardowns.hpp).
#include "bench/validated_teardowns.hpp"
#include "stacks/registry.hpp"

namespace fincheck {
namespace {

void BM_ValidatedLwipTeardown(benchmark::State& state) {
  validated_teardowns(state, stack_named("lwip"));
}
BENCHMARK(BM_ValidatedLwipTeardown);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
