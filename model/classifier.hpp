#pragma once
// The one classifier: an arriving segment, read against the TCB, becomes the
// events the table consumes. It follows RFC 9293 §3.10.7 in the order of its
// checks, as amended by RFC 5961 (exact-match RST, challenge ACK, the ACK
// range test, rate-limited replies). No clock is read (the time of arrival
// is an argument), nothing is sent and nothing is changed: the reference
// endpoint, the shadow and every later consumer call this one function and
// act on what it found.
//
// The rules it is built from are named, each one small, and gathered in
// ClassifierRules so that a mutant can break exactly one of them
// (properties/mutants.hpp).
#include <array>
#include <cstdint>
#include <string_view>

#include "model/events.hpp"
#include "model/segment.hpp"
#include "model/tcb.hpp"

namespace fincheck::model {

// The check of RFC 9293 §3.10.7 that decided what became of a segment.
enum class Check : std::uint8_t {
  Closed,          // §3.10.7.1: no connection; a RST is dropped, anything else answered by RST
  RstOutside,      // a RST outside the window: silently dropped (RFC 5961 §3.2)
  RstExact,        // a RST at RCV.NXT: reset
  RstInexact,      // a RST elsewhere in the window: challenge ACK (RFC 5961 §3.2)
  FinAgain,        // a FIN before RCV.NXT: a retransmission
  Unacceptable,    // the first check: outside the receive window
  NoAck,           // the fifth check: "if the ACK bit is off, drop the segment"
  AckUnsent,       // SEG.ACK > SND.NXT: "send an ACK, drop the segment"
  AckTooOld,       // SEG.ACK < SND.UNA - MAX.SND.WND (RFC 5961 §5): likewise
  DataAfterClose,  // new text for an orphan: RST (RFC 2525 §2.17)
  Accepted,        // processed through the eighth check
};
std::string_view to_string(Check c);

// A segment's reassembly: where RCV.NXT ends up once the held text and this
// segment's are taken in order, and whether the FIN was reached.
struct Reassembly {
  Seq rcv_nxt;
  bool fin = false;
};

// The named rules. Each returns one fact about the segment; classify()
// orders them as RFC 9293 does.
struct ClassifierRules {
  // §3.10.7.4 first check, the four cases of the acceptability test.
  bool (*acceptable)(const Tcb&, const Segment&);
  // RFC 5961 §3.2: whether a RST resets (exact match of RCV.NXT).
  bool (*rst_resets)(const Tcb&, const Segment&);
  // The fifth check's range test (RFC 5961 §5.2): Accepted, AckUnsent
  // (SEG.ACK > SND.NXT) or AckTooOld (SEG.ACK < SND.UNA - MAX.SND.WND).
  Check (*ack_range)(const Tcb&, Seq ack);
  // Whether SEG.ACK covers our FIN: SND.UNA moves past it.
  bool (*acks_our_fin)(const Tcb&, Seq ack);
  // Whether a FIN lies before RCV.NXT: a retransmission of one taken.
  bool (*is_fin_again)(const Tcb&, const Segment&);
  // The seventh and eighth checks: text and FIN taken in order.
  Reassembly (*reassemble)(const Tcb&, const Segment&);
};

// RFC 9293 as written.
const ClassifierRules& reference_rules();

struct Classification {
  Check check = Check::Accepted;
  std::array<AnyEvent, 3> events{};
  std::uint8_t count = 0;
  std::optional<Seq> ack_to;  // SND.UNA advances to it (fifth check)
  bool take_text = false;     // the text goes to reassembly (seventh check)
  Reassembly reassembly;      // where that leaves RCV.NXT
  bool rate_limited = false;  // the ACK it deserved was suppressed (RFC 5961 §7)

  void add(const AnyEvent& e) { events[count++] = e; }
};

Classification classify(const ClassifierRules& rules, const Tcb& tcb, const Segment& seg,
                        std::int64_t now_us);
inline Classification classify(const Tcb& tcb, const Segment& seg, std::int64_t now_us) {
  return classify(reference_rules(), tcb, seg, now_us);
}

// The walk behind ClassifierRules::reassemble, which also tells the caller
// of every piece that brings new bytes: on_new(index, from, bytes), where
// index is the held piece's, or held.size() for `incoming`.
template <class OnNew>
Reassembly walk_reassembly(const Tcb& tcb, const Held* incoming, OnNew on_new) {
  const std::size_t n = tcb.held.size() + (incoming ? 1 : 0);
  std::uint64_t taken = 0;
  Reassembly r{tcb.rcv_nxt, false};
  for (bool progress = true; progress && !r.fin;) {
    progress = false;
    for (std::size_t i = 0; i < n && !r.fin; ++i) {
      if (taken & (std::uint64_t{1} << i)) continue;
      const Held& h = i < tcb.held.size() ? tcb.held[i] : *incoming;
      if (h.seq > r.rcv_nxt) continue;
      const Seq end = h.seq + h.len;
      if (end > r.rcv_nxt) {
        on_new(i, r.rcv_nxt, static_cast<std::uint32_t>(end.since(r.rcv_nxt)));
        r.rcv_nxt = end;
      }
      if (h.fin && end == r.rcv_nxt) {
        r.rcv_nxt += 1;
        r.fin = true;
      }
      taken |= std::uint64_t{1} << i;
      progress = true;
    }
  }
  return r;
}

}  // namespace fincheck::model
