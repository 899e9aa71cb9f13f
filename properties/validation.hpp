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
#include <optional>
#include <string>
#include <vector>

#include "impl/simulation.hpp"
#include "properties/checker.hpp"
#include "properties/shadow.hpp"

namespace fincheck {

struct StackUnderTest {
  std::string name;  // "lwip", "mutant:no-time-wait"
  EndpointFactory factory;
  // What generated cases must look like for this stack.
  GenOptions gen;
  // What the model must be told about the stack, applied to every scenario.
  void (*prepare)(Scenario&) = nullptr;
};

// lwIP 2.1.3 (impl/adapters/lwip): the lwip profile's parameters, whatever a
// scenario file says (they are compiled into lwIP), and no FIN-WAIT-2 timeout, which lwIP applies
// only to a pcb closed for receiving (tcp_slowtmr(), TF_RXCLOSED) while its application
// half-closes.
StackUnderTest lwip_stack();

// Applies stack.prepare to a scenario read from a file. Returns a note for
// the user when that replaced the file's parameters -- after which the
// story must be validated again (validate_scenario): a delay may now exceed
// the stack's MSL.
std::optional<std::string> prepare_file(const StackUnderTest& stack, Scenario& s);

// A mutant of the model run as if it were a third-party stack: the oracle
// must catch every one.
StackUnderTest mutant_stack(const Mutant& m);

struct CaseResult {
  std::vector<Verdict> verdicts;
  std::vector<Divergence> divergences;
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

struct DivergenceClass {
  std::string kind;
  std::uint32_t count = 0;
  Playing who = Playing::A;
  Scenario example;  // shrunk
  std::string message;
};

struct ValidationReport {
  std::uint32_t runs = 0;  // scenarios x {a, b, both}
  std::vector<PropertyTally> tallies;
  std::vector<DivergenceClass> divergences;
  bool passed() const { return divergences.empty(); }
};

using ScenarioSource = std::function<std::optional<Scenario>(std::uint32_t index)>;

// `cases` generated cases for `stack`, seeded `seed`.
ScenarioSource generated_cases(const StackUnderTest& stack, std::uint64_t seed,
                               std::uint32_t cases);

// Validates every scenario `source` yields (until it yields nothing; `total`
// is for progress only), the stack as a, then as b, then as both.
ValidationReport validate(const ScenarioSource& source, std::uint32_t total,
                          const StackUnderTest& stack, const Progress& progress = {});

}  // namespace fincheck
