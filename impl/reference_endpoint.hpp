#pragma once
// The reference endpoint: one teardown table plus what the table does not
// hold -- sequence variables (RFC 9293 §3.3.1), the classification of each
// arriving segment into one table event (§3.10.7.4), the retransmission
// queue and timer (RFC 6298), the delayed ACK, the TIME-WAIT and FIN-WAIT-2
// deadlines, a reassembly queue and the application's view.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "impl/endpoint.hpp"
#include "impl/timer.hpp"
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
  void app_send(std::int64_t now_us, std::uint32_t segments) override;
  bool receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) override;
  std::optional<std::int64_t> next_deadline() const override;
  void advance(std::int64_t now_us) override;
  bool eof_seen() const override { return eof_seen_; }

  // For the shadow that judges a stack under test (properties/shadow.hpp):
  // the RFC 9293 §3.3.1 variables, our FIN's sequence number once sent, the
  // earliest armed timer, and firing it ahead of its deadline.
  Seq snd_una() const { return snd_una_; }
  Seq snd_nxt() const { return snd_nxt_; }
  Seq rcv_nxt() const { return rcv_nxt_; }
  std::optional<Seq> fin_seq() const { return fin_seq_; }
  std::int64_t rto_us() const { return rto_us_; }  // the current, backed-off timeout
  const model::Parameters& params() const { return params_; }
  struct ArmedTimer {
    TimerKind kind;
    std::int64_t deadline_us;
  };
  std::optional<ArmedTimer> next_timer() const;
  std::optional<std::int64_t> deadline_of(TimerKind kind) const;
  // Fires the `kind` timer at `now_us`, whatever its deadline, if armed.
  void fire_timer(TimerKind kind, std::int64_t now_us);

 private:
  // Fires, at `now_us`, the timers `due` picks.
  template <class Due>  // bool(const Timer&, TimerKind)
  void fire_timers(std::int64_t now_us, Due due);
  struct Queued {  // a sent segment awaiting its ACK, or one awaiting reassembly
    Seq seq;
    std::uint32_t len = 0;
    bool fin = false;
    std::int64_t arrival = -1;  // reassembly: the arrival that carried it
  };

  // Whether the application may call `call` now; records a refusal if not.
  bool app_call(std::int64_t now_us, std::string_view call);

  // Arrival processing, in the order of RFC 9293 §3.10.7.4.
  void receive_rst(const Segment& seg);
  bool acceptable(const Segment& seg) const;
  bool is_fin_again(const Segment& seg) const;
  // Parameters::ack_of_unacceptable: the ACK field of a segment that is
  // dropped all the same. Returns false if that ended the connection.
  bool take_ack_of_unacceptable(const Segment& seg);
  bool process_ack(Seq ack, bool& acked_our_fin);
  bool process_text(const Segment& seg, bool acked_our_fin);
  bool consume_in_order();

  void dispatch(const model::AnyEvent& event);
  void transmit(const Segment& seg);
  void send_new(std::uint32_t len, bool fin);
  Segment ack_segment() const;
  // RFC 5961 §7: the ACK that answers an out-of-window segment, rate limited.
  void send_oow_ack();
  bool our_fin_acked() const { return fin_seq_ && snd_una_ > *fin_seq_; }

  void set_timer(Timer& t, TimerKind kind, std::int64_t deadline_us);
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
  void start_time_wait() override;
  void start_fin_wait_2_timer() override;
  void stop_fin_wait_2_timer() override;
  void report_reset() override;
  void report_abort() override;
  void send_rst(std::uint32_t seq) override;
  void delete_tcb() override;

  Side side_;
  int conn_;
  model::Parameters params_;
  Trace& trace_;
  Wire& wire_;
  std::unique_ptr<model::Machine> machine_;

  std::int64_t now_us_ = 0;
  std::int64_t arrival_ = -1;  // the arrival being processed, for the trace

  // RFC 9293 §3.3.1 send and receive sequence variables.
  Seq snd_una_;
  Seq snd_nxt_;
  Seq rcv_nxt_;
  std::optional<Seq> fin_seq_;       // our FIN, once queued
  std::optional<Seq> peer_fin_seq_;  // the peer's FIN, once taken in order
  std::vector<Queued> retransmission_queue_;
  std::vector<Queued> reassembly_;

  Timer rto_;
  Timer delayed_ack_;
  Timer time_wait_;
  Timer fin_wait_2_;
  std::int64_t rto_us_;
  std::uint32_t retransmissions_ = 0;

  bool eof_seen_ = false;
  std::optional<std::int64_t> last_oow_ack_us_;
};

}  // namespace fincheck
