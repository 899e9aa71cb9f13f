// How fast the property suite runs: generated-and-checked cases per second,
// and what one model event costs. Numbers go in the README.
#include <benchmark/benchmark.h>

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "model/machine.hpp"
#include "properties/checker.hpp"

namespace fincheck {
namespace {

// Generate case i and judge it by the whole catalog, as `fincheck check` does.
void BM_GenerateAndCheck(benchmark::State& state) {
  std::uint32_t i = 0;
  for (auto _ : state) {
    const auto s = generate_case(1, i++, {});
    benchmark::DoNotOptimize(judge(s.value(), nullptr, nullptr));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateAndCheck);

// `fincheck check --threads N`: 20,000 cases on N threads, the same report
// for any N (tests: cli.threads_identical_*).
void BM_CheckOnThreads(benchmark::State& state) {
  CheckOptions o;
  o.cases = 20'000;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(run_check(o).cases_run);
  state.SetItemsProcessed(state.iterations() * o.cases);
}
BENCHMARK(BM_CheckOnThreads)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// A scenario file of N distinct `drop` lines, parsed and run: time per line
// stays flat as N grows (it was quadratic: 20k lines 0.24 s, 40k 0.95 s).
void BM_ParseAndRunDistinctDrops(benchmark::State& state) {
  std::string text = "a close at 0ms\nb close after eof 0ms\n";
  for (std::int64_t i = 1; i <= state.range(0); ++i)
    text += "drop b->a " + std::to_string(i) + "\n";
  for (auto _ : state) {
    const Scenario s = parse_scenario(text, "drops.scn");
    Simulation sim(s);
    benchmark::DoNotOptimize(sim.run().segments.size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseAndRunDistinctDrops)
    ->Arg(20'000)
    ->Arg(40'000)
    ->Arg(60'000)
    ->Unit(benchmark::kMillisecond);

void BM_GenerateOnly(benchmark::State& state) {
  std::uint32_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(generate_case(1, i++, {}).value());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateOnly);

// One textbook close with a lost final ACK: simulation and trace only.
void BM_SimulateFinalAckLost(benchmark::State& state) {
  const Scenario s = parse_scenario("a close at 0ms\nb close after eof 300ms\ndrop a->b 2\n", "b");
  for (auto _ : state) {
    Simulation sim(s);
    benchmark::DoNotOptimize(sim.run().segments.size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulateFinalAckLost);

// The same run, judged by the whole catalog.
void BM_SimulateAndJudgeFinalAckLost(benchmark::State& state) {
  const Scenario s = parse_scenario("a close at 0ms\nb close after eof 300ms\ndrop a->b 2\n", "b");
  for (auto _ : state) benchmark::DoNotOptimize(judge(s, nullptr, nullptr));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SimulateAndJudgeFinalAckLost);

// Effects that do nothing: the cost of the Boost.MSM table alone.
class NoEffects final : public model::Effects {
  void send_fin() override {}
  void send_ack() override {}
  void schedule_ack() override {}
  void deliver_eof() override {}
  void retransmit() override {}
  void stop_rto() override {}
  void send_probe() override {}
  void orphan() override {}
  void start_time_wait() override {}
  void start_fin_wait_2_timer() override {}
  void stop_fin_wait_2_timer() override {}
  void report_reset() override {}
  void report_abort() override {}
  void send_rst(std::uint32_t) override {}
  void send_active_rst() override {}
  void ack_unacceptable(bool) override {}
  void delete_tcb() override {}
};

// One event through the table: FinAgain in TIME-WAIT, an internal row that
// leaves the machine where it was.
void BM_ModelEvent(benchmark::State& state) {
  NoEffects effects;
  auto machine = model::reference_table().make(effects, false);
  machine->process(model::AppClose{});
  machine->process(model::AckOfFin{});
  machine->process(model::Fin{true});
  const model::AnyEvent again = model::FinAgain{};
  for (auto _ : state) benchmark::DoNotOptimize(machine->process(again));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ModelEvent);

}  // namespace
}  // namespace fincheck

BENCHMARK_MAIN();
