#pragma once
// The deterministic network: virtual time in microseconds, one event queue,
// two endpoints and a channel per direction. No wall clock, no threads, no
// randomness: the scenario decides every fate, so the same scenario gives the
// same trace, bit for bit, on every machine -- unless an endpoint is a
// running kernel, whose clock is real: then virtual time follows it
// (Endpoint::wait_until), and only the fates stay the scenario's.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

#include "impl/endpoint.hpp"
#include "impl/scenario.hpp"
#include "impl/trace.hpp"
#include "model/machine.hpp"

namespace fincheck {

// Builds the endpoint that plays one side; the default is the reference
// endpoint running the given table.
using EndpointFactory = std::function<std::unique_ptr<Endpoint>(const EndpointSetup&)>;

EndpointFactory reference_factory(const model::TableVariant& table);

// Which sides a stack under test plays in a run (DESIGN.md: "a, b or both").
enum class Playing : std::uint8_t { A, B, Both };
constexpr const char* name_of(Playing p) {
  return p == Playing::A ? "a" : p == Playing::B ? "b" : "both";
}
constexpr bool plays(Playing p, Side s) {
  return p == Playing::Both || (p == Playing::A) == (s == Side::A);
}

// Decides segment fates in place of the scenario's plan: Monte Carlo runs
// draw them at random.
class FaultSource {
 public:
  virtual ~FaultSource() = default;
  // The fate of the n-th segment `from` sends, written into `fault`, which
  // comes blank; false means "delivered after the default delay". Delays
  // must stay within MSL.
  virtual bool fate(Side from, std::uint32_t n, SegmentFault& fault) = 0;
};

// No run goes past this much virtual time, or past this many segments and
// application calls (a stack's periodic timer ticks do not count). The cap
// grows with what the scenario sends, so that only a run that never falls
// quiet (two ends answering each other forever) reaches it.
std::int64_t run_horizon_us(const Scenario& scenario);
std::uint64_t run_event_cap(const Scenario& scenario);

// The application's call `a` on `e` (the explorer makes calls as the
// simulator does: explore/world.cpp).
void make_call(Endpoint& e, std::int64_t now_us, const AppAction& a);

// The calls a scenario makes a time after its side's end of file (`b close
// after eof 300ms`) that are due to be scheduled: `eof_seen(side)` says
// whether that side's application has read it; `scheduled` keeps a bit per
// call; `schedule(i)` is called once for each call i, in the scenario's
// order.
template <class EofSeen, class Schedule>
void schedule_after_eof(const Scenario& s, std::uint64_t& scheduled, EofSeen eof_seen,
                        Schedule schedule) {
  for (std::uint32_t i = 0; i < s.actions.size(); ++i) {
    const AppAction& a = s.actions[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (!a.after_eof || (scheduled & bit) || !eof_seen(a.side)) continue;
    scheduled |= bit;
    schedule(i);
  }
}

class Simulation final : private Wire {
 public:
  explicit Simulation(const Scenario& scenario,
                      const model::TableVariant& table = model::reference_table());
  // Records into `reuse`, cleared first, keeping its capacity: loops that
  // run millions of teardowns allocate their trace once.
  Simulation(const Scenario& scenario, Trace& reuse,
             const model::TableVariant& table = model::reference_table());

  // Replace the endpoint of one side (a mutant, a stack under test).
  void set_factory(Side side, EndpointFactory factory);
  void set_factory(Playing who, const EndpointFactory& factory);
  // Keep only what outcomes need (Trace::detailed); before run().
  void set_detailed_trace(bool detailed) { trace_.detailed = detailed; }
  // Draw fates from `source` instead of the scenario's faults.
  void set_fault_source(FaultSource* source) { fault_source_ = source; }

  // Runs until nothing is scheduled, or the horizon; the trace lives as long
  // as the simulation.
  const Trace& run();

  // Faults whose segment was never sent: the scenario names a segment that
  // does not exist.
  std::vector<const SegmentFault*> unused_faults() const;

  // run_horizon_us and run_event_cap of its scenario.
  std::int64_t horizon_us() const { return horizon_us_; }
  std::uint64_t event_cap() const { return event_cap_; }

 private:
  // `reuse` null: record into own_trace_, which exists before trace_ binds.
  Simulation(const Scenario& scenario, Trace* reuse, const model::TableVariant& table);

  struct Event {
    std::int64_t at_us;
    std::uint64_t order;  // ties at one instant run in the order scheduled
    enum class Kind : std::uint8_t { Arrival, App, Inject } kind;
    std::uint32_t index;  // Arrival: segment record; App: scenario action; Inject: injection
    std::uint8_t copy;    // Arrival: which copy of a duplicated segment
    bool operator>(const Event& o) const {
      return at_us != o.at_us ? at_us > o.at_us : order > o.order;
    }
  };

  void transmit(Side from, int conn, const Segment& seg) override;
  void schedule(std::int64_t at_us, Event::Kind kind, std::uint32_t index, std::uint8_t copy);
  void start_connection(int conn, Seq iss_a, Seq iss_b);
  void handle(const Event& e);
  void deliver(std::uint32_t segment, std::uint8_t copy);
  void apply(const AppAction& action);
  void inject(const Injection& in);
  void after_step();
  // A real-clock endpoint woke before `next_us` and was advanced.
  bool wake_early(std::int64_t next_us);
  void reopen();
  const SegmentFault* planned_fault(Side from, std::uint32_t n) const;
  Endpoint& endpoint(Side s) { return *endpoints_[static_cast<std::size_t>(s)]; }

  const Scenario& scenario_;
  std::array<EndpointFactory, 2> factories_;
  std::array<std::unique_ptr<Endpoint>, 2> endpoints_;
  std::array<std::uint32_t, 2> sent_{};    // per direction, for numbering
  std::uint64_t after_eof_scheduled_ = 0;  // a bit per scenario action
  std::vector<bool> fault_used_;
  std::vector<std::uint32_t> fault_index_;  // faults by (side, n); empty when few
  std::priority_queue<Event, std::vector<Event>, std::greater<>> queue_;
  std::uint64_t order_ = 0;
  std::int64_t now_us_ = 0;
  std::int64_t horizon_us_ = 0;
  std::uint64_t event_cap_ = 0;
  int conn_ = 1;
  bool real_clock_ = false;  // an endpoint keeps real time
  FaultSource* fault_source_ = nullptr;
  Trace own_trace_;
  Trace& trace_;
};

}  // namespace fincheck
