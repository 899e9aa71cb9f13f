// The timer rules of real stacks, each a profile parameter, tested on and
// off: RFC 6298 RTO estimation with Karn's rule, RFC 8985's tail loss probe,
// the retry budget counted in time (Linux), the delayed ACK of a connection
// that has received no data, Nagle and the MSS, and a ticking clock.
#include <gtest/gtest.h>

#include "tests/endpoint_harness.hpp"

namespace fincheck::testing {
namespace {

model::Parameters plain() {
  model::Parameters p = model::rfc9293_profile();
  p.delayed_ack_us = 0;  // the peer's ACKs are the test's own
  return p;
}

// Sends one data segment at `at`, ACKed by the peer `rtt` later.
void round_trip(EndpointHarness& h, std::int64_t at, std::int64_t rtt, std::uint32_t offset) {
  h.send(at, 1);
  h.expect_sent("P.", h.our(offset));
  h.peer_acks(h.our(offset + 100));
  h.deliver(h.peer_segment(false), at + rtt);
  h.expect_nothing_sent();
}

// RFC 6298 estimation on, never below `rto_min_us`.
model::Parameters estimating(std::int64_t rto_min_us) {
  model::Parameters p = plain();
  p.rto_estimation = true;
  p.rto_min_us = rto_min_us;
  return p;
}

// After a 30 ms round trip of the first segment, the timeout the second one,
// sent at 50 ms, is given.
std::int64_t rto_after_a_round_trip(EndpointHarness& h) {
  round_trip(h, 0, 30 * ms, 1);
  h.send(50 * ms, 1);
  h.expect_sent("P.", h.our(101));
  return *h.deadline(TimerKind::Rto) - 50 * ms;
}

TEST(RtoEstimation, Off_TheRtoStaysFixed) {
  EndpointHarness h(plain());
  EXPECT_EQ(rto_after_a_round_trip(h), 1 * sec);
}

TEST(RtoEstimation, On_TheRtoFollowsTheRoundTrip) {
  EndpointHarness h(estimating(10 * ms));
  // RFC 6298 §2.2: SRTT 30 ms, RTTVAR 15 ms, RTO = 30 + 4 * 15 = 90 ms.
  EXPECT_EQ(rto_after_a_round_trip(h), 90 * ms);
}

TEST(RtoEstimation, On_NeverBelowTheFloor) {
  EndpointHarness h(estimating(200 * ms));
  EXPECT_EQ(rto_after_a_round_trip(h), 200 * ms);
}

TEST(RtoEstimation, On_KarnTakesNoSampleFromARetransmission) {
  EndpointHarness h(estimating(10 * ms));
  h.send(0, 1);
  h.expect_sent("P.", h.our(1));
  h.run_until(1 * sec);
  h.expect_sent("P.", h.our(1));  // retransmitted
  h.peer_acks(h.our(101));
  h.deliver(h.peer_segment(false), 1 * sec + 30 * ms);
  h.send(2 * sec, 1);
  h.expect_sent("P.", h.our(101));
  EXPECT_EQ(h.deadline(TimerKind::Rto), 2 * sec + 1 * sec) << "no sample: the initial RTO";
}

TEST(TailLossProbe, Off_TheFirstRetransmissionIsTheRto) {
  EndpointHarness h(plain());
  h.close(0);
  h.expect_sent("F.", h.our(1));
  EXPECT_FALSE(h.deadline(TimerKind::Probe));
}

TEST(TailLossProbe, On_ProbesTwoRoundTripsAfterTheLastSegment) {
  model::Parameters p = plain();
  p.tail_loss_probe = true;
  EndpointHarness h(p);
  round_trip(h, 0, 30 * ms, 1);
  h.close(100 * ms);
  h.expect_sent("F.", h.our(101));
  // RFC 8985 §7.2: PTO = 2 * SRTT, plus 200 ms with one segment in flight.
  EXPECT_EQ(h.deadline(TimerKind::Probe), 100 * ms + 2 * 30 * ms + 200 * ms);
  h.run_until(100 * ms + 260 * ms);
  h.expect_sent("F.", h.our(101));
  EXPECT_EQ(h.state(), model::State::FinWait1);
}

TEST(RetriesByTime, Off_TheBudgetCountsRetransmissions) {
  model::Parameters p = plain();
  p.retries = 2;
  p.rto_min_us = 200 * ms;
  EndpointHarness h(p);
  h.close(0);
  h.expect_sent("F.", h.our(1));
  h.run_until(1 * sec);
  h.expect_sent("F.", h.our(1));
  h.run_until(3 * sec);
  h.expect_sent("F.", h.our(1));
  h.run_until(7 * sec);
  EXPECT_EQ(h.state(), model::State::Closed) << "two retransmissions, then the abort at 7 s";
}

TEST(RetriesByTime, On_AlwaysRetransmitsOnceFirst) {
  // Linux retransmits_timed_out(): "if (!icsk->icsk_retransmits) return
  // false" -- an RTO longer than the whole budget still retransmits once.
  model::Parameters p = plain();
  p.retries = 0;
  p.rto_min_us = 200 * ms;
  p.retries_by_time = true;
  EndpointHarness h(p);
  h.close(0);
  h.expect_sent("F.", h.our(1));
  h.run_until(1 * sec);
  h.expect_sent("F.", h.our(1));
  EXPECT_EQ(h.state(), model::State::FinWait1);
  h.run_until(3 * sec);
  EXPECT_EQ(h.state(), model::State::Closed);
}

TEST(RetriesByTime, On_TheBudgetIsTheTimeOfTheDoublingsFromTheFloor) {
  model::Parameters p = plain();
  p.retries = 2;
  p.rto_min_us = 200 * ms;
  p.retries_by_time = true;
  // Linux tcp_model_timeout(): (2^(2+1) - 1) * 200 ms = 1.4 s.
  EXPECT_EQ(model::retry_budget_us(p), 1'400 * ms);
  EndpointHarness h(p);
  h.close(0);
  h.expect_sent("F.", h.our(1));
  h.run_until(1 * sec);
  h.expect_sent("F.", h.our(1));  // 1 s < 1.4 s: one retransmission
  h.run_until(3 * sec);
  h.expect_nothing_sent();
  EXPECT_EQ(h.state(), model::State::Closed) << "3 s since the FIN: the budget is spent";
}

TEST(DelayedAckFirst, NoDataYet_TheFirstDelayApplies) {
  model::Parameters p = model::rfc9293_profile();
  p.delayed_ack_first_us = 0;
  EndpointHarness h(p);
  const Seq fin = h.peer_nxt();
  h.deliver(h.peer_segment(true), 10 * ms);
  h.expect_sent(".", h.our(1), fin + 1);  // at once
}

TEST(DelayedAckFirst, AfterData_TheUsualDelayApplies) {
  model::Parameters p = model::rfc9293_profile();
  p.delayed_ack_first_us = 0;
  EndpointHarness h(p);
  h.deliver(h.peer_segment(false, 100), 5 * ms);
  h.expect_sent(".", h.our(1));
  h.deliver(h.peer_segment(true), 10 * ms);
  h.expect_nothing_sent();
  EXPECT_EQ(h.deadline(TimerKind::DelayedAck), 10 * ms + 200 * ms);
}

TEST(Nagle, Off_EveryWriteLeavesAtOnce) {
  EndpointHarness h(plain());
  h.send(0, 1);
  h.expect_sent("P.", h.our(1));
  h.send(1 * ms, 1);
  h.expect_sent("P.", h.our(101));
}

TEST(Nagle, On_AShortWriteWaitsForTheAck) {
  model::Parameters p = plain();
  p.nagle = true;
  EndpointHarness h(p);
  h.send(0, 1);
  h.expect_sent("P.", h.our(1));
  h.send(1 * ms, 2);
  h.expect_nothing_sent();
  h.peer_acks(h.our(101));
  h.deliver(h.peer_segment(false), 20 * ms);
  const Segment both = h.expect_sent("P.", h.our(101));
  EXPECT_EQ(both.len, 200U) << "the held writes coalesce";
}

TEST(Nagle, On_CloseSendsTheHeldDataWithTheFin) {
  model::Parameters p = plain();
  p.nagle = true;
  EndpointHarness h(p);
  h.send(0, 1);
  h.expect_sent("P.", h.our(1));
  h.send(1 * ms, 1);
  h.expect_nothing_sent();
  h.close(2 * ms);
  const Segment fp = h.expect_sent("FP.", h.our(101));
  EXPECT_EQ(fp.len, 100U);
  EXPECT_EQ(h.endpoint().fin_seq(), h.our(201));
}

TEST(Nagle, On_WritesUpToTheMssLeaveTogether) {
  model::Parameters p = plain();
  p.nagle = true;
  p.mss_bytes = 250;
  EndpointHarness h(p);
  h.send(0, 3);  // 300 bytes: one full segment of 250, 50 held
  const Segment full = h.expect_sent("P.", h.our(1));
  EXPECT_EQ(full.len, 250U);
}

TEST(TimerTick, Off_TimersFireAtTheirDeadline) {
  EndpointHarness h(plain());
  h.close(1'234);
  h.expect_sent("F.", h.our(1));
  EXPECT_EQ(h.deadline(TimerKind::Rto), 1'234 + 1 * sec);
}

TEST(TimerTick, On_TimersFireAtTheNextTick) {
  model::Parameters p = plain();
  p.timer_tick_us = 4 * ms;
  EndpointHarness h(p);
  h.close(1'234);
  h.expect_sent("F.", h.our(1));
  EXPECT_EQ(h.deadline(TimerKind::Rto), 1 * sec + 4 * ms);
  EXPECT_EQ(p.timer_tolerance_us(), 4 * ms) << "late by up to a tick is on time";
}

TEST(OrphanTimersFrozen, Off_TimeWaitCountsFromItsEntry) {
  EndpointHarness h(model::rfc9293_profile());
  to_time_wait(h);
  EXPECT_EQ(h.deadline(TimerKind::TimeWait), 30 * ms + 240 * sec);
}

}  // namespace
}  // namespace fincheck::testing
