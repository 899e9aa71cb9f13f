#pragma once
// Guards: one predicate each, combined in the table with Not_. Most read a
// field the classifier or the endpoint filled into the event.
#include <string_view>

namespace fincheck::model {

#define FINCHECK_EVENT_GUARD(Name, field)                             \
  struct Name {                                                       \
    static constexpr std::string_view name = #Name;                   \
    template <class Event, class Fsm, class Source, class Target>     \
    bool operator()(Event const& evt, Fsm&, Source&, Target&) const { \
      return evt.field;                                               \
    }                                                                 \
  }

// RFC 9293 §3.10.7.4, FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this
// segment), then enter TIME-WAIT ... otherwise, enter the CLOSING state".
FINCHECK_EVENT_GUARD(AcksOurFin, acks_our_fin);

// RFC 9293 §3.8.3: retransmit until the R2 threshold, then close.
FINCHECK_EVENT_GUARD(BudgetLeft, budget_left);

// Linux tcp_rcv_state_process(), FIN-WAIT-1: only an orphaned socket (one
// the application close()d) gets the FIN-WAIT-2 timeout; after shutdown()
// the application may wait as long as it likes ("if (!sock_flag(sk,
// SOCK_DEAD)) { ... break; }").
FINCHECK_EVENT_GUARD(Orphaned, orphaned);

// RFC 2525 §2.17 and RFC 1122 §4.2.2.13: close() with received data the
// application never read resets the connection instead of sending a FIN
// (Linux tcp_close(): "data_was_unread").
FINCHECK_EVENT_GUARD(UnreadData, unread_data);

// Linux tcp_close(): "if (data_was_unread) ... tcp_send_active_reset()" in
// whatever state the socket is, after shutdown() too
// (Parameters::unread_rst_after_shutdown); lwIP only in ESTABLISHED and
// CLOSE-WAIT (tcp_close_shutdown()).
FINCHECK_EVENT_GUARD(UnreadAfterShutdown, unread_after_shutdown);

// lwIP tcp_input(): data after close() that brings the FIN into TIME-WAIT
// is dropped with the pcb, no RST (Parameters::orphan_data_with_fin_silent).
FINCHECK_EVENT_GUARD(Silent, silent);

// lwIP tcp_abandon(): the abort sends a RST in CLOSING and LAST-ACK as well
// (Parameters::abort_rst_in_closing).
FINCHECK_EVENT_GUARD(RstOnAbort, rst);

// Linux net/ipv4/tcp_minisocks.c tcp_time_wait(): TIME-WAIT moves to a
// timewait socket and the application's socket is done (tcp_done()), so
// an abort of the descriptor leaves TIME-WAIT running
// (Parameters::abort_keeps_time_wait).
FINCHECK_EVENT_GUARD(KeepsTimeWait, keeps_time_wait);

// RFC 1337 §3: an endpoint that ignores RST in TIME-WAIT cannot be
// "assassinated" by an old RST (Linux net.ipv4.tcp_rfc1337=1).
struct Rfc1337 {
  static constexpr std::string_view name = "Rfc1337";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(Event const&, Fsm& fsm, Source&, Target&) const {
    return fsm.rfc1337();
  }
};

#undef FINCHECK_EVENT_GUARD

}  // namespace fincheck::model
