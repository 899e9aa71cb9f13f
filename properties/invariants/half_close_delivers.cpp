// half-close-delivers: RFC 9293 §3.6 -- after a FIN, the other direction still
// carries data ("the user who closes may continue to RECEIVE"): what the
// passive closer sends in CLOSE-WAIT reaches the active closer in order,
// exactly once, before its FIN.
#include "impl/duration.hpp"
#include "model/events.hpp"
#include "properties/invariants/all.hpp"
#include "properties/trace_queries.hpp"

namespace fincheck::invariants {

namespace {

// Bytes the passive side wrote while in CLOSE-WAIT of connection 1, and from
// which sequence number: the Send records after it took the peer's FIN.
struct HalfCloseData {
  Side passive = Side::B;
  Seq first;
  std::uint32_t bytes = 0;
};

std::optional<HalfCloseData> half_close_data(const Trace& t) {
  for (Side side : {Side::A, Side::B}) {
    const auto took = first_fin_taken(t, side, 1);
    if (!took || t.steps[*took].to != model::State::CloseWait) continue;
    HalfCloseData d;
    d.passive = side;
    for (const AppRecord& r : t.app)
      if (r.endpoint == side && r.conn == 1 && r.op == AppOp::Send &&
          r.at_us >= t.steps[*took].at_us) {
        if (d.bytes == 0) d.first = r.seq;
        d.bytes += r.bytes;
      }
    if (d.bytes > 0) return d;
  }
  return std::nullopt;
}

bool data_in_close_wait(const Run& run) {
  const Trace& t = run.trace;
  const auto d = half_close_data(t);
  if (!d || dropped_count(t) > model::retransmissions_allowed(run.scenario.params) || t.cut_off)
    return false;
  // The active closer must still read: close() orphans the socket and data
  // that arrives then is answered by RST (RFC 2525 §2.17), by design.
  if (!plain_applications(run.scenario) || closes_socket(run.scenario, peer_of(d->passive)))
    return false;

  // Both ends must still be there: not freed from FIN-WAIT-2 by its timeout,
  // not reset, not aborted by a delay longer than the whole retry budget (the
  // suite found a 991 ms delay under retries 0 and a 1 s RTO).
  return !died_at(t, Side::A, 1) && !died_at(t, Side::B, 1);
}

void check(const Run& run, std::vector<Violation>& out) {
  const Trace& t = run.trace;
  const HalfCloseData d = *half_close_data(t);
  const Side active = peer_of(d.passive);
  const std::string id(half_close_delivers.id);
  const auto fin = first_fin_taken(t, active, 1);
  Seq expected = d.first;
  std::uint32_t delivered = 0;
  for (const AppRecord& r : t.app) {
    if (r.endpoint != active || r.conn != 1 || r.op != AppOp::Data) continue;
    if (r.seq + r.bytes <= d.first) continue;  // data from before the half-close
    if (!(r.seq == expected))
      out.push_back({id, r.at_us,
                     std::string(name_of(active)) + " read bytes from " +
                         std::to_string(r.seq.raw()) + ", expected " +
                         std::to_string(expected.raw()) + " next"});
    if (fin && r.at_us > t.steps[*fin].at_us)
      out.push_back({id, r.at_us, "data read after the FIN was taken"});
    expected = r.seq + r.bytes;
    delivered += r.bytes;
  }
  if (delivered != d.bytes)
    out.push_back({id, t.end_us,
                   std::string(name_of(active)) + " read " + std::to_string(delivered) +
                       " of the " + std::to_string(d.bytes) + " bytes " + name_of(d.passive) +
                       " sent in CLOSE_WAIT"});
  // "Before the FIN" presumes a FIN: the suite's first counterexample had
  // the passive application never close. Then the data alone must arrive.
  bool passive_closes = false;
  for (const AppAction& a : run.scenario.actions)
    passive_closes |= a.side == d.passive && a.kind != AppAction::Kind::Send;
  if (!fin && passive_closes)
    out.push_back({id, t.end_us,
                   std::string(name_of(active)) + " never took " + name_of(d.passive) +
                       "'s FIN after the data"});
}

}  // namespace

const Invariant half_close_delivers{
    "half-close-delivers",
    "data the passive closer sends in CLOSE_WAIT reaches the active closer in order, exactly "
    "once, before the FIN",
    data_in_close_wait, check};

}  // namespace fincheck::invariants
