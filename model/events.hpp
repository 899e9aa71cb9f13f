#pragma once
// What the endpoint feeds the table: one event per thing that happened, after
// the endpoint classified an arriving segment by its sequence numbers
// (RFC 9293 §3.10.7.4) or a timer fired. The table never sees raw segments.
#include <cstdint>
#include <string_view>

namespace fincheck::model {

// What produces an event: an arriving segment, a timer, or the application.
// An observed stack's change of state is matched to rows by it.
enum class Stimulus : std::uint8_t { Segment, Timer, App };

// The application calls close() (RFC 9293 §3.10.4).
struct AppClose {
  static constexpr std::string_view name = "AppClose";
  static constexpr Stimulus stimulus = Stimulus::App;
};

// An acceptable segment whose ACK field covers our FIN.
struct AckOfFin {
  static constexpr std::string_view name = "AckOfFin";
  static constexpr Stimulus stimulus = Stimulus::Segment;
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

// The retransmission timer expired (RFC 6298 §5.4). budget_left says whether
// the retry budget allows one more retransmission (RFC 9293 §3.8.3, R2).
struct RtoExpired {
  static constexpr std::string_view name = "RtoExpired";
  static constexpr Stimulus stimulus = Stimulus::Timer;
  bool budget_left = true;
};

// The TIME-WAIT timeout (2·MSL, or the profile's fixed length) ran out.
struct TimeWaitExpired {
  static constexpr std::string_view name = "TimeWaitExpired";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

// The FIN-WAIT-2 timer of an orphaned socket ran out (Linux tcp_fin_timeout,
// lwIP TCP_FIN_WAIT_TIMEOUT); RFC 9293 has no such timer.
struct FinWait2Timeout {
  static constexpr std::string_view name = "FinWait2Timeout";
  static constexpr Stimulus stimulus = Stimulus::Timer;
};

// A RST whose sequence number is exactly RCV.NXT (RFC 9293 §3.10.7.4, second
// check, as amended by RFC 5961 §3.2).
struct RstInWindow {
  static constexpr std::string_view name = "RstInWindow";
  static constexpr Stimulus stimulus = Stimulus::Segment;
};

// Any segment but a RST arriving where no connection exists (RFC 9293
// §3.10.7.1). Every segment after the handshake carries ACK, so the reply is
// <SEQ=SEG.ACK><CTL=RST>.
struct SegmentWhileClosed {
  static constexpr std::string_view name = "SegmentWhileClosed";
  static constexpr Stimulus stimulus = Stimulus::Segment;
  std::uint32_t seg_ack = 0;
};

}  // namespace fincheck::model

#include <variant>

namespace fincheck::model {

// Every event the table can be fed; the order gives each one its index.
using AnyEvent = std::variant<AppClose, AckOfFin, Fin, FinAgain, RtoExpired, TimeWaitExpired,
                              FinWait2Timeout, RstInWindow, SegmentWhileClosed>;

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
