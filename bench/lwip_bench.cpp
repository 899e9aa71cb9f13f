// Validated lwIP teardowns per second: a generated case, run with lwIP as one
// side and judged by the catalog and the shadow, as `fincheck validate` does.
#include <benchmark/benchmark.h>

#include "impl/adapters/lwip/lwip_endpoint.hpp"
#include "properties/validation.hpp"

namespace fincheck {
namespace {

void BM_ValidatedLwipTeardown(benchmark::State& state) {
  const StackUnderTest lwip{"lwip", lwip::factory()};
  GenOptions gen;
  gen.profile = "lwip";
  gen.profile_parameters_only = true;
  gen.reopen = false;
  std::uint32_t i = 0;
  for (auto _ : state) {
    Scenario s = generate_case(1, i, gen).value();
    s.params.fin_wait_2_timeout_us = 0;
    benchmark::DoNotOptimize(validate_case(s, i % 2 ? Side::A : Side::B, lwip));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidatedLwipTeardown);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
