#include "properties/shadow.hpp"

#include <algorithm>
#include <utility>

#include "impl/duration.hpp"
#include "impl/ladder.hpp"
#include "impl/reference_endpoint.hpp"
#include "impl/wire.hpp"

namespace fincheck {

namespace {

std::string at(std::int64_t us) { return format_seconds(us) + " s"; }

std::string seq_text(Seq s) { return std::to_string(s.raw()); }

bool bare_ack(const Segment& seg) { return !seg.flags.rst && seg.seg_len() == 0; }

}  // namespace

void SeamObservations::add_timing(std::int64_t offset_us) {
  earliest_us = timer_firings == 0 ? offset_us : std::min(earliest_us, offset_us);
  latest_us = timer_firings == 0 ? offset_us : std::max(latest_us, offset_us);
  ++timer_firings;
}

void SeamObservations::merge(const SeamObservations& o) {
  if (o.timer_firings > 0) {
    earliest_us = timer_firings == 0 ? o.earliest_us : std::min(earliest_us, o.earliest_us);
    latest_us = timer_firings == 0 ? o.latest_us : std::max(latest_us, o.latest_us);
  }
  timer_firings += o.timer_firings;
  extra_bare_acks += o.extra_bare_acks;
  if (row_hits.size() < o.row_hits.size()) row_hits.resize(o.row_hits.size(), 0);
  for (std::size_t i = 0; i < o.row_hits.size(); ++i) row_hits[i] += o.row_hits[i];
}

ShadowedEndpoint::ShadowedEndpoint(const EndpointSetup& setup, const DriverFactory& stack,
                                   const StackCapabilities& caps, std::string name,
                                   std::vector<Divergence>& out, SeamObservations& seen)
    : side_(setup.side),
      conn_(setup.conn),
      trace_(*setup.trace),
      wire_(*setup.wire),
      name_(std::move(name)),
      caps_(caps),
      out_(out),
      seen_(seen),
      tolerance_us_(std::max(setup.params.timer_tolerance_us(), caps.granularity_us)),
      first_seq_(setup.iss + 1),
      stack_sent_end_(setup.iss + 1),
      rcv_nxt_before_(setup.irs + 1),
      next_byte_(setup.irs + 1) {
  EndpointSetup shadow = setup;
  shadow.trace = &shadow_trace_;
  shadow.wire = &shadow_wire_;
  shadow_trace_.detailed = false;
  shadow_ = std::make_unique<ReferenceEndpoint>(shadow, model::reference_table());
  stack_ = stack(DriverSetup{setup, this});
  shift_ = setup.iss.raw() - stack_->iss().raw();
}

ShadowedEndpoint::~ShadowedEndpoint() {
  // Counted over the connection: the shadow's delayed ACKs go off later
  // than the stack's (when overdue), so no single call compares them.
  const std::uint32_t model = shadow_wire_.bare_acks;
  if (stack_bare_acks_ > model) seen_.extra_bare_acks += stack_bare_acks_ - model;
}

std::string ShadowedEndpoint::who() const { return name_ + " as " + name_of(side_); }

model::State ShadowedEndpoint::state() const {
  if (caps_.state_observable)
    if (const std::optional<model::State> s = stack_->state()) return *s;
  return shadow_->state();
}

// ---- what the driver is given ----------------------------------------------

void ShadowedEndpoint::begin(std::int64_t now_us) {
  // Time passes first: whatever the stack's timers do up to `now_us` is
  // judged as timer work, before the shadow sees the new stimulus.
  advance(now_us);
  rcv_nxt_before_ = shadow_->rcv_nxt();
}

void ShadowedEndpoint::call(std::int64_t now_us, AppOp op, std::uint32_t segments) {
  begin(now_us);
  const Seq write_end = shadow_->write_end();
  const bool send = op == AppOp::Send;
  // A write goes to the stack first: it may take only part of it (its send
  // buffer full), and the shadow writes what it took.
  if (!send) make_call(*shadow_, now_us, op, segments);
  taken_segments_ = segments;
  // The call is on record before anything it causes; a refusal replaces it.
  refusable_ = static_cast<std::int64_t>(trace_.app.size());
  trace_.add(AppRecord{now_us,
                       side_,
                       conn_,
                       op,
                       send ? write_end : Seq{},
                       send ? segments * data_segment_bytes : 0,
                       -1,
                       {}});
  in_call_ = true;
  stack_->call(now_us, op, segments);
  in_call_ = false;
  refusable_ = -1;
  if (send) make_call(*shadow_, now_us, op, taken_segments_);
  judge(now_us);
}

bool ShadowedEndpoint::receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) {
  begin(now_us);
  const bool accepted = shadow_->receive(now_us, seg, arrival);
  Segment in = seg;
  in.ack = seg.ack + (0U - shift_);  // in the stack's numbering
  const std::vector<std::uint8_t> bytes = encode(to_wire(peer_of(side_), in, ++ip_id_));
  arrival_ = arrival;
  in_call_ = true;
  stack_->deliver(now_us, bytes);
  in_call_ = false;
  judge(now_us);
  arrival_ = -1;
  return accepted;
}

