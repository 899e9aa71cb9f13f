// every-fin-acked: RFC 9293 §3.10.7.4 -- a FIN taken in any state is
// acknowledged (eighth check), and so is a duplicate of one (first check).
// An endpoint that is reset, aborts or times out of FIN-WAIT-2 first is no
// longer live.
#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool within_budget(const Run& run) {
  // A FIN queued behind data that the budget could not deliver is never
  // taken, so never ACKed: that is eventually-closed's business. So is one
  // whose sender aborted before the hole was filled.
  if (!plain_applications(run.scenario)) return false;
  // So is one whose sender's idle LAST-ACK timed out before the hole was
  // filled (lwIP's, Parameters::last_ack_timeout_us).
  for (const StepRecord& s : run.trace.steps)
    if (s.cause == model::LastAckTimeout::name) return false;
  return dropped_count(run.trace) <= model::retransmissions_allowed(run.scenario.params) &&
         !run.trace.cut_off;
}

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  for (std::size_t k = 0; k < t.arrivals.size(); ++k) {
    const ArrivalRecord& a = t.arrivals[k];
    const SegmentRecord& fin = t.segments[a.segment];
    if (!fin.seg.flags.fin || fin.seg.flags.rst || fin.conn != a.conn ||
        a.state_before == model::State::Closed)
      continue;
    const Seq covers = fin.seg.seq + fin.seg.seg_len();
    bool acked = false, acked_before = false;
    for (const SegmentRecord& r : t.segments) {
      if (r.from != a.to || r.conn != a.conn || !r.seg.flags.ack || r.seg.ack < covers) continue;
      if (r.sent_us >= a.at_us && r.arrivals_before > k) acked = true;
      if (r.arrivals_before <= k) acked_before = true;
    }
    if (acked) continue;
    // Parameters::fin_again_closes_silently (Linux): a FIN the endpoint
    // ACKed before, retransmitted with the ACK that completes its close,
    // is discarded unanswered; the peer's next retransmission meets
    // TIME-WAIT or CLOSED, which answer it.
    const bool closing =
        a.state_before == model::State::Closing || a.state_before == model::State::LastAck;
    if (run.scenario.params.fin_again_closes_silently && closing && acked_before) continue;
    const auto died = died_at(t, a.to, a.conn);
    if (died && *died >= a.at_us) continue;
    out.push_back({std::string(every_fin_acked.id), a.at_us,
                   std::string(name_of(a.to)) + " never ACKed the FIN " + segment_name(fin) +
                       " that reached it at " + format_seconds(a.at_us) + " s in " +
                       std::string(model::to_string(a.state_before))});
  }
}

}  // namespace

const Invariant every_fin_acked{
    "every-fin-acked", "every FIN that reaches a live endpoint is ACKed", within_budget, check};

}  // namespace fincheck::invariants
