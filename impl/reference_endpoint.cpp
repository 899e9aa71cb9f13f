#include "impl/reference_endpoint.hpp"

#include <algorithm>
#include <cassert>

namespace fincheck {

using model::State;

ReferenceEndpoint::ReferenceEndpoint(const EndpointSetup& setup, const model::TableVariant& table)
    : side_(setup.side),
      conn_(setup.conn),
      params_(setup.params),
      trace_(setup.trace),
      wire_(setup.wire),
      rules_(table.classifier()),
      machine_(table.make(*this, setup.params.rfc1337)),
      rto_us_(setup.params.rto_initial_us),
      last_arrival_us_(setup.start_us),
      reads_(setup.reads) {
  tcb_.snd_una = setup.iss + 1;
  tcb_.snd_nxt = setup.iss + 1;
  tcb_.rcv_nxt = setup.irs + 1;
  tcb_.rcv_wnd = receive_window;
  tcb_.max_snd_wnd = receive_window;
  tcb_.oow_ack_interval_us = params_.oow_ack_interval_us;
  tcb_.ack_of_unacceptable = params_.ack_of_unacceptable;
  tcb_.orphan_rst_at_snd_nxt = params_.orphan_rst_at_snd_nxt;
  tcb_.orphan_data_with_fin_silent = params_.orphan_data_with_fin_silent;
  tcb_.rst_at_peer_fin = params_.rst_at_peer_fin;
  tcb_.orphan_rst_on_gap = params_.orphan_rst_on_gap;
  tcb_.fin_again_closes_silently = params_.fin_again_closes_silently;
  tcb_.time_wait_restarts_on_ack = params_.time_wait_restarts_on_ack;
  tcb_.orphan_fin_wait_2_any_rst = params_.orphan_fin_wait_2_any_rst;
}

// ---- the application (RFC 9293 §3.10.2-§3.10.5, the socket API) ------------

void ReferenceEndpoint::app_close(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Close, "close()")) return;
  record_app(AppOp::Close);
  fd_closed_ = shut_wr_ = true;
  dispatch(
      model::AppClose{unread_bytes_ > 0, unread_bytes_ > 0 && params_.unread_rst_after_shutdown});
}

void ReferenceEndpoint::app_shutdown(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Shutdown, "shutdown()")) return;
  record_app(AppOp::Shutdown);
  shut_wr_ = true;
  dispatch(model::AppShutdown{});
}

void ReferenceEndpoint::app_abort(std::int64_t now_us) {
  if (!app_call(now_us, AppOp::Abort, "abort (SO_LINGER 0)")) return;
  record_app(AppOp::Abort);
  fd_closed_ = shut_wr_ = true;
  dispatch(model::AppAbort{params_.abort_rst_in_closing, params_.abort_keeps_time_wait});
}

void ReferenceEndpoint::app_send(std::int64_t now_us, std::uint32_t segments) {
  app_write(now_us, segments * data_segment_bytes);
}

void ReferenceEndpoint::app_write(std::int64_t now_us, std::uint32_t bytes) {
  if (!app_call(now_us, AppOp::Send, "send()")) return;
  record_app(AppOp::Send, bytes, tcb_.snd_nxt + unsent_bytes_);
  unsent_bytes_ += bytes;
  push();
}

std::unique_ptr<ReferenceEndpoint> ReferenceEndpoint::copy_onto(Trace& trace, Wire& wire) const {
  std::unique_ptr<ReferenceEndpoint> copy(new ReferenceEndpoint(*this));
  copy->trace_ = &trace;
  copy->wire_ = &wire;
  copy->machine_ = machine_->clone(*copy);
  return copy;
}

bool ReferenceEndpoint::app_call(std::int64_t now_us, AppOp call, std::string_view text) {
  now_us_ = now_us;
  arrival_ = -1;
  const State s = state();
  if (call_allowed(s, fd_closed_, shut_wr_, call)) return true;
  trace_->add(AppRecord{now_us_,
                       side_,
                       conn_,
                       AppOp::Refused,
                       {},
                       0,
                       -1,
                       std::string(text) + " in " + std::string(model::to_string(s))});
  return false;
}

// ---- arriving segments, RFC 9293 §3.10.7 -------------------------------------

