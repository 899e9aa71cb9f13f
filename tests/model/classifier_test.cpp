// The one classifier, check by check (RFC 9293 §3.10.7, RFC 5961), at every
// boundary of the window and the ACK range, and across the 2^32 wrap. Each
// test builds a TCB by hand and reads what classify() found: no endpoint,
// no clock.
#include <gtest/gtest.h>

#include "model/classifier.hpp"

namespace fincheck::model {
namespace {

constexpr std::uint32_t wnd = 65535;

// Our SND.UNA = SND.NXT = una; the peer's next byte is nxt.
Tcb tcb(std::uint32_t una, std::uint32_t nxt, State state = State::Established) {
  Tcb t;
  t.state = state;
  t.snd_una = Seq(una);
  t.snd_nxt = Seq(una);
  t.rcv_nxt = Seq(nxt);
  t.rcv_wnd = wnd;
  t.max_snd_wnd = wnd;
  return t;
}

Segment seg(std::uint32_t seq, std::uint32_t ack, std::uint32_t len = 0, bool fin = false) {
  Segment s;
  s.seq = Seq(seq);
  s.ack = Seq(ack);
  s.len = len;
  s.flags = Flags{.fin = fin, .ack = true, .psh = len > 0};
  return s;
}

Segment rst(std::uint32_t seq) {
  Segment s;
  s.seq = Seq(seq);
  s.flags.rst = true;
  return s;
}

template <class E>
bool has(const Classification& c) {
  for (std::uint8_t i = 0; i < c.count; ++i)
    if (std::holds_alternative<E>(c.events[i])) return true;
  return false;
}

// Runs each test at plain numbers and with RCV.NXT and SND.NXT just below 2^32.
class Classifier : public ::testing::TestWithParam<std::uint32_t> {
 protected:
  std::uint32_t una() const { return GetParam(); }
  std::uint32_t nxt() const { return GetParam() + 4000; }
};

INSTANTIATE_TEST_SUITE_P(Numbers, Classifier, ::testing::Values(1001U, 0xFFFFFFF0U),
                         [](const auto& info) { return info.param == 1001U ? "Plain" : "Wrap"; });

// ---- CLOSED (§3.10.7.1) ----

TEST_P(Classifier, Closed_Segment_AnsweredByRstAtSegAck) {
  const Classification c = classify(tcb(una(), nxt(), State::Closed), seg(nxt(), una() + 7), 0);
  EXPECT_EQ(c.check, Check::Closed);
  ASSERT_EQ(c.count, 1);
  EXPECT_EQ(std::get<SegmentWhileClosed>(c.events[0]).rst_seq, una() + 7);
}

TEST_P(Classifier, Closed_Rst_Discarded) {
  const Classification c = classify(tcb(una(), nxt(), State::Closed), rst(nxt()), 0);
  EXPECT_EQ(c.count, 0);
}

// ---- RST (second check, RFC 5961 §3.2) ----

TEST_P(Classifier, Rst_AtRcvNxt_Resets) {
  const Classification c = classify(tcb(una(), nxt()), rst(nxt()), 0);
  EXPECT_EQ(c.check, Check::RstExact);
  EXPECT_TRUE(has<RstInWindow>(c));
}

TEST_P(Classifier, Rst_OneAfterRcvNxt_Challenged) {
  const Classification c = classify(tcb(una(), nxt()), rst(nxt() + 1), 0);
  EXPECT_EQ(c.check, Check::RstInexact);
  EXPECT_TRUE(has<RstChallenge>(c));
}

TEST_P(Classifier, Rst_LastInWindow_Challenged) {
  EXPECT_EQ(classify(tcb(una(), nxt()), rst(nxt() + wnd - 1), 0).check, Check::RstInexact);
}

TEST_P(Classifier, Rst_JustPastWindow_Dropped) {
  const Classification c = classify(tcb(una(), nxt()), rst(nxt() + wnd), 0);
  EXPECT_EQ(c.check, Check::RstOutside);
  EXPECT_EQ(c.count, 0);
}

TEST_P(Classifier, Rst_OneBeforeRcvNxt_Dropped) {
  EXPECT_EQ(classify(tcb(una(), nxt()), rst(nxt() - 1), 0).check, Check::RstOutside);
}

// ---- acceptability (first check) ----

TEST_P(Classifier, Ack_AtRcvNxt_Accepted) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt(), una()), 0);
  EXPECT_EQ(c.check, Check::Accepted);
  EXPECT_EQ(c.count, 0);
}

TEST_P(Classifier, Ack_OneBeforeRcvNxt_AnsweredRateLimited) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt() - 1, una()), 0);
  EXPECT_EQ(c.check, Check::Unacceptable);
  ASSERT_TRUE(has<OutOfWindow>(c));
  EXPECT_TRUE(std::get<OutOfWindow>(c.events[0]).rate_limited);
}

