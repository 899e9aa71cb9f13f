#pragma once
// The seam's endpoint and the oracle of DESIGN.md, "Validating a third-party
// stack". A stack under test plays one side through its driver
// (drivers/driver.hpp), which reports observations only; a shadow reference
// endpoint at that side is fed the same application calls and segments.
// This file turns the observations into the trace: the segments the stack
// emits (decoded, in the scenario's sequence numbers), what its application
// learns, and each change of its state -- named by the rows the shadow took
// between the same two states. The shadow also decides which arriving
// segments were accepted. Nothing here knows a transition of its own.
//
// Clocks. The stack's timers fire on the stack's clock; the shadow's follow
// within the tolerance: the larger of the profile's (timer_granularity,
// timer_tick) and the driver's declared granularity, plus the timer's length
// over the profile's timer_slack divisor.
// - when the stack retransmits, the shadow's retransmission timer fires with
//   it: no sooner than the profile's minimum RTO after the shadow armed it
//   (less the tolerance) -- sooner is a "timer" divergence -- and no later
//   than RTO max allows. RFC 6298 §2 lets a stack derive its RTO from the
//   RTT it measures (lwIP does: tcp_receive()), so between those bounds the
//   profile's RTO is no prediction; `probe` measures the stack's;
// - when the stack's state differs from the shadow's, the shadow's timers
//   that are due within the tolerance fire, earliest first, until the two
//   agree or none is left (TIME-WAIT counted in lwIP's 500 ms ticks ends a
//   little after the model's);
// - a shadow timer overdue by more than the tolerance fires on its own. For
//   the retransmission timer (overdue when even RTO max would have passed)
//   that is a divergence ("timer": the stack has not retransmitted); for any
//   other, the state check that follows shows whether the stack did what the
//   timer does.
// How far each of those firings fell from the shadow's deadline is kept as
// a measured observation (SeamObservations), apart from the verdict.
//
// What is judged, after every call into the stack:
// - "state": the stack's state equals the shadow's;
// - "segment": each segment the stack sent is one the model allows then:
//   * a RST carries the sequence number of a RST the shadow sent in the same
//     instant, and every RST of the shadow's is sent -- judged by that number
//     alone, the one RFC 5961 §3 checks (lwIP also sets ACK on its RSTs);
//   * data and FIN lie within what the shadow has sent, [ISS+1, SND.NXT],
//     a FIN exactly where the shadow's is: a stack may cut the bytes into
//     segments its own way (RFC 9293 §3.7.4: Nagle, coalescing writes, a FIN
//     riding on the last data);
//   * a range below the highest the stack has sent is a retransmission: the
//     shadow must have something unacknowledged, and its retransmission
//     timer fires (once per instant: a stack may resend several segments
//     when its timer goes off);
//   * the ACK field is the shadow's RCV.NXT at some moment of the call, and
//     a bare ACK's sequence number lies in [SND.UNA, SND.NXT].
// A bare ACK the shadow sends and the stack does not is no divergence: ACKs
// are cumulative and may be delayed or ride on later segments (RFC 9293
// §3.8.6.3); every-fin-acked judges the one that matters. A bare ACK the
// stack sends and the shadow does not is allowed by the same rule, and
// counted (SeamObservations::extra_bare_acks).
// - "stack-error": the stack emitted bytes that are no IPv4/TCP packet of
//   the run, or its driver failed (a process that died, hung or spoke
//   malformed frames).
// After its first divergence a shadow stops judging: the two have parted
// ways, and what follows would only repeat it.
#include <memory>
#include <string>
#include <vector>

#include "drivers/driver.hpp"
#include "impl/reference_endpoint.hpp"
#include "impl/simulation.hpp"

namespace fincheck {

struct Divergence {
  std::string kind;  // an invariant id, or "state", "segment", "timer", "stack-error"
  std::string message;
  std::int64_t at_us = 0;
  // Where on the state diagram it happened: the row the model last took at
  // the stack's side before it (-1: none yet), and the state that left.
  int row = -1;
  model::State state = model::State::Established;
};

// What the seam measured that is no verdict: timings inside the tolerance,
// and replies the model would not have sent but allows.
struct SeamObservations {
  std::uint32_t timer_firings = 0;  // shadow timers moved to the stack's moment
  std::int64_t earliest_us = 0;     // the stack's moment less the shadow's deadline: min
  std::int64_t latest_us = 0;       // ... and max
  std::uint32_t extra_bare_acks = 0;
  // How often the shadow took each row of the reference table (indexed by
  // row; as long as the highest row taken).
  std::vector<std::uint64_t> row_hits;
  void add_timing(std::int64_t offset_us);
  void merge(const SeamObservations& o);
};

class ShadowedEndpoint final : public Endpoint, private Wire, private Observer {
 public:
  // `stack` builds the driver under test; `name` names it in messages;
  // `caps` is what it declared. Divergences go to `out` and observations to
  // `seen`, which outlive the endpoint.
  ShadowedEndpoint(const EndpointSetup& setup, const DriverFactory& stack,
                   const StackCapabilities& caps, std::string name, std::vector<Divergence>& out,
                   SeamObservations& seen);
  ~ShadowedEndpoint() override;