bool ReferenceEndpoint::receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) {
  now_us_ = now_us;
  arrival_ = arrival;
  tcb_.state = state();
  // What orphan_timers_frozen counts from: lwIP's tcp_process() notes the
  // time of every segment but a RST (handled before it) until tcp_close().
  if (!tcb_.orphaned && !seg.flags.rst) last_arrival_us_ = now_us;
  // A segment ends an idle LAST-ACK's idleness, unless the orphan's
  // timers no longer note arrivals.
  if (last_ack_.armed() && timer_base() == now_us) start_last_ack_timer();
  const model::Classification c = model::classify(rules_, tcb_, seg, now_us);
  const Seq una_before = tcb_.snd_una;
  if (c.ack_to) take_ack(*c.ack_to);
  if (c.take_text) take_text(seg, c.reassembly);
  for (std::uint8_t i = 0; i < c.count; ++i) {
    // Once a row has entered CLOSED the TCB is gone: the rest of the
    // segment finds no connection.
    if (i > 0 && state() == State::Closed) break;
    dispatch(c.events[i]);
  }
  arrival_ = -1;
  if (c.check == model::Check::RstExact) return state() == State::Closed;
  const bool processed =
      c.check == model::Check::Accepted || c.check == model::Check::DataAfterClose;
  return processed && (c.take_text || tcb_.snd_una != una_before);
}

void ReferenceEndpoint::take_ack(Seq ack) {
  // §3.10.7.4 fifth check: "If SND.UNA < SEG.ACK =< SND.NXT, then set
  // SND.UNA <- SEG.ACK. Any segments on the retransmission queue that are
  // thereby entirely acknowledged are removed."
  tcb_.snd_una = ack;
  std::optional<std::int64_t> sample;
  std::erase_if(retransmission_queue_, [&](const Queued& q) {
    if (q.seq + (q.len + (q.fin ? 1U : 0U)) > ack) return false;
    // RFC 6298 §3 (Karn): no sample from a segment that was retransmitted.
    sample = q.retransmitted ? std::nullopt : std::optional(now_us_ - q.sent_us);
    return true;
  });
  // No assertion that SND.UNA =< SND.NXT: the reference classifier ensures
  // it, but a classifier mutant (ack-range-off-by-one) accepts an ACK past
  // SND.NXT, and its endpoint must run on for the invariants to judge it.
  if (sample) sample_rtt(*sample);
  probe_sent_ = false;
  // The table stops the timer for the FIN (its AckOfFin and Fin rows).
  if (tcb_.our_fin_acked()) return;
  // RFC 6298 §5.2/§5.3 for data: stop the timer when all is acknowledged,
  // restart it otherwise; the acknowledgment ends the backoff.
  retransmissions_ = 0;
  retrans_stamp_us_.reset();
  rto_us_ = current_rto();
  if (retransmission_queue_.empty()) {
    cancel_timer(rto_, TimerKind::Rto);
    cancel_timer(probe_, TimerKind::Probe);
  } else {
    set_timer(rto_, TimerKind::Rto, now_us_ + rto_us_);
    arm_probe();
  }
  push();  // Nagle: the ACK may release data held back
}

void ReferenceEndpoint::take_text(const Segment& seg, const model::Reassembly& r) {
  // §3.10.7.4 seventh check: text in order is delivered; text beyond RCV.NXT
  // is held (at most max_held pieces; more are dropped, the peer resends).
  if (tcb_.held.empty() && seg.seq <= tcb_.rcv_nxt) {
    // In order with nothing held, the common case: no queue.
    if (seg.seq + seg.len > tcb_.rcv_nxt)
      deliver_data(tcb_.rcv_nxt,
                   static_cast<std::uint32_t>((seg.seq + seg.len).since(tcb_.rcv_nxt)), arrival_);
    tcb_.rcv_nxt = r.rcv_nxt;
    if (r.fin) tcb_.peer_fin_seq = r.rcv_nxt + static_cast<std::uint32_t>(-1);
    return;
  }
  if (tcb_.held.size() < model::max_held) {
    tcb_.held.push_back({seg.seq, seg.len, seg.flags.fin});
    held_arrivals_.push_back(arrival_);
  }
  model::walk_reassembly(tcb_, nullptr, [&](std::size_t i, Seq from, std::uint32_t bytes) {
    deliver_data(from, bytes, held_arrivals_[i]);
  });
  // The classifier decides where RCV.NXT ends up and whether the FIN was
  // reached; the walk above only reported the bytes.
  tcb_.rcv_nxt = r.rcv_nxt;
  if (r.fin) {
    tcb_.peer_fin_seq = r.rcv_nxt + static_cast<std::uint32_t>(-1);
    tcb_.held.clear();  // nothing lies beyond the FIN
    held_arrivals_.clear();
    return;
  }
  for (std::size_t i = tcb_.held.size(); i-- > 0;)
    if (tcb_.held[i].seq + tcb_.held[i].len <= tcb_.rcv_nxt) {
      tcb_.held.erase(tcb_.held.begin() + static_cast<std::ptrdiff_t>(i));
      held_arrivals_.erase(held_arrivals_.begin() + static_cast<std::ptrdiff_t>(i));
    }
}

