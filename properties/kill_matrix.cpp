#include "properties/kill_matrix.hpp"

namespace fincheck {

bool KillMatrix::killed(std::size_t m) const {
  for (const auto& cell : cells[m])
    if (cell) return true;
  return false;
}

bool KillMatrix::kills(std::size_t i) const {
  for (const auto& row : cells)
    if (row[i]) return true;
  return false;
}

bool KillMatrix::every_mutant_killed() const {
  for (std::size_t m = 0; m < mutants.size(); ++m)
    if (!killed(m)) return false;
  return true;
}

bool KillMatrix::every_invariant_kills() const {
  for (std::size_t i = 0; i < invariants.size(); ++i)
    if (!kills(i)) return false;
  return true;
}

KillMatrix kill_matrix(std::uint64_t seed, std::uint32_t cases, const GenOptions& gen,
                       const Progress& progress) {
  KillMatrix km;
  km.seed = seed;
  km.cases = cases;
  for (const Mutant& m : mutants()) km.mutants.push_back(&m);
  for (const Invariant& i : catalog()) km.invariants.push_back(&i);
  km.cells.assign(km.mutants.size(),
                  std::vector<std::optional<Counterexample>>(km.invariants.size()));
  const std::uint32_t total = cases * static_cast<std::uint32_t>(km.mutants.size());
  std::uint32_t done = 0;
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const Mutant* mutant = km.mutants[m];
    std::vector<std::optional<std::pair<rc::Shrinkable<Scenario>, std::uint32_t>>> first(
        km.invariants.size());
    std::size_t found = 0;
    for (std::uint32_t c = 0; c < cases && found < km.invariants.size(); ++c) {
      const auto generated = generate_case(seed, c, gen);
      const auto verdicts = judge(mutant->apply(generated.value()), mutant, nullptr);
      for (std::size_t i = 0; i < verdicts.size(); ++i)
        if (!verdicts[i].holds() && !first[i]) {
          first[i].emplace(generated, c);
          ++found;
        }
      if (progress) progress(++done, total);
    }
    done = static_cast<std::uint32_t>((m + 1) * cases);
    for (std::size_t i = 0; i < km.invariants.size(); ++i)
      if (first[i])
        km.cells[m][i] =
            shrink_case(first[i]->first, *km.invariants[i], mutant, seed, first[i]->second);
  }
  return km;
}

}  // namespace fincheck
