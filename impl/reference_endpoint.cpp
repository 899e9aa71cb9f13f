#include "impl/reference_endpoint.hpp"

#include <algorithm>
#include <cassert>

namespace fincheck {

using model::State;

ReferenceEndpoint::ReferenceEndpoint(const EndpointSetup& setup, const model::TableVariant& table)
    : side_(setup.side),
      conn_(setup.conn),
      params_(setup.params),
      trace_(*setup.trace),
      wire_(*setup.wire),
      machine_(table.make(*this, setup.params.rfc1337)),
      snd_una_(setup.iss + 1),
      snd_nxt_(setup.iss + 1),
      rcv_nxt_(setup.irs + 1),
      rto_us_(setup.params.rto_initial_us) {}

// ---- the application ----------------------------------------------------

void ReferenceEndpoint::app_close(std::int64_t now_us) {
  if (!app_call(now_us, "close()")) return;
  record_app(AppOp::Close);
  dispatch(model::AppClose{});
}

void ReferenceEndpoint::app_send(std::int64_t now_us, std::uint32_t segments) {
  if (!app_call(now_us, "send()")) return;
  record_app(AppOp::Send, segments * data_segment_bytes, snd_nxt_);
  for (std::uint32_t i = 0; i < segments; ++i) send_new(data_segment_bytes, false);
}

bool ReferenceEndpoint::app_call(std::int64_t now_us, std::string_view call) {
  now_us_ = now_us;
  arrival_ = -1;
  const State s = state();
  // RFC 9293 §3.10.2 and §3.10.4: SEND or CLOSE after CLOSE is "connection
  // closing"; after a reset or abort there is no connection.
  if (s == State::Established || s == State::CloseWait) return true;
  trace_.add(AppRecord{now_us_,
                       side_,
                       conn_,
                       AppOp::Refused,
                       {},
                       0,
                       -1,
                       std::string(call) + " in " + std::string(model::to_string(s))});
  return false;
}

// ---- arriving segments, RFC 9293 §3.10.7 ---------------------------------

bool ReferenceEndpoint::receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) {
  now_us_ = now_us;
  arrival_ = arrival;
  const Seq una_before = snd_una_;
  bool accepted = false;
  if (state() == State::Closed) {
    // §3.10.7.1: "An incoming segment containing a RST is discarded."
    if (!seg.flags.rst) dispatch(model::SegmentWhileClosed{seg.ack.raw()});
  } else if (seg.flags.rst) {
    receive_rst(seg);
    accepted = state() == State::Closed;
  } else if (is_fin_again(seg)) {
    if (take_ack_of_unacceptable(seg)) dispatch(model::FinAgain{});
  } else if (!acceptable(seg)) {
    // §3.10.7.4 first check: "If an incoming segment is not acceptable, an
    // acknowledgment should be sent in reply". A retransmission of the last
    // segment taken (it ends at RCV.NXT: its ACK was lost) is answered at
    // once, outside the rate limit, as Linux does (tcp_sequence() passes a
    // segment ending at rcv_wup; tcp_data_queue() ACKs it at once): throttled,
    // its sender spends its retry budget on a silent peer (found at 1 million
    // cases, seed 7: two lost ACKs of one data segment aborted the sender).
    if (take_ack_of_unacceptable(seg)) {
      if (seg.seg_len() > 0 && seg.seq + seg.seg_len() == rcv_nxt_)
        send_ack();
      else
        send_oow_ack();
    }
  } else {
    bool acked_our_fin = false;
    if (!seg.flags.ack || process_ack(seg.ack, acked_our_fin))
      accepted = process_text(seg, acked_our_fin);
    accepted = accepted || snd_una_ != una_before;
  }
  arrival_ = -1;
  return accepted;
}

bool ReferenceEndpoint::take_ack_of_unacceptable(const Segment& seg) {
  if (!params_.ack_of_unacceptable || !seg.flags.ack) return true;
  bool acked_our_fin = false;
  if (process_ack(seg.ack, acked_our_fin) && acked_our_fin) dispatch(model::AckOfFin{});
  return state() != State::Closed;
}