void ReferenceEndpoint::deliver_data(Seq from, std::uint32_t bytes, std::int64_t arrival) {
  received_data_ = true;
  if (!reads_) {
    unread_bytes_ += bytes;
    return;
  }
  trace_->add(AppRecord{now_us_, side_, conn_, AppOp::Data, from, bytes, arrival, {}});
}

// ---- the retransmission timeout, RFC 6298 ------------------------------------

void ReferenceEndpoint::sample_rtt(std::int64_t r) {
  if (!params_.rto_estimation && !params_.tail_loss_probe) return;
  if (!srtt_us_) {
    // §2.2: SRTT <- R, RTTVAR <- R/2.
    srtt_us_ = r;
    rttvar_us_ = r / 2;
    return;
  }
  // §2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT <- 7/8 SRTT + 1/8 R'.
  rttvar_us_ = (3 * rttvar_us_ + std::abs(*srtt_us_ - r)) / 4;
  srtt_us_ = (7 * *srtt_us_ + r) / 8;
}

std::int64_t ReferenceEndpoint::current_rto() const {
  if (!params_.rto_estimation || !srtt_us_) return params_.rto_initial_us;
  // §2.3: RTO <- SRTT + max(G, K*RTTVAR), K = 4; §2.4 floor; §2.5 ceiling.
  const std::int64_t g = std::max<std::int64_t>(1, params_.timer_tick_us);
  const std::int64_t rto = *srtt_us_ + std::max(g, 4 * rttvar_us_);
  return std::clamp(rto, params_.rto_min_us, params_.rto_max_us);
}

bool ReferenceEndpoint::budget_left() const {
  if (!params_.retries_by_time) return retransmissions_ < params_.retries;
  // Linux retransmits_timed_out(): never before the first retransmission;
  // then spent when the segment first retransmitted was sent
  // retry_budget_us() ago (retrans_stamp).
  return !retrans_stamp_us_ || now_us_ - *retrans_stamp_us_ < model::retry_budget_us(params_);
}

// ---- timers ------------------------------------------------------------------

std::optional<ReferenceEndpoint::ArmedTimer> ReferenceEndpoint::next_timer() const {
  std::optional<ArmedTimer> next;
  for (TimerKind kind : all_timer_kinds)
    if (const auto d = deadline_of(kind); d && (!next || *d < next->deadline_us))
      next = ArmedTimer{kind, *d};
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
    case TimerKind::Probe:
      return probe_.deadline();
    case TimerKind::LastAck:
      return last_ack_.deadline();
  }
  return std::nullopt;
}

void ReferenceEndpoint::timers_changed() {
  earliest_us_ = std::min({rto_.deadline_or_unarmed(), delayed_ack_.deadline_or_unarmed(),
                           time_wait_.deadline_or_unarmed(), fin_wait_2_.deadline_or_unarmed(),
                           probe_.deadline_or_unarmed(), last_ack_.deadline_or_unarmed()});
}

std::optional<std::int64_t> ReferenceEndpoint::next_deadline() const {
  // The simulator asks this after every event: kept, not computed.
  return earliest_us_ == Timer::unarmed ? std::nullopt : std::optional(earliest_us_);
}

template <class Due>
void ReferenceEndpoint::fire_timers(std::int64_t now_us, Due due) {
  now_us_ = now_us;
  arrival_ = -1;
  tcb_.state = state();
  auto fire = [&](Timer& t, TimerKind kind) {
    if (!due(t, kind)) return false;
    record_timer(kind, TimerOp::Fire, *t.deadline());
    t.cancel();
    timers_changed();
    return true;
  };
  if (fire(delayed_ack_, TimerKind::DelayedAck)) send_ack();
  if (fire(probe_, TimerKind::Probe)) dispatch(model::ProbeTimeout{});
  if (fire(rto_, TimerKind::Rto)) dispatch(model::RtoExpired{budget_left()});
  if (fire(fin_wait_2_, TimerKind::FinWait2)) dispatch(model::FinWait2Timeout{});
  if (fire(last_ack_, TimerKind::LastAck)) dispatch(model::LastAckTimeout{});
  if (fire(time_wait_, TimerKind::TimeWait)) dispatch(model::TimeWaitExpired{});
}

