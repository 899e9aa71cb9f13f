#pragma once
// The invariant catalog (DESIGN.md, stable ids): each invariant is a named
// predicate over a finished run, with its preconditions in code beside it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "impl/scenario.hpp"
#include "impl/trace.hpp"

namespace fincheck {

struct Violation {
  std::string property;
  std::int64_t at_us = 0;
  std::string message;
};

// What an invariant looks at: the scenario (parameters, faults) and its trace.
struct Run {
  const Scenario& scenario;
  const Trace& trace;
};

struct Invariant {
  std::string_view id;
  std::string_view statement;
  // Whether the run is one the statement speaks about; a run that fails the
  // precondition passes vacuously and is counted apart.
  bool (*precondition)(const Run&);
  // Appends a violation for every place the statement fails.
  void (*check)(const Run&, std::vector<Violation>&);
};

struct Verdict {
  std::string_view id;
  bool applicable = false;
  std::vector<Violation> violations;
  bool holds() const { return violations.empty(); }
};

// The catalog, in DESIGN.md's order.
const std::vector<Invariant>& catalog();
const Invariant* invariant_named(std::string_view id);

// Every invariant of the catalog over one run.
std::vector<Verdict> check_all(const Run& run);
Verdict check_one(const Invariant& inv, const Run& run);

}  // namespace fincheck