TEST_P(Classifier, Ack_LastInWindow_Accepted) {
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt() + wnd - 1, una()), 0).check, Check::Accepted);
}

TEST_P(Classifier, Ack_JustPastWindow_Unacceptable) {
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt() + wnd, una()), 0).check, Check::Unacceptable);
}

TEST_P(Classifier, Data_LastByteAtRcvNxt_Accepted) {
  // The second case of the test: SEG.SEQ+SEG.LEN-1 in the window.
  const Classification c = classify(tcb(una(), nxt()), seg(nxt() - 99, una(), 100), 0);
  EXPECT_EQ(c.check, Check::Accepted);
  EXPECT_TRUE(c.take_text);
  EXPECT_EQ(c.reassembly.rcv_nxt, Seq(nxt() + 1));
  EXPECT_TRUE(has<Text>(c));
}

TEST_P(Classifier, Data_EndingAtRcvNxt_AnsweredOutsideRateLimit) {
  // A retransmission of the last segment taken: our ACK of it was lost.
  const Classification c = classify(tcb(una(), nxt()), seg(nxt() - 100, una(), 100), 0);
  EXPECT_EQ(c.check, Check::Unacceptable);
  ASSERT_TRUE(has<OutOfWindow>(c));
  EXPECT_FALSE(std::get<OutOfWindow>(c.events[0]).rate_limited);
}

TEST_P(Classifier, Unacceptable_WithinRateLimit_Suppressed) {
  Tcb t = tcb(una(), nxt());
  t.oow_ack_interval_us = 500'000;
  t.last_oow_ack_us = 1'000'000;
  const Classification c = classify(t, seg(nxt() - 1, una()), 1'499'999);
  EXPECT_EQ(c.count, 0);
  EXPECT_TRUE(c.rate_limited);
  EXPECT_TRUE(has<OutOfWindow>(classify(t, seg(nxt() - 1, una()), 1'500'000)));
}

// ---- the ACK field (fifth check, RFC 5961 §5) ----

TEST_P(Classifier, NoAckBit_Dropped) {
  Segment s = seg(nxt(), una());
  s.flags.ack = false;
  EXPECT_EQ(classify(tcb(una(), nxt()), s, 0).check, Check::NoAck);
}

TEST_P(Classifier, AckAboveSndNxt_AnsweredAndDropped) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt(), una() + 1, 0, true), 0);
  EXPECT_EQ(c.check, Check::AckUnsent);
  EXPECT_TRUE(has<OutOfWindow>(c));
  EXPECT_FALSE(has<Fin>(c)) << "the segment is dropped, its FIN with it";
}

TEST_P(Classifier, AckAtOldestEdge_Accepted) {
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt(), una() - wnd), 0).check, Check::Accepted);
}

TEST_P(Classifier, AckBelowOldestEdge_AnsweredAndDropped) {
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt(), una() - wnd - 1), 0).check, Check::AckTooOld);
}

TEST_P(Classifier, FinWait1_AckOfFinExactly_AcksOurFin) {
  Tcb t = tcb(una(), nxt(), State::FinWait1);
  t.fin_seq = Seq(una());
  t.snd_nxt = Seq(una() + 1);
  const Classification c = classify(t, seg(nxt(), una() + 1), 0);
  EXPECT_TRUE(has<AckOfFin>(c));
  EXPECT_EQ(c.ack_to, Seq(una() + 1));
}

TEST_P(Classifier, FinWait1_AckUpToFin_DoesNotAckIt) {
  // SEG.ACK = our FIN's sequence number covers the data before it only.
  Tcb t = tcb(una() - 100, nxt(), State::FinWait1);
  t.snd_nxt = Seq(una() + 1);
  t.fin_seq = Seq(una());
  const Classification c = classify(t, seg(nxt(), una()), 0);
  EXPECT_FALSE(has<AckOfFin>(c));
  EXPECT_EQ(c.ack_to, Seq(una()));
}

TEST_P(Classifier, AckOfFin_Orphan_SaysSo) {
  Tcb t = tcb(una(), nxt(), State::FinWait1);
  t.fin_seq = Seq(una());
  t.snd_nxt = Seq(una() + 1);
  t.orphaned = true;
  const Classification c = classify(t, seg(nxt(), una() + 1), 0);
  ASSERT_TRUE(has<AckOfFin>(c));
  EXPECT_TRUE(std::get<AckOfFin>(c.events[0]).orphaned);
}

// ---- text and FIN (seventh and eighth checks) ----

TEST_P(Classifier, FinInOrder_IsFin) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt(), una(), 0, true), 0);
  ASSERT_TRUE(has<Fin>(c));
  EXPECT_EQ(c.reassembly.rcv_nxt, Seq(nxt() + 1));
  EXPECT_FALSE(has<Text>(c));
}

