#include "properties/trace_queries.hpp"
#include "model/events.hpp"

namespace fincheck {

std::optional<std::size_t> first_fin_sent(const Trace& t, Side side, int conn) {
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    const SegmentRecord& r = t.segments[i];
    if (r.from == side && r.conn == conn && r.seg.flags.fin) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> first_fin_taken(const Trace& t, Side side, int conn) {
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const StepRecord& s = t.steps[i];
    if (s.endpoint == side && s.conn == conn && s.cause == model::Fin::name) return i;
  }
  return std::nullopt;
}

bool sent_in_reply_to(const Trace& t, std::size_t seg, std::size_t arrival) {
  const SegmentRecord& r = t.segments[seg];
  return r.arrivals_before == arrival + 1 && r.sent_us == t.arrivals[arrival].at_us;
}

std::optional<std::size_t> next_exit(const Trace& t, Side side, int conn, model::State state,
                                     std::size_t from_step) {
  for (std::size_t i = from_step; i < t.steps.size(); ++i) {
    const StepRecord& s = t.steps[i];
    if (s.endpoint == side && s.conn == conn && s.from == state && s.to != state) return i;
  }
  return std::nullopt;
}

bool is_fin_in_time_wait(const Trace& t, const ArrivalRecord& a) {
  const SegmentRecord& r = t.segments[a.segment];
  return a.state_before == model::State::TimeWait && r.conn == a.conn && r.seg.flags.fin &&
         !r.seg.flags.rst;
}

bool is_ack_in_time_wait(const Trace& t, const ArrivalRecord& a) {
  const SegmentRecord& r = t.segments[a.segment];
  return a.state_before == model::State::TimeWait && r.conn == a.conn && r.seg.flags.ack &&
         !r.seg.flags.rst;
}

std::size_t dropped_count(const Trace& t) {
  std::size_t n = 0;
  for (const SegmentRecord& r : t.segments) n += r.fate == Fate::Dropped ? 1 : 0;
  return n;
}

std::string segment_name(const SegmentRecord& r) {
  return std::string(name_of(r.from)) + "->" + name_of(peer_of(r.from)) +
         (r.injected ? std::string(" (injected)") : " #" + std::to_string(r.n));
}

bool plain_applications(const Scenario& s) {
  if (!s.injections.empty() || !s.reads[0] || !s.reads[1]) return false;
  for (const AppAction& a : s.actions)
    if (a.kind == AppAction::Kind::Abort) return false;
  return true;
}

bool closes_socket(const Scenario& s, Side side) {
  for (const AppAction& a : s.actions)
    if (a.side == side && (a.kind == AppAction::Kind::Close || a.kind == AppAction::Kind::Abort))
      return true;
  return false;
}

std::optional<std::int64_t> died_at(const Trace& t, Side side, int conn) {
  for (const StepRecord& s : t.steps)
    if (s.endpoint == side && s.conn == conn && s.to == model::State::Closed &&
        s.from != model::State::Closed && s.cause != model::AckOfFin::name &&
        s.cause != model::TimeWaitExpired::name)
      return s.at_us;
  return std::nullopt;
}

std::int64_t time_wait_start(const Scenario& s, const Trace& t, const StepRecord& entry) {
  if (!s.params.orphan_timers_frozen) return entry.at_us;
  for (const AppRecord& r : t.app) {
    if (r.endpoint != entry.endpoint || r.conn != entry.conn || r.op != AppOp::Close) continue;
    if (r.at_us > entry.at_us) break;
    std::int64_t base = entry.conn == 1 ? 0 : t.reopened_at_us;
    for (std::uint32_t k = 0; k < r.arrivals_before; ++k)
      if (t.arrivals[k].to == entry.endpoint && t.arrivals[k].conn == entry.conn &&
          !t.segments[t.arrivals[k].segment].seg.flags.rst)
        base = t.arrivals[k].at_us;
    return base;
  }
  return entry.at_us;
}

bool freed_by_own_timer(const Trace& t) {
  for (const StepRecord& st : t.steps)
    if (st.row >= 0 &&
        (st.cause == model::FinWait2Timeout::name || st.cause == model::LastAckTimeout::name))
      return true;
  return false;
}

bool time_wait_cut_short(const Scenario& s, const Trace& t) {
  for (const StepRecord& st : t.steps)
    if (st.to == model::State::TimeWait && st.from != model::State::TimeWait &&
        time_wait_start(s, t, st) < st.at_us)
      return true;
  return false;
}

}  // namespace fincheck