void ReferenceEndpoint::receive_rst(const Segment& seg) {
  // §3.10.7.4 second check (RFC 5961 §3.2): reset only on an exact match of
  // RCV.NXT; elsewhere in the window, send a challenge ACK.
  if (seg.seq == rcv_nxt_)
    dispatch(model::RstInWindow{});
  else if (in_window(seg.seq, rcv_nxt_, receive_window))
    send_oow_ack();
}

bool ReferenceEndpoint::acceptable(const Segment& seg) const {
  // §3.10.7.4, the four cases of the acceptability test with RCV.WND > 0.
  const std::uint32_t len = seg.seg_len();
  if (len == 0) return in_window(seg.seq, rcv_nxt_, receive_window);
  return in_window(seg.seq, rcv_nxt_, receive_window) ||
         in_window(seg.seq + (len - 1), rcv_nxt_, receive_window);
}

bool ReferenceEndpoint::is_fin_again(const Segment& seg) const {
  return seg.flags.fin && peer_fin_seq_ && seg.seq + seg.len == *peer_fin_seq_;
}

bool ReferenceEndpoint::process_ack(Seq ack, bool& acked_our_fin) {
  // §3.10.7.4 fifth check.
  if (ack > snd_nxt_) {
    // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send
    // an ACK, drop the segment, and return."
    send_oow_ack();
    return false;
  }
  if (ack <= snd_una_) return true;  // a duplicate ACK: "it can be ignored"
  snd_una_ = ack;
  std::erase_if(retransmission_queue_,
                [&](const Queued& q) { return q.seq + (q.len + (q.fin ? 1U : 0U)) <= ack; });
  assert(snd_una_ <= snd_nxt_);
  if (our_fin_acked()) {
    // The table stops the timer for the FIN (its AckOfFin and Fin rows).
    acked_our_fin = true;
    return true;
  }
  // RFC 6298 §5.2/§5.3 for data: stop the timer when all is acknowledged,
  // restart it otherwise; the acknowledgment ends the backoff.
  retransmissions_ = 0;
  rto_us_ = params_.rto_initial_us;
  if (retransmission_queue_.empty())
    cancel_timer(rto_, TimerKind::Rto);
  else
    set_timer(rto_, TimerKind::Rto, now_us_ + rto_us_);
  return true;
}

bool ReferenceEndpoint::process_text(const Segment& seg, bool acked_our_fin) {
  // §3.10.7.4 seventh and eighth: take text and FIN in order; queue what is
  // ahead of RCV.NXT (the window test already passed).
  // After the peer's FIN, "This should not occur ... Ignore the segment text."
  const bool text = seg.seg_len() > 0 && !peer_fin_seq_;
  bool fin_taken = false;
  if (text) {
    reassembly_.push_back({seg.seq, seg.len, seg.flags.fin, arrival_});
    fin_taken = consume_in_order();
    if (!fin_taken) send_ack();  // data, or a hole that the peer must fill
  }
  const State s = state();
  if (acked_our_fin && !(fin_taken && s == State::FinWait1)) dispatch(model::AckOfFin{});
  if (fin_taken) dispatch(model::Fin{our_fin_acked()});
  return text;
}

bool ReferenceEndpoint::consume_in_order() {
  bool fin_taken = false;
  bool progress = true;
  while (progress) {
    progress = false;
    for (auto it = reassembly_.begin(); it != reassembly_.end(); ++it) {
      const Seq end = it->seq + it->len;
      if (it->seq > rcv_nxt_) continue;
      if (end > rcv_nxt_) {  // new bytes from RCV.NXT on
        const std::uint32_t fresh = static_cast<std::uint32_t>(end.since(rcv_nxt_));
        trace_.add(AppRecord{now_us_, side_, conn_, AppOp::Data, rcv_nxt_, fresh, it->arrival, {}});
        rcv_nxt_ = end;
      }
      if (it->fin && end == rcv_nxt_) {
        peer_fin_seq_ = rcv_nxt_;
        rcv_nxt_ += 1;
        fin_taken = true;
      }
      reassembly_.erase(it);
      progress = true;
      break;
    }
  }
  if (fin_taken) reassembly_.clear();  // nothing lies beyond the FIN
  return fin_taken;
}

