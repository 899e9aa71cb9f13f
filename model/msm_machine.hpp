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
    // The row that fires is the first of this state and event whose guard
    // holds before the event is processed: the same choice Boost.MSM makes
    // among rows whose guards exclude each other.
    for (const int r : lookup().candidates[index(step.from)][event.index()])
      if (lookup().guard[static_cast<std::size_t>(r)](event, sm_)) {
        step.row = r;
        break;
      }
    const auto handled = std::visit([this](auto const& e) { return sm_.process_event(e); }, event);
    step.to = state();
    if (handled != boost::msm::back::HANDLED_TRUE) {
      step.row = -1;
    } else if (step.row < 0 || rows()[static_cast<std::size_t>(step.row)].to != step.to) {
      // A mutant's rows may overlap; Boost.MSM tries the later one first.
      step.row = -1;
      for (const int r : lookup().candidates[index(step.from)][event.index()])
        if (rows()[static_cast<std::size_t>(r)].to == step.to) {
          step.row = r;
          break;
        }
    }
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

  using GuardFn = bool (*)(const AnyEvent&, Backend&);

  // Whether row R's guard holds for `event` (of R's event type) now.
  template <class R>
  static bool guard_holds(const AnyEvent& event, Backend& fsm) {
    using G = typename R::Guard;
    if constexpr (std::is_same_v<G, boost::msm::front::none>) {
      return true;
    } else {
      typename R::Source source;
      return G{}(std::get<typename R::Evt>(event), fsm, source, source);
    }
  }

  struct Lookup {
    std::array<State, state_count> state_of_id{};
    // candidates[from][event]: the rows that start there, in table order.
    std::array<std::array<std::vector<int>, event_count>, state_count> candidates{};
    std::vector<GuardFn> guard;
  };

  static const Lookup& lookup() {
    static const Lookup table = [] {
      Lookup l;
      using States = typename boost::msm::back::generate_state_set<typename Backend::stt>::type;
      boost::mpl::for_each<States, std::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using S = std::remove_pointer_t<decltype(p)>;
        l.state_of_id[boost::msm::back::get_state_id<typename Backend::stt, S>::value] = S::id;
      });
      boost::mpl::for_each<Table, std::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using R = std::remove_pointer_t<decltype(p)>;
        l.guard.push_back(&guard_holds<R>);
      });
      for (const RowInfo& r : rows()) l.candidates[index(r.from)][r.event_index].push_back(r.index);
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
