#pragma once
// Exhaustive, bounded exploration (docs/explore.md): from a scenario's
// application calls, every fate the bounds allow for every segment (lost,
// delivered in each arrival class, duplicated) and so every ordering of
// arrivals and timer expiries, breadth first over global states, each
// visited once. The catalog judges every path that runs to its end; the
// first violation found is on a path with the fewest choices, and comes back
// as a scenario that `fincheck run` replays to the same trace.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "impl/scenario.hpp"
#include "properties/checker.hpp"
#include "properties/mutants.hpp"

namespace fincheck::explore {

struct Bounds {
  std::uint32_t drops = 2;  // segments lost, at most
  std::uint32_t dups = 2;   // segments delivered twice, at most
  // Segments that arrive later than the least delay (the scenario's
  // `delay`), at most; each then at any place in the order up to MSL.
  std::uint32_t delays = 0;
  bool reorder = false;     // a direction may deliver out of send order
};

struct ExploreOptions {
  Bounds bounds;
  const Mutant* mutant = nullptr;       // nullptr: the reference model
  const Invariant* property = nullptr;  // nullptr: the whole catalog
  unsigned threads = 1;  // the report is the same for any number
  // false: every path is a state of its own, a tree (the tests compare it
  // with the merged search to show merging loses no verdict).
  bool merge = true;
  // The visited set gets at most this much; past it, bitstate hashing.
  std::uint64_t visited_bytes = std::uint64_t{1} << 30;
  // The frontier (whole states, breadth first) gets at most this much;
  // past it the search stops, incomplete.
  std::uint64_t frontier_bytes = std::uint64_t{4} << 30;
  // Called after each level: states so far, the level's depth.
  std::function<void(std::uint64_t states, std::uint32_t depth)> progress;
  // Called with the trace of every path judged at its end, in the order of
  // the search (the tests compare the paths with runs of the simulator);
  // `detailed_traces`: those traces keep their log (Trace::detailed).
  std::function<void(const Trace&)> on_end;
  bool detailed_traces = false;
};

struct ExploreCounterexample {
  std::string property;
  std::uint32_t depth = 0;  // choices on its path
  Scenario scenario;        // the path: its faults are the choices
  std::vector<Violation> violations;
};

struct ExploreReport {
  std::uint64_t states = 0;       // distinct states visited
  std::uint64_t transitions = 0;  // successors generated
  std::uint64_t merged = 0;       // successors that were a visited state
  std::uint64_t ended = 0;        // paths judged at their end
  std::uint64_t cut_off = 0;      // of them, stopped by the simulator's horizon or cap
  std::uint32_t depth = 0;        // the deepest level reached
  double seconds = 0;
  std::uint64_t peak_frontier_bytes = 0;
  std::uint64_t visited_bytes = 0;
  std::vector<std::uint64_t> row_hits;  // per row of the table that ran
  std::vector<PropertyTally> tallies;   // over the paths judged
  std::optional<ExploreCounterexample> counterexample;
  // How sure "no violation" is: every state visited, or (bitstate) states
  // possibly skipped; the chance that some state was wrongly taken for
  // visited, an upper bound.
  bool bitstate = false;
  double omission_probability = 0;
  bool frontier_exhausted = false;  // stopped by frontier_bytes
  // Every path within the bounds ran to its end or to a visited state.
  bool complete() const { return !counterexample && !frontier_exhausted; }
  bool passed() const { return !counterexample; }
};

// The textbook closes (docs/explore.md): active, passive after EOF,
// simultaneous, half close with data (closed after, or kept open); by name,
// in that order.
const std::vector<std::pair<std::string, Scenario>>& textbook_closes();

// What `scenario` must be for the explorer: its faults are ignored (it
// chooses them), and it may hold no injection and no reopen. Empty: fine.
std::string unsupported(const Scenario& scenario);

ExploreReport explore(const Scenario& scenario, const ExploreOptions& options);

// The path a trace ran, as a scenario: `base` with one fault line per
// segment whose fate was not the default.
Scenario path_scenario(const Scenario& base, const Trace& t);

}  // namespace fincheck::explore
