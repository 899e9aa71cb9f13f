#include "explore/history.hpp"

#include <algorithm>
#include <functional>

#include "model/events.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::explore {

namespace {

void add_state(Fingerprint& f, model::State s) { f.add(static_cast<std::uint32_t>(s)); }
void add_side(Fingerprint& f, Side s) { f.add(s == Side::A); }

// The segments: what the preconditions count (losses, duplicates, delays
// other than the default, the longest one-way delay, order per direction)
// and whether a RST was sent or lost (no-rst-single-loss, eventually-closed,
// fault-free-close-is-four-segments).
void segment_facts(const Scenario& s, const Trace& t, Fingerprint& f) {
  bool rst_sent = false, rst_lost = false, duplicated = false, off_default = false;
  bool reordered = false;
  std::int64_t longest = 0;
  std::array<std::int64_t, 2> last{-1, -1};
  for (const SegmentRecord& r : t.segments) {
    rst_sent |= r.seg.flags.rst;
    rst_lost |= r.seg.flags.rst && r.fate == Fate::Dropped;
    duplicated |= r.fate == Fate::Duplicated;
    off_default |= r.fate != Fate::Delivered || r.arrivals_us[0] - r.sent_us != s.delay_us;
    if (r.arrival_count == 0) continue;
    const std::int64_t at = r.arrivals_us[0];
    longest = std::max(longest, at - r.sent_us);
    std::int64_t& l = last[r.from == Side::A ? 0 : 1];
    reordered |= at < l;
    l = at;
  }
  for (bool b : {rst_sent, rst_lost, duplicated, off_default, reordered}) f.add(b);
  f.add(longest);
  f.add(last[0]);
  f.add(last[1]);
}

// The kinds of step taken (transitions-in-table; a timer RFC 9293 does not
// have; how an end died), and per side when it died and how its FIN and the
// peer's were ordered (time-wait-only-active-closer, half-close-delivers).
void step_facts(const Trace& t, Fingerprint& f) {
  std::vector<std::uint64_t> kinds;
  for (const StepRecord& s : t.steps) {
    Fingerprint k;
    add_side(k, s.endpoint);
    add_state(k, s.from);
    add_state(k, s.to);
    k.add(static_cast<std::uint64_t>(std::hash<std::string_view>{}(s.cause)));
    k.add(static_cast<std::int64_t>(s.row));
    kinds.push_back(k.value());
  }
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  for (std::uint64_t k : kinds) f.add(k);
  for (Side side : {Side::A, Side::B}) {
    f.add(died_at(t, side, 1));
    std::optional<std::int64_t> closed_at;  // eventually-closed's bound
    for (const StepRecord& s : t.steps)
      if (s.endpoint == side && s.to == model::State::Closed && !closed_at) closed_at = s.at_us;
    f.add(closed_at);
    const auto fin = first_fin_sent(t, side, 1);
    const auto taken = first_fin_taken(t, side, 1);
    f.add(fin.has_value());
    f.add(taken.has_value());
    if (taken) {
      const StepRecord& took = t.steps[*taken];
      f.add(took.at_us);
      add_state(f, took.to);
      f.add(fin && (took.arrival < 0 || t.segments[*fin].arrivals_before <=
                                            static_cast<std::uint32_t>(took.arrival)));
    }
  }
}

// TIME-WAIT: each entry, where its 2*MSL counts from, each FIN or ACK that
// reached it and whether it was ACKed in reply, and each exit
// (time-wait-lasts-2msl, time-wait-restarts-on-fin).
void time_wait_facts(const Scenario& s, const Trace& t, Fingerprint& f) {
  for (const StepRecord& st : t.steps) {
    if (st.from != model::State::TimeWait && st.to != model::State::TimeWait) continue;
    if (st.from == st.to) continue;
    add_side(f, st.endpoint);
    f.add(st.at_us);
    add_state(f, st.to);
    f.add(static_cast<std::uint64_t>(std::hash<std::string_view>{}(st.cause)));
    if (st.to == model::State::TimeWait) f.add(time_wait_start(s, t, st));
  }
  for (std::size_t k = 0; k < t.arrivals.size(); ++k) {
    const ArrivalRecord& a = t.arrivals[k];
    if (!is_ack_in_time_wait(t, a) && !is_fin_in_time_wait(t, a)) continue;
    add_side(f, a.to);
    f.add(a.at_us);
    f.add(is_fin_in_time_wait(t, a));
    const SegmentRecord& r = t.segments[a.segment];
    const Seq covers = r.seg.seq + r.seg.seg_len();
    bool acked = false;
    for (std::size_t i = 0; i < t.segments.size(); ++i) {
      const SegmentRecord& x = t.segments[i];
      acked |= x.from == a.to && sent_in_reply_to(t, i, k) && x.seg.flags.ack && x.seg.ack >= covers;
    }
    f.add(acked);
  }
}

// Every FIN that reached a live end and is not ACKed yet, with what
// every-fin-acked weighs: where it arrived and whether an ACK covering it
// left before.
void fin_obligations(const Trace& t, Fingerprint& f) {
  for (std::size_t k = 0; k < t.arrivals.size(); ++k) {
    const ArrivalRecord& a = t.arrivals[k];
    const SegmentRecord& fin = t.segments[a.segment];
    if (!fin.seg.flags.fin || fin.seg.flags.rst || a.state_before == model::State::Closed)
      continue;
    const Seq covers = fin.seg.seq + fin.seg.seg_len();
    bool acked = false, acked_before = false;
    for (const SegmentRecord& r : t.segments) {
      if (r.from != a.to || !r.seg.flags.ack || r.seg.ack < covers) continue;
      if (r.sent_us >= a.at_us && r.arrivals_before > k) acked = true;
      if (r.arrivals_before <= k) acked_before = true;
    }
    if (acked) continue;
    add_side(f, a.to);
    f.add(covers.raw());
    f.add(a.at_us);
    add_state(f, a.state_before);
    f.add(acked_before);
  }
}

// What the applications did and saw (half-close-delivers reads the data),
// and for each close() the last segment but a RST that reached its end
// before it (where an orphan's TIME-WAIT counts from, time_wait_start).
void app_facts(const Trace& t, Fingerprint& f) {
  for (const AppRecord& r : t.app) {
    f.add(r.at_us);
    add_side(f, r.endpoint);
    f.add(static_cast<std::uint32_t>(r.op));
    f.add(r.seq.raw());
    f.add(r.bytes);
    if (r.op != AppOp::Close) continue;
    std::int64_t base = 0;
    for (std::uint32_t k = 0; k < r.arrivals_before; ++k)
      if (t.arrivals[k].to == r.endpoint && !t.segments[t.arrivals[k].segment].seg.flags.rst)
        base = t.arrivals[k].at_us;
    f.add(base);
  }
}

}  // namespace

void history_fingerprint(const Scenario& s, const Trace& t, Fingerprint& f) {
  segment_facts(s, t, f);
  step_facts(t, f);
  time_wait_facts(s, t, f);
  fin_obligations(t, f);
  app_facts(t, f);
}

}  // namespace fincheck::explore
