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

std::size_t dropped_count(const Trace& t) {
  std::size_t n = 0;
  for (const SegmentRecord& r : t.segments) n += r.fate == Fate::Dropped ? 1 : 0;
  return n;
}

std::string segment_name(const SegmentRecord& r) {
  return std::string(name_of(r.from)) + "->" + name_of(peer_of(r.from)) + " #" +
         std::to_string(r.n);
}

}  // namespace fincheck
