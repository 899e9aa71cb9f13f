// time-wait-only-active-closer: an endpoint enters TIME-WAIT only if it sent
// its FIN before it took the peer's (RFC 9293 §3.6: "the side that closes
// first"; in a simultaneous close both do). The passive closer never does.
#include "impl/duration.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

bool always(const Run&) { return true; }

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const StepRecord& s = t.steps[i];
    if (s.to != model::State::TimeWait || s.from == model::State::TimeWait) continue;
    const std::string who = name_of(s.endpoint);
    const auto fin = first_fin_sent(t, s.endpoint, s.conn);
    const auto taken = first_fin_taken(t, s.endpoint, s.conn);
    if (!fin) {
      out.push_back({std::string(time_wait_only_active_closer.id), s.at_us,
                     who + " entered TIME_WAIT without ever sending a FIN"});
      continue;
    }
    if (!taken) continue;  // it never took the peer's FIN before: active
    const StepRecord& took = t.steps[*taken];
    const SegmentRecord& own = t.segments[*fin];
    // Sent before taken: the FIN left before the arrival that carried the
    // peer's FIN was handled.
    const bool active =
        took.arrival < 0 || own.arrivals_before <= static_cast<std::uint32_t>(took.arrival);
    if (!active)
      out.push_back({std::string(time_wait_only_active_closer.id), s.at_us,
                     who + " entered TIME_WAIT as the passive closer: it took the peer's FIN at " +
                         format_seconds(took.at_us) + " s and sent its own (" + segment_name(own) +
                         ") at " + format_seconds(own.sent_us) + " s"});
  }
}

}  // namespace

const Invariant time_wait_only_active_closer{
    "time-wait-only-active-closer",
    "an endpoint enters TIME_WAIT only if it sent its FIN before it received the peer's", always,
    check};

}  // namespace fincheck::invariants