std::optional<ReferenceEndpoint::RtoWindow> ReferenceEndpoint::rto_window() const {
  const auto deadline = deadline_of(TimerKind::Rto);
  if (!deadline) return std::nullopt;
  return RtoWindow{*deadline - rto_us_, std::min(params_.rto_min_us, params_.rto_initial_us)};
}

void ReferenceEndpoint::advance(std::int64_t now_us) {
  fire_timers(now_us, [now_us](const Timer& t, TimerKind) { return t.due(now_us); });
}

void ReferenceEndpoint::fire_timer(TimerKind kind, std::int64_t now_us) {
  fire_timers(now_us, [kind](const Timer& t, TimerKind k) { return k == kind && t.armed(); });
}

// ---- effects the table asks for ------------------------------------------------

void ReferenceEndpoint::send_fin() {
  // §3.10.4: "Queue this request until all preceding SENDs have been
  // segmentized": the FIN takes the sequence number after the unsent data
  // and rides on its last segment.
  tcb_.fin_seq = tcb_.snd_nxt + unsent_bytes_;
  if (unsent_bytes_ == 0) return send_new(0, true);
  fin_pending_ = true;
  push();
}

void ReferenceEndpoint::send_ack() { transmit(ack_segment()); }

void ReferenceEndpoint::schedule_ack() {
  // How long depends on the connection's history: whether it has received
  // data (Parameters::delayed_ack_first_us).
  const std::int64_t delay = received_data_ ? params_.delayed_ack_us : params_.delayed_ack_first_us;
  if (delay == 0)
    send_ack();
  else if (!delayed_ack_.armed())
    set_timer(delayed_ack_, TimerKind::DelayedAck, now_us_ + delay);
}

void ReferenceEndpoint::deliver_eof() {
  if (!reads_) return;  // an application that never reads never sees EOF
  eof_seen_ = true;
  trace_->add(AppRecord{now_us_, side_, conn_, AppOp::Eof, tcb_.rcv_nxt, 0, arrival_, {}});
}

void ReferenceEndpoint::retransmit() {
  assert(!retransmission_queue_.empty());
  Queued& q = retransmission_queue_.front();
  if (!retrans_stamp_us_) retrans_stamp_us_ = q.sent_us;
  resend(q);
  ++retransmissions_;
  cancel_timer(probe_, TimerKind::Probe);
  rto_us_ = std::min(rto_us_ * params_.rto_backoff, params_.rto_max_us);
  const bool last = !params_.retries_by_time && retransmissions_ >= params_.retries &&
                    params_.last_retransmission_wait_us > 0;
  set_timer(rto_, TimerKind::Rto, now_us_ + (last ? params_.last_retransmission_wait_us : rto_us_));
}

void ReferenceEndpoint::resend(Queued& q) {
  q.retransmitted = true;  // Karn: no RTT sample from it any more
  Segment seg;
  seg.seq = q.seq;
  seg.ack = tcb_.rcv_nxt;
  seg.len = q.len;
  seg.flags = Flags{.fin = q.fin, .ack = true, .psh = q.len > 0};
  transmit(seg);
}

void ReferenceEndpoint::stop_rto() {
  cancel_timer(rto_, TimerKind::Rto);
  cancel_timer(probe_, TimerKind::Probe);
}

void ReferenceEndpoint::send_probe() {
  // RFC 8985 §7.3: with no new data to send, "retransmit the last segment";
  // then re-arm the RTO. The probe is no retransmission of R2's count.
  assert(!retransmission_queue_.empty());
  resend(retransmission_queue_.back());
  probe_sent_ = true;
  set_timer(rto_, TimerKind::Rto, now_us_ + rto_us_);
}

void ReferenceEndpoint::arm_probe() {
  // RFC 8985 §7.2: PTO = 2·SRTT, plus the worst-case delayed ACK (200 ms)
  // when one segment is in flight; 1 s without an RTT sample; never after
  // the RTO.
  if (!params_.tail_loss_probe || probe_sent_ || retransmission_queue_.empty()) return;
  std::int64_t pto = 1'000'000;
  if (srtt_us_) {
    pto = 2 * *srtt_us_;
    if (retransmission_queue_.size() == 1) pto += 200'000;
  }
  if (rto_.armed()) pto = std::min(pto, *rto_.deadline() - now_us_);
  if (pto > 0) set_timer(probe_, TimerKind::Probe, now_us_ + pto);
}

