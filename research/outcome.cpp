#include "research/outcome.hpp"

#include <stdexcept>
#include "model/events.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace fincheck::research {

using model::State;

TeardownOutcome outcome_of(const Trace& t) {
  TeardownOutcome o;
  // The passive closer took its peer's FIN in ESTABLISHED (-> CLOSE_WAIT).
  std::optional<Side> passive;
  std::array<std::optional<std::int64_t>, 2> closed_at{};
  std::array<std::optional<std::int64_t>, 2> time_wait_since{};
  std::array<bool, 2> entered_time_wait{};
  for (const StepRecord& s : t.steps) {
    if (s.conn != 1) continue;
    const auto i = static_cast<std::size_t>(s.endpoint);
    if (s.from == State::Established && s.to == State::CloseWait && !passive) passive = s.endpoint;
    if (s.to == State::TimeWait && s.from != State::TimeWait) {
      time_wait_since[i] = s.at_us;
      entered_time_wait[i] = true;
      (passive == s.endpoint ? o.passive_time_wait : o.active_time_wait) = true;
    }
    if (s.from == State::TimeWait && s.to == State::Closed && s.cause == model::RstInWindow::name)
      o.time_wait_assassinated = true;
    if (s.from == State::TimeWait && s.to != State::TimeWait && time_wait_since[i]) {
      o.time_in_time_wait_us += s.at_us - *time_wait_since[i];
      time_wait_since[i].reset();
    }
    if (s.from == State::FinWait2 && s.cause == model::FinWait2Timeout::name)
      o.stuck_fin_wait_2 = true;
    if (s.to == State::Closed && s.from != State::Closed && !closed_at[i]) closed_at[i] = s.at_us;
    if ((s.cause == model::RtoExpired::name || s.cause == model::LastAckTimeout::name) &&
        s.to == State::Closed)
      o.abort = true;
  }
  if (t.connections == 1)
    for (State s : t.final_states) o.stuck_fin_wait_2 |= s == State::FinWait2;
  for (const AppRecord& r : t.app)
    if (r.conn == 1 && r.op == AppOp::Reset && passive == r.endpoint) o.reset_passive = true;
  // What an application saw besides an orderly close: a reset, a
  // timeout, in either connection. A RST that answers a stray duplicate
  // after both ends closed reaches no application and harms nothing.
  bool harmed = false;
  for (const AppRecord& r : t.app) harmed |= r.op == AppOp::Reset || r.op == AppOp::TimedOut;
  for (const SegmentRecord& r : t.segments) {
    o.segments += r.conn == 1;
    o.passive_fins += r.conn == 1 && passive == r.from && r.seg.flags.fin && !r.injected;
  }
  // A reopen run: connection 2, which has no actions of its own, must
  // still be ESTABLISHED at both ends.
  if (t.connections == 2)
    for (State s : t.final_states) harmed |= s != State::Established;
  for (const ArrivalRecord& a : t.arrivals)
    if (a.accepted && t.segments[a.segment].conn != a.conn) o.old_duplicate = true;
  o.both_time_wait = entered_time_wait[0] && entered_time_wait[1];
  if (closed_at[0] && closed_at[1]) o.time_to_closed_us = std::max(*closed_at[0], *closed_at[1]);
  o.clean = o.time_to_closed_us >= 0 && !harmed && !o.abort && !o.old_duplicate;
  return o;
}

namespace {

// Sums grow with what is merged (shard CSVs, any number): one that would
// overflow is an error, never a wrapped, wrong count.
template <class T>
void checked_add(T& sum, T more) {
  if (__builtin_add_overflow(sum, more, &sum))
    throw std::overflow_error("a merged sum exceeds what 64 bits hold");
}

}  // namespace

void Tally::add(const TeardownOutcome& o) {
  // In place, not through merge(): a sweep adds millions of teardowns.
  ++n;
  clean += o.clean;
  reset_passive += o.reset_passive;
  abort += o.abort;
  old_duplicate += o.old_duplicate;
  stuck_fin_wait_2 += o.stuck_fin_wait_2;
  passive_time_wait += o.passive_time_wait;
  active_time_wait += o.active_time_wait;
  time_wait_assassinated += o.time_wait_assassinated;
  both_time_wait += o.both_time_wait;
  diverged += o.diverged;
  if (o.time_to_closed_us >= 0) {
    closed_min_us = closed ? std::min(closed_min_us, o.time_to_closed_us) : o.time_to_closed_us;
    ++closed;
    checked_add(closed_sum_us, o.time_to_closed_us);
    closed_max_us = std::max(closed_max_us, o.time_to_closed_us);
    closed_histogram.add(o.time_to_closed_us);
  }
  if (o.time_in_time_wait_us > 0) {
    time_wait_min_us = time_wait_count ? std::min(time_wait_min_us, o.time_in_time_wait_us)
                                       : o.time_in_time_wait_us;
    ++time_wait_count;
    checked_add(time_wait_sum_us, o.time_in_time_wait_us);
    time_wait_max_us = std::max(time_wait_max_us, o.time_in_time_wait_us);
    time_wait_histogram.add(o.time_in_time_wait_us);
  }
  segments += o.segments;
}

void Tally::merge(const Tally& o) {
  checked_add(n, o.n);
  checked_add(clean, o.clean);
  checked_add(reset_passive, o.reset_passive);
  checked_add(abort, o.abort);
  checked_add(old_duplicate, o.old_duplicate);
  checked_add(stuck_fin_wait_2, o.stuck_fin_wait_2);
  checked_add(passive_time_wait, o.passive_time_wait);
  checked_add(active_time_wait, o.active_time_wait);
  checked_add(time_wait_assassinated, o.time_wait_assassinated);
  checked_add(both_time_wait, o.both_time_wait);
  checked_add(diverged, o.diverged);
  // A minimum of nothing is no minimum: only tallies that saw a value count.
  if (o.closed) closed_min_us = closed ? std::min(closed_min_us, o.closed_min_us) : o.closed_min_us;
  if (o.time_wait_count)
    time_wait_min_us =
        time_wait_count ? std::min(time_wait_min_us, o.time_wait_min_us) : o.time_wait_min_us;
  checked_add(closed, o.closed);
  checked_add(closed_sum_us, o.closed_sum_us);
  closed_max_us = std::max(closed_max_us, o.closed_max_us);
  checked_add(time_wait_count, o.time_wait_count);
  checked_add(time_wait_sum_us, o.time_wait_sum_us);
  time_wait_max_us = std::max(time_wait_max_us, o.time_wait_max_us);
  checked_add(segments, o.segments);
  closed_histogram.merge(o.closed_histogram);
  time_wait_histogram.merge(o.time_wait_histogram);
}

}  // namespace fincheck::research
