// Mutants of the classifier: the reference rules (model/classifier.hpp) with
// one rule broken, read with the reference table. Each is named after the
// rule it breaks.
#include "model/machine.hpp"
#include "properties/mutants.hpp"

namespace fincheck {

using namespace model;

namespace {

// RFC 793's RST processing, before RFC 5961 §3.2: any RST in the window resets.
bool rst_anywhere_in_window(const Tcb& t, const Segment& seg) {
  return in_window(seg.seq, t.rcv_nxt, t.rcv_wnd);
}

// SEG.ACK = our FIN's own sequence number taken as acknowledging it (=<, not <).
bool ack_of_fin_inclusive(const Tcb& t, Seq ack) { return t.fin_seq && ack >= *t.fin_seq; }

// A FIN taken although text before it is missing.
Reassembly fin_out_of_order(const Tcb& t, const Segment& seg) {
  Reassembly r = reference_rules().reassemble(t, seg);
  if (!r.fin && seg.flags.fin && seg.seq > t.rcv_nxt) r = {seg.seq + seg.len + 1, true};
  return r;
}

// A retransmitted FIN not recognised: dropped as an old duplicate.
bool never_fin_again(const Tcb&, const Segment&) { return false; }

// The upper edge of the ACK range one too far: SEG.ACK = SND.NXT + 1 is taken
// as acknowledging something (=< SND.NXT + 1, not =< SND.NXT).
Check ack_range_off_by_one(const Tcb& t, Seq ack) {
  if (ack > t.snd_nxt + 1) return Check::AckUnsent;
  return reference_rules().ack_range(t, ack) == Check::AckTooOld ? Check::AckTooOld
                                                                 : Check::Accepted;
}

template <class Change>
const TableVariant& classifier_variant(std::string_view name, Change change) {
  static ClassifierRules rules = [&] {
    ClassifierRules r = reference_rules();
    change(r);
    return r;
  }();
  // The reference table as it is compiled once (model/reference_table.cpp).
  static const TableVariant variant{name, reference_table().make, reference_table().rows, &rules};
  return variant;
}

}  // namespace

const TableVariant& rst_anywhere_in_window_classifier() {
  return classifier_variant("rst-anywhere-in-window",
                            [](ClassifierRules& r) { r.rst_resets = rst_anywhere_in_window; });
}

const TableVariant& ack_of_fin_inclusive_classifier() {
  return classifier_variant("ack-of-fin-inclusive",
                            [](ClassifierRules& r) { r.acks_our_fin = ack_of_fin_inclusive; });
}

const TableVariant& fin_out_of_order_classifier() {
  return classifier_variant("fin-out-of-order-accepted",
                            [](ClassifierRules& r) { r.reassemble = fin_out_of_order; });
}

const TableVariant& fin_again_dropped_classifier() {
  return classifier_variant("fin-again-dropped-as-old",
                            [](ClassifierRules& r) { r.is_fin_again = never_fin_again; });
}

const TableVariant& ack_range_off_by_one_classifier() {
  return classifier_variant("ack-range-off-by-one",
                            [](ClassifierRules& r) { r.ack_range = ack_range_off_by_one; });
}

}  // namespace fincheck
