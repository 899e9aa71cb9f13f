// Every row of the teardown table, driven through the reference endpoint:
// one case per (state, stimulus), named <State>_<Stimulus>_<Outcome>, each
// checking the next state and what the row's action put on the wire or the
// timers. The last test proves that together they fire every row.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "tests/endpoint_harness.hpp"

namespace fincheck::testing {
namespace {

using model::State;

struct RowCase {
  std::string name;
  std::function<void(EndpointHarness&)> drive;
  std::function<model::Parameters()> params = model::rfc9293_profile;
  bool half_close = false;  // the fixtures close with shutdown()
  bool reads = true;        // false: the application never reads
};

// The harness holds pointers into itself: made in place, never moved.
std::unique_ptr<EndpointHarness> harness_for(const RowCase& c) {
  auto h = std::make_unique<EndpointHarness>(c.params(), model::reference_table(),
                                             EndpointHarness::our_iss, EndpointHarness::peer_iss,
                                             c.reads);
  h->half_close = c.half_close;
  return h;
}

void PrintTo(const RowCase& c, std::ostream* os) { *os << c.name; }

void expect_step(const EndpointHarness& h, State from, std::string_view cause, State to) {
  const StepRecord& s = h.last_step();
  EXPECT_EQ(s.from, from);
  EXPECT_EQ(s.cause, cause);
  EXPECT_EQ(s.to, to) << "expected " << model::to_string(to) << ", got " << model::to_string(s.to);
  EXPECT_GE(s.row, 0) << "no row of the table matched";
}

// The RST a peer would send to reset us: <SEQ=RCV.NXT><CTL=RST>.
Segment rst_at(Seq seq) {
  Segment s;
  s.seq = seq;
  s.flags.rst = true;
  return s;
}

model::Parameters with_retries(std::uint32_t n) {
  model::Parameters p = model::rfc9293_profile();
  p.retries = n;
  return p;
}

// The rfc9293 profile with one of its on/off parameters turned on.
std::function<model::Parameters()> with_on(bool model::Parameters::*flag) {
  return [flag] {
    model::Parameters p = model::rfc9293_profile();
    p.*flag = true;
    return p;
  };
}

// RFC 9293 §3.10.7.4 first check: an unacceptable segment is answered by
// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped.
void answers_stale_ack(EndpointHarness& h, State in, Seq snd_nxt) {
  h.deliver(h.peer_stale_ack(), h.now() + 1 * ms);
  h.expect_sent(".", snd_nxt, h.peer_nxt());
  expect_step(h, in, "OutOfWindow", in);
}

// RFC 5961 §3.2: a RST in the window but not at RCV.NXT draws a challenge ACK.
void challenges_rst(EndpointHarness& h, State in, Seq snd_nxt) {
  h.deliver(rst_at(h.peer_nxt() + 1), h.now() + 1 * ms);
  h.expect_sent(".", snd_nxt, h.peer_nxt());
  expect_step(h, in, "RstChallenge", in);
}

// RFC 9293 §3.10.5 ABORT in ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT:
// <SEQ=SND.NXT><CTL=RST>, then CLOSED.
void aborts_with_rst(EndpointHarness& h, State in, Seq snd_nxt) {
  h.abort(h.now() + 1 * ms);
  h.expect_sent("R", snd_nxt);
  expect_step(h, in, "AppAbort", State::Closed);
  EXPECT_FALSE(h.endpoint().next_deadline());
}

// ... and in CLOSING, LAST-ACK, TIME-WAIT: no RST, only CLOSED.
void aborts_silently(EndpointHarness& h, State in) {
  h.abort(h.now() + 1 * ms);
  h.expect_nothing_sent();
  expect_step(h, in, "AppAbort", State::Closed);
}

// close() after shutdown() with data taken and never read: RST at SND.NXT
// (RFC 9293 §3.10.5), CLOSED (Parameters::unread_rst_after_shutdown).
void resets_unread_after_shutdown(EndpointHarness& h, State in) {
  h.deliver(h.peer_segment(false, 100), h.now() + 1 * ms);
  h.expect_sent(".", h.our(2), h.peer_nxt());
  h.close(h.now() + 2 * ms);
  h.expect_sent("R", h.our(2));
  expect_step(h, in, "AppClose", State::Closed);
}

// close() after shutdown(): the socket is orphaned, nothing is sent.
void orphans(EndpointHarness& h, State in) {
  h.close(h.now() + 1 * ms);
  h.expect_nothing_sent();
  expect_step(h, in, "AppClose", in);
}

// Expires the RTO once more than the budget allows: abort, CLOSED.
void exhaust_rto(EndpointHarness& h, State from) {
  h.run_until(h.now() + 10 * sec);
  expect_step(h, from, "RtoExpired", State::Closed);
  ASSERT_FALSE(h.trace().app.empty());
  EXPECT_EQ(h.trace().app.back().op, AppOp::TimedOut);
}

void reset_by_peer(EndpointHarness& h, State from) {
  h.deliver(rst_at(h.peer_nxt()), h.now() + 1 * ms);
  h.expect_nothing_sent();
  expect_step(h, from, "RstInWindow", State::Closed);
  EXPECT_FALSE(h.endpoint().next_deadline()) << "CLOSED keeps no timer";
}

std::vector<RowCase> row_cases() {
  return {
      // ---- ESTABLISHED ----
      {"Established_AppClose_SendsFinEntersFinWait1",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         expect_step(h, State::Established, "AppClose", State::FinWait1);
         EXPECT_EQ(h.deadline(TimerKind::Rto), 1 * sec);
       }},
      {"Established_Fin_DelaysAckEntersCloseWait",
       [](EndpointHarness& h) {
         const Seq fin = h.peer_nxt();
         to_close_wait(h);
         expect_step(h, State::Established, "Fin", State::CloseWait);
         EXPECT_TRUE(h.endpoint().eof_seen());
         h.run_until(10 * ms + 200 * ms);
         h.expect_sent(".", h.our(1), fin + 1);
       }},
      {"Established_RtoWithBudget_RetransmitsData",
       [](EndpointHarness& h) {
         h.send(0, 1);
         h.expect_sent("P.", h.our(1));
         h.run_until(1 * sec);
         h.expect_sent("P.", h.our(1));
         expect_step(h, State::Established, "RtoExpired", State::Established);
         EXPECT_EQ(h.deadline(TimerKind::Rto), 3 * sec) << "the timeout doubles";
       }},
      {"Established_RtoBudgetSpent_Aborts",
       [](EndpointHarness& h) {
         h.send(0, 1);
         h.expect_sent("P.", h.our(1));
         exhaust_rto(h, State::Established);
       },
       [] { return with_retries(0); }},
      {"Established_RstInWindow_Closes",
       [](EndpointHarness& h) {
         reset_by_peer(h, State::Established);
         EXPECT_EQ(h.trace().app.back().op, AppOp::Reset);
       }},
      // ---- FIN-WAIT-1 ----
      {"FinWait1_AckOfFin_EntersFinWait2",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         expect_step(h, State::FinWait1, "AckOfFin", State::FinWait2);
         EXPECT_FALSE(h.deadline(TimerKind::Rto)) << "the RTO stops";
       }},
      {"FinWait1_FinNotAckingOurs_EntersClosing",
       [](EndpointHarness& h) {
         to_closing(h);
         expect_step(h, State::FinWait1, "Fin", State::Closing);
       }},
      {"FinWait1_FinThatAcksOurFin_EntersTimeWait",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.peer_acks(h.our(2));
         const Seq fin = h.peer_nxt();
         h.deliver(h.peer_segment(true), 10 * ms);
         h.expect_sent(".", h.our(2), fin + 1);
         expect_step(h, State::FinWait1, "Fin", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 10 * ms + 240 * sec);
         EXPECT_FALSE(h.deadline(TimerKind::Rto));
       }},
      {"FinWait1_RtoWithBudget_RetransmitsFin",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.run_until(1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::FinWait1, "RtoExpired", State::FinWait1);
       }},
      {"FinWait1_RtoBudgetSpent_Aborts",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         exhaust_rto(h, State::FinWait1);
       },
       [] { return with_retries(0); }},
      // The last retransmission waits last_retransmission_wait, not its
      // backed-off timeout, before the abort (lwIP's slow tick).
      {"FinWait1_RtoBudgetSpent_AbortsAfterTheLastRetransmissionWait",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.run_until(1 * sec);
         h.expect_sent("F.", h.our(1));
         EXPECT_EQ(h.endpoint().deadline_of(TimerKind::Rto), 1 * sec + 300 * ms);
         h.run_until(1 * sec + 300 * ms);
         expect_step(h, State::FinWait1, "RtoExpired", State::Closed);
       },
       [] {
         model::Parameters p = with_retries(1);
         p.last_retransmission_wait_us = 300 * ms;
         return p;
       }},
      {"FinWait1_RstInWindow_Closes",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         reset_by_peer(h, State::FinWait1);
       }},
      // ---- FIN-WAIT-2 ----
      {"FinWait2_Fin_AcksAndEntersTimeWait",
       [](EndpointHarness& h) {
         to_time_wait(h);
         expect_step(h, State::FinWait2, "Fin", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 30 * ms + 240 * sec);
       }},
      {"FinWait2_Timeout_Closes",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         h.run_until(20 * ms + 60 * sec);
         expect_step(h, State::FinWait2, "FinWait2Timeout", State::Closed);
       },
       model::linux_profile},
      {"FinWait2_RstInWindow_Closes",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         reset_by_peer(h, State::FinWait2);
       }},
      {"FinWait1_CloseWithUnreadDataAfterShutdown_ResetsWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         resets_unread_after_shutdown(h, State::FinWait1);
       },
       with_on(&model::Parameters::unread_rst_after_shutdown), true, false},
      {"FinWait2_CloseWithUnreadDataAfterShutdown_ResetsWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         resets_unread_after_shutdown(h, State::FinWait2);
       },
       with_on(&model::Parameters::unread_rst_after_shutdown), true, false},
      {"FinWait2_OrphanFinBeyondRcvNxt_ResetsWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         Segment gap = h.peer_segment(true);
         gap.seq = gap.seq + 100;  // the 100 bytes before it never arrived
         h.deliver(gap, h.now() + 1 * ms);
         h.expect_sent("R", gap.ack);  // RFC 9293 §3.10.7.1: <SEQ=SEG.ACK>
         expect_step(h, State::FinWait2, "DataAfterClose", State::Closed);
       },
       with_on(&model::Parameters::orphan_rst_on_gap)},
      {"FinWait2_OrphanRstInWindowNotExact_ClosesWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         h.deliver(rst_at(h.peer_nxt() + 1), h.now() + 1 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::FinWait2, "RstInWindow", State::Closed);
       },
       with_on(&model::Parameters::orphan_fin_wait_2_any_rst)},
      // ---- CLOSING ----
      {"Closing_AckOfFin_EntersTimeWait",
       [](EndpointHarness& h) {
         to_closing(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_segment(false), 20 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::Closing, "AckOfFin", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 20 * ms + 240 * sec);
       }},
      {"Closing_FinAgain_AcksIt",
       [](EndpointHarness& h) {
         to_closing(h);
         const Segment again = h.peer_fin_again();
         h.deliver(again, 1 * sec);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::Closing, "FinAgain", State::Closing);
       }},
      // A retransmitted FIN that acknowledges ours is unacceptable (it lies
      // below RCV.NXT): RFC 9293 §3.10.7.4 drops it whole...
      {"Closing_FinAgainAckingOurFin_IgnoresTheAck",
       [](EndpointHarness& h) {
         to_closing(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_fin_again(), 1 * sec);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::Closing, "FinAgain", State::Closing);
       }},
      // ... while a stack that takes its ACK first (lwIP) enters TIME-WAIT.
      {"Closing_FinAgainAckingOurFin_TakesTheAckWhenAckOfUnacceptable",
       [](EndpointHarness& h) {
         to_closing(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_fin_again(), 1 * sec);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         // The FIN is acknowledged in CLOSING, where it arrived; TIME-WAIT
         // then starts from the ACK field, once.
         const StepRecord& fin = h.trace().steps[h.trace().steps.size() - 2];
         EXPECT_EQ(fin.from, State::Closing);
         EXPECT_EQ(fin.cause, "FinAgain");
         expect_step(h, State::Closing, "AckOfFin", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 1 * sec + 240 * sec);
       },
       with_on(&model::Parameters::ack_of_unacceptable)},
      {"Closing_RtoWithBudget_RetransmitsFin",
       [](EndpointHarness& h) {
         to_closing(h);
         h.run_until(1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::Closing, "RtoExpired", State::Closing);
       }},
      {"Closing_RtoBudgetSpent_Aborts",
       [](EndpointHarness& h) {
         to_closing(h);
         exhaust_rto(h, State::Closing);
       },
       [] { return with_retries(0); }},
      {"Closing_FinAgainAckingOurs_EntersTimeWaitUnansweredWhenSaid",
       [](EndpointHarness& h) {
         to_closing(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_fin_again(), h.now() + 1 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::Closing, "AckOfFin", State::TimeWait);
       },
       [] {
         model::Parameters p = model::rfc9293_profile();
         p.ack_of_unacceptable = p.fin_again_closes_silently = true;
         return p;
       }},
      {"Closing_RstInWindow_Closes",
       [](EndpointHarness& h) {
         to_closing(h);
         reset_by_peer(h, State::Closing);
       }},
      // ---- TIME-WAIT ----
      {"TimeWait_FinAgain_AcksAndRestarts2Msl",
       [](EndpointHarness& h) {
         to_time_wait(h);
         const Segment again = h.peer_fin_again();
         h.deliver(again, 5 * sec);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::TimeWait, "FinAgain", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 5 * sec + 240 * sec);
       }},
      {"TimeWait_2MslExpires_Closes",
       [](EndpointHarness& h) {
         to_time_wait(h);
         h.run_until(30 * ms + 240 * sec - 1);
         EXPECT_EQ(h.state(), State::TimeWait) << "not a microsecond early";
         h.run_until(30 * ms + 240 * sec);
         expect_step(h, State::TimeWait, "TimeWaitExpired", State::Closed);
       }},
      {"TimeWait_RstInWindow_Closes",
       [](EndpointHarness& h) {
         to_time_wait(h);
         reset_by_peer(h, State::TimeWait);
       }},
      {"TimeWait_RstWithRfc1337_IsIgnored",
       [](EndpointHarness& h) {
         to_time_wait(h);
         h.deliver(rst_at(h.peer_nxt()), 1 * sec);
         h.expect_nothing_sent();
         expect_step(h, State::TimeWait, "RstInWindow", State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 30 * ms + 240 * sec);
       },
       with_on(&model::Parameters::rfc1337)},
      // ---- CLOSE-WAIT ----
      {"CloseWait_AppClose_SendsFinWithAckEntersLastAck",
       [](EndpointHarness& h) {
         to_last_ack(h);
         expect_step(h, State::CloseWait, "AppClose", State::LastAck);
         EXPECT_FALSE(h.deadline(TimerKind::DelayedAck)) << "the ACK rode on the FIN";
       }},
      {"CloseWait_FinAgain_AcksIt",
       [](EndpointHarness& h) {
         to_close_wait(h);
         const Segment again = h.peer_fin_again();
         h.deliver(again, 1 * sec);
         h.expect_sent(".", h.our(1), h.peer_nxt());
         expect_step(h, State::CloseWait, "FinAgain", State::CloseWait);
       }},
      {"CloseWait_RtoWithBudget_RetransmitsData",
       [](EndpointHarness& h) {
         to_close_wait(h);
         h.send(20 * ms, 1);
         h.expect_sent("P.", h.our(1));
         h.run_until(20 * ms + 1 * sec);
         h.expect_sent("P.", h.our(1));
         expect_step(h, State::CloseWait, "RtoExpired", State::CloseWait);
       }},
      {"CloseWait_RtoBudgetSpent_Aborts",
       [](EndpointHarness& h) {
         to_close_wait(h);
         h.send(20 * ms, 1);
         h.expect_sent("P.", h.our(1));
         exhaust_rto(h, State::CloseWait);
       },
       [] { return with_retries(0); }},
      {"CloseWait_RstAtThePeersFin_ClosesWhenSaid",
       [](EndpointHarness& h) {
         to_close_wait(h);
         h.deliver(rst_at(h.peer_nxt() + static_cast<std::uint32_t>(-1)), h.now() + 1 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::CloseWait, "RstInWindow", State::Closed);
       },
       with_on(&model::Parameters::rst_at_peer_fin)},
      {"CloseWait_RstInWindow_Closes",
       [](EndpointHarness& h) {
         to_close_wait(h);
         reset_by_peer(h, State::CloseWait);
       }},
      // ---- LAST-ACK ----
      {"LastAck_AckOfFin_Closes",
       [](EndpointHarness& h) {
         to_closed(h);
         expect_step(h, State::LastAck, "AckOfFin", State::Closed);
         EXPECT_FALSE(h.endpoint().next_deadline());
       }},
      {"LastAck_FinAgain_AcksIt",
       [](EndpointHarness& h) {
         to_last_ack(h);
         const Segment again = h.peer_fin_again();
         h.deliver(again, 100 * ms);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::LastAck, "FinAgain", State::LastAck);
       }},
      {"LastAck_FinAgainAckingOurFin_ClosesWhenAckOfUnacceptable",
       [](EndpointHarness& h) {
         to_last_ack(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_fin_again(), 100 * ms);
         h.expect_sent(".", h.our(2), h.peer_nxt());  // the first check's ACK
         expect_step(h, State::LastAck, "AckOfFin", State::Closed);
       },
       with_on(&model::Parameters::ack_of_unacceptable)},
      {"LastAck_RtoWithBudget_RetransmitsFin",
       [](EndpointHarness& h) {
         to_last_ack(h);
         h.run_until(15 * ms + 1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::LastAck, "RtoExpired", State::LastAck);
       }},
      {"LastAck_RtoBudgetSpent_Aborts",
       [](EndpointHarness& h) {
         to_last_ack(h);
         exhaust_rto(h, State::LastAck);
       },
       [] { return with_retries(0); }},
      {"LastAck_IdleTimeout_ReportsTimedOut",
       [](EndpointHarness& h) {
         to_last_ack(h);
         // lwIP's: counted from the peer's FIN at 10 ms, the last segment
         // before close() (orphan_timers_frozen).
         EXPECT_EQ(h.deadline(TimerKind::LastAck), 10 * ms + 120 * sec);
         h.run_until(10 * ms + 120 * sec);
         expect_step(h, State::LastAck, "LastAckTimeout", State::Closed);
         EXPECT_EQ(h.trace().app.back().op, AppOp::TimedOut);
       },
       [] {
         model::Parameters p = with_retries(100);
         p.last_ack_timeout_us = 120 * sec;
         p.orphan_timers_frozen = true;
         return p;
       }},
      {"LastAck_SegmentAfterShutdown_RestartsIdleTimeout",
       [](EndpointHarness& h) {
         to_last_ack(h);
         EXPECT_EQ(h.deadline(TimerKind::LastAck), 15 * ms + 120 * sec) << "from entry";
         // Not an orphan: every segment that arrives counts (lwIP's pcb->tmr).
         h.deliver(h.peer_fin_again(), 50 * sec);
         EXPECT_EQ(h.deadline(TimerKind::LastAck), 50 * sec + 120 * sec);
       },
       [] {
         model::Parameters p = with_retries(100);
         p.last_ack_timeout_us = 120 * sec;
         return p;
       },
       true},
      {"LastAck_RstInWindow_ClosesAndReportsReset",
       [](EndpointHarness& h) {
         to_last_ack(h);
         reset_by_peer(h, State::LastAck);
         EXPECT_EQ(h.trace().app.back().op, AppOp::Reset) << "connection reset by peer";
       }},
      // ---- socket calls, text, unacceptable segments, probes ----
      {"Established_AppCloseWithUnreadData_SendsRst",
       [](EndpointHarness& h) {
         h.deliver(h.peer_segment(false, 100), 5 * ms);
         h.expect_sent(".", h.our(1), h.peer_nxt());
         h.close(10 * ms);
         h.expect_sent("R", h.our(1));
         expect_step(h, State::Established, "AppClose", State::Closed);
       },
       model::rfc9293_profile, false, false},
      {"Established_AppShutdown_SendsFinEntersFinWait1",
       [](EndpointHarness& h) {
         h.shutdown(0);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::Established, "AppShutdown", State::FinWait1);
       }},
      {"Established_AppAbort_SendsRst",
       [](EndpointHarness& h) { aborts_with_rst(h, State::Established, h.our(1)); }},
      {"Established_Text_AcksAtOnce",
       [](EndpointHarness& h) {
         h.deliver(h.peer_segment(false, 100), 5 * ms);
         h.expect_sent(".", h.our(1), h.peer_nxt());
         expect_step(h, State::Established, "Text", State::Established);
       }},
      {"Established_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) { answers_stale_ack(h, State::Established, h.our(1)); }},
      {"Established_RstInexact_Challenges",
       [](EndpointHarness& h) { challenges_rst(h, State::Established, h.our(1)); }},
      {"Established_ProbeTimeout_ResendsLastSegment",
       [](EndpointHarness& h) {
         h.send(0, 1);
         h.expect_sent("P.", h.our(1));
         h.run_until(1 * sec);
         h.expect_sent("P.", h.our(1));
         expect_step(h, State::Established, "ProbeTimeout", State::Established);
         EXPECT_EQ(h.deadline(TimerKind::Rto), 2 * sec) << "re-armed, not backed off";
       },
       with_on(&model::Parameters::tail_loss_probe)},
      {"FinWait1_AckOfFinAfterShutdown_NoFinWait2Timeout",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         expect_step(h, State::FinWait1, "AckOfFin", State::FinWait2);
         EXPECT_FALSE(h.deadline(TimerKind::FinWait2)) << "only an orphan times out";
       },
       model::linux_profile, true},
      {"FinWait1_Text_AcksAtOnce",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.deliver(h.peer_segment(false, 100), 5 * ms);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::FinWait1, "Text", State::FinWait1);
       },
       model::rfc9293_profile, true},
      {"FinWait1_DataAfterClose_SendsRst",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         const Segment data = h.peer_segment(false, 100);
         h.deliver(data, 5 * ms);
         h.expect_sent("R", data.ack);
         expect_step(h, State::FinWait1, "DataAfterClose", State::Closed);
       }},
      {"FinWait1_AppCloseAfterShutdown_Orphans",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         orphans(h, State::FinWait1);
         const Segment data = h.peer_segment(false, 100);
         h.deliver(data, 5 * ms);
         h.expect_sent("R", data.ack);
       },
       model::rfc9293_profile, true},
      {"FinWait1_AppAbort_SendsRst",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         aborts_with_rst(h, State::FinWait1, h.our(2));
       },
       model::rfc9293_profile, true},
      {"FinWait1_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         answers_stale_ack(h, State::FinWait1, h.our(2));
       }},
      {"FinWait1_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         challenges_rst(h, State::FinWait1, h.our(2));
       }},
      {"FinWait1_ProbeTimeout_ResendsFin",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.run_until(1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::FinWait1, "ProbeTimeout", State::FinWait1);
       },
       with_on(&model::Parameters::tail_loss_probe)},
      {"FinWait2_Text_AcksAtOnce",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         h.deliver(h.peer_segment(false, 100), 25 * ms);
         h.expect_sent(".", h.our(2), h.peer_nxt());
         expect_step(h, State::FinWait2, "Text", State::FinWait2);
       },
       model::rfc9293_profile, true},
      {"FinWait2_DataAfterClose_SendsRst",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         const Segment data = h.peer_segment(false, 100);
         h.deliver(data, 25 * ms);
         h.expect_sent("R", data.ack);
         expect_step(h, State::FinWait2, "DataAfterClose", State::Closed);
       }},
      {"FinWait2_AppCloseAfterShutdown_StartsTimeout",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         orphans(h, State::FinWait2);
         EXPECT_EQ(h.deadline(TimerKind::FinWait2), h.now() + 60 * sec);
       },
       model::linux_profile, true},
      {"FinWait2_AppAbort_SendsRst",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         aborts_with_rst(h, State::FinWait2, h.our(2));
       },
       model::rfc9293_profile, true},
      {"FinWait2_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         answers_stale_ack(h, State::FinWait2, h.our(2));
       }},
      {"FinWait2_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         challenges_rst(h, State::FinWait2, h.our(2));
       }},
      {"Closing_AppCloseAfterShutdown_Orphans",
       [](EndpointHarness& h) {
         to_closing(h);
         orphans(h, State::Closing);
       },
       model::rfc9293_profile, true},
      {"Closing_AppAbort_ClosesWithoutRst",
       [](EndpointHarness& h) {
         to_closing(h);
         aborts_silently(h, State::Closing);
       },
       model::rfc9293_profile, true},
      {"Closing_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_closing(h);
         answers_stale_ack(h, State::Closing, h.our(2));
       }},
      {"Closing_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_closing(h);
         challenges_rst(h, State::Closing, h.our(2));
       }},
      {"Closing_ProbeTimeout_ResendsFin",
       [](EndpointHarness& h) {
         to_closing(h);
         h.run_until(1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::Closing, "ProbeTimeout", State::Closing);
       },
       with_on(&model::Parameters::tail_loss_probe)},
      {"TimeWait_AppCloseAfterShutdown_Orphans",
       [](EndpointHarness& h) {
         to_time_wait(h);
         orphans(h, State::TimeWait);
       },
       model::rfc9293_profile, true},
      {"TimeWait_AppAbort_ClosesWithoutRst",
       [](EndpointHarness& h) {
         to_time_wait(h);
         aborts_silently(h, State::TimeWait);
       },
       model::rfc9293_profile, true},
      {"TimeWait_AppAbort_KeepsTimeWaitWhenSaid",
       [](EndpointHarness& h) {
         to_time_wait(h);
         const auto deadline = h.deadline(TimerKind::TimeWait);
         h.abort(h.now() + 1 * ms);
         h.expect_nothing_sent();
         EXPECT_EQ(h.state(), State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), deadline);
       },
       with_on(&model::Parameters::abort_keeps_time_wait), true},
      {"TimeWait_AckInTimeWait_RestartsTwoMslWhenSaid",
       [](EndpointHarness& h) {
         to_time_wait(h);
         const std::int64_t at = h.now() + 5 * sec;
         h.deliver(h.peer_segment(false), at);  // a bare ACK at RCV.NXT: acceptable
         EXPECT_EQ(h.state(), State::TimeWait);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), at + h.params().time_wait());
       },
       with_on(&model::Parameters::time_wait_restarts_on_ack)},
      {"TimeWait_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_time_wait(h);
         answers_stale_ack(h, State::TimeWait, h.our(2));
       }},
      {"TimeWait_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_time_wait(h);
         challenges_rst(h, State::TimeWait, h.our(2));
       }},
      {"CloseWait_AppCloseWithUnreadData_SendsRst",
       [](EndpointHarness& h) {
         h.deliver(h.peer_segment(false, 100), 5 * ms);
         h.expect_sent(".", h.our(1), h.peer_nxt());
         to_close_wait(h);
         h.close(15 * ms);
         h.expect_sent("R", h.our(1));
         expect_step(h, State::CloseWait, "AppClose", State::Closed);
       },
       model::rfc9293_profile, false, false},
      {"CloseWait_AppShutdown_SendsFinEntersLastAck",
       [](EndpointHarness& h) {
         to_last_ack(h);
         expect_step(h, State::CloseWait, "AppShutdown", State::LastAck);
       },
       model::rfc9293_profile, true},
      {"CloseWait_AppAbort_SendsRst",
       [](EndpointHarness& h) {
         to_close_wait(h);
         aborts_with_rst(h, State::CloseWait, h.our(1));
       }},
      {"CloseWait_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_close_wait(h);
         answers_stale_ack(h, State::CloseWait, h.our(1));
       }},
      {"CloseWait_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_close_wait(h);
         challenges_rst(h, State::CloseWait, h.our(1));
       }},
      {"CloseWait_ProbeTimeout_ResendsData",
       [](EndpointHarness& h) {
         to_close_wait(h);
         h.send(20 * ms, 1);
         h.expect_sent("P.", h.our(1));
         h.run_until(20 * ms + 1 * sec);
         h.expect_sent("P.", h.our(1));
         expect_step(h, State::CloseWait, "ProbeTimeout", State::CloseWait);
       },
       with_on(&model::Parameters::tail_loss_probe)},
      {"LastAck_AppCloseAfterShutdown_Orphans",
       [](EndpointHarness& h) {
         to_last_ack(h);
         orphans(h, State::LastAck);
       },
       model::rfc9293_profile, true},
      {"LastAck_AppAbort_ClosesWithoutRst",
       [](EndpointHarness& h) {
         to_last_ack(h);
         aborts_silently(h, State::LastAck);
       },
       model::rfc9293_profile, true},
      {"LastAck_OutOfWindow_AcksAndDrops",
       [](EndpointHarness& h) {
         to_last_ack(h);
         answers_stale_ack(h, State::LastAck, h.our(2));
       }},
      {"LastAck_RstInexact_Challenges",
       [](EndpointHarness& h) {
         to_last_ack(h);
         challenges_rst(h, State::LastAck, h.our(2));
       }},
      {"LastAck_ProbeTimeout_ResendsFin",
       [](EndpointHarness& h) {
         to_last_ack(h);
         h.run_until(15 * ms + 1 * sec);
         h.expect_sent("F.", h.our(1));
         expect_step(h, State::LastAck, "ProbeTimeout", State::LastAck);
       },
       with_on(&model::Parameters::tail_loss_probe)},
      // lwIP's choices, each a profile parameter (model/parameters.cpp).
      {"FinWait2_DataWithFinAfterClose_ClosesSilentlyWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         h.deliver(h.peer_segment(true, 100), 25 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::FinWait2, "DataAfterClose", State::Closed);
       },
       with_on(&model::Parameters::orphan_data_with_fin_silent)},
      {"FinWait1_DataWithFinAckingOursAfterClose_ClosesSilentlyWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_1(h);
         h.peer_acks(h.our(2));
         h.deliver(h.peer_segment(true, 100), 5 * ms);
         h.expect_nothing_sent();
         expect_step(h, State::FinWait2, "DataAfterClose", State::Closed);
       },
       with_on(&model::Parameters::orphan_data_with_fin_silent)},
      {"FinWait2_DataAfterClose_RstAtSndNxtWhenSaid",
       [](EndpointHarness& h) {
         to_fin_wait_2(h);
         h.deliver(h.peer_segment(false, 100), 25 * ms);
         h.expect_sent("R", h.our(2));
       },
       with_on(&model::Parameters::orphan_rst_at_snd_nxt)},
      {"Closing_AppAbort_SendsRstWhenSaid",
       [](EndpointHarness& h) {
         to_closing(h);
         aborts_with_rst(h, State::Closing, h.our(2));
       },
       with_on(&model::Parameters::abort_rst_in_closing), true},
      {"LastAck_AppAbort_SendsRstWhenSaid",
       [](EndpointHarness& h) {
         to_last_ack(h);
         aborts_with_rst(h, State::LastAck, h.our(2));
       },
       with_on(&model::Parameters::abort_rst_in_closing), true},
      {"TimeWait_OrphanEntry_CountsFromTheLastSegmentBeforeCloseWhenSaid",
       [](EndpointHarness& h) {
         h.deliver(h.peer_segment(false, 100), 5 * ms);  // the last arrival before close()
         h.expect_sent(".", h.our(1), h.peer_nxt());
         h.close(2 * sec);
         h.expect_sent("F.", h.our(1));
         h.peer_acks(h.our(2));
         const Seq fin = h.peer_nxt();
         h.deliver(h.peer_segment(true), 3 * sec);
         h.expect_sent(".", h.our(2), fin + 1);
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 5 * ms + 240 * sec);
       },
       with_on(&model::Parameters::orphan_timers_frozen)},
      // ---- CLOSED ----
      {"Closed_AnySegment_AnswersRstAtSegAck",
       [](EndpointHarness& h) {
         to_closed(h);
         const Segment again = h.peer_fin_again();
         h.deliver(again, 1 * sec);
         // RFC 9293 §3.10.7.1: <SEQ=SEG.ACK><CTL=RST>.
         h.expect_sent("R", again.ack);
         expect_step(h, State::Closed, "SegmentWhileClosed", State::Closed);
       }},
  };
}