TEST_P(Classifier, FinWithData_IsOneFin) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt(), una(), 100, true), 0);
  EXPECT_TRUE(has<Fin>(c));
  EXPECT_FALSE(has<Text>(c));
  EXPECT_EQ(c.reassembly.rcv_nxt, Seq(nxt() + 101));
}

TEST_P(Classifier, FinBeyondHole_HeldAsText) {
  const Classification c = classify(tcb(una(), nxt()), seg(nxt() + 100, una(), 0, true), 0);
  EXPECT_FALSE(has<Fin>(c));
  EXPECT_TRUE(has<Text>(c)) << "the hole is acknowledged at once";
  EXPECT_EQ(c.reassembly.rcv_nxt, Seq(nxt()));
}

TEST_P(Classifier, DataFillingHole_TakesHeldFin) {
  Tcb t = tcb(una(), nxt());
  t.held.push_back({Seq(nxt() + 100), 0, true});
  const Classification c = classify(t, seg(nxt(), una(), 100), 0);
  EXPECT_TRUE(has<Fin>(c));
  EXPECT_EQ(c.reassembly.rcv_nxt, Seq(nxt() + 101));
}

TEST_P(Classifier, FinWait1_FinAckingOurFin_IsOneFinThatAcks) {
  Tcb t = tcb(una(), nxt(), State::FinWait1);
  t.fin_seq = Seq(una());
  t.snd_nxt = Seq(una() + 1);
  const Classification c = classify(t, seg(nxt(), una() + 1, 0, true), 0);
  ASSERT_EQ(c.count, 1);
  EXPECT_TRUE(std::get<Fin>(c.events[0]).acks_our_fin);
}

TEST_P(Classifier, Closing_FinRetransmittedAckingOurFin_IsFinAgainOnly) {
  // RFC 9293 drops an unacceptable segment whole, its ACK field with it.
  Tcb t = tcb(una(), nxt(), State::Closing);
  t.fin_seq = Seq(una());
  t.snd_nxt = Seq(una() + 1);
  t.peer_fin_seq = Seq(nxt() - 1);
  const Classification c = classify(t, seg(nxt() - 1, una() + 1, 0, true), 0);
  EXPECT_EQ(c.check, Check::FinAgain);
  ASSERT_EQ(c.count, 1);
  EXPECT_TRUE(std::holds_alternative<FinAgain>(c.events[0]));
  t.ack_of_unacceptable = true;  // lwIP's tcp_receive(): the ACK first
  const Classification lwip = classify(t, seg(nxt() - 1, una() + 1, 0, true), 0);
  ASSERT_EQ(lwip.count, 2);
  EXPECT_TRUE(std::holds_alternative<FinAgain>(lwip.events[0])) << "judged where it arrived";
  EXPECT_TRUE(std::holds_alternative<AckOfFin>(lwip.events[1]));
}

TEST_P(Classifier, CloseWait_Text_Ignored) {
  Tcb t = tcb(una(), nxt(), State::CloseWait);
  t.peer_fin_seq = Seq(nxt() - 1);
  const Classification c = classify(t, seg(nxt(), una(), 100), 0);
  EXPECT_FALSE(c.take_text);
  EXPECT_EQ(c.count, 0);
}

TEST_P(Classifier, Orphan_NewData_DataAfterClose) {
  Tcb t = tcb(una(), nxt(), State::FinWait2);
  t.orphaned = true;
  const Classification c = classify(t, seg(nxt(), una(), 100), 0);
  EXPECT_EQ(c.check, Check::DataAfterClose);
  ASSERT_TRUE(has<DataAfterClose>(c));
  EXPECT_EQ(std::get<DataAfterClose>(c.events[0]).rst_seq, una());
}

TEST_P(Classifier, Orphan_BareFin_IsFin) {
  Tcb t = tcb(una(), nxt(), State::FinWait2);
  t.orphaned = true;
  EXPECT_TRUE(has<Fin>(classify(t, seg(nxt(), una(), 0, true), 0)));
}

// Each mutant of properties/mutants/classifier_mutants.cpp breaks one of
// these boundaries; tests/properties/mutants_test.cpp shows them killed.
TEST_P(Classifier, AckOneAboveSndNxt_IsUnsent) {
  // The upper edge of the ACK range: SEG.ACK = SND.NXT + 1 acknowledges nothing sent.
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt(), una() + 1), 0).check, Check::AckUnsent);
  EXPECT_EQ(classify(tcb(una(), nxt()), seg(nxt(), una()), 0).check, Check::Accepted);
}

TEST(ClassifierNames, EveryCheckHasAName) {
  for (int i = 0; i <= static_cast<int>(Check::Accepted); ++i)
    EXPECT_NE(to_string(static_cast<Check>(i)), "?");
}

}  // namespace
}  // namespace fincheck::model
