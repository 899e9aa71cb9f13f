// time-wait-restarts-on-fin: RFC 9293 §3.10.7.4, eighth check, TIME-WAIT:
// "Remain in the TIME-WAIT state. Acknowledge it, and restart the 2 MSL
// timeout." Observable as: an ACK leaves in reply, and the endpoint stays in
// TIME-WAIT until at least 2·MSL after the FIN arrived (unless a RST ends it).
#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool fin_reached_time_wait(const Run& run) {
  for (const ArrivalRecord& a : run.trace.arrivals)
    if (is_fin_in_time_wait(run.trace, a)) return true;
  return false;
}

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  const std::int64_t two_msl = run.scenario.params.two_msl();
  const std::string id(time_wait_restarts_on_fin.id);
  for (std::size_t k = 0; k < t.arrivals.size(); ++k) {
    const ArrivalRecord& a = t.arrivals[k];
    if (!is_fin_in_time_wait(t, a)) continue;
    const SegmentRecord& fin = t.segments[a.segment];
    const std::string who = name_of(a.to);
    const Seq covers = fin.seg.seq + fin.seg.seg_len();
    bool acked = false;
    for (std::size_t i = 0; i < t.segments.size(); ++i) {
      const SegmentRecord& r = t.segments[i];
      if (r.from == a.to && sent_in_reply_to(t, i, k) && r.seg.flags.ack && r.seg.ack >= covers)
        acked = true;
    }
    if (!acked)
      out.push_back(
          {id, a.at_us,
           who + " did not ACK the FIN " + segment_name(fin) + " that reached it in TIME_WAIT"});
    std::size_t from_step = t.steps.size();
    for (std::size_t i = 0; i < t.steps.size(); ++i)
      if (t.steps[i].at_us >= a.at_us) {
        from_step = i;
        break;
      }
    const auto exit = next_exit(t, a.to, a.conn, model::State::TimeWait, from_step);
    // A RST may end it (rfc1337 off), and so may the application's ABORT
    // (RFC 9293 §3.10.5).
    if (!exit || t.steps[*exit].cause == model::RstInWindow::name ||
        t.steps[*exit].cause == model::AppAbort::name)
      continue;
    const StepRecord& left = t.steps[*exit];
    if (left.at_us < a.at_us + two_msl)
      out.push_back({id, left.at_us,
                     who + " left TIME_WAIT at " + format_seconds(left.at_us) + " s, but the FIN " +
                         segment_name(fin) + " at " + format_seconds(a.at_us) +
                         " s should have restarted 2*MSL to " + format_seconds(a.at_us + two_msl) +
                         " s"});
  }
}

}  // namespace

const Invariant time_wait_restarts_on_fin{
    "time-wait-restarts-on-fin",
    "whenever an endpoint in TIME_WAIT receives a FIN, it ACKs it and its TIME_WAIT deadline "
    "becomes now + 2*MSL",
    fin_reached_time_wait, check};

}  // namespace fincheck::invariants