class TeardownRow : public ::testing::TestWithParam<RowCase> {};

TEST_P(TeardownRow, DrivesItsRow) {
  const auto h = harness_for(GetParam());
  GetParam().drive(*h);
}

INSTANTIATE_TEST_SUITE_P(Table, TeardownRow, ::testing::ValuesIn(row_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(TeardownTable, EveryRowIsDrivenByACase) {
  std::set<int> fired;
  for (const RowCase& c : row_cases()) {
    const auto h = harness_for(c);
    c.drive(*h);
    for (const StepRecord& s : h->trace().steps) fired.insert(s.row);
  }
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_TRUE(fired.contains(r.index))
        << "row " << r.index << " (" << model::to_string(r.from) << " " << r.event << " -> "
        << model::to_string(r.to) << ") has no case";
  EXPECT_FALSE(fired.contains(-1)) << "some case fed an event no row takes";
}

TEST(TeardownTable, RowsAreUniqueByStartEventNextAndGuard) {
  std::set<std::tuple<State, std::string_view, State, std::string>> keys;
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_TRUE(keys.insert({r.from, r.event, r.to, r.guard}).second) << "row " << r.index;
}

TEST(TeardownTable, ListsRowsAsWritten) {
  // Row 0 is the first line of model/teardown_table.hpp, RFC 9293 §3.10.4.
  const model::RowInfo& first = model::reference_table().rows().front();
  EXPECT_EQ(first.from, State::Established);
  EXPECT_EQ(first.event, "AppClose");
  EXPECT_EQ(first.to, State::FinWait1);
  EXPECT_EQ(first.action, "Orphan, SendFin");
  EXPECT_EQ(first.guard, "!UnreadData");
}

}  // namespace
}  // namespace fincheck::testing