void ReferenceEndpoint::orphan() { tcb_.orphaned = true; }

std::int64_t ReferenceEndpoint::timer_base() const {
  return params_.orphan_timers_frozen && tcb_.orphaned ? last_arrival_us_ : now_us_;
}

void ReferenceEndpoint::start_time_wait() {
  // Entering TIME-WAIT, or restarting it on a FIN (which always counts from now).
  const std::int64_t base = tcb_.state == State::TimeWait ? now_us_ : timer_base();
  set_timer(time_wait_, TimerKind::TimeWait, base + params_.time_wait());
}

void ReferenceEndpoint::start_fin_wait_2_timer() {
  if (params_.fin_wait_2_timeout_us > 0)
    set_timer(fin_wait_2_, TimerKind::FinWait2, timer_base() + params_.fin_wait_2_timeout_us);
}

void ReferenceEndpoint::stop_fin_wait_2_timer() { cancel_timer(fin_wait_2_, TimerKind::FinWait2); }

void ReferenceEndpoint::start_last_ack_timer() {
  // Idle from now, or -- orphan_timers_frozen, lwIP's pcb->tmr -- from the
  // last segment that arrived before close().
  if (params_.last_ack_timeout_us > 0)
    set_timer(last_ack_, TimerKind::LastAck, timer_base() + params_.last_ack_timeout_us);
}

void ReferenceEndpoint::report_reset() { record_app(AppOp::Reset); }

void ReferenceEndpoint::report_abort() { record_app(AppOp::TimedOut); }

void ReferenceEndpoint::send_rst(std::uint32_t seq) {
  Segment rst;
  rst.seq = Seq(seq);
  rst.flags.rst = true;
  wire_->transmit(side_, conn_, rst);
}

void ReferenceEndpoint::send_active_rst() { send_rst(tcb_.snd_nxt.raw()); }

void ReferenceEndpoint::ack_unacceptable(bool rate_limited) {
  if (rate_limited) tcb_.last_oow_ack_us = now_us_;
  send_ack();
}

void ReferenceEndpoint::delete_tcb() {
  cancel_timer(rto_, TimerKind::Rto);
  cancel_timer(delayed_ack_, TimerKind::DelayedAck);
  cancel_timer(time_wait_, TimerKind::TimeWait);
  cancel_timer(fin_wait_2_, TimerKind::FinWait2);
  cancel_timer(probe_, TimerKind::Probe);
  cancel_timer(last_ack_, TimerKind::LastAck);
  retransmission_queue_.clear();
  tcb_.held.clear();
  held_arrivals_.clear();
  unsent_bytes_ = 0;
  fin_pending_ = false;
}

// ---- helpers -------------------------------------------------------------------

void ReferenceEndpoint::dispatch(const model::AnyEvent& event) {
  const std::size_t slot = trace_->begin_step();
  const model::Step step = machine_->process(event);
  tcb_.state = step.to;
  trace_->steps[slot] = StepRecord{
      now_us_, side_, conn_, step.from, step.to, model::event_name(event), step.row, arrival_};
}

void ReferenceEndpoint::transmit(const Segment& seg) {
  // Every segment carries ACK=RCV.NXT, so a pending delayed ACK rides on it.
  cancel_timer(delayed_ack_, TimerKind::DelayedAck);
  wire_->transmit(side_, conn_, seg);
}

void ReferenceEndpoint::push() {
  // Without Nagle every write goes out at once, in segments of the
  // scenario's unit (100 bytes). With it (RFC 9293 §3.7.4), writes coalesce
  // up to the MSS and a short segment waits while data is unacknowledged --
  // unless our FIN is queued behind it: closing pushes with Nagle off
  // (Linux tcp_send_fin(): __tcp_push_pending_frames(..., TCP_NAGLE_OFF)).
  while (unsent_bytes_ > 0) {
    const std::uint32_t unit = params_.nagle ? params_.mss_bytes : data_segment_bytes;
    const std::uint32_t len = std::min(unsent_bytes_, unit);
    const bool last = len == unsent_bytes_;
    if (params_.nagle && len < params_.mss_bytes && tcb_.snd_una != tcb_.snd_nxt &&
        !(last && fin_pending_))
      return;
    unsent_bytes_ -= len;
    send_new(len, last && fin_pending_);
    if (last) fin_pending_ = false;
  }
}

