#pragma once
// Actions: one verb each, delegating to the endpoint's Effects. The table
// combines them with ActionSequence_.
#include <string_view>

namespace fincheck::model {

#define FINCHECK_ACTION(Name, call)                                       \
  struct Name {                                                           \
    static constexpr std::string_view name = #Name;                       \
    template <class Event, class Fsm, class Source, class Target>         \
    void operator()(Event const& evt, Fsm& fsm, Source&, Target&) const { \
      (void)evt;                                                          \
      fsm.effects().call;                                                 \
    }                                                                     \
  }

FINCHECK_ACTION(SendFin, send_fin());
FINCHECK_ACTION(SendAck, send_ack());
FINCHECK_ACTION(ScheduleAck, schedule_ack());
FINCHECK_ACTION(DeliverEof, deliver_eof());
FINCHECK_ACTION(Retransmit, retransmit());
FINCHECK_ACTION(SendProbe, send_probe());
FINCHECK_ACTION(Orphan, orphan());
FINCHECK_ACTION(StopRto, stop_rto());
FINCHECK_ACTION(StartTimeWait, start_time_wait());
FINCHECK_ACTION(StartFinWait2Timer, start_fin_wait_2_timer());
FINCHECK_ACTION(StopFinWait2Timer, stop_fin_wait_2_timer());
FINCHECK_ACTION(StartLastAckTimer, start_last_ack_timer());
FINCHECK_ACTION(ReportReset, report_reset());
FINCHECK_ACTION(ReportAbort, report_abort());
// RFC 9293 §3.10.7.1: the reply to a segment with ACK is <SEQ=SEG.ACK><CTL=RST>;
// the classifier puts the number in the event.
FINCHECK_ACTION(SendRst, send_rst(evt.rst_seq));
// RFC 9293 §3.10.5 ABORT and RFC 2525 §2.17: <SEQ=SND.NXT><CTL=RST>.
FINCHECK_ACTION(SendActiveRst, send_active_rst());
// RFC 9293 §3.10.7.4 first and fifth checks, RFC 5961 §3.2 and §5: an ACK
// answers a segment that is then dropped; RFC 5961 §7 counts it.
FINCHECK_ACTION(AckUnacceptable, ack_unacceptable(evt.rate_limited));

#undef FINCHECK_ACTION

}  // namespace fincheck::model