void ShadowedEndpoint::advance(std::int64_t now_us) {
  rcv_nxt_before_ = shadow_->rcv_nxt();
  in_call_ = true;
  stack_->advance(now_us);
  in_call_ = false;
  judge(now_us);
}

std::optional<std::int64_t> ShadowedEndpoint::next_deadline() const {
  std::optional<std::int64_t> next = stack_->next_deadline();
  // Wake when a shadow timer becomes overdue, to see whether the stack did
  // what it does.
  if (judging_)
    for (TimerKind kind : all_timer_kinds)
      if (const auto overdue = overdue_after(kind))
        if (!next || *overdue + 1 < *next) next = *overdue + 1;
  return next;
}

// ---- what the driver reports -----------------------------------------------

void ShadowedEndpoint::emitted(std::int64_t at_us, std::span<const std::uint8_t> packet) {
  const auto decoded = decode(packet);
  if (const auto* e = std::get_if<DecodeError>(&decoded))
    return stack_error(at_us, "sent a malformed packet: " + e->message);
  auto seg = from_wire(std::get<WireSegment>(decoded));
  if (!seg || seg->first != side_)
    return stack_error(at_us, "sent a packet to an address not in the run");
  seg->second.seq = seg->second.seq + shift_;  // the scenario's numbering
  transmit(side_, conn_, seg->second);
}

void ShadowedEndpoint::transmit(Side from, int conn, const Segment& seg) {
  sent_.push_back(seg);
  wire_.transmit(from, conn, seg);
}

void ShadowedEndpoint::app_event(std::int64_t at_us, AppOp op, std::uint32_t bytes,
                                 const std::string& note) {
  AppRecord r{at_us, side_, conn_, op, {}, 0, arrival_, {}};
  switch (op) {
    case AppOp::Data:
      // A stack hands data over in order; the peer's numbering is the scenario's.
      r.seq = next_byte_;
      r.bytes = bytes;
      next_byte_ += bytes;
      break;
    case AppOp::Eof:
      r.seq = next_byte_;
      eof_seen_ = true;
      break;
    case AppOp::Refused:
      r.arrival = -1;
      r.note = note;
      if (refusable_ >= 0) {
        AppRecord& call = trace_.app[static_cast<std::size_t>(refusable_)];
        refusable_ = -1;
        if (call.op == AppOp::Send) {
          // `bytes`: how much of the write the stack took before refusing.
          taken_segments_ = std::min(taken_segments_, bytes / data_segment_bytes);
          if (taken_segments_ > 0) {
            call.bytes = taken_segments_ * data_segment_bytes;
            call.note = "the rest refused: " + note;
            return;
          }
        }
        r.arrivals_before = call.arrivals_before;
        call = std::move(r);
        return;
      }
      break;
    case AppOp::Reset:
    case AppOp::TimedOut:
      break;
    default:
      return stack_error(
          at_us, "reported an application event that is a call: " + std::string(to_string(op)));
  }
  trace_.add(std::move(r));
}

void ShadowedEndpoint::settled(std::int64_t at_us) {
  if (in_call_) return;  // judged when the call returns
  // Nothing seen changed: the shadow's timers wake the simulator themselves.
  if (sent_.empty() && state() == last_state_) return;
  rcv_nxt_before_ = shadow_->rcv_nxt();
  judge(at_us);
}

void ShadowedEndpoint::stack_error(std::int64_t at_us, const std::string& message) {
  trace_.stack_errors.push_back({at_us, side_, name_ + " " + message});
  if (!judging_) return;
  judging_ = false;
  out_.push_back({"stack-error", "at " + at(at_us) + ": " + who() + " " + message, at_us});
}

// ---- the judging -----------------------------------------------------------

std::optional<std::int64_t> ShadowedEndpoint::overdue_after(TimerKind kind) const {
  const std::optional<std::int64_t> deadline = shadow_->deadline_of(kind);
  if (!deadline) return std::nullopt;
  if (kind != TimerKind::Rto) return *deadline + tolerance(kind);
  // RFC 6298 lets a stack's retransmission timeout grow with the RTT it
  // measures, up to the maximum (§2.5): the latest a retransmission may come
  // is that long after the shadow armed its timer.
  return *deadline - shadow_->rto_us() + std::max(shadow_->params().rto_max_us, shadow_->rto_us()) +
         tolerance(kind);
}

