// no-rst-single-loss: the notes' claim 3 turned around -- with TIME-WAIT in
// place, one lost segment never ends a teardown in "connection reset by peer".
#include <algorithm>
#include <array>

#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool at_most_one_loss(const Run& run) {
  const Trace& t = run.trace;
  // At most one segment lost; every delay within MSL (the simulator enforces
  // that); the applications read all data and abort nothing.
  // The lost segment must be one the budget can retransmit (a counterexample
  // with retries 0 aborted on the first RTO and answered the peer's FIN with
  // RST).
  if (!plain_applications(run.scenario)) return false;
  // A TIME-WAIT the profile counts from before its entry (lwIP after
  // tcp_close(): Parameters::orphan_timers_frozen) ends early by design, and
  // a retransmitted FIN may then meet CLOSED.
  if (time_wait_cut_short(run.scenario, t)) return false;
  // So does a LAST-ACK an idle timeout ends (lwIP counts it from before
  // close(), too): the peer's ACK then finds CLOSED.
  if (freed_by_own_timer(t)) return false;
  const std::size_t lost = dropped_count(t);
  const std::uint32_t allowed = model::retransmissions_allowed(run.scenario.params);
  if (lost > 1 || lost > allowed) return false;
  // The claim is about the teardown's own segments. With data in flight, a
  // lost data ACK makes the peer retransmit data behind its FIN; TIME-WAIT
  // answers that segment with an ACK and the closed peer with RST (found by
  // the suite: one lost ACK of three data segments under the linux profile).
  for (const AppAction& a : run.scenario.actions)
    if (a.kind == AppAction::Kind::Send) return false;
  // No duplicates, and every round trip shorter than the first RTO, so that
  // nothing is retransmitted while its original is still in flight. Forced by
  // scenarios/time-wait-assassination.scn and old-duplicate-2msl.scn: a
  // segment arriving after its sender's peer closed draws an ACK from
  // TIME-WAIT, the CLOSED side answers RST (RFC 9293 §3.10.7.1) -- RFC 1337's
  // TIME-WAIT assassination, inherent in TCP and not a single loss.
  // No reordering either: a bare ACK overtaken by the FIN behind it reaches
  // TIME-WAIT below RCV.NXT and draws the same ACK, RST and assassination
  // (found by the suite under the linux profile with one ACK held 12 ms;
  // Linux's tcp_timewait_state_process answers such a segment with an ACK).
  // The notes' claim 5 itself: the FIN retransmitted after a lost final ACK
  // must reach TIME-WAIT "within the second MSL", so the RTO must be shorter
  // than 2*MSL (a counterexample ran lwIP's 3 s RTO under a 1 s MSL).
  const model::Parameters& p = run.scenario.params;
  if (p.rto_initial_us >= p.two_msl()) return false;
  // A tail loss probe is a retransmission before any RTO, 2*SRTT after the
  // segment (RFC 8985 §7.2): when the peer's delayed ACK takes longer, the
  // probe is spurious and a copy of a FIN can reach a peer that has closed.
  if (p.tail_loss_probe) return false;
  // A round trip, with the peer's delayed ACK, must beat the RTO -- and the
  // wait after the last retransmission when the loss spends the budget
  // (found by the suite: with retries 1 and an 8 ms wait, a aborted before
  // the ACK of its retransmitted FIN and answered b's FIN with RST).
  std::int64_t wait =
      p.rto_estimation ? std::min(p.rto_initial_us, p.rto_min_us) : p.rto_initial_us;
  if (p.last_retransmission_wait_us > 0 && lost > 0 && lost == allowed)
    wait = std::min(wait, p.last_retransmission_wait_us);
  const std::int64_t max_one_way = (wait - std::max(p.delayed_ack_us, p.delayed_ack_first_us)) / 2;
  std::array<std::int64_t, 2> last_arrival{-1, -1};
  for (const SegmentRecord& r : t.segments) {
    if (r.fate == Fate::Duplicated) return false;
    if (r.arrival_count == 0) continue;
    const std::int64_t at = r.arrivals_us[0];
    if (at - r.sent_us >= max_one_way) return false;
    std::int64_t& last = last_arrival[r.from == Side::A ? 0 : 1];
    if (at < last) return false;
    last = at;
  }
  // An application that leaves its peer orphaned in FIN-WAIT-2 past the
  // timeout is answered with RST by design (Linux tcp_fin_timeout, lwIP
  // TCP_FIN_WAIT_TIMEOUT): not what this property is about.
  for (const StepRecord& s : t.steps)
    if (s.cause == model::FinWait2Timeout::name && s.row >= 0) return false;
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
    "sends RST (found by the suite: it also needs no duplicates, no reordering and round "
    "trips shorter than the RTO)",
    at_most_one_loss, check};

}  // namespace fincheck::invariants
