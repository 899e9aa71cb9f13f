// eventually-closed: with losses the retry budget can absorb, both ends of
// the first connection reach CLOSED, and within a bound computed from the
// parameters (every retransmission, TIME-WAIT restarted once, every delay).
#include <algorithm>

#include "impl/duration.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool both_close_within_budget(const Run& run) {
  // Both applications close, and fewer segments are lost than one segment
  // may be retransmitted, so no segment can exhaust its budget.
  bool a_closes = false, b_closes = false;
  for (const AppAction& a : run.scenario.actions)
    if (a.kind != AppAction::Kind::Send) (a.side == Side::A ? a_closes : b_closes) = true;
  // An abort (or a close() over unread data) ends one side with a single
  // RST; with RFC 5961 the peer may answer it with a challenge ACK and wait
  // for the reply, and in CLOSING or LAST-ACK RFC 9293 §3.10.5 sends no RST
  // at all. Those endings are the application's, not the teardown's.
  if (!plain_applications(run.scenario)) return false;
  // A run stopped by the simulator's event cap says nothing about closing.
  if (run.trace.event_cap != 0) return false;
  // A RST is never retransmitted (RFC 9293 §3.10.7.1): one that is lost
  // leaves its receiver waiting, by design.
  for (const SegmentRecord& r : run.trace.segments)
    if (r.seg.flags.rst && r.fate == Fate::Dropped) return false;
  const std::uint32_t dropped = dropped_count(run.trace);
  // An idle LAST-ACK timeout is a budget in time: a few losses in a row
  // may spend it, and the peer, told nothing, may wait in FIN-WAIT-2.
  if (run.scenario.params.last_ack_timeout_us > 0 && dropped > 0) return false;
  return a_closes && b_closes && dropped <= model::retransmissions_allowed(run.scenario.params);
}

}  // namespace

std::int64_t close_bound_us(const Scenario& s) {
  const model::Parameters& p = s.params;
  std::int64_t retransmissions = 0;
  // An estimated RTO may have grown to its ceiling before the first loss.
  std::int64_t rto = p.rto_estimation ? p.rto_max_us : p.rto_initial_us;
  for (std::uint32_t i = 0; i <= (p.retries_by_time ? 0 : p.retries); ++i) {
    retransmissions += rto + p.timer_tick_us;
    rto = std::min(rto * p.rto_backoff, p.rto_max_us);
  }
  // A budget counted in time ends at the first expiry after it.
  if (p.retries_by_time) retransmissions += model::retry_budget_us(p) + p.rto_max_us;
  std::int64_t last_action = 0, after_eof = 0;
  for (const AppAction& a : s.actions) {
    std::int64_t& latest = a.after_eof ? after_eof : last_action;
    latest = std::max(latest, a.at_us);
  }
  // Each side's FIN may need its whole retransmission schedule and a full
  // MSL in flight; TIME-WAIT may restart once per retransmitted FIN.
  for (const Injection& in : s.injections) last_action = std::max(last_action, in.at_us);
  return last_action + after_eof + std::max(p.delayed_ack_us, p.delayed_ack_first_us) +
         2 * (retransmissions + p.msl_us) + p.fin_wait_2_timeout_us + p.last_ack_timeout_us +
         p.time_wait() + 2 * p.msl_us + 4 * p.timer_tick_us;
}

namespace {

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  const std::int64_t bound = close_bound_us(run.scenario);
  const std::string id(eventually_closed.id);
  for (Side side : {Side::A, Side::B}) {
    std::optional<std::int64_t> closed_at;
    model::State last = model::State::Established;
    for (const StepRecord& s : t.steps)
      if (s.endpoint == side && s.conn == 1) {
        last = s.to;
        if (s.to == model::State::Closed && !closed_at) closed_at = s.at_us;
      }
    const std::string who = name_of(side);
    if (!closed_at)
      out.push_back({id, t.end_us,
                     who + " never reached CLOSED; it stayed in " +
                         std::string(model::to_string(last)) +
                         (t.cut_off ? " until the run was cut off" : "")});
    else if (*closed_at > bound)
      out.push_back({id, *closed_at,
                     who + " reached CLOSED at " + format_seconds(*closed_at) +
                         " s, past the bound of " + format_seconds(bound) + " s"});
  }
}

}  // namespace

const Invariant eventually_closed{
    "eventually-closed",
    "with losses within the retry budget, both ends reach CLOSED within a bound computed from "
    "the parameters",
    both_close_within_budget, check};

}  // namespace fincheck::invariants
