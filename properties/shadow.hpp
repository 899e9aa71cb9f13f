#pragma once
// The oracle of DESIGN.md, "Validating a third-party stack": a shadow
// reference endpoint, fed the application calls and segments the stack
// under test is fed, judges every segment the stack emits and every state it
// reaches. The shadow runs the reference table; nothing here knows a
// transition of its own.
//
// Clocks. The stack's timers fire on the stack's clock; the shadow's follow
// within the profile's tolerance (`timer_granularity`):
// - when the stack retransmits, the shadow's retransmission timer fires with
//   it, however early or late up to RTO max: RFC 6298 §2 lets a stack derive
//   its RTO from the RTT it measures (lwIP does: tcp_receive()), so the
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
// §3.8.6.3); every-fin-acked judges the one that matters.
// After its first divergence a shadow stops judging: the two have parted
// ways, and what follows would only repeat it.
#include <memory>
#include <string>
#include <vector>

#include "impl/reference_endpoint.hpp"
#include "impl/simulation.hpp"

namespace fincheck {

struct Divergence {
  std::string kind;  // an invariant id, or "state", "segment", "timer"
  std::string message;
};

class ShadowedEndpoint final : public Endpoint, private Wire {
 public:
  // `stack` builds the endpoint under test; `name` names it in messages;
  // divergences go to `out`, which outlives the endpoint.
  ShadowedEndpoint(const EndpointSetup& setup, const EndpointFactory& stack, std::string name,
                   std::vector<Divergence>& out);

  model::State state() const override { return stack_->state(); }
  void app_close(std::int64_t now_us) override;
  void app_shutdown(std::int64_t now_us) override;
  void app_abort(std::int64_t now_us) override;
  void app_send(std::int64_t now_us, std::uint32_t segments) override;
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  bool eof_seen() const override { return stack_->eof_seen(); }
  std::optional<SeqView> seq_view() const override { return shadow_->seq_view(); }

 private:
  // What the shadow sends goes nowhere; its RSTs are kept for the judging.
  struct ShadowWire final : Wire {
    std::vector<Seq> rsts;
    void transmit(Side, int, const Segment& seg) override {
      if (seg.flags.rst) rsts.push_back(seg.seq);
    }
  };

  void transmit(Side from, int conn, const Segment& seg) override;  // the stack's
  // Around every call into the stack: the stack's overdue timers first (so
  // that what they send is judged as timer work), then the shadow's.
  void begin(std::int64_t now_us);
  void judge(std::int64_t now_us);
  void judge_segment(std::int64_t now_us, const Segment& seg);
  void reconcile_state(std::int64_t now_us);
  void fire_overdue(std::int64_t now_us);
  // When the shadow's `kind` timer is overdue: past its deadline by more
  // than the tolerance (the retransmission timer: see overdue_after()).
  std::optional<std::int64_t> overdue_after(TimerKind kind) const;
  void diverge(std::int64_t now_us, std::string kind, const std::string& what);
  std::string who() const;

  Side side_;
  Wire& wire_;
  std::string name_;
  std::vector<Divergence>& out_;
  std::int64_t tolerance_us_;
  Seq first_seq_;  // ISS + 1
  Trace shadow_trace_;
  ShadowWire shadow_wire_;
  std::unique_ptr<ReferenceEndpoint> shadow_;
  std::unique_ptr<Endpoint> stack_;
  std::vector<Segment> sent_;  // by the stack, not yet judged
  Seq stack_sent_end_;         // the highest sequence number the stack has sent, plus one
  Seq rcv_nxt_before_;         // the shadow's, when the call began
  std::int64_t rto_fired_at_ = -1;
  bool judging_ = true;
};

}  // namespace fincheck
