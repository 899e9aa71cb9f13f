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
};

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

model::Parameters with_ack_of_unacceptable() {
  model::Parameters p = model::rfc9293_profile();
  p.ack_of_unacceptable = true;
  return p;
}

// Expires the RTO once more than the budget allows: abort, CLOSED.
void exhaust_rto(EndpointHarness& h, State from) {
  h.run_until(h.now() + 10 * sec);
  expect_step(h, from, "RtoExpired", State::Closed);
  ASSERT_FALSE(h.trace().app.empty());
  EXPECT_EQ(h.trace().app.back().op, AppOp::Abort);
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
         const StepRecord& ack = h.trace().steps[h.trace().steps.size() - 2];
         EXPECT_EQ(ack.from, State::Closing);
         EXPECT_EQ(ack.to, State::TimeWait);
         EXPECT_EQ(ack.cause, "AckOfFin");
         expect_step(h, State::TimeWait, "FinAgain", State::TimeWait);
       },
       with_ack_of_unacceptable},
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
         EXPECT_EQ(h.deadline(TimerKind::TimeWait), 30 * ms + 60 * sec * 2);
       },
       model::lwip_profile},
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
         h.expect_nothing_sent();
         expect_step(h, State::LastAck, "AckOfFin", State::Closed);
       },
       with_ack_of_unacceptable},
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
      {"LastAck_RstInWindow_ClosesAndReportsReset",
       [](EndpointHarness& h) {
         to_last_ack(h);
         reset_by_peer(h, State::LastAck);
         EXPECT_EQ(h.trace().app.back().op, AppOp::Reset) << "connection reset by peer";
       }},
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
  EndpointHarness h(GetParam().params());
  GetParam().drive(h);
}

INSTANTIATE_TEST_SUITE_P(Table, TeardownRow, ::testing::ValuesIn(row_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(TeardownTable, EveryRowIsDrivenByACase) {
  std::set<int> fired;
  for (const RowCase& c : row_cases()) {
    EndpointHarness h(c.params());
    c.drive(h);
    for (const StepRecord& s : h.trace().steps) fired.insert(s.row);
  }
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_TRUE(fired.contains(r.index))
        << "row " << r.index << " (" << model::to_string(r.from) << " " << r.event << " -> "
        << model::to_string(r.to) << ") has no case";
  EXPECT_FALSE(fired.contains(-1)) << "some case fed an event no row takes";
}

TEST(TeardownTable, RowsAreUniqueByStartEventAndNext) {
  std::set<std::tuple<State, std::string_view, State>> keys;
  for (const model::RowInfo& r : model::reference_table().rows())
    EXPECT_TRUE(keys.insert({r.from, r.event, r.to}).second) << "row " << r.index;
}

TEST(TeardownTable, ListsRowsAsWritten) {
  // Row 0 is the first line of model/teardown_table.hpp, RFC 9293 §3.10.4.
  const model::RowInfo& first = model::reference_table().rows().front();
  EXPECT_EQ(first.from, State::Established);
  EXPECT_EQ(first.event, "AppClose");
  EXPECT_EQ(first.to, State::FinWait1);
  EXPECT_EQ(first.action, "SendFin");
  EXPECT_EQ(first.guard, "none");
}

}  // namespace
}  // namespace fincheck::testing
