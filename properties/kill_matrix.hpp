#pragma once
// Every mutant against every invariant: which invariant kills which mutant,
// and with how small a counterexample.
#include <optional>
#include <vector>

#include "properties/checker.hpp"

namespace fincheck {

struct KillMatrix {
  std::uint64_t seed = 0;
  std::uint32_t cases = 0;
  std::vector<const Mutant*> mutants;
  std::vector<const Invariant*> invariants;
  // cells[m][i]: how invariant i kills mutant m, if it does.
  std::vector<std::vector<std::optional<Counterexample>>> cells;

  bool killed(std::size_t m) const;
  bool kills(std::size_t i) const;
  bool every_mutant_killed() const;
  bool every_invariant_kills() const;
};

// Runs `cases` generated cases under each mutant; each invariant's first
// failing case per mutant is shrunk.
KillMatrix kill_matrix(std::uint64_t seed, std::uint32_t cases, const GenOptions& gen,
                       const Progress& progress = {});

}  // namespace fincheck
