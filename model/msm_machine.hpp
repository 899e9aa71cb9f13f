#pragma once
// Runs a transition table with the Boost.MSM back-end. Include this only where
// a table variant is instantiated: it is the expensive header to compile.
#include "model/mpl_limits.hpp"

#include <array>
#include <cassert>
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
    const Lookup& l = lookup();
    Step step;
    step.from = l.state_of_id[sm_.current_state()[0]];
    const Candidates& c = l.candidates[index(step.from)][event.index()];
    // The row that fires is the first of this state and event whose guard
    // holds before the event is processed: the choice Boost.MSM makes among
    // rows whose guards exclude each other. Most cells hold one unguarded row.
    for (std::uint8_t i = 0; i < c.count; ++i) {
      const int r = c.rows[i];
      if (l.unguarded[static_cast<std::size_t>(r)] ||
          l.guard[static_cast<std::size_t>(r)](event, sm_)) {
        step.row = r;
        break;
      }
    }
    const auto handled = std::visit([this](auto const& e) { return sm_.process_event(e); }, event);
    step.to = l.state_of_id[sm_.current_state()[0]];
    if (handled != boost::msm::back::HANDLED_TRUE) {
      step.row = -1;
    } else if (step.row < 0 || l.to[static_cast<std::size_t>(step.row)] != step.to) {
      // A mutant's rows may overlap; Boost.MSM tries the later one first.
      step.row = -1;
      for (std::uint8_t i = 0; i < c.count; ++i)
        if (l.to[static_cast<std::size_t>(c.rows[i])] == step.to) {
          step.row = c.rows[i];
          break;
        }
    }
    return step;
  }

  std::unique_ptr<Machine> clone(Effects& effects) const override {
    auto copy = std::make_unique<MsmMachine>(*this);
    copy->sm_.effects_ = &effects;
    return copy;
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

  // The rows of one state and event, in table order (at most a few).
  struct Candidates {
    std::array<int, 4> rows{};
    std::uint8_t count = 0;
  };
  struct Lookup {
    std::array<State, state_count> state_of_id{};
    std::array<std::array<Candidates, event_count>, state_count> candidates{};
    std::vector<GuardFn> guard;
    std::vector<bool> unguarded;
    std::vector<State> to;
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
        l.unguarded.push_back(std::is_same_v<typename R::Guard, boost::msm::front::none>);
      });
      for (const RowInfo& r : rows()) {
        Candidates& c = l.candidates[index(r.from)][r.event_index];
        assert(c.count < c.rows.size() && "more rows for one state and event than expected");
        c.rows[c.count++] = r.index;
        l.to.push_back(r.to);
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