std::int64_t ShadowedEndpoint::tolerance(TimerKind kind) const {
  const model::Parameters& p = shadow_->params();
  if (p.timer_slack_divisor == 0) return tolerance_us_;
  std::int64_t length = shadow_->rto_us();  // Rto and Probe
  if (kind == TimerKind::DelayedAck) length = std::max(p.delayed_ack_us, p.delayed_ack_first_us);
  if (kind == TimerKind::TimeWait) length = p.time_wait();
  if (kind == TimerKind::FinWait2) length = p.fin_wait_2_timeout_us;
  if (kind == TimerKind::LastAck) length = p.last_ack_timeout_us;
  return tolerance_us_ + length / p.timer_slack_divisor;
}

void ShadowedEndpoint::fire_shadow_timer(TimerKind kind, std::int64_t now_us) {
  if (const std::optional<std::int64_t> deadline = shadow_->deadline_of(kind))
    seen_.add_timing(now_us - *deadline);
  shadow_->fire_timer(kind, now_us);
  if (kind == TimerKind::Rto || kind == TimerKind::Probe) rto_fired_at_ = now_us;
}

void ShadowedEndpoint::judge(std::int64_t now_us) {
  // What the stack sent since the last judging -- in this call, or when the
  // other side's call ticked the stack both share -- and the shadow's RSTs.
  const std::vector<Segment> sent = std::exchange(sent_, {});
  std::vector<Seq> model_rsts = std::exchange(shadow_wire_.rsts, {});
  if (judging_) {
    stack_bare_acks_ +=
        static_cast<std::uint32_t>(std::count_if(sent.begin(), sent.end(), bare_ack));
    for (const Segment& seg : sent) {
      if (!judging_) break;
      if (seg.flags.rst) {
        const auto it = std::find(model_rsts.begin(), model_rsts.end(), seg.seq);
        if (it == model_rsts.end()) {
          diverge(now_us, "segment",
                  who() + " sent " + describe_segment(seg) + "; the model sends no RST then");
          break;
        }
        model_rsts.erase(it);
        continue;
      }
      judge_segment(now_us, seg);
    }
    if (judging_ && !model_rsts.empty())
      diverge(now_us, "segment",
              "the model sends R seq " + seq_text(model_rsts.front()) + "; " + who() +
                  " sends no RST then");
    if (judging_) fire_overdue(now_us);
    if (judging_) reconcile_state(now_us);
  }
  record_steps(now_us);
}

void ShadowedEndpoint::judge_segment(std::int64_t now_us, const Segment& seg) {
  const auto sent = [&] { return who() + " sent " + describe_segment(seg); };
  if (seg.flags.ack) {
    const Seq lo = rcv_nxt_before_;
    const Seq hi = shadow_->rcv_nxt();
    if (seg.ack < lo || seg.ack > hi)
      return diverge(now_us, "segment",
                     sent() + "; the model's RCV.NXT is " + seq_text(lo) +
                         (lo == hi ? "" : " to " + seq_text(hi)));
  }
  if (seg.seg_len() == 0) {
    if (seg.seq < shadow_->snd_una() || seg.seq > shadow_->snd_nxt())
      diverge(now_us, "segment",
              sent() + "; the model's SND.UNA is " + seq_text(shadow_->snd_una()) +
                  " and SND.NXT " + seq_text(shadow_->snd_nxt()));
    return;
  }
  const std::optional<Seq> fin = shadow_->fin_seq();
  const Seq data_end = fin ? *fin : shadow_->snd_nxt();
  if (seg.seq < first_seq_ || seg.seq + seg.len > data_end)
    return diverge(now_us, "segment",
                   sent() + "; the model has sent data from " + seq_text(first_seq_) + " to " +
                       seq_text(data_end));
  if (seg.flags.fin && (!fin || seg.seq + seg.len != *fin))
    return diverge(now_us, "segment",
                   sent() + (fin ? "; the model's FIN is at " + seq_text(*fin)
                                 : "; the model has not sent a FIN"));
  if (seg.seq < stack_sent_end_ && rto_fired_at_ != now_us) {
    // A retransmission: the shadow's retransmission timer goes off with the
    // stack's, between the minimum RTO and RTO max (RFC 6298 §2) after the
    // shadow armed it, within the tolerance. A tail loss probe (RFC 8985) is
    // the first retransmission when the shadow has one armed.
    const std::optional<std::int64_t> latest = overdue_after(TimerKind::Rto);
    if (!latest)
      return diverge(now_us, "segment",
                     sent() + ", a retransmission; the model has nothing to retransmit (SND.UNA " +
                         seq_text(shadow_->snd_una()) + ")");
    if (*latest < now_us)
      return diverge(now_us, "timer",
                     sent() + ", a retransmission later than the model's timeout allows (" +
                         at(*latest) + ")");
    if (shadow_->deadline_of(TimerKind::Probe)) {
      fire_shadow_timer(TimerKind::Probe, now_us);
    } else {
      const auto [armed, floor] = *shadow_->rto_window();
      if (now_us < armed + floor - tolerance(TimerKind::Rto))
        return diverge(now_us, "timer",
                       sent() + ", a retransmission " + format_duration(now_us - armed) +
                           " after the model armed its retransmission timer (" + at(armed) +
                           "); the minimum RTO is " + format_duration(floor));
      fire_shadow_timer(TimerKind::Rto, now_us);
    }
  }
  const Seq end = seg.seq + seg.seg_len();
  if (end > stack_sent_end_) stack_sent_end_ = end;
}

