#include "model/classifier.hpp"

#include <cassert>

namespace fincheck::model {

namespace {

// §3.10.7.4 first check: with RCV.WND > 0, a zero-length segment is
// acceptable if RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; a longer one if its
// first or its last octet (SEG.SEQ+SEG.LEN-1) lies in the window.
bool acceptable(const Tcb& t, const Segment& seg) {
  const std::uint32_t len = seg.seg_len();
  if (len == 0) return in_window(seg.seq, t.rcv_nxt, t.rcv_wnd);
  return in_window(seg.seq, t.rcv_nxt, t.rcv_wnd) ||
         in_window(seg.seq + (len - 1), t.rcv_nxt, t.rcv_wnd);
}

// RFC 5961 §3.2: "If the RST bit is set and the sequence number exactly
// matches the next expected sequence number (RCV.NXT), then TCP MUST reset";
// Linux also at the peer's FIN once it has taken it (tcp_reset_check(),
// Tcb::rst_at_peer_fin).
bool rst_resets(const Tcb& t, const Segment& seg) {
  if (seg.seq == t.rcv_nxt) return true;
  const bool after_fin =
      t.state == State::CloseWait || t.state == State::LastAck || t.state == State::Closing;
  if (t.rst_at_peer_fin && after_fin && t.peer_fin_seq && seg.seq == *t.peer_fin_seq) return true;
  // Linux's orphaned FIN-WAIT-2 is a timewait socket: any RST in the window
  // ends it (Tcb::orphan_fin_wait_2_any_rst).
  return t.orphan_fin_wait_2_any_rst && t.orphaned && t.state == State::FinWait2 &&
         in_window(seg.seq, t.rcv_nxt, t.rcv_wnd);
}

// Our FIN occupies fin_seq; an ACK covers it once SEG.ACK > fin_seq.
bool acks_our_fin(const Tcb& t, Seq ack) { return t.fin_seq && ack > *t.fin_seq; }

bool is_fin_again(const Tcb& t, const Segment& seg) {
  return seg.flags.fin && t.peer_fin_seq && seg.seq + seg.len == *t.peer_fin_seq;
}

Reassembly reassemble(const Tcb& t, const Segment& seg) {
  const Held incoming{seg.seq, seg.len, seg.flags.fin};
  return walk_reassembly(t, &incoming, [](std::size_t, Seq, std::uint32_t) {});
}

// RFC 5961 §7: at most one ACK per interval in reply to unacceptable segments.
bool throttled(const Tcb& t, std::int64_t now_us) {
  return t.oow_ack_interval_us > 0 && t.last_oow_ack_us &&
         now_us - *t.last_oow_ack_us < t.oow_ack_interval_us;
}

// The ACK field's range test of the fifth check (RFC 5961 §5.2):
// (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT.
Check ack_range(const Tcb& t, Seq ack) {
  if (ack > t.snd_nxt) return Check::AckUnsent;
  if (ack < t.snd_una + (0U - t.max_snd_wnd)) return Check::AckTooOld;
  return Check::Accepted;
}

// An ACK that answers an unacceptable segment, unless the rate limit holds it back.
template <class Event>
void answer(Classification& c, const Tcb& t, std::int64_t now_us, bool rate_limited) {
  if (rate_limited && throttled(t, now_us)) {
    c.rate_limited = true;
    return;
  }
  Event e;
  e.rate_limited = rate_limited;
  c.add(e);
}

void classify_rst(const ClassifierRules& rules, Classification& c, const Tcb& t, const Segment& seg,
                  std::int64_t now_us) {
  // §3.10.7.4 second check as RFC 5961 §3.2 amends it.
  if (rules.rst_resets(t, seg)) {
    c.check = Check::RstExact;
    c.add(RstInWindow{});
  } else if (in_window(seg.seq, t.rcv_nxt, t.rcv_wnd)) {
    c.check = Check::RstInexact;
    answer<RstChallenge>(c, t, now_us, true);
  } else {
    c.check = Check::RstOutside;
  }
}

// The ACK field of a segment that is dropped all the same
// (Parameters::ack_of_unacceptable: lwIP's tcp_receive()).
void ack_of_unacceptable(const ClassifierRules& rules, Classification& c, const Tcb& t,
                         const Segment& seg) {
  if (!t.ack_of_unacceptable || !seg.flags.ack) return;
  if (seg.ack <= t.snd_una || rules.ack_range(t, seg.ack) != Check::Accepted) return;
  c.ack_to = seg.ack;
  if (rules.acks_our_fin(t, seg.ack)) c.add(AckOfFin{t.orphaned});
}

}  // namespace

std::string_view to_string(Check c) {
  switch (c) {
    case Check::Closed:
      return "closed";
    case Check::RstOutside:
      return "rst-outside-window";
    case Check::RstExact:
      return "rst-exact";
    case Check::RstInexact:
      return "rst-inexact";
    case Check::FinAgain:
      return "fin-again";
    case Check::Unacceptable:
      return "unacceptable";
    case Check::NoAck:
      return "no-ack";
    case Check::AckUnsent:
      return "ack-unsent";
    case Check::AckTooOld:
      return "ack-too-old";
    case Check::DataAfterClose:
      return "data-after-close";
    case Check::Accepted:
      return "accepted";
  }
  return "?";
}

const ClassifierRules& reference_rules() {
  static const ClassifierRules rules{acceptable,   rst_resets,   ack_range,
                                     acks_our_fin, is_fin_again, reassemble};
  return rules;
}

namespace {

Classification classify_segment(const ClassifierRules& rules, const Tcb& t, const Segment& seg,
                                std::int64_t now_us) {
  Classification c;
  c.reassembly.rcv_nxt = t.rcv_nxt;
  if (t.state == State::Closed) {
    // §3.10.7.1: "An incoming segment containing a RST is discarded. An
    // incoming segment not containing a RST causes a RST to be sent".
    c.check = Check::Closed;
    if (!seg.flags.rst) c.add(SegmentWhileClosed{seg.ack.raw()});
    return c;
  }
  if (seg.flags.rst) {
    classify_rst(rules, c, t, seg, now_us);
    return c;
  }
  if (rules.is_fin_again(t, seg)) {
    // Linux takes the ACK field first; when it completes the close the
    // segment is discarded, its FIN unanswered (Tcb::fin_again_closes_silently).
    const bool closes = t.fin_again_closes_silently && t.ack_of_unacceptable && seg.flags.ack &&
                        (t.state == State::Closing || t.state == State::LastAck) &&
                        seg.ack > t.snd_una && rules.acks_our_fin(t, seg.ack) &&
                        rules.ack_range(t, seg.ack) == Check::Accepted;
    if (closes) {
      c.check = Check::FinAgain;
      ack_of_unacceptable(rules, c, t, seg);
      return c;
    }
    // Not acceptable, but the eighth check names it: every state that has
    // taken a FIN acknowledges it again (TIME-WAIT also restarts 2 MSL).
    // Its FIN is judged in the state it arrived in, before any ACK field a
    // stack takes from it (Parameters::ack_of_unacceptable) moves the state:
    // a retransmitted FIN that reaches CLOSING is acknowledged there, it
    // does not restart a TIME-WAIT that its own ACK field began.
    c.check = Check::FinAgain;
    c.add(FinAgain{});
    ack_of_unacceptable(rules, c, t, seg);
    return c;
  }
  if (!rules.acceptable(t, seg)) {
    // First check: "If an incoming segment is not acceptable, an
    // acknowledgment should be sent in reply". A retransmission of the last
    // segment taken (it ends at RCV.NXT: our ACK of it was lost) is answered
    // outside the rate limit, as Linux does (tcp_sequence() passes a
    // segment ending at rcv_wup; tcp_data_queue() ACKs it at once).
    c.check = Check::Unacceptable;
    ack_of_unacceptable(rules, c, t, seg);
    const bool retransmission = seg.seg_len() > 0 && seg.seq + seg.seg_len() == t.rcv_nxt;
    answer<OutOfWindow>(c, t, now_us, !retransmission);
    return c;
  }
  // Fifth check.
  if (!seg.flags.ack) {
    c.check = Check::NoAck;
    return c;
  }
  if (const Check range = rules.ack_range(t, seg.ack); range != Check::Accepted) {
    c.check = range;
    answer<OutOfWindow>(c, t, now_us, true);
    return c;
  }
  const bool acked_our_fin = seg.ack > t.snd_una && rules.acks_our_fin(t, seg.ack);
  if (seg.ack > t.snd_una) c.ack_to = seg.ack;
  // Seventh check: text is taken in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2;
  // after the peer's FIN "This should not occur ... Ignore the segment text".
  const bool text = seg.seg_len() > 0 && !t.peer_fin_seq;
  // A FIN beyond RCV.NXT says the peer sent data after close() that never
  // arrived: Linux answers it as data (Tcb::orphan_rst_on_gap).
  const bool gap = t.orphan_rst_on_gap && seg.flags.fin && seg.seq > t.rcv_nxt;
  if (text && t.orphaned && (seg.len > 0 || gap) && seg.seq + seg.len > t.rcv_nxt) {
    // RFC 1122 §4.2.2.13 and RFC 2525 §2.17: data for a socket that was
    // closed is answered by RST (Linux tcp_rcv_state_process, FIN-WAIT-1/2).
    c.check = Check::DataAfterClose;
    // In FIN-WAIT-1 an ACK of our FIN comes first (FIN-WAIT-2); a FIN that
    // does not ACK ours leads to CLOSING, not TIME-WAIT.
    const bool into_time_wait =
        rules.reassemble(t, seg).fin && (t.state == State::FinWait2 || acked_our_fin);
    if (acked_our_fin) c.add(AckOfFin{t.orphaned});
    c.add(DataAfterClose{(t.orphan_rst_at_snd_nxt ? t.snd_nxt : seg.ack).raw(),
                         t.orphan_data_with_fin_silent && into_time_wait});
    return c;
  }
  if (text) {
    c.take_text = true;
    c.reassembly = rules.reassemble(t, seg);
  }
  const bool fin = c.reassembly.fin;
  // In FIN-WAIT-1 a FIN that also acknowledges ours is one event, Fin with
  // AcksOurFin: TIME-WAIT directly (eighth check), not FIN-WAIT-2 first.
  if (acked_our_fin && !(fin && t.state == State::FinWait1)) c.add(AckOfFin{t.orphaned});
  if (text && !fin) c.add(Text{});
  if (fin) c.add(Fin{acked_our_fin || t.our_fin_acked()});
  assert(c.count <= c.events.size());
  return c;
}

}  // namespace

Classification classify(const ClassifierRules& rules, const Tcb& t, const Segment& seg,
                        std::int64_t now_us) {
  Classification c = classify_segment(rules, t, seg, now_us);
  // Linux restarts TIME-WAIT on every segment with ACK but a RST
  // (Tcb::time_wait_restarts_on_ack); a retransmitted FIN restarts it anyway.
  const bool restart = t.time_wait_restarts_on_ack && t.state == State::TimeWait && seg.flags.ack &&
                       !seg.flags.rst && c.check != Check::FinAgain;
  if (restart) c.add(AckInTimeWait{});
  return c;
}

}  // namespace fincheck::model
