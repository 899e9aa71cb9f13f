// fault-free-close-is-four-segments: the notes' claim 1 -- one FIN and one
// ACK per direction; three segments when the passive side's ACK rides on its
// FIN (RFC 9293 §3.8.6.3, delayed ACK).
#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool fault_free(const Run& run) {
  const Scenario& s = run.scenario;
  if (!plain_applications(s)) return false;
  bool a_closes = false, b_closes = false;
  for (const AppAction& a : s.actions) {
    if (a.kind == AppAction::Kind::Send) return false;  // data adds segments
    (a.side == Side::A ? a_closes : b_closes) = true;
  }
  for (const SegmentRecord& r : run.trace.segments)
    if (r.fate != Fate::Delivered || r.arrivals_us[0] - r.sent_us != s.delay_us) return false;
  // An end freed by its own timer answers the late segment with RST by design.
  if (freed_by_own_timer(run.trace)) return false;
  return a_closes && b_closes && !s.reopen && !run.trace.cut_off;
}

void check(const Run& run, std::vector<Violation>& out) {
  const auto& segs = run.trace.segments;
  const std::string id(fault_free_close_is_four_segments.id);
  std::string flags;
  int fins = 0;
  for (const SegmentRecord& r : segs) {
    flags += (flags.empty() ? "" : " ") + tcpdump_flags(r.seg.flags);
    fins += r.seg.flags.fin ? 1 : 0;
  }
  const bool shape_ok = fins == 2 && (segs.size() == 4 || segs.size() == 3);
  if (!shape_ok) {
    out.push_back({id, segs.empty() ? 0 : segs.back().sent_us,
                   "a fault-free close took " + std::to_string(segs.size()) + " segments (" +
                       flags + "), " + std::to_string(fins) + " of them FINs"});
    return;
  }
  if (segs.size() == 3) {
    // Three only if the second FIN also acknowledges the first.
    const SegmentRecord& first = segs[0];
    const SegmentRecord& second = segs[1];
    if (!(second.seg.flags.fin && second.seg.ack == first.seg.seq + first.seg.seg_len()))
      out.push_back({id, second.sent_us,
                     "three segments (" + flags + ") but the second FIN does not ACK the first"});
  }
}

}  // namespace

const Invariant fault_free_close_is_four_segments{
    "fault-free-close-is-four-segments",
    "without faults the close uses FIN, ACK, FIN, ACK (three when the ACK rides on the FIN)",
    fault_free, check};

}  // namespace fincheck::invariants
