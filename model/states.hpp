#pragma once
// The Boost.MSM state types of the table, one per state of model/state.hpp.
#include "model/mpl_limits.hpp"

#include <boost/msm/front/state_machine_def.hpp>

#include "model/state.hpp"

namespace fincheck::model {

// The Boost.MSM state types. Each one knows its enum value; nothing else.
template <State S>
struct StateOf : boost::msm::front::state<> {
  static constexpr State id = S;
  static constexpr std::string_view name = to_string(S);
};

struct Established : StateOf<State::Established> {};
struct FinWait1 : StateOf<State::FinWait1> {};
struct FinWait2 : StateOf<State::FinWait2> {};
struct Closing : StateOf<State::Closing> {};
struct TimeWait : StateOf<State::TimeWait> {};
struct CloseWait : StateOf<State::CloseWait> {};
struct LastAck : StateOf<State::LastAck> {};
// RFC 9293 §3.10.7.4: "enter the CLOSED state, delete the TCB, and return".
// Every row into CLOSED releases the connection's timers through this entry.
struct Closed : StateOf<State::Closed> {
  template <class Event, class Fsm>
  void on_entry(Event const&, Fsm& fsm) {
    fsm.effects().delete_tcb();
  }
};

}  // namespace fincheck::model
