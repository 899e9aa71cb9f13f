// no-rst-single-loss: the notes' claim 3 turned around -- with TIME-WAIT in
// place, one lost segment never ends a teardown in "connection reset by peer".
#include "impl/duration.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool at_most_one_loss(const Run& run) {
  const Trace& t = run.trace;
  // At most one segment lost; every delay within MSL (the simulator enforces
  // that); the applications read all data (they always do here).
  if (dropped_count(t) > 1) return false;
  // No duplicates, and every round trip shorter than the first RTO, so that
  // nothing is retransmitted while its original is still in flight. Forced by
  // scenarios/time-wait-assassination.scn and old-duplicate-2msl.scn: a
  // segment arriving after its sender's peer closed draws an ACK from
  // TIME-WAIT, the CLOSED side answers RST (RFC 9293 §3.10.7.1) -- RFC 1337's
  // TIME-WAIT assassination, inherent in TCP and not a single loss.
  const std::int64_t half_rto = run.scenario.params.rto_initial_us / 2;
  for (const SegmentRecord& r : t.segments) {
    if (r.fate == Fate::Duplicated) return false;
    for (std::uint8_t c = 0; c < r.arrival_count; ++c)
      if (r.arrivals_us[c] - r.sent_us >= half_rto) return false;
  }
  // An application that leaves its peer orphaned in FIN-WAIT-2 past the
  // timeout is answered with RST by design (Linux tcp_fin_timeout, lwIP
  // TCP_FIN_WAIT_TIMEOUT): not what this property is about.
  for (const StepRecord& s : t.steps)
    if (s.cause == "FinWait2Timeout" && s.row >= 0) return false;
  return !t.cut_off;
}

void check(const Run& run, std::vector<Violation>& out) {
  for (const SegmentRecord& r : run.trace.segments)
    if (r.seg.flags.rst)
      out.push_back({std::string(no_rst_single_loss.id), r.sent_us,
                     std::string(name_of(r.from)) + " sent RST (" + segment_name(r) + ") at " +
                         format_seconds(r.sent_us) + " s with " +
                         std::to_string(dropped_count(run.trace)) + " segment(s) lost"});
}

}  // namespace

const Invariant no_rst_single_loss{
    "no-rst-single-loss",
    "with at most one segment lost, delays <= MSL and apps that read all data, no endpoint "
    "sends RST (and, found by the suite: no duplicates, round trips shorter than the RTO)",
    at_most_one_loss, check};

}  // namespace fincheck::invariants
