#pragma once
// Guards: one predicate each, combined in the table with Not_.
#include <string_view>

namespace fincheck::model {

// RFC 9293 §3.10.7.4, FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this
// segment), then enter TIME-WAIT ... otherwise, enter the CLOSING state".
struct AcksOurFin {
  static constexpr std::string_view name = "AcksOurFin";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(Event const& evt, Fsm&, Source&, Target&) const {
    return evt.acks_our_fin;
  }
};

// RFC 9293 §3.8.3: retransmit until the R2 threshold, then close.
struct BudgetLeft {
  static constexpr std::string_view name = "BudgetLeft";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(Event const& evt, Fsm&, Source&, Target&) const {
    return evt.budget_left;
  }
};

// RFC 1337 §3: an endpoint that ignores RST in TIME-WAIT cannot be
// "assassinated" by an old RST (Linux net.ipv4.tcp_rfc1337=1).
struct Rfc1337 {
  static constexpr std::string_view name = "Rfc1337";
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(Event const&, Fsm& fsm, Source&, Target&) const {
    return fsm.rfc1337();
  }
};

}  // namespace fincheck::model
