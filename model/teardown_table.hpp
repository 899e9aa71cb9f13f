#pragma once
// The TCP connection teardown, RFC 9293 §3.6 and §3.10.7.4, as one Boost.MSM
// transition table. Hold it next to RFC 9293 Figure 5: every arrow from
// ESTABLISHED down is a row here. The reference endpoint, the oracle for
// third-party stacks, `fincheck table` and the mutants all derive from this
// one type.
#include "model/mpl_limits.hpp"

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/euml/operator.hpp>
#include <boost/msm/front/functor_row.hpp>

#include "model/actions.hpp"
#include "model/events.hpp"
#include "model/guards.hpp"
#include "model/states.hpp"

namespace fincheck::model {

using boost::msm::front::ActionSequence_;
using boost::msm::front::none;
using boost::msm::front::Row;
using boost::msm::front::euml::Not_;

template <class... Actions>
using Do = ActionSequence_<boost::mpl::vector<Actions...>>;

// clang-format off
using TeardownTable = boost::mpl::vector<
//      Start         Event                Next          Action                                           Guard
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // RFC 9293 §3.10.4 CLOSE in ESTABLISHED: send FIN, enter FIN-WAIT-1. close() orphans the socket;
  // with unread data it resets instead (RFC 2525 §2.17, Linux tcp_close()).
  Row < Established,  AppClose,            FinWait1,     Do<Orphan, SendFin>,                             Not_<UnreadData>  >,
  Row < Established,  AppClose,            Closed,       SendActiveRst,                                   UnreadData        >,
  Row < Established,  AppShutdown,         FinWait1,     SendFin,                                         none              >,
  // §3.10.5 ABORT in ESTABLISHED: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>".
  Row < Established,  AppAbort,            Closed,       SendActiveRst,                                   none              >,
  // §3.10.7.4 seventh: take the text, acknowledge it.
  Row < Established,  Text,                none,         SendAck,                                         none              >,
  // §3.10.7.4 eighth, ESTABLISHED: "Enter the CLOSE-WAIT state"; the ACK may be delayed (§3.8.6.3).
  Row < Established,  Fin,                 CloseWait,    Do<ScheduleAck, DeliverEof>,                     none              >,
  // §3.10.7.4 first and fifth checks; RFC 5961 §3.2 challenge ACK.
  Row < Established,  OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < Established,  RstChallenge,        none,         AckUnacceptable,                                 none              >,
  // §3.8.3: data still unacknowledged is retransmitted until R2, then the connection is closed.
  Row < Established,  RtoExpired,          none,         Retransmit,                                      BudgetLeft        >,
  Row < Established,  RtoExpired,          Closed,       ReportAbort,                                     Not_<BudgetLeft>  >,
  // RFC 8985 §7.3: the tail loss probe resends the last segment before the RTO.
  Row < Established,  ProbeTimeout,        none,         SendProbe,                                       none              >,
  // §3.10.7.4 second: a RST at RCV.NXT resets the connection; the user hears "connection reset".
  Row < Established,  RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.4 fifth, FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2";
  // only an orphan's FIN-WAIT-2 times out (Linux tcp_rcv_state_process).
  Row < FinWait1,     AckOfFin,            FinWait2,     Do<StopRto, StartFinWait2Timer>,                 Orphaned          >,
  Row < FinWait1,     AckOfFin,            FinWait2,     StopRto,                                         Not_<Orphaned>    >,
  // §3.10.7.4 eighth, FIN-WAIT-1: a FIN that does not ack ours is a simultaneous close: CLOSING.
  Row < FinWait1,     Fin,                 Closing,      SendAck,                                         Not_<AcksOurFin>  >,
  // ... and one that also acks our FIN goes straight to TIME-WAIT.
  Row < FinWait1,     Fin,                 TimeWait,     Do<StopRto, SendAck, StartTimeWait>,             AcksOurFin        >,
  Row < FinWait1,     Text,                none,         SendAck,                                         none              >,
  // RFC 1122 §4.2.2.13: new data for a closed socket draws RST (Linux: TCPAbortOnData).
  Row < FinWait1,     DataAfterClose,      Closed,       SendRst,                                         none              >,
  // close() after shutdown(): the socket becomes an orphan.
  Row < FinWait1,     AppClose,            none,         Orphan,                                          Not_<UnreadAfterShutdown> >,
  Row < FinWait1,     AppClose,            Closed,       SendActiveRst,                                   UnreadAfterShutdown >,
  Row < FinWait1,     AppAbort,            Closed,       SendActiveRst,                                   none              >,
  Row < FinWait1,     OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < FinWait1,     RstChallenge,        none,         AckUnacceptable,                                 none              >,
  Row < FinWait1,     RtoExpired,          none,         Retransmit,                                      BudgetLeft        >,
  Row < FinWait1,     RtoExpired,          Closed,       ReportAbort,                                     Not_<BudgetLeft>  >,
  Row < FinWait1,     ProbeTimeout,        none,         SendProbe,                                       none              >,
  Row < FinWait1,     RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.4 eighth, FIN-WAIT-2: "Enter the TIME-WAIT state. Start the time-wait timer".
  Row < FinWait2,     Fin,                 TimeWait,     Do<StopFinWait2Timer, SendAck, StartTimeWait>,   none              >,
  Row < FinWait2,     Text,                none,         SendAck,                                         none              >,
  Row < FinWait2,     DataAfterClose,      Closed,       SendRst,                                         Not_<Silent>      >,
  // lwIP takes the FIN first, and tcp_abandon() sends no RST from TIME-WAIT.
  Row < FinWait2,     DataAfterClose,      Closed,       none,                                            Silent            >,
  // Linux tcp_close() in FIN-WAIT-2: the orphan's timeout starts at close().
  Row < FinWait2,     AppClose,            none,         Do<Orphan, StartFinWait2Timer>,                  Not_<UnreadAfterShutdown> >,
  Row < FinWait2,     AppClose,            Closed,       SendActiveRst,                                   UnreadAfterShutdown >,
  Row < FinWait2,     AppAbort,            Closed,       SendActiveRst,                                   none              >,
  Row < FinWait2,     OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < FinWait2,     RstChallenge,        none,         AckUnacceptable,                                 none              >,
  // Not in RFC 9293: Linux tcp_fin_timeout and lwIP TCP_FIN_WAIT_TIMEOUT free an orphaned FIN-WAIT-2.
  Row < FinWait2,     FinWait2Timeout,     Closed,       none,                                            none              >,
  Row < FinWait2,     RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.4 fifth, CLOSING: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state".
  Row < Closing,      AckOfFin,            TimeWait,     Do<StopRto, StartTimeWait>,                      none              >,
  // §3.10.7.4 eighth, CLOSING: "Remain in the CLOSING state"; the duplicate is acknowledged (first check).
  Row < Closing,      FinAgain,            none,         SendAck,                                         none              >,
  Row < Closing,      AppClose,            none,         Orphan,                                          none              >,
  // §3.10.5 ABORT in CLOSING, LAST-ACK, TIME-WAIT: "delete the TCB, enter CLOSED state" -- no RST.
  Row < Closing,      AppAbort,            Closed,       none,                                            Not_<RstOnAbort>  >,
  Row < Closing,      AppAbort,            Closed,       SendActiveRst,                                   RstOnAbort        >,
  Row < Closing,      OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < Closing,      RstChallenge,        none,         AckUnacceptable,                                 none              >,
  Row < Closing,      RtoExpired,          none,         Retransmit,                                      BudgetLeft        >,
  Row < Closing,      RtoExpired,          Closed,       ReportAbort,                                     Not_<BudgetLeft>  >,
  Row < Closing,      ProbeTimeout,        none,         SendProbe,                                       none              >,
  Row < Closing,      RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.4 eighth, TIME-WAIT: "Acknowledge it, and restart the 2 MSL timeout".
  Row < TimeWait,     FinAgain,            none,         Do<SendAck, StartTimeWait>,                      none              >,
  Row < TimeWait,     AppClose,            none,         Orphan,                                          none              >,
  Row < TimeWait,     AppAbort,            Closed,       none,                                            Not_<KeepsTimeWait> >,
  Row < TimeWait,     AppAbort,            none,         Orphan,                                          KeepsTimeWait     >,
  Row < TimeWait,     OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  // Linux tcp_timewait_state_process(): any segment with ACK restarts 2 MSL.
  Row < TimeWait,     AckInTimeWait,       none,         StartTimeWait,                                   none              >,
  Row < TimeWait,     RstChallenge,        none,         AckUnacceptable,                                 none              >,
  // §3.6: "When a connection is closed actively, it MUST linger in the TIME-WAIT state for 2xMSL".
  Row < TimeWait,     TimeWaitExpired,     Closed,       none,                                            none              >,
  // §3.10.7.4 second, TIME-WAIT: "enter the CLOSED state" -- unless RFC 1337's fix is on.
  Row < TimeWait,     RstInWindow,         Closed,       none,                                            Not_<Rfc1337>     >,
  Row < TimeWait,     RstInWindow,         none,         none,                                            Rfc1337           >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.4 CLOSE in CLOSE-WAIT: "Queue this request until all preceding SENDs have been segmentized;
  // then send a FIN segment, enter LAST-ACK". The FIN carries the pending ACK.
  Row < CloseWait,    AppClose,            LastAck,      Do<Orphan, SendFin, StartLastAckTimer>,          Not_<UnreadData>  >,
  Row < CloseWait,    AppClose,            Closed,       SendActiveRst,                                   UnreadData        >,
  Row < CloseWait,    AppShutdown,         LastAck,      Do<SendFin, StartLastAckTimer>,                  none              >,
  Row < CloseWait,    AppAbort,            Closed,       SendActiveRst,                                   none              >,
  // §3.10.7.4 eighth, CLOSE-WAIT: "Remain in the CLOSE-WAIT state"; the duplicate is acknowledged.
  Row < CloseWait,    FinAgain,            none,         SendAck,                                         none              >,
  Row < CloseWait,    OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < CloseWait,    RstChallenge,        none,         AckUnacceptable,                                 none              >,
  Row < CloseWait,    RtoExpired,          none,         Retransmit,                                      BudgetLeft        >,
  Row < CloseWait,    RtoExpired,          Closed,       ReportAbort,                                     Not_<BudgetLeft>  >,
  Row < CloseWait,    ProbeTimeout,        none,         SendProbe,                                       none              >,
  Row < CloseWait,    RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.4 fifth, LAST-ACK: "if our FIN is now acknowledged, delete the TCB, enter the CLOSED state".
  Row < LastAck,      AckOfFin,            Closed,       none,                                            none              >,
  // §3.10.7.4 eighth, LAST-ACK: "Remain in the LAST-ACK state"; the duplicate is acknowledged.
  Row < LastAck,      FinAgain,            none,         SendAck,                                         none              >,
  Row < LastAck,      AppClose,            none,         Orphan,                                          none              >,
  Row < LastAck,      AppAbort,            Closed,       none,                                            Not_<RstOnAbort>  >,
  Row < LastAck,      AppAbort,            Closed,       SendActiveRst,                                   RstOnAbort        >,
  Row < LastAck,      OutOfWindow,         none,         AckUnacceptable,                                 none              >,
  Row < LastAck,      RstChallenge,        none,         AckUnacceptable,                                 none              >,
  Row < LastAck,      RtoExpired,          none,         Retransmit,                                      BudgetLeft        >,
  Row < LastAck,      RtoExpired,          Closed,       ReportAbort,                                     Not_<BudgetLeft>  >,
  Row < LastAck,      ProbeTimeout,        none,         SendProbe,                                       none              >,
  // The notes' "connection reset by peer": the passive closer's retransmitted FIN met a closed peer.
  Row < LastAck,      RstInWindow,         Closed,       ReportReset,                                     none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // §3.10.7.1 CLOSED: "all data in the incoming segment is discarded ... a reset is sent in response".
  Row < Closed,       SegmentWhileClosed,  none,         SendRst,                                         none              >,
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
  // Not in RFC 9293: lwIP tcp_slowtmr() removes a pcb idle 2·MSL in LAST-ACK (last, so that the
  // rows above keep their numbers).
  Row < LastAck,      LastAckTimeout,      Closed,       ReportAbort,                                     none              >
//    +--------------+---------------------+--------------+-------------------------------------------------+--------------------+
>;
// clang-format on

}  // namespace fincheck::model
