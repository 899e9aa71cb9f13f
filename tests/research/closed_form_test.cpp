// Estimates checked against closed forms, at a fixed seed.
#include <gtest/gtest.h>

#include <cmath>

#include "research/monte_carlo.hpp"
#include "research/stats.hpp"

namespace fincheck::research {
namespace {

// Without TIME_WAIT and with independent loss p on every segment, the
// passive closer hears "connection reset by peer" exactly when the active
// closer's final ACK is lost (p) and one of the passive closer's m
// retransmitted FINs gets through and so does the RST it draws:
//   P = p * (1 - (1 - (1 - p)^2)^m).
TEST(ClosedForm, ResetWithoutTimeWaitIsTheLossOfTheFinalAck) {
  for (const std::uint32_t ppm : {100'000U, 300'000U}) {
    SweepSpec spec;
    spec.loss_ppm = {ppm};
    spec.time_wait_permille = {0};
    spec.retries = {12};
    spec.samples = 100'000;
    spec.seed = 7;
    const Tally t = run_sweep(spec, 2, Shard{}).front().tally;
    const double p = ppm / 1e6;
    const double expected = p * (1 - std::pow(1 - (1 - p) * (1 - p), 12));
    // A 99.9 % interval: a 95 % one would miss one fixed-seed estimate in
    // twenty by chance alone.
    const Interval i = wilson(t.reset_passive, t.n, 3.2905);
    EXPECT_LE(i.low, expected) << "p = " << p << ": " << i.estimate;
    EXPECT_GE(i.high, expected) << "p = " << p << ": " << i.estimate;
  }
}

TEST(ClosedForm, WithTwoMslNoLossEverResets) {
  SweepSpec spec;
  spec.loss_ppm = {100'000};
  spec.time_wait_permille = {2'000};
  spec.retries = {12};
  spec.samples = 50'000;
  const Tally t = run_sweep(spec, 2, Shard{}).front().tally;
  EXPECT_EQ(t.reset_passive, 0U);
  EXPECT_GT(t.clean, t.n * 9 / 10);
}

// Claim 7's remainder at any TIME_WAIT: the passive closer aborts when
// each of its 1 + R tries -- its FIN there and the ACK back -- fails:
//   P = (1 - (1 - p)^2)^(R + 1), about (2p)^7 for R = 6, not p^7.
TEST(ClosedForm, TheRetryBudgetFailsAtTwoLossesPerTry) {
  for (const std::uint32_t ppm : {200'000U, 300'000U}) {
    SweepSpec spec;
    spec.loss_ppm = {ppm};
    spec.time_wait_permille = {2'000};
    spec.samples = 200'000;
    spec.seed = 5;
    const Tally t = run_sweep(spec, 2, Shard{}).front().tally;
    const double p = ppm / 1e6;
    const Interval i = wilson(t.abort, t.n, 3.2905);
    const double expected = std::pow(1 - (1 - p) * (1 - p), 7);
    EXPECT_LE(i.low, expected) << "p = " << p << ": " << i.estimate;
    EXPECT_GE(i.high, expected) << "p = " << p << ": " << i.estimate;
  }
}

// Claim 7's "two losses in a row": the passive closer's first two tries
// both fail, each when its FIN or the ACK of it is lost, so it sends its
// FIN three times or more: P = (1 - (1 - p)^2)^2, about 4p^2 -- not p^2.
TEST(ClosedForm, TwoLossesInARowAreFourTimesPSquared) {
  SweepSpec spec;
  spec.loss_ppm = {100'000};
  const SweepPoint point = spec.points().front();
  const Scenario s = point.scenario(spec.base);
  std::uint64_t twice = 0;
  constexpr std::uint64_t n = 100'000;
  for (std::uint64_t i = 0; i < n; ++i) twice += run_teardown(s, point, 4, 0, i).passive_fins >= 3;
  const Interval w = wilson(twice, n, 3.2905);
  const double expected = std::pow(1 - 0.9 * 0.9, 2);
  EXPECT_LE(w.low, expected) << w.estimate;
  EXPECT_GE(w.high, expected) << w.estimate;
}

TEST(ClosedForm, ExponentialDelaysHaveTheirMean) {
  Draw d(3);
  const std::int64_t mean = 20'000'000;
  double sum = 0;
  constexpr int n = 200'000;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(d.exponential(mean));
  // Standard error of the mean of an exponential: mean / sqrt(n).
  EXPECT_NEAR(sum / n, static_cast<double>(mean), 4.0 * mean / std::sqrt(n));
}

}  // namespace
}  // namespace fincheck::research
