#pragma once
// Validating a stack under test: it plays a, b, or both sides of every
// scenario behind the Endpoint interface, the reference endpoint plays any
// other, and each run is judged twice -- by the invariant catalog
// (transitions-in-table checks each change of state against the table), and
// by a shadow reference endpoint at each side the stack plays, which judges
// every segment it sends and every state it reaches (properties/shadow.hpp).
// Every failure is a divergence class: an invariant's id, or the shadow's
// "state", "segment" or "timer".
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "impl/simulation.hpp"
#include "properties/checker.hpp"
#include "properties/shadow.hpp"

namespace fincheck {

// A stack as the registry (stacks/registry.hpp) hands it out: how to build
// its drivers, what it declared, and its fixed parameters.
struct StackUnderTest {
  std::string name;  // "lwip", "mutant:no-time-wait", "exec:./stack.py"
  DriverFactory factory;
  StackCapabilities caps;
  // The stack's own parameters, compiled in: the model takes them for every
  // scenario, whatever the scenario says. Unset: the stack takes the run's.
  std::optional<model::Parameters> profile;
  // What generated cases must look like for this stack.
  GenOptions gen;
  // Where each of its profile's values comes from, by the parameter `probe`
  // measures: a source line of the stack's.
  std::map<std::string, std::string> citations;
};

// The model told about the stack: its profile, if it has one.
void prepare(const StackUnderTest& stack, Scenario& s);

// prepare() for a scenario read from a file. Returns a note for the user
// when that replaced the file's parameters -- after which the story must be
// validated again (validate_scenario): a delay may now exceed the stack's
// MSL.
std::optional<std::string> prepare_file(const StackUnderTest& stack, Scenario& s);

// The simulation's factory for the sides the stack plays: its driver behind
// the seam and a shadow; divergences go to `out`, observations to `seen`.
EndpointFactory seam_factory(const StackUnderTest& stack, std::vector<Divergence>& out,
                             SeamObservations& seen);

// A mutant of the model run as if it were a third-party stack: the oracle
// must catch every one.
StackUnderTest mutant_stack(const Mutant& m);

struct CaseResult {
  std::vector<Verdict> verdicts;
  std::vector<Divergence> divergences;
  SeamObservations observations;
  // How often each row of the reference table fired at the stack's sides.
  std::vector<std::uint64_t> row_hits;
  // The run, kept when it diverged: the ladder of a divergence shows it.
  std::shared_ptr<const Trace> trace;
};

// One scenario with the stack playing `who`.
CaseResult validate_case(const Scenario& s, Playing who, const StackUnderTest& stack);

// Greedy shrinking toward the smallest scenario in which the stack, playing
// `who`, still shows a divergence of `kind`; the stack's parameters stay.
Scenario shrink_divergence(Scenario s, Playing who, const StackUnderTest& stack,
                           const std::string& kind);

// Whether a divergence is the shadow's (a state, segment or timer the model
// does not allow) rather than an invariant's.
bool is_shadow_divergence(const Divergence& d);
// The stack failed rather than diverged: bad bytes, a driver that died.
inline constexpr const char* stack_error_kind = "stack-error";

struct DivergenceClass {
  std::string kind;
  std::uint32_t count = 0;
  Playing who = Playing::A;
  Scenario example;  // shrunk
  std::string message;
  int row = -1;  // Divergence::row and ::state, in the example
  model::State state = model::State::Established;
  // The example's run and every divergence it showed.
  std::shared_ptr<const Trace> trace;
  std::vector<Divergence> in_example;
};

struct ValidationReport {
  std::uint32_t runs = 0;  // scenarios x {a, b, both}
  std::vector<PropertyTally> tallies;
  std::vector<DivergenceClass> divergences;
  SeamObservations observations;
  std::vector<std::uint64_t> row_hits;  // CaseResult::row_hits, summed
  bool passed() const { return divergences.empty(); }
  bool stack_failed() const;
};

using ScenarioSource = std::function<std::optional<Scenario>(std::uint32_t index)>;

// `cases` generated cases for `stack`, seeded `seed`.
ScenarioSource generated_cases(const StackUnderTest& stack, std::uint64_t seed,
                               std::uint32_t cases);

// Validates the `total` scenarios `source` yields (fewer if it yields
// nothing sooner), the stack playing each of `sides` in turn (both only if
// it can), on `threads` threads if the stack can run in several at once.
// The report is the same for any number of threads. `source` is called from
// several threads.
inline const std::vector<Playing> all_sides{Playing::A, Playing::B, Playing::Both};
ValidationReport validate(const ScenarioSource& source, std::uint32_t total,
                          const StackUnderTest& stack, const Progress& progress = {},
                          const std::vector<Playing>& sides = all_sides, unsigned threads = 1);

}  // namespace fincheck