void ReferenceEndpoint::send_new(std::uint32_t len, bool fin) {
  Segment seg;
  seg.seq = tcb_.snd_nxt;
  seg.ack = tcb_.rcv_nxt;
  seg.len = len;
  seg.flags = Flags{.fin = fin, .ack = true, .psh = len > 0};
  retransmission_queue_.push_back({tcb_.snd_nxt, len, fin, now_us_, false});
  tcb_.snd_nxt += seg.seg_len();
  transmit(seg);
  // RFC 6298 §5.1: start the timer if it is not running.
  if (!rto_.armed()) set_timer(rto_, TimerKind::Rto, now_us_ + rto_us_);
  arm_probe();
}

Segment ReferenceEndpoint::ack_segment() const {
  Segment seg;
  seg.seq = tcb_.snd_nxt;
  seg.ack = tcb_.rcv_nxt;
  seg.flags.ack = true;
  return seg;
}

void ReferenceEndpoint::set_timer(Timer& t, TimerKind kind, std::int64_t deadline_us) {
  deadline_us = std::max(deadline_us, now_us_);  // a deadline already past fires now
  // A clock that ticks fires a timer at the first tick at or after its deadline.
  if (const std::int64_t tick = params_.timer_tick_us; tick > 0)
    deadline_us = (deadline_us + tick - 1) / tick * tick;
  record_timer(kind, t.armed() ? TimerOp::Restart : TimerOp::Set, deadline_us);
  t.set(deadline_us);
  timers_changed();
}

void ReferenceEndpoint::cancel_timer(Timer& t, TimerKind kind) {
  if (!t.armed()) return;
  record_timer(kind, TimerOp::Cancel, *t.deadline());
  t.cancel();
  timers_changed();
}

void ReferenceEndpoint::record_timer(TimerKind kind, TimerOp op, std::int64_t deadline_us) {
  if (!trace_->detailed) return;  // Monte Carlo loops read no timer records
  trace_->add(TimerRecord{now_us_, side_, conn_, kind, op, deadline_us});
}

void ReferenceEndpoint::record_app(AppOp op, std::uint32_t bytes, Seq seq) {
  trace_->add(AppRecord{now_us_, side_, conn_, op, seq, bytes, arrival_, {}});
}

// ---- the explorer's fingerprint ----------------------------------------------

void ReferenceEndpoint::fingerprint(Fingerprint& f, std::int64_t now_us) const {
  auto since = [&](std::int64_t t) { return now_us - t; };
  auto until = [&](const Timer& t) {
    f.add(t.armed());
    if (t.armed()) f.add(t.deadline_or_unarmed() - now_us);
  };
  f.add(static_cast<std::uint32_t>(machine_->state()));
  f.add(tcb_.snd_una.raw());
  f.add(tcb_.snd_nxt.raw());
  f.add(tcb_.rcv_nxt.raw());
  f.add(tcb_.max_snd_wnd);
  f.add(tcb_.fin_seq ? std::optional(tcb_.fin_seq->raw()) : std::nullopt);
  f.add(tcb_.peer_fin_seq ? std::optional(tcb_.peer_fin_seq->raw()) : std::nullopt);
  f.add(static_cast<std::uint32_t>(tcb_.held.size()));
  for (const model::Held& h : tcb_.held) {
    f.add(h.seq.raw());
    f.add(h.len);
    f.add(h.fin);
  }
  f.add(tcb_.orphaned);
  f.add(tcb_.last_oow_ack_us ? std::optional(since(*tcb_.last_oow_ack_us)) : std::nullopt);
  f.add(unsent_bytes_);
  f.add(fin_pending_);
  f.add(static_cast<std::uint32_t>(retransmission_queue_.size()));
  for (const Queued& q : retransmission_queue_) {
    f.add(q.seq.raw());
    f.add(q.len);
    f.add(q.fin);
    f.add(since(q.sent_us));
    f.add(q.retransmitted);
  }
  for (const Timer* t : {&rto_, &delayed_ack_, &time_wait_, &fin_wait_2_, &probe_, &last_ack_})
    until(*t);
  f.add(rto_us_);
  f.add(retransmissions_);
  f.add(retrans_stamp_us_ ? std::optional(since(*retrans_stamp_us_)) : std::nullopt);
  f.add(srtt_us_);
  f.add(rttvar_us_);
  f.add(probe_sent_);
  f.add(since(last_arrival_us_));
  f.add(reads_);
  f.add(eof_seen_);
  f.add(received_data_);
  f.add(unread_bytes_);
  f.add(shut_wr_);
  f.add(fd_closed_);
}

}  // namespace fincheck
