#pragma once
// The loop `fincheck validate` runs, as a benchmark body: a generated case
// per iteration, the stack as a, as b and as both in turn, judged by the
// catalog and the shadow.
#include <benchmark/benchmark.h>

#include "properties/generators.hpp"
#include "properties/validation.hpp"

namespace fincheck {

inline void validated_teardowns(benchmark::State& state, const StackUnderTest& stack) {
  std::uint32_t i = 0;
  for (auto _ : state) {
    Scenario s = generate_case(1, i, stack.gen).value();
    prepare(stack, s);
    benchmark::DoNotOptimize(validate_case(s, static_cast<Playing>(i % 3), stack));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace fincheck
