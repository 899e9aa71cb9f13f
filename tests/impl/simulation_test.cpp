// The deterministic network: numbering, fates, determinism, the 2^32 wrap.
#include <gtest/gtest.h>

#include "model/events.hpp"

#include "impl/scenario_io.hpp"
#include "impl/simulation.hpp"
#include "impl/trace_json.hpp"

namespace fincheck {
namespace {

Trace run_text(const std::string& text) {
  const Scenario s = parse_scenario(text, "t.scn");
  Simulation sim(s);
  return sim.run();
}

TEST(Simulation, SamePlanGivesTheSameTraceTwice) {
  const std::string text =
      "a close at 0ms\nb send 2 at 1ms\nb close after eof 5ms\n"
      "drop a->b 1\ndelay b->a 1 400ms\ndup b->a 2 10ms\n";
  const Trace first = run_text(text);
  const Trace second = run_text(text);
  EXPECT_EQ(segments_json(first).dump(), segments_json(second).dump());
  EXPECT_EQ(transitions_json(first).dump(), transitions_json(second).dump());
  EXPECT_EQ(timers_json(first).dump(), timers_json(second).dump());
  EXPECT_GT(first.segments.size(), 4U);
}

TEST(Simulation, NumbersSegmentsPerDirectionWithRetransmissions) {
  const Trace t = run_text("a close at 0ms\nb close after eof 300ms\ndrop a->b 1\n");
  // a's FIN is lost; its retransmission after the 1 s RTO is a->b #2.
  ASSERT_GE(t.segments.size(), 2U);
  EXPECT_EQ(t.segments[0].n, 1U);
  EXPECT_EQ(t.segments[0].fate, Fate::Dropped);
  EXPECT_EQ(t.segments[0].arrival_count, 0);
  EXPECT_EQ(t.segments[1].from, Side::A);
  EXPECT_EQ(t.segments[1].n, 2U);
  EXPECT_EQ(t.segments[1].sent_us, 1'000'000);
  EXPECT_TRUE(t.segments[1].seg.flags.fin);
  EXPECT_EQ(t.segments[1].seg.seq, t.segments[0].seg.seq) << "a retransmission";
}

TEST(Simulation, DuplicateArrivesTwice) {
  const Trace t = run_text("a close at 0ms\ndup a->b 1 7ms\n");
  EXPECT_EQ(t.segments[0].fate, Fate::Duplicated);
  ASSERT_EQ(t.segments[0].arrival_count, 2);
  EXPECT_EQ(t.segments[0].arrivals_us[0], 10'000);
  EXPECT_EQ(t.segments[0].arrivals_us[1], 17'000);
}

TEST(Simulation, EachDuplicateArrivesAfterItsOwnGap) {
  const Trace t = run_text("a close at 0ms\ndup a->b 1 7ms 30ms 31ms\n");
  ASSERT_EQ(t.segments[0].arrival_count, 4);
  EXPECT_EQ(t.segments[0].arrivals_us[1], 17'000);
  EXPECT_EQ(t.segments[0].arrivals_us[2], 40'000);
  EXPECT_EQ(t.segments[0].arrivals_us[3], 41'000);
  std::size_t arrivals = 0;
  for (const ArrivalRecord& a : t.arrivals) arrivals += a.segment == 0 ? 1 : 0;
  EXPECT_EQ(arrivals, 4U);
}

TEST(Simulation, InjectedRstAimsAtTheReceiversRcvNxt) {
  // b's RCV.NXT after a's FIN is a's ISS + 2; the RST lands exactly there
  // and resets b (RFC 5961 §3.2); it is not a segment of a's.
  const Trace t = run_text("a close at 0ms\ninject a->b R seq rcv_nxt at 50ms\n");
  const SegmentRecord* injected = nullptr;
  for (const SegmentRecord& r : t.segments)
    if (r.injected) injected = &r;
  ASSERT_NE(injected, nullptr);
  EXPECT_EQ(injected->n, 0U);
  EXPECT_EQ(injected->seg.seq.raw(), 1002U);
  EXPECT_EQ(injected->sent_us, 50'000);
  bool reset = false;
  for (const StepRecord& s : t.steps)
    reset |= s.endpoint == Side::B && s.cause == model::RstInWindow::name;
  EXPECT_TRUE(reset);
}

TEST(Simulation, InjectedRstOffByOneDrawsAChallengeAck) {
  const Trace t = run_text("a close at 0ms\ninject a->b R seq rcv_nxt+1 at 50ms\n");
  bool challenged = false;
  for (const StepRecord& s : t.steps)
    challenged |= s.endpoint == Side::B && s.cause == model::RstChallenge::name && s.row >= 0;
  EXPECT_TRUE(challenged);
  EXPECT_EQ(t.final_states[1], model::State::CloseWait) << "b still has a connection";
}

TEST(Simulation, ClosesAcrossTheSequenceWrap) {
  // a's FIN takes 0xFFFFFFFF, the last number before the wrap; b's data and
  // FIN start at 0xFFFFFFFE and end past it.
  const Trace t = run_text(
      "set isn_a 4294967294\nset isn_b 4294967293\n"
      "a shutdown at 0ms\nb send 2 at 20ms\nb close after eof 300ms\n");
  EXPECT_EQ(t.final_states[0], model::State::Closed);
  EXPECT_EQ(t.final_states[1], model::State::Closed);
  EXPECT_EQ(t.segments[0].seg.seq.raw(), 0xFFFFFFFFU);
  bool acked_past_wrap = false;
  for (const SegmentRecord& r : t.segments)
    acked_past_wrap |= r.from == Side::A && r.seg.ack.raw() < 1000 && r.seg.ack.raw() > 0;
  EXPECT_TRUE(acked_past_wrap) << "a's ACKs cover b's bytes past 2^32";
  std::uint32_t data_bytes = 0;
  for (const AppRecord& r : t.app)
    if (r.endpoint == Side::A && r.op == AppOp::Data) data_bytes += r.bytes;
  EXPECT_EQ(data_bytes, 200U);
}

TEST(Simulation, ReopensWhenBothSidesAreClosed) {
  const Trace t = run_text("set time_wait 1s\na close at 0ms\nb close after eof 5ms\nreopen\n");
  EXPECT_EQ(t.connections, 2);
  // b's FIN reaches a at 25 ms (b closes 5 ms after EOF at 10 ms); TIME_WAIT lasts 1 s.
  EXPECT_EQ(t.reopened_at_us, 25'000 + 1'000'000);
  EXPECT_EQ(t.final_states[0], model::State::Established);
}

TEST(Simulation, StopsAtItsHorizonWhenNothingEnds) {
  // With no budget and a lost FIN nothing loops forever: the abort ends it.
  const Trace t = run_text("set retries 0\na close at 0ms\ndrop a->b 1\n");
  EXPECT_FALSE(t.cut_off);
  EXPECT_EQ(t.final_states[0], model::State::Closed);
}

}  // namespace
}  // namespace fincheck