  model::State state() const override;
  void app_close(std::int64_t now_us) override { call(now_us, AppOp::Close, 0); }
  void app_shutdown(std::int64_t now_us) override { call(now_us, AppOp::Shutdown, 0); }
  void app_abort(std::int64_t now_us) override { call(now_us, AppOp::Abort, 0); }
  void app_send(std::int64_t now_us, std::uint32_t segments) override {
    call(now_us, AppOp::Send, segments);
  }
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  bool real_clock() const override { return caps_.clock == StackClock::Real; }
  std::int64_t wait_until(std::int64_t until_us) override { return stack_->wait_until(until_us); }
  bool eof_seen() const override { return eof_seen_; }
  std::optional<SeqView> seq_view() const override { return shadow_->seq_view(); }

 private:
  // What the shadow sends goes nowhere; its RSTs are kept for the judging,
  // its bare ACKs counted.
  struct ShadowWire final : Wire {
    std::vector<Seq> rsts;
    std::uint32_t bare_acks = 0;
    void transmit(Side, int, const Segment& seg) override {
      if (seg.flags.rst)
        rsts.push_back(seg.seq);
      else if (seg.seg_len() == 0)
        ++bare_acks;
    }
  };

  void call(std::int64_t now_us, AppOp op, std::uint32_t segments);
  void transmit(Side from, int conn, const Segment& seg) override;  // the stack's, decoded
  // Observer: what the driver reports.
  void emitted(std::int64_t at_us, std::span<const std::uint8_t> packet) override;
  void app_event(std::int64_t at_us, AppOp op, std::uint32_t bytes,
                 const std::string& note) override;
  void settled(std::int64_t at_us) override;
  void stack_error(std::int64_t at_us, const std::string& message) override;

  // Around every call into the stack: the stack's overdue timers first (so
  // that what they send is judged as timer work), then the shadow's.
  void begin(std::int64_t now_us);
  void judge(std::int64_t now_us);
  void judge_segment(std::int64_t now_us, const Segment& seg);
  void reconcile_state(std::int64_t now_us);
  void fire_overdue(std::int64_t now_us);
  void fire_shadow_timer(TimerKind kind, std::int64_t now_us);
  // Records the stack's change of state, if any, by the shadow's rows.
  void record_steps(std::int64_t now_us);
  // When the shadow's `kind` timer is overdue: past its deadline by more
  // than the tolerance (the retransmission timer: see overdue_after()).
  std::optional<std::int64_t> overdue_after(TimerKind kind) const;
  // How far from its deadline the stack's `kind` timer may go off: the
  // tolerance, plus the timer's length over the profile's slack divisor.
  std::int64_t tolerance(TimerKind kind) const;
  void diverge(std::int64_t now_us, std::string kind, const std::string& what);
  std::string who() const;

  Side side_;
  int conn_;
  Trace& trace_;
  Wire& wire_;
  std::string name_;
  StackCapabilities caps_;
  std::vector<Divergence>& out_;
  SeamObservations& seen_;
  std::int64_t tolerance_us_;
  Seq first_seq_;  // ISS + 1
  Trace shadow_trace_;
  ShadowWire shadow_wire_;
  std::unique_ptr<ReferenceEndpoint> shadow_;
  std::unique_ptr<StackDriver> stack_;
  std::uint32_t shift_ = 0;    // the scenario's ISS less the stack's
  std::vector<Segment> sent_;  // by the stack, not yet judged
  Seq stack_sent_end_;         // the highest sequence number the stack has sent, plus one
  Seq rcv_nxt_before_;         // the shadow's, when the call began
  Seq next_byte_;              // of the peer's data, the next the application reads
  std::size_t shadow_steps_seen_ = 0;
  model::State last_state_ = model::State::Established;
  std::int64_t rto_fired_at_ = -1;
  std::int64_t arrival_ = -1;          // the arrival being delivered
  std::int64_t refusable_ = -1;        // index in Trace::app of the call being made
  std::uint32_t taken_segments_ = 0;   // of the write being made, those the stack took
  std::uint32_t stack_bare_acks_ = 0;  // while judging
  std::uint16_t ip_id_ = 0;
  bool in_call_ = false;
  bool eof_seen_ = false;
  bool judging_ = true;
};

}  // namespace fincheck
