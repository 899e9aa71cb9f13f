#include "properties/kill_matrix.hpp"

#include <chrono>

namespace fincheck {

std::size_t ShadowKill::size() const {
  std::size_t n = example.actions.size() + example.faults.size() + example.injections.size();
  return n + (example.reopen ? 1 : 0);
}

bool KillMatrix::killed(std::size_t m) const {
  if (shadow[m]) return true;
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

namespace {

template <class Tick>
std::optional<ShadowKill> shadow_kill(const Mutant& m, std::uint64_t seed, std::uint32_t cases,
                                      const GenOptions& gen, Tick tick) {
  const StackUnderTest stack = mutant_stack(m);
  for (std::uint32_t c = 0; c < cases; ++c) {
    tick();
    // The mutant's own parameters are its stack's; the model keeps the case's.
    const Scenario s = generate_case(seed, c, gen).value();
    for (Playing who : {Playing::A, Playing::B, Playing::Both})
      for (const Divergence& d : validate_case(s, who, stack).divergences) {
        if (!is_shadow_divergence(d)) continue;
        ShadowKill k{d, who, shrink_divergence(s, who, stack, d.kind), c};
        for (const Divergence& e : validate_case(k.example, who, stack).divergences)
          if (e.kind == d.kind) k.divergence = e;
        return k;
      }
  }
  return std::nullopt;
}

}  // namespace

KillMatrix kill_matrix(std::uint64_t seed, std::uint32_t cases, const GenOptions& gen,
                       const Progress& progress) {
  KillMatrix km;
  km.seed = seed;
  km.cases = cases;
  for (const Mutant& m : mutants()) km.mutants.push_back(&m);
  for (const Invariant& i : catalog()) km.invariants.push_back(&i);
  km.cells.assign(km.mutants.size(),
                  std::vector<std::optional<Counterexample>>(km.invariants.size()));
  km.shadow.assign(km.mutants.size(), std::nullopt);
  km.first_kill_seconds.assign(km.mutants.size(), std::nullopt);
  const std::uint32_t total = 2 * cases * static_cast<std::uint32_t>(km.mutants.size());
  std::uint32_t done = 0;
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const Mutant* mutant = km.mutants[m];
    std::vector<std::optional<std::pair<rc::Shrinkable<Scenario>, std::uint32_t>>> first(
        km.invariants.size());
    std::size_t found = 0;
    const auto started = std::chrono::steady_clock::now();
    for (std::uint32_t c = 0; c < cases && found < km.invariants.size(); ++c) {
      const auto generated = generate_case(seed, c, gen);
      const auto verdicts = judge(mutant->apply(generated.value()), mutant, nullptr);
      for (std::size_t i = 0; i < verdicts.size(); ++i)
        if (!verdicts[i].holds() && !first[i]) {
          first[i].emplace(generated, c);
          ++found;
        }
      if (found > 0 && !km.first_kill_seconds[m])
        km.first_kill_seconds[m] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (progress) progress(++done, total);
    }
    done = static_cast<std::uint32_t>((2 * m + 1) * cases);
    for (std::size_t i = 0; i < km.invariants.size(); ++i)
      if (first[i])
        km.cells[m][i] =
            shrink_case(first[i]->first, *km.invariants[i], mutant, seed, first[i]->second);
    km.shadow[m] = shadow_kill(*mutant, seed, cases, gen, [&] {
      if (progress) progress(++done, total);
    });
    done = static_cast<std::uint32_t>((2 * m + 2) * cases);
  }
  return km;
}

}  // namespace fincheck
