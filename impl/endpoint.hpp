#pragma once
// The interface every endpoint plays behind: the reference endpoint, a
// mutant, or a third-party stack under test. The simulator drives it with
// application calls, arriving segments and the passage of virtual time.
#include <cstdint>
#include <memory>
#include <optional>

#include "impl/segment.hpp"
#include "impl/trace.hpp"
#include "model/parameters.hpp"
#include "model/state.hpp"

namespace fincheck {

// Where an endpoint puts the segments it sends.
class Wire {
 public:
  virtual ~Wire() = default;
  virtual void transmit(Side from, int conn, const Segment& seg) = 0;
};

// One side of one connection, as it is born. Both ends start ESTABLISHED:
// the SYNs took ISS and IRS, so SND.NXT = ISS + 1 and RCV.NXT = IRS + 1.
struct ConnectionSetup {
  Side side = Side::A;
  int conn = 1;
  Seq iss;
  Seq irs;
  model::Parameters params;
  // The run the endpoint plays in; both endpoints of a run share it (a stack
  // that plays both sides in one instance tells runs apart by it).
  const void* run = nullptr;
  // The application reads what arrives (false: it never calls read(), so
  // received data stays unread and close() resets, RFC 2525 §2.17).
  bool reads = true;
  // When the connection came to be (0, or the reopen).
  std::int64_t start_us = 0;
};

// An endpoint also records into the trace and sends onto the wire.
struct EndpointSetup : ConnectionSetup {
  Trace* trace = nullptr;
  Wire* wire = nullptr;
};

// An endpoint's sequence variables (RFC 9293 §3.3.1), for a scenario's
// `inject` to aim at: "a RST at b's RCV.NXT".
struct SeqView {
  Seq snd_una;
  Seq snd_nxt;
  Seq rcv_nxt;
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual model::State state() const = 0;
  // close(): full close, the socket is orphaned.
  virtual void app_close(std::int64_t now_us) = 0;
  // shutdown(SHUT_WR): half close, the application still reads.
  virtual void app_shutdown(std::int64_t now_us) = 0;
  // close() with SO_LINGER of zero: RFC 9293 §3.10.5 ABORT.
  virtual void app_abort(std::int64_t now_us) = 0;
  // The application writes `segments` full segments of data.
  virtual void app_send(std::int64_t now_us, std::uint32_t segments) = 0;
  // A segment arrives; `arrival` indexes Trace::arrivals. Returns whether it
  // was accepted (ArrivalRecord::accepted).
  virtual bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) = 0;
  // The earliest timer deadline, if any timer is armed.
  virtual std::optional<std::int64_t> next_deadline() const = 0;
  // Fire every timer due at `now_us`.
  virtual void advance(std::int64_t now_us) = 0;
  // An endpoint on a real clock (a kernel) lives through the time until
  // `until_us`, or less when it has something to report sooner, and returns
  // the moment it woke: the simulator's clock follows it.
  virtual bool real_clock() const { return false; }
  virtual std::int64_t wait_until(std::int64_t until_us) { return until_us; }
  virtual bool eof_seen() const = 0;
  // Where its sequence numbers stand, if the endpoint can tell.
  virtual std::optional<SeqView> seq_view() const = 0;
};

// The application's call `op` (Close, Shutdown, Abort or Send) on `e`.
inline void make_call(Endpoint& e, std::int64_t now_us, AppOp op, std::uint32_t segments) {
  switch (op) {
    case AppOp::Close:
      return e.app_close(now_us);
    case AppOp::Shutdown:
      return e.app_shutdown(now_us);
    case AppOp::Abort:
      return e.app_abort(now_us);
    default:
      return e.app_send(now_us, segments);
  }
}

// Whether the application may make call `op` (Close, Shutdown, Abort or Send)
// in state `s`. RFC 9293 §3.10.2 and §3.10.4: SEND or CLOSE after CLOSE is
// "connection closing"; after a reset or abort there is no connection. A
// socket that was closed takes no call at all; one shut for writing still
// closes.
inline bool call_allowed(model::State s, bool fd_closed, bool shut_wr, AppOp op) {
  const bool open = s == model::State::Established || s == model::State::CloseWait;
  const bool allowed = !fd_closed && s != model::State::Closed;
  if (op == AppOp::Send || op == AppOp::Shutdown) return allowed && open && !shut_wr;
  return allowed;
}

}  // namespace fincheck
