// no-old-duplicate-accepted: TIME-WAIT's second job (RFC 9293 §3.6.1, the
// notes' claim 4): when a new connection reuses the 4-tuple, no segment of
// the old one is taken by the new one.
#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

// The promise is TIME-WAIT's: it speaks of a reuse that follows a TIME-WAIT
// ended by its own timer. A reuse after none (an orphan freed from
// FIN-WAIT-2, a reset, an assassinated TIME-WAIT) has no such protection --
// the suite's first counterexample was a reset's duplicate.
bool reopened_after_time_wait(const Run& run) {
  const Trace& t = run.trace;
  // A TIME-WAIT the profile cut short (lwIP after tcp_close()) protects
  // less than 2*MSL, by design.
  if (t.connections < 2 || time_wait_cut_short(run.scenario, t)) return false;
  for (const StepRecord& s : t.steps)
    if (s.conn == 1 && s.from == model::State::TimeWait && s.to == model::State::Closed)
      return s.cause == model::TimeWaitExpired::name;
  return false;
}

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  // What the TIME-WAIT side sent after its TIME-WAIT ended came from CLOSED
  // (a RST answering the peer's retransmitted FIN, RFC 9293 §3.10.7.1): no
  // TIME-WAIT can make that die first. Found at 1 million cases, seed 99: a
  // duplicated RST sent 1.2 s after TIME-WAIT ended reset the new connection.
  const StepRecord* ended = nullptr;
  for (const StepRecord& s : t.steps)
    if (s.conn == 1 && s.from == model::State::TimeWait && s.to == model::State::Closed) {
      ended = &s;
      break;
    }
  for (const ArrivalRecord& a : t.arrivals) {
    const SegmentRecord& r = t.segments[a.segment];
    if (r.conn == a.conn || !a.accepted) continue;
    if (ended && r.from == ended->endpoint && r.sent_us >= ended->at_us) continue;
    out.push_back({std::string(no_old_duplicate_accepted.id), a.at_us,
                   std::string(name_of(a.to)) + " (connection " + std::to_string(a.conn) +
                       ") accepted " + segment_name(r) + " of connection " +
                       std::to_string(r.conn) + ", sent at " + format_seconds(r.sent_us) + " s"});
  }
}

}  // namespace

const Invariant no_old_duplicate_accepted{"no-old-duplicate-accepted",
                                          "when a new connection reuses the 4-tuple, no segment of "
                                          "the old one is accepted by the new one",
                                          reopened_after_time_wait, check};

}  // namespace fincheck::invariants