// ---- timers ----------------------------------------------------------------

std::optional<ReferenceEndpoint::ArmedTimer> ReferenceEndpoint::next_timer() const {
  std::optional<ArmedTimer> next;
  for (const auto& [t, kind] : {std::pair{&rto_, TimerKind::Rto},
                                {&delayed_ack_, TimerKind::DelayedAck},
                                {&time_wait_, TimerKind::TimeWait},
                                {&fin_wait_2_, TimerKind::FinWait2}})
    if (t->armed() && (!next || *t->deadline() < next->deadline_us))
      next = ArmedTimer{kind, *t->deadline()};
  return next;
}

std::optional<std::int64_t> ReferenceEndpoint::deadline_of(TimerKind kind) const {
  switch (kind) {
    case TimerKind::Rto:
      return rto_.deadline();
    case TimerKind::DelayedAck:
      return delayed_ack_.deadline();
    case TimerKind::TimeWait:
      return time_wait_.deadline();
    case TimerKind::FinWait2:
      return fin_wait_2_.deadline();
  }
  return std::nullopt;
}

std::optional<std::int64_t> ReferenceEndpoint::next_deadline() const {
  if (const auto t = next_timer()) return t->deadline_us;
  return std::nullopt;
}

template <class Due>
void ReferenceEndpoint::fire_timers(std::int64_t now_us, Due due) {
  now_us_ = now_us;
  arrival_ = -1;
  auto fire = [&](Timer& t, TimerKind kind) {
    if (!due(t, kind)) return false;
    record_timer(kind, TimerOp::Fire, *t.deadline());
    t.cancel();
    return true;
  };
  if (fire(delayed_ack_, TimerKind::DelayedAck)) send_ack();
  if (fire(rto_, TimerKind::Rto)) dispatch(model::RtoExpired{retransmissions_ < params_.retries});
  if (fire(fin_wait_2_, TimerKind::FinWait2)) dispatch(model::FinWait2Timeout{});
  if (fire(time_wait_, TimerKind::TimeWait)) dispatch(model::TimeWaitExpired{});
}

void ReferenceEndpoint::advance(std::int64_t now_us) {
  fire_timers(now_us, [now_us](const Timer& t, TimerKind) { return t.due(now_us); });
}

void ReferenceEndpoint::fire_timer(TimerKind kind, std::int64_t now_us) {
  fire_timers(now_us, [kind](const Timer& t, TimerKind k) { return k == kind && t.armed(); });
}

// ---- effects the table asks for --------------------------------------------

void ReferenceEndpoint::send_fin() {
  fin_seq_ = snd_nxt_;
  send_new(0, true);
}

void ReferenceEndpoint::send_ack() { transmit(ack_segment()); }

void ReferenceEndpoint::schedule_ack() {
  if (params_.delayed_ack_us == 0)
    send_ack();
  else if (!delayed_ack_.armed())
    set_timer(delayed_ack_, TimerKind::DelayedAck, now_us_ + params_.delayed_ack_us);
}

void ReferenceEndpoint::deliver_eof() {
  eof_seen_ = true;
  trace_.add(AppRecord{now_us_, side_, conn_, AppOp::Eof, rcv_nxt_, 0, arrival_, {}});
}

void ReferenceEndpoint::retransmit() {
  assert(!retransmission_queue_.empty());
  const Queued& q = retransmission_queue_.front();
  Segment seg;
  seg.seq = q.seq;
  seg.ack = rcv_nxt_;
  seg.len = q.len;
  seg.flags = Flags{.fin = q.fin, .ack = true, .psh = q.len > 0};
  transmit(seg);
  ++retransmissions_;
  rto_us_ = std::min(rto_us_ * params_.rto_backoff, params_.rto_max_us);
  const bool last = retransmissions_ >= params_.retries && params_.last_retransmission_wait_us > 0;
  set_timer(rto_, TimerKind::Rto,
            now_us_ + (last ? params_.last_retransmission_wait_us : rto_us_));
}

void ReferenceEndpoint::stop_rto() { cancel_timer(rto_, TimerKind::Rto); }

