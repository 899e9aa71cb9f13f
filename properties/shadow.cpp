#include "properties/shadow.hpp"

#include <algorithm>
#include <utility>

#include "impl/duration.hpp"
#include "impl/ladder.hpp"

namespace fincheck {

namespace {

std::string at(std::int64_t us) { return format_seconds(us) + " s"; }

std::string seq_text(Seq s) { return std::to_string(s.raw()); }

}  // namespace

ShadowedEndpoint::ShadowedEndpoint(const EndpointSetup& setup, const EndpointFactory& stack,
                                   std::string name, std::vector<Divergence>& out)
    : side_(setup.side),
      wire_(*setup.wire),
      name_(std::move(name)),
      out_(out),
      tolerance_us_(setup.params.timer_tolerance_us()),
      first_seq_(setup.iss + 1),
      stack_sent_end_(setup.iss + 1),
      rcv_nxt_before_(setup.irs + 1) {
  EndpointSetup shadow = setup;
  shadow.trace = &shadow_trace_;
  shadow.wire = &shadow_wire_;
  shadow_trace_.detailed = false;
  shadow_ = std::make_unique<ReferenceEndpoint>(shadow, model::reference_table());
  EndpointSetup own = setup;
  own.wire = this;
  stack_ = stack(own);
}

std::string ShadowedEndpoint::who() const { return name_ + " as " + name_of(side_); }

void ShadowedEndpoint::transmit(Side from, int conn, const Segment& seg) {
  sent_.push_back(seg);
  wire_.transmit(from, conn, seg);
}

void ShadowedEndpoint::begin(std::int64_t now_us) {
  // Time passes first: whatever the stack's timers do up to `now_us` is
  // judged as timer work, before the shadow sees the new stimulus.
  advance(now_us);
  rcv_nxt_before_ = shadow_->rcv_nxt();
}

void ShadowedEndpoint::app_close(std::int64_t now_us) {
  begin(now_us);
  shadow_->app_close(now_us);
  stack_->app_close(now_us);
  judge(now_us);
}

void ShadowedEndpoint::app_shutdown(std::int64_t now_us) {
  begin(now_us);
  shadow_->app_shutdown(now_us);
  stack_->app_shutdown(now_us);
  judge(now_us);
}

void ShadowedEndpoint::app_abort(std::int64_t now_us) {
  begin(now_us);
  shadow_->app_abort(now_us);
  stack_->app_abort(now_us);
  judge(now_us);
}

void ShadowedEndpoint::app_send(std::int64_t now_us, std::uint32_t segments) {
  begin(now_us);
  shadow_->app_send(now_us, segments);
  stack_->app_send(now_us, segments);
  judge(now_us);
}

bool ShadowedEndpoint::receive(std::int64_t now_us, const Segment& seg, std::int64_t arrival) {
  begin(now_us);
  shadow_->receive(now_us, seg, -1);
  const bool accepted = stack_->receive(now_us, seg, arrival);
  judge(now_us);
  return accepted;
}

void ShadowedEndpoint::advance(std::int64_t now_us) {
  rcv_nxt_before_ = shadow_->rcv_nxt();
  stack_->advance(now_us);
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

std::optional<std::int64_t> ShadowedEndpoint::overdue_after(TimerKind kind) const {
  const std::optional<std::int64_t> deadline = shadow_->deadline_of(kind);
  if (!deadline) return std::nullopt;
  if (kind != TimerKind::Rto) return *deadline + tolerance_us_;
  // RFC 6298 lets a stack's retransmission timeout grow with the RTT it
  // measures, up to the maximum (§2.5): the latest a retransmission may come
  // is that long after the shadow armed its timer.
  return *deadline - shadow_->rto_us() + std::max(shadow_->params().rto_max_us, shadow_->rto_us()) +
         tolerance_us_;
}

void ShadowedEndpoint::judge(std::int64_t now_us) {
  // What the stack sent since the last judging -- in this call, or when the
  // other side's call ticked the lwIP both share -- and the shadow's RSTs.
  const std::vector<Segment> sent = std::exchange(sent_, {});
  std::vector<Seq> model_rsts = std::exchange(shadow_wire_.rsts, {});
  if (!judging_) return;
  for (const Segment& seg : sent) {
    if (seg.flags.rst) {
      const auto it = std::find(model_rsts.begin(), model_rsts.end(), seg.seq);
      if (it == model_rsts.end())
        return diverge(now_us, "segment",
                       who() + " sent " + describe_segment(seg) + "; the model sends no RST then");
      model_rsts.erase(it);
      continue;
    }
    judge_segment(now_us, seg);
    if (!judging_) return;
  }
  if (!model_rsts.empty())
    return diverge(now_us, "segment",
                   "the model sends R seq " + seq_text(model_rsts.front()) + "; " + who() +
                       " sends no RST then");
  fire_overdue(now_us);
  reconcile_state(now_us);
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
    // stack's, however early (RFC 6298 §2), never later than the tolerance.
    const std::optional<std::int64_t> latest = overdue_after(TimerKind::Rto);
    if (!latest)
      return diverge(now_us, "segment",
                     sent() + ", a retransmission; the model has nothing to retransmit (SND.UNA " +
                         seq_text(shadow_->snd_una()) + ")");
    if (*latest < now_us)
      return diverge(now_us, "timer",
                     sent() + ", a retransmission later than the model's timeout allows (" +
                         at(*latest) + ")");
    // A tail loss probe (RFC 8985) is the first retransmission when the
    // shadow has one armed; an RTO's otherwise.
    shadow_->fire_timer(shadow_->deadline_of(TimerKind::Probe) ? TimerKind::Probe : TimerKind::Rto,
                        now_us);
    rto_fired_at_ = now_us;
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
  for (int fired = 0; judging_ && stack_->state() != shadow_->state(); ++fired) {
    const auto t = shadow_->next_timer();
    if (!t || t->deadline_us > now_us + tolerance_us_ || fired == 4) {
      std::string next = "no timer of the model's is due";
      if (t)
        next = "the model's next timer, " + std::string(to_string(t->kind)) + ", goes off at " +
               at(t->deadline_us);
      return diverge(now_us, "state",
                     who() + " is in " + std::string(model::to_string(stack_->state())) +
                         "; the model is in " + std::string(model::to_string(shadow_->state())) +
                         " (" + next + ")");
    }
    shadow_->fire_timer(t->kind, now_us);
    if (t->kind == TimerKind::Rto) rto_fired_at_ = now_us;
  }
}

void ShadowedEndpoint::diverge(std::int64_t now_us, std::string kind, const std::string& what) {
  judging_ = false;
  out_.push_back({std::move(kind), "at " + at(now_us) + ": " + what});
}

}  // namespace fincheck
