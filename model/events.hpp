#pragma once
// What the table is fed: one event per thing that happened. Arriving segments
// become events only through the classifier (model/classifier.hpp), which
// fills in every field a guard reads; the table never sees raw segments.
#include <cstdint>
#include <string_view>

namespace fincheck::model {

// What produces an event: an arriving segment, a timer, or the application.
// An observed stack's change of state is matched to rows by it.
enum class Stimulus : std::uint8_t { Segment, Timer, App };

// ---- the application (the socket API) ----------------------------------

// close(): a full close (RFC 9293 §3.10.4). The socket is orphaned: nothing
// reads any more. unread_data: received bytes the application never read,
// which draw a RST instead of a FIN (RFC 2525 §2.17; Linux tcp_close()).
// unread_after_shutdown: the same after shutdown(), when our FIN has gone
// (Parameters::unread_rst_after_shutdown).
struct AppClose {
  static constexpr std::string_view name = "AppClose";
  static constexpr Stimulus stimulus = Stimulus::App;
  bool unread_data = false;
  bool unread_after_shutdown = false;
};

// shutdown(SHUT_WR): a half close. Our FIN goes out; the application still
// reads (RFC 9293 §3.10.4, RFC 1122 §4.2.2.13 "half-duplex close").
struct AppShutdown {
  static constexpr std::string_view name = "AppShutdown";
  static constexpr Stimulus stimulus = Stimulus::App;
};

// close() with SO_LINGER of zero seconds: RFC 9293 §3.10.5 ABORT. rst:
// a RST goes out in CLOSING and LAST-ACK too (Parameters::abort_rst_in_closing);
// keeps_time_wait: TIME-WAIT outlives it (Parameters::abort_keeps_time_wait).
struct AppAbort {
  static constexpr std::string_view name = "AppAbort";
  static constexpr Stimulus stimulus = Stimulus::App;
  bool rst = false;
  bool keeps_time_wait = false;
};

// ---- arriving segments ---------------------------------------------------

// An acceptable segment whose ACK field covers our FIN. orphaned: the
// application has called close(), so FIN-WAIT-2 gets its timeout.
struct AckOfFin {
  static constexpr std::string_view name = "AckOfFin";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  bool orphaned = false;
};

// New text in the window that leaves no FIN to take: acknowledged at once
// (RFC 9293 §3.10.7.4 seventh check), in order or held for reassembly.
struct Text {
  static constexpr std::string_view name = "Text";
  static constexpr Stimulus stimulus = Stimulus::Segment;
};

// New text for an orphaned socket: nothing will read it (RFC 1122
// §4.2.2.13, RFC 2525 §2.17; Linux tcp_rcv_state_process, TCPAbortOnData).
// rst_seq: what the answering RST carries, SEG.ACK or SND.NXT
// (Parameters::orphan_rst_at_snd_nxt); silent: no RST at all
// (Parameters::orphan_data_with_fin_silent).
struct DataAfterClose {
  static constexpr std::string_view name = "DataAfterClose";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  std::uint32_t rst_seq = 0;
  bool silent = false;
};

// The peer's FIN, arriving in order (RCV.NXT reached it). acks_our_fin says
// whether, after this segment's ACK field is processed, our own FIN is
// acknowledged: that separates FIN-WAIT-1 -> CLOSING from -> TIME-WAIT.
struct Fin {
  static constexpr std::string_view name = "Fin";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  bool acks_our_fin = false;
};

// A FIN whose sequence number lies before RCV.NXT: a retransmission or
// duplicate of a FIN already received.
struct FinAgain {
  static constexpr std::string_view name = "FinAgain";
  static constexpr Stimulus stimulus = Stimulus::Segment;
};

// A segment that fails the acceptability test, or whose ACK field lies
// outside [SND.UNA - MAX.SND.WND, SND.NXT] (RFC 9293 §3.10.7.4 first and
// fifth checks, RFC 5961 §5): answered by an ACK, then dropped.
// rate_limited: the answer counts toward RFC 5961 §7's limit (the
// classifier has already suppressed the ones over it); a retransmission of
// the last segment taken is answered outside it.
struct OutOfWindow {
  static constexpr std::string_view name = "OutOfWindow";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  bool rate_limited = true;
};

// A RST in the window but not at RCV.NXT: RFC 5961 §3.2's challenge ACK.
struct RstChallenge {
  static constexpr std::string_view name = "RstChallenge";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  bool rate_limited = true;
};

// A RST whose sequence number is exactly RCV.NXT (RFC 9293 §3.10.7.4, second
// check, as amended by RFC 5961 §3.2).
struct RstInWindow {
  static constexpr std::string_view name = "RstInWindow";
  static constexpr Stimulus stimulus = Stimulus::Segment;
};

// Any segment but a RST arriving where no connection exists (RFC 9293
// §3.10.7.1). The reply is <SEQ=SEG.ACK><CTL=RST>: rst_seq.
struct SegmentWhileClosed {
  static constexpr std::string_view name = "SegmentWhileClosed";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  std::uint32_t rst_seq = 0;
};

// ---- timers ---------------------------------------------------------------

// The retransmission timer expired (RFC 6298 §5.4). budget_left says whether
// the retry budget allows one more retransmission (RFC 9293 §3.8.3, R2).
struct RtoExpired {
  static constexpr std::string_view name = "RtoExpired";
  static constexpr Stimulus stimulus = Stimulus::Timer;
  bool budget_left = true;
};

// The probe timeout of RFC 8985 §7 (tail loss probe) expired before the RTO.
struct ProbeTimeout {
  static constexpr std::string_view name = "ProbeTimeout";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

// The TIME-WAIT timeout (2·MSL, or the profile's fixed length) ran out.
struct TimeWaitExpired {
  static constexpr std::string_view name = "TimeWaitExpired";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

// A segment with ACK reached TIME-WAIT where any such segment restarts it
// (Parameters::time_wait_restarts_on_ack: Linux).
struct AckInTimeWait {
  static constexpr std::string_view name = "AckInTimeWait";
  static constexpr Stimulus stimulus = Stimulus::Segment;
};

// The FIN-WAIT-2 timer of an orphaned socket ran out (Linux tcp_fin_timeout,
// lwIP TCP_FIN_WAIT_TIMEOUT); RFC 9293 has no such timer.
struct FinWait2Timeout {
  static constexpr std::string_view name = "FinWait2Timeout";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

// An idle LAST-ACK ran out: lwIP removes a pcb that has stayed 2·MSL in
// LAST-ACK since its last segment (tcp_slowtmr()); RFC 9293 ends LAST-ACK
// by the retry budget only.
struct LastAckTimeout {
  static constexpr std::string_view name = "LastAckTimeout";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

}  // namespace fincheck::model

#include <variant>

namespace fincheck::model {

// Every event the table can be fed; the order gives each one its index.
using AnyEvent =
    std::variant<AppClose, AppShutdown, AppAbort, AckOfFin, Text, DataAfterClose, Fin, FinAgain,
                 OutOfWindow, RstChallenge, RstInWindow, SegmentWhileClosed, RtoExpired,
                 ProbeTimeout, TimeWaitExpired, FinWait2Timeout, AckInTimeWait, LastAckTimeout>;

inline constexpr std::size_t event_count = std::variant_size_v<AnyEvent>;

template <class Event, std::size_t I = 0>
constexpr std::size_t event_index() {
  static_assert(I < event_count, "not an event of the teardown table");
  if constexpr (std::is_same_v<std::variant_alternative_t<I, AnyEvent>, Event>)
    return I;
  else
    return event_index<Event, I + 1>();
}

std::string_view event_name(const AnyEvent& event);

}  // namespace fincheck::model