void ReferenceEndpoint::start_time_wait() {
  set_timer(time_wait_, TimerKind::TimeWait, now_us_ + params_.time_wait());
}

void ReferenceEndpoint::start_fin_wait_2_timer() {
  if (params_.fin_wait_2_timeout_us > 0)
    set_timer(fin_wait_2_, TimerKind::FinWait2, now_us_ + params_.fin_wait_2_timeout_us);
}

void ReferenceEndpoint::stop_fin_wait_2_timer() { cancel_timer(fin_wait_2_, TimerKind::FinWait2); }

void ReferenceEndpoint::report_reset() { record_app(AppOp::Reset); }

void ReferenceEndpoint::report_abort() { record_app(AppOp::Abort); }

void ReferenceEndpoint::send_rst(std::uint32_t seq) {
  Segment rst;
  rst.seq = Seq(seq);
  rst.flags.rst = true;
  wire_.transmit(side_, conn_, rst);
}

void ReferenceEndpoint::delete_tcb() {
  cancel_timer(rto_, TimerKind::Rto);
  cancel_timer(delayed_ack_, TimerKind::DelayedAck);
  cancel_timer(time_wait_, TimerKind::TimeWait);
  cancel_timer(fin_wait_2_, TimerKind::FinWait2);
  retransmission_queue_.clear();
  reassembly_.clear();
}

// ---- helpers -------------------------------------------------------------------

void ReferenceEndpoint::dispatch(const model::AnyEvent& event) {
  const std::size_t slot = trace_.begin_step();
  const model::Step step = machine_->process(event);
  trace_.steps[slot] = StepRecord{
      now_us_, side_, conn_, step.from, step.to, model::event_name(event), step.row, arrival_};
}

void ReferenceEndpoint::transmit(const Segment& seg) {
  // Every segment carries ACK=RCV.NXT, so a pending delayed ACK rides on it.
  cancel_timer(delayed_ack_, TimerKind::DelayedAck);
  wire_.transmit(side_, conn_, seg);
}

void ReferenceEndpoint::send_new(std::uint32_t len, bool fin) {
  Segment seg;
  seg.seq = snd_nxt_;
  seg.ack = rcv_nxt_;
  seg.len = len;
  seg.flags = Flags{.fin = fin, .ack = true, .psh = len > 0};
  retransmission_queue_.push_back({snd_nxt_, len, fin, -1});
  snd_nxt_ += seg.seg_len();
  transmit(seg);
  // RFC 6298 §5.1: start the timer if it is not running.
  if (!rto_.armed()) set_timer(rto_, TimerKind::Rto, now_us_ + rto_us_);
}

void ReferenceEndpoint::send_oow_ack() {
  const std::int64_t interval = params_.oow_ack_interval_us;
  if (interval > 0 && last_oow_ack_us_ && now_us_ - *last_oow_ack_us_ < interval) return;
  last_oow_ack_us_ = now_us_;
  send_ack();
}

Segment ReferenceEndpoint::ack_segment() const {
  Segment seg;
  seg.seq = snd_nxt_;
  seg.ack = rcv_nxt_;
  seg.flags.ack = true;
  return seg;
}

void ReferenceEndpoint::set_timer(Timer& t, TimerKind kind, std::int64_t deadline_us) {
  record_timer(kind, t.armed() ? TimerOp::Restart : TimerOp::Set, deadline_us);
  t.set(deadline_us);
}

void ReferenceEndpoint::cancel_timer(Timer& t, TimerKind kind) {
  if (!t.armed()) return;
  record_timer(kind, TimerOp::Cancel, *t.deadline());
  t.cancel();
}

void ReferenceEndpoint::record_timer(TimerKind kind, TimerOp op, std::int64_t deadline_us) {
  trace_.add(TimerRecord{now_us_, side_, conn_, kind, op, deadline_us});
}

void ReferenceEndpoint::record_app(AppOp op, std::uint32_t bytes, Seq seq) {
  trace_.add(AppRecord{now_us_, side_, conn_, op, seq, bytes, arrival_, {}});
}

}  // namespace fincheck
