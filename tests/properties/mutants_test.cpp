// The suite has teeth: every mutant is killed by some invariant, every
// invariant kills some mutant, and each shrunk counterexample, saved as a
// scenario file, replays to the same violation.
#include <gtest/gtest.h>

#include "drivers/reference_driver.hpp"
#include "impl/scenario_io.hpp"
#include "properties/kill_matrix.hpp"
#include "properties/validation.hpp"

namespace fincheck {
namespace {

const KillMatrix& matrix() {
  static const KillMatrix km = kill_matrix(1, 2'000, GenOptions{});
  return km;
}

TEST(Mutants, EveryMutantIsKilled) {
  const KillMatrix& km = matrix();
  ASSERT_GE(km.mutants.size(), 6U);
  for (std::size_t m = 0; m < km.mutants.size(); ++m)
    EXPECT_TRUE(km.killed(m)) << km.mutants[m]->name << " survives " << km.cases << " cases";
}

TEST(Mutants, EveryInvariantKillsAMutant) {
  const KillMatrix& km = matrix();
  for (std::size_t i = 0; i < km.invariants.size(); ++i)
    EXPECT_TRUE(km.kills(i)) << km.invariants[i]->id << " kills no mutant";
}

TEST(Mutants, EachCounterexampleFileReplaysToTheSameViolation) {
  const KillMatrix& km = matrix();
  for (std::size_t m = 0; m < km.mutants.size(); ++m)
    for (std::size_t i = 0; i < km.invariants.size(); ++i) {
      const auto& cell = km.cells[m][i];
      if (!cell) continue;
      SCOPED_TRACE(std::string(km.mutants[m]->name) + " / " + cell->property);
      const std::string file = counterexample_file(*cell, km.mutants[m], "x.scn");
      const Scenario replayed = km.mutants[m]->apply(parse_scenario(file, "x.scn"));
      const Verdict v = judge(replayed, km.mutants[m], km.invariants[i]).front();
      ASSERT_FALSE(v.holds());
      EXPECT_EQ(v.violations.front().message, cell->violations.front().message);
      // A table mutant's story passes on the reference table, or the mutant
      // would not be what broke it. (A parameter mutant's file carries the
      // mutation in its `set` lines.)
      if (!km.mutants[m]->adjust) {
        EXPECT_TRUE(judge(parse_scenario(file, "x.scn"), nullptr, km.invariants[i]).front().holds())
            << file;
      }
    }
}

TEST(Mutants, EachShadowKillReplaysAndPassesOnTheModel) {
  // The shadow column: the shrunk example shows the same divergence when the
  // mutant plays the stack again, and none when the reference model does.
  const KillMatrix& km = matrix();
  const StackUnderTest reference{"model", reference_driver(model::reference_table()), {}};
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    const auto& k = km.shadow[m];
    if (!k) continue;
    SCOPED_TRACE(std::string(km.mutants[m]->name) + "\n" + write_scenario(k->example));
    bool same = false;
    for (const Divergence& d :
         validate_case(k->example, k->who, mutant_stack(*km.mutants[m])).divergences)
      same |= d.kind == k->divergence.kind && d.message == k->divergence.message;
    EXPECT_TRUE(same);
    for (const Divergence& d : validate_case(k->example, k->who, reference).divergences)
      EXPECT_FALSE(is_shadow_divergence(d)) << d.kind << ": " << d.message;
  }
}

TEST(Mutants, EveryClassifierMutantIsKilled) {
  // At least five mutants break one rule of the classifier each.
  const KillMatrix& km = matrix();
  std::size_t classifier_mutants = 0;
  for (std::size_t m = 0; m < km.mutants.size(); ++m) {
    if (!km.mutants[m]->table().rules) continue;
    ++classifier_mutants;
    EXPECT_TRUE(km.killed(m)) << km.mutants[m]->name;
  }
  EXPECT_GE(classifier_mutants, 5U);
}

TEST(Mutants, NamesAreUnique) {
  for (const Mutant& a : mutants()) {
    EXPECT_EQ(mutant_named(a.name), &a);
  }
}

}  // namespace
}  // namespace fincheck
