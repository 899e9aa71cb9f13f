// time-wait-lasts-2msl: RFC 9293 §3.6.1 and §3.10.7.4 -- TIME-WAIT lasts
// 2·MSL from its entry or from the last segment that restarted it (a FIN;
// any ACK under time_wait_restarts_on_ack), never less, never more.
// A RST may end it early only where RFC 9293 lets it (rfc1337 off).
#include <algorithm>

#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool always(const Run&) { return true; }

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  const std::int64_t two_msl = run.scenario.params.two_msl();
  const std::string id(time_wait_lasts_2msl.id);
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const StepRecord& entry = t.steps[i];
    if (entry.to != model::State::TimeWait || entry.from == model::State::TimeWait) continue;
    const std::string who = name_of(entry.endpoint);
    // Entry, or the last FIN taken there; under orphan_timers_frozen an
    // orphan's entry counts from the last segment before its close().
    std::int64_t last_start = time_wait_start(run.scenario, t, entry);
    const auto exit = next_exit(t, entry.endpoint, entry.conn, model::State::TimeWait, i + 1);
    const std::int64_t until = exit ? t.steps[*exit].at_us : t.end_us;
    for (const ArrivalRecord& a : t.arrivals) {
      if (a.to == entry.endpoint && a.conn == entry.conn &&
          (is_fin_in_time_wait(t, a) ||
           (run.scenario.params.time_wait_restarts_on_ack && is_ack_in_time_wait(t, a))) &&
          a.at_us >= entry.at_us && a.at_us <= until)
        last_start = a.at_us;
    }
    // A frozen base may put the deadline before the entry: then it is due
    // at once.
    const std::int64_t due = std::max(last_start + two_msl, entry.at_us);
    if (!exit) {
      if (t.cut_off) continue;  // the run ended early, not the endpoint late
      out.push_back({id, t.end_us,
                     who + " is still in TIME_WAIT when the run ends at " +
                         format_seconds(t.end_us) + " s; it was due out at " + format_seconds(due) +
                         " s"});
      continue;
    }
    const StepRecord& left = t.steps[*exit];
    // RFC 9293 §3.10.5: the application's ABORT deletes the TCB at once.
    if (left.cause == model::AppAbort::name) continue;
    if (left.cause == model::RstInWindow::name) {
      if (run.scenario.params.rfc1337)
        out.push_back({id, left.at_us, who + " let a RST end TIME_WAIT although rfc1337 is on"});
      continue;
    }
    // Exactly on time, or late by less than the clock that drives the timer
    // (lwIP counts TIME-WAIT in 500 ms ticks: TCP_SLOW_INTERVAL; Linux's
    // wheel rounds its 60 s up by as much as an eighth).
    const std::int64_t late = left.at_us - due;
    if (late < 0 || late > run.scenario.params.timer_tolerance_us(two_msl))
      out.push_back({id, left.at_us,
                     who + " left TIME_WAIT at " + format_seconds(left.at_us) + " s; 2*MSL after " +
                         (last_start == entry.at_us  ? "its entry"
                          : last_start < entry.at_us ? "the last segment before its close()"
                                                     : "the last segment that restarted it") +
                         " is " + format_seconds(due) + " s"});
  }
}

}  // namespace

const Invariant time_wait_lasts_2msl{
    "time-wait-lasts-2msl",
    "an endpoint leaves TIME_WAIT exactly 2*MSL after the last FIN it received there (or on "
    "entry), never earlier, never later",
    always, check};

}  // namespace fincheck::invariants
