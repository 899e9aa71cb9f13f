#pragma once
// One global state of a teardown as the explorer holds it: both reference
// endpoints, the application calls scheduled, the copies of segments in
// flight with the window in which each may still arrive, the faults left,
// and the path's trace. What happens next is chosen, not scheduled: a
// segment's fate when it is sent (delivered, lost, duplicated), then which
// event comes next (an arrival, as early or as late as the order allows, or
// the next call or timer). It keeps the simulator's rules (impl/
// simulation.cpp: at one instant segments and calls go first, in the order
// they were scheduled, then a's timers, then b's) and never puts two events
// at one instant in another order, so that a path written as a scenario
// replays in `fincheck run` to the same trace.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "impl/reference_endpoint.hpp"
#include "impl/scenario.hpp"
#include "impl/trace.hpp"
#include "model/machine.hpp"

namespace fincheck::explore {

// The faults a path has left.
struct Budget {
  std::uint32_t drops = 0;
  std::uint32_t dups = 0;
  // Segments that arrive later than the least delay, each anywhere up to
  // MSL; a second copy of a duplicate does not count.
  std::uint32_t delays = 0;
};

enum class SendFate : std::uint8_t { Deliver, Drop, Duplicate };

// An event that may come next.
struct Next {
  enum class Kind : std::uint8_t { Arrival, Scheduled } kind = Kind::Scheduled;
  std::size_t flight = 0;  // Arrival: which copy in flight
  std::int64_t at_us = 0;
};

class World final : public Wire {
 public:
  // `detailed`: the trace keeps its log and timer records (Trace::detailed).
  // `reorder`: a direction may deliver its segments out of send order.
  World(const Scenario& scenario, const model::TableVariant& table, const Budget& budget,
        bool reorder, bool detailed);
  World(const World& other);
  World& operator=(const World&) = delete;

  enum class Stop : std::uint8_t { Choose, Ended, CutOff };
  // Runs what needs no choice, until a segment awaits its fate, or a copy is
  // in flight, or nothing is left (Ended), or the simulator's horizon or
  // event cap is reached (CutOff).
  Stop run();

  // A segment the last event sent awaits its fate: the fates the budget
  // allows it, and giving it one.
  bool fate_due() const { return !unfated_.empty(); }
  std::vector<SendFate> fates() const;
  void fate(SendFate f);

  // Copies in flight: the events that may come next, and taking one. An
  // event that leaves a copy later than its least delay spends a delay;
  // over_budget() says when that was more than was left.
  std::vector<Next> next_events() const;
  void take(const Next& next);
  bool over_budget() const { return over_budget_; }

  const Trace& trace() const { return trace_; }
  std::int64_t now_us() const { return now_us_; }
  const Budget& left() const { return left_; }
  model::State state(Side s) const { return endpoints_[idx(s)]->state(); }

  // Everything that decides the future, times relative to now; the path's
  // history is not in it (explore/history.hpp).
  void fingerprint(Fingerprint& f) const;

 private:
  static constexpr std::size_t idx(Side s) { return static_cast<std::size_t>(s); }
  struct Call {  // an application call scheduled
    std::int64_t at_us;
    std::uint64_t order;
    std::uint32_t action;
  };
  struct Flight {  // a copy of a segment in flight
    std::uint32_t segment;
    bool second;            // the second copy of a duplicate
    std::int64_t least_us;  // at the least delay
    std::int64_t most_us;   // at MSL
    std::uint64_t order;    // scheduled at send, as the simulator does
    bool late = false;      // a delay was spent on it
  };
  // The next call or timer: when, and whether it is a call (which goes
  // before a timer at one instant) with its order.
  struct Due {
    std::int64_t at_us;
    bool call;
    std::uint64_t order;
  };

  void transmit(Side from, int conn, const Segment& seg) override;
  std::optional<Due> next_due() const;
  void step_due(const Due& due);
  void arrive(std::size_t flight, std::int64_t at_us);
  // The earliest instant `f` can arrive after the last event.
  std::int64_t earliest(const Flight& f) const;
  bool eligible(std::size_t flight) const;
  void charge_late();
  void after_step();
  void finish(bool cut_off, std::uint64_t cap);

  const Scenario* scenario_;
  Trace trace_;
  std::array<std::unique_ptr<ReferenceEndpoint>, 2> endpoints_;
  std::vector<Call> calls_;       // by (at, order)
  std::vector<Flight> flights_;   // by order
  std::vector<std::uint32_t> unfated_;
  Budget left_;
  bool reorder_ = false;
  bool over_budget_ = false;
  std::array<std::uint32_t, 2> sent_{};
  std::uint64_t order_ = 0;
  std::uint64_t after_eof_scheduled_ = 0;
  std::uint64_t events_ = 0;
  std::int64_t now_us_ = 0;
  // What may still come at the last event's instant: only what was
  // scheduled with an order from here on.
  std::uint64_t last_mark_ = 0;
  bool after_step_due_ = false;  // the last event's fates came first
  Stop ended_ = Stop::Choose;    // Choose: not ended
  std::int64_t horizon_us_ = 0;
  std::uint64_t event_cap_ = 0;
};

}  // namespace fincheck::explore
