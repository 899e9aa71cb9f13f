#pragma once
// The reference endpoint: one teardown table plus what the table does not
// hold -- the TCB (RFC 9293 §3.3.1) that the one classifier reads
// (model/classifier.hpp), the send queue and Nagle (§3.7.4), the
// retransmission queue and timer (RFC 6298, RFC 8985's probe), the delayed
// ACK, the TIME-WAIT and FIN-WAIT-2 deadlines, reassembly and the
// application's view. Every arriving segment goes through classify(); this
// file acts on what it found and never decides an event itself.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "impl/endpoint.hpp"
#include "impl/fingerprint.hpp"
#include "impl/timer.hpp"
#include "model/classifier.hpp"
#include "model/effects.hpp"
#include "model/machine.hpp"

namespace fincheck {

// Bytes in one data segment the application writes.
inline constexpr std::uint32_t data_segment_bytes = 100;
// RCV.WND, fixed: flow control is out of scope.
inline constexpr std::uint32_t receive_window = 65535;

class ReferenceEndpoint final : public Endpoint, private model::Effects {
 public:
  ReferenceEndpoint(const EndpointSetup& setup, const model::TableVariant& table);

  model::State state() const override { return machine_->state(); }
  void app_close(std::int64_t now_us) override;
  void app_shutdown(std::int64_t now_us) override;
  void app_abort(std::int64_t now_us) override;
  void app_send(std::int64_t now_us, std::uint32_t segments) override;
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  bool eof_seen() const override { return eof_seen_; }
  std::optional<SeqView> seq_view() const override {
    return SeqView{tcb_.snd_una, tcb_.snd_nxt, tcb_.rcv_nxt};
  }

  // For the shadow that judges a stack under test (properties/shadow.hpp):
  // the RFC 9293 §3.3.1 variables, our FIN's sequence number once queued,
  // the earliest armed timer, and firing it ahead of its deadline.
  Seq snd_una() const { return tcb_.snd_una; }
  Seq snd_nxt() const { return tcb_.snd_nxt; }
  Seq rcv_nxt() const { return tcb_.rcv_nxt; }
  std::optional<Seq> fin_seq() const { return tcb_.fin_seq; }
  // Where the next byte the application writes goes.
  Seq write_end() const { return tcb_.snd_nxt + unsent_bytes_; }
  std::int64_t rto_us() const { return rto_us_; }  // the current, backed-off timeout
  // When the armed retransmission timer was armed, and its floor: the
  // minimum RTO, or the initial one where a scenario sets it lower (the
  // model then retransmits at that). A stack's retransmission sooner than
  // armed + floor is early (RFC 6298 §2.4).
  struct RtoWindow {
    std::int64_t armed_us;
    std::int64_t floor_us;
  };
  std::optional<RtoWindow> rto_window() const;
  const model::Parameters& params() const { return params_; }
  struct ArmedTimer {
    TimerKind kind;
    std::int64_t deadline_us;
  };
  std::optional<ArmedTimer> next_timer() const;
  std::optional<std::int64_t> deadline_of(TimerKind kind) const;
  // Fires the `kind` timer at `now_us`, whatever its deadline, if armed.
  void fire_timer(TimerKind kind, std::int64_t now_us);

  // For the observer that judges a capture (properties/observer.hpp): the
  // application writes `bytes` (a capture's segments have any length), and
  // another configuration of this endpoint -- every variable, timer and
  // the machine's state copied -- recording into `trace`, sending onto `wire`.
  void app_write(std::int64_t now_us, std::uint32_t bytes);
  std::unique_ptr<ReferenceEndpoint> copy_onto(Trace& trace, Wire& wire) const;
  bool shut_for_writing() const { return shut_wr_; }
  bool app_closed() const { return fd_closed_; }
  // Out-of-order text held for reassembly, which names arrivals of the trace.
  bool holds_text() const { return !tcb_.held.empty(); }

  // For the explorer (explore/explorer.hpp): everything that decides what
  // this endpoint does next, with every time relative to `now_us`, so that
  // the same situation reached at two instants has one fingerprint.
  void fingerprint(Fingerprint& f, std::int64_t now_us) const;

