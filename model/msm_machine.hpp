#pragma once
// Runs a transition table with the Boost.MSM back-end. Include this only where
// a table variant is instantiated: it is the expensive header to compile.
#include "model/mpl_limits.hpp"

#include <array>
#include <memory>
#include <variant>
#include <vector>

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "model/machine.hpp"
#include "model/table_rows.hpp"
#include "model/teardown_table.hpp"

namespace fincheck::model {

template <class Table>
struct TeardownDef : boost::msm::front::state_machine_def<TeardownDef<Table>> {
  using no_exception_thrown = int;
  using no_message_queue = int;
  using initial_state = Established;
  using transition_table = Table;

  // An event with no row in the current state changes nothing here;
  // MsmMachine::process reports it as a Step with row -1, which the endpoint
  // records, so it is never silent.
  template <class Fsm, class Event>
  void no_transition(Event const&, Fsm&, int) {}

  Effects& effects() { return *effects_; }
  bool rfc1337() const { return rfc1337_; }

  Effects* effects_ = nullptr;
  bool rfc1337_ = false;
};

template <class Table>
class MsmMachine final : public Machine {
  using Backend = boost::msm::back::state_machine<TeardownDef<Table>>;
  static constexpr std::size_t state_count = all_states.size();

 public:
  MsmMachine(Effects& effects, bool rfc1337) {
    sm_.effects_ = &effects;
    sm_.rfc1337_ = rfc1337;
    sm_.start();
  }

  State state() const override { return lookup().state_of_id[sm_.current_state()[0]]; }

  Step process(const AnyEvent& event) override {
    Step step;
    step.from = state();
    const auto handled = std::visit([this](auto const& e) { return sm_.process_event(e); }, event);
    step.to = state();
    if (handled == boost::msm::back::HANDLED_TRUE)
      step.row = lookup().row[index(step.from)][event.index()][index(step.to)];
    return step;
  }

  static const std::vector<RowInfo>& rows() {
    static const std::vector<RowInfo> rows = rows_of<Table>();
    return rows;
  }

  static std::unique_ptr<Machine> make(Effects& effects, bool rfc1337) {
    return std::make_unique<MsmMachine>(effects, rfc1337);
  }

 private:
  static std::size_t index(State s) { return static_cast<std::size_t>(s); }

  struct Lookup {
    std::array<State, state_count> state_of_id{};
    // row[from][event][to]: the row that takes `from` to `to` on `event`.
    std::array<std::array<std::array<int, state_count>, event_count>, state_count> row{};
  };

  static const Lookup& lookup() {
    static const Lookup table = [] {
      Lookup l;
      using States = typename boost::msm::back::generate_state_set<typename Backend::stt>::type;
      boost::mpl::for_each<States, std::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using S = std::remove_pointer_t<decltype(p)>;
        l.state_of_id[boost::msm::back::get_state_id<typename Backend::stt, S>::value] = S::id;
      });
      for (auto& by_event : l.row)
        for (auto& by_target : by_event) by_target.fill(-1);
      // A mutant may give two rows the same start, event and next state;
      // the first one names the step (the reference table's are unique).
      for (const RowInfo& r : rows()) {
        int& slot = l.row[index(r.from)][r.event_index][index(r.to)];
        if (slot == -1) slot = r.index;
      }
      return l;
    }();
    return table;
  }

  Backend sm_;
};

template <class Table>
TableVariant variant_of(std::string_view name) {
  return TableVariant{name, &MsmMachine<Table>::make, &MsmMachine<Table>::rows};
}

}  // namespace fincheck::model