void ShadowedEndpoint::fire_overdue(std::int64_t now_us) {
  for (TimerKind kind : all_timer_kinds) {
    const std::optional<std::int64_t> overdue = overdue_after(kind);
    if (!judging_ || !overdue || *overdue >= now_us) continue;
    if (kind == TimerKind::Rto)
      return diverge(now_us, "timer",
                     who() + " has not retransmitted by " + at(now_us) +
                         "; the model's retransmission timer went off at " +
                         at(*shadow_->deadline_of(kind)) + ", and no timeout up to RTO max (" +
                         at(shadow_->params().rto_max_us) + ") waits that long");
    shadow_->fire_timer(kind, now_us);
  }
}

void ShadowedEndpoint::reconcile_state(std::int64_t now_us) {
  // The stack's timer may have gone off a little before the shadow's: fire
  // the shadow's that are due within the tolerance, earliest first.
  if (!caps_.state_observable) return;
  const std::optional<model::State> observed = stack_->state();
  if (!observed) return;
  for (int fired = 0; judging_ && *observed != shadow_->state(); ++fired) {
    const auto t = shadow_->next_timer();
    if (!t || t->deadline_us > now_us + tolerance(t->kind) || fired == 4) {
      std::string next = "no timer of the model's is due";
      if (t)
        next = "the model's next timer, " + std::string(to_string(t->kind)) + ", goes off at " +
               at(t->deadline_us);
      return diverge(now_us, "state",
                     who() + " is in " + std::string(model::to_string(*observed)) +
                         "; the model is in " + std::string(model::to_string(shadow_->state())) +
                         " (" + next + ")");
    }
    fire_shadow_timer(t->kind, now_us);
  }
}

void ShadowedEndpoint::record_steps(std::int64_t now_us) {
  const model::State observed = state();
  const std::vector<StepRecord>& shadow_steps = shadow_trace_.steps;
  const std::size_t from = std::exchange(shadow_steps_seen_, shadow_steps.size());
  // Every row the shadow took, those that stay in their state too: the
  // stack's trace keeps only the chains that changed its state.
  for (std::size_t i = from; i < shadow_steps.size(); ++i) {
    if (shadow_steps[i].row < 0) continue;
    const auto row = static_cast<std::size_t>(shadow_steps[i].row);
    if (seen_.row_hits.size() <= row) seen_.row_hits.resize(row + 1, 0);
    ++seen_.row_hits[row];
  }
  if (observed == last_state_) return;
  // The rows the shadow took, in order, from the state last seen to the
  // one seen now; a row that stays in its state changes nothing seen.
  std::vector<const StepRecord*> chain;
  model::State reached = last_state_;
  for (std::size_t i = from; i < shadow_steps.size(); ++i) {
    const StepRecord& s = shadow_steps[i];
    if (s.from == reached && s.to != s.from) {
      chain.push_back(&s);
      reached = s.to;
    }
  }
  if (reached == observed) {
    for (const StepRecord* s : chain)
      trace_.add(StepRecord{s->at_us, side_, conn_, s->from, s->to, s->cause, s->row, s->arrival});
  } else {
    trace_.add(StepRecord{now_us, side_, conn_, last_state_, observed,
                          judging_ ? unexplained_cause : unjudged_cause, -1, arrival_});
  }
  last_state_ = observed;
}

void ShadowedEndpoint::diverge(std::int64_t now_us, std::string kind, const std::string& what) {
  judging_ = false;
  out_.push_back({std::move(kind), "at " + at(now_us) + ": " + what, now_us});
}

}  // namespace fincheck