 private:
  ReferenceEndpoint(const ReferenceEndpoint&) = default;

  struct Queued {  // a sent segment awaiting its ACK
    Seq seq;
    std::uint32_t len = 0;
    bool fin = false;
    std::int64_t sent_us = 0;
    bool retransmitted = false;  // Karn: no RTT sample from it
  };

  // Whether the application may make `call` now; records a refusal if not.
  bool app_call(std::int64_t now_us, AppOp call, std::string_view text);
  template <class Due>  // bool(const Timer&, TimerKind)
  void fire_timers(std::int64_t now_us, Due due);

  // Acting on what the classifier found.
  void take_ack(Seq ack);
  void take_text(const Segment& seg, const model::Reassembly& r);
  void deliver_data(Seq from, std::uint32_t bytes, std::int64_t arrival);
  void sample_rtt(std::int64_t rtt_us);
  std::int64_t current_rto() const;
  bool budget_left() const;
  // Where FIN-WAIT-2 and TIME-WAIT count from (Parameters::orphan_timers_frozen).
  std::int64_t timer_base() const;

  void dispatch(const model::AnyEvent& event);
  void transmit(const Segment& seg);
  void push();  // send what the send queue and Nagle allow
  void send_new(std::uint32_t len, bool fin);
  void resend(Queued& q);  // a queued segment once more, ACKing RCV.NXT
  void arm_probe();
  Segment ack_segment() const;

  void set_timer(Timer& t, TimerKind kind, std::int64_t deadline_us);
  void timers_changed();  // after any timer is set, cancelled or fired
  void cancel_timer(Timer& t, TimerKind kind);
  void record_timer(TimerKind kind, TimerOp op, std::int64_t deadline_us);
  void record_app(AppOp op, std::uint32_t bytes = 0, Seq seq = Seq{});

  // model::Effects
  void send_fin() override;
  void send_ack() override;
  void schedule_ack() override;
  void deliver_eof() override;
  void retransmit() override;
  void stop_rto() override;
  void send_probe() override;
  void orphan() override;
  void start_time_wait() override;
  void start_fin_wait_2_timer() override;
  void stop_fin_wait_2_timer() override;
  void start_last_ack_timer() override;
  void report_reset() override;
  void report_abort() override;
  void send_rst(std::uint32_t seq) override;
  void send_active_rst() override;
  void ack_unacceptable(bool rate_limited) override;
  void delete_tcb() override;

  Side side_;
  int conn_;
  model::Parameters params_;
  Trace* trace_;
  Wire* wire_;
  const model::ClassifierRules& rules_;
  // Shared only between copy_onto's copying and its giving the copy a clone.
  std::shared_ptr<model::Machine> machine_;

  std::int64_t now_us_ = 0;
  std::int64_t arrival_ = -1;  // the arrival being processed, for the trace

  model::Tcb tcb_;
  std::vector<std::int64_t> held_arrivals_;  // the arrival of each tcb_.held piece
  std::uint32_t unsent_bytes_ = 0;           // written, not yet sent
  bool fin_pending_ = false;                 // our FIN waits behind unsent data
  std::vector<Queued> retransmission_queue_;

  Timer rto_;
  Timer delayed_ack_;
  Timer time_wait_;
  Timer fin_wait_2_;
  Timer probe_;
  Timer last_ack_;
  std::int64_t earliest_us_ = Timer::unarmed;  // of the five timers above
  std::int64_t rto_us_;
  std::uint32_t retransmissions_ = 0;
  // Linux's retrans_stamp: when the segment first retransmitted was sent.
  std::optional<std::int64_t> retrans_stamp_us_;
  std::optional<std::int64_t> srtt_us_;  // RFC 6298 §2
  std::int64_t rttvar_us_ = 0;
  bool probe_sent_ = false;       // RFC 8985 §7: one probe per flight
  std::int64_t last_arrival_us_;  // of a segment, while not orphaned

  bool reads_ = true;
  bool eof_seen_ = false;
  bool received_data_ = false;
  std::uint32_t unread_bytes_ = 0;
  bool shut_wr_ = false;    // shutdown() or close(): no more writes
  bool fd_closed_ = false;  // close() or abort(): no more calls
};

}  // namespace fincheck
