#pragma once
// Every mutant against every invariant: which invariant kills which mutant,
// and with how small a counterexample.
#include <optional>
#include <vector>

#include "properties/checker.hpp"
#include "properties/validation.hpp"

namespace fincheck {

// How the shadow oracle catches a mutant run as a stack under test: the
// first divergence of its own (state, segment, timer), shrunk.
struct ShadowKill {
  Divergence divergence;
  Playing who = Playing::A;
  Scenario example;
  std::uint32_t case_index = 0;
  std::size_t size() const;  // directives in the example
};

struct KillMatrix {
  std::uint64_t seed = 0;
  std::uint32_t cases = 0;
  std::vector<const Mutant*> mutants;
  std::vector<const Invariant*> invariants;
  // cells[m][i]: how invariant i kills mutant m, if it does.
  std::vector<std::vector<std::optional<Counterexample>>> cells;
  // shadow[m]: how the shadow catches mutant m, if it does.
  std::vector<std::optional<ShadowKill>> shadow;
  // first_kill_seconds[m]: how long the random cases ran until the first
  // one an invariant fails under mutant m (nullopt: none did); beside the
  // explorer's time in `fincheck mutants`.
  std::vector<std::optional<double>> first_kill_seconds;

  bool killed(std::size_t m) const;
  bool kills(std::size_t i) const;
  bool every_mutant_killed() const;
  bool every_invariant_kills() const;
};

// Runs `cases` generated cases under each mutant; each invariant's first
// failing case per mutant is shrunk. Then the mutant runs as a stack under
// the shadow (a, b and both) until the shadow catches it.
KillMatrix kill_matrix(std::uint64_t seed, std::uint32_t cases, const GenOptions& gen,
                       const Progress& progress = {});

}  // namespace fincheck
