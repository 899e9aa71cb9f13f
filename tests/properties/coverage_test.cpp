// At the default budget of `fincheck check` the reference model passes and
// every row of the table is fired by some generated case.
#include <gtest/gtest.h>

#include "properties/checker.hpp"
#include "tools/commands.hpp"

namespace fincheck {
namespace {

TEST(Coverage, DefaultBudgetPassesAndHitsEveryRow) {
  CheckOptions options;
  options.seed = 20261127;
  options.cases = cli::default_check_cases;
  const CheckReport report = run_check(options);
  ASSERT_TRUE(report.passed()) << report.counterexample->property << ": "
                               << report.counterexample->violations.front().message;
  const auto& rows = model::reference_table().rows();
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_GT(report.row_hits[i], 0U)
        << "row " << i << " (" << model::to_string(rows[i].from) << " " << rows[i].event << " -> "
        << model::to_string(rows[i].to) << ") never hit in " << options.cases << " cases";
  for (const PropertyTally& t : report.tallies)
    EXPECT_GT(t.applicable, 0U) << t.id << " never had its preconditions met";
}

}  // namespace
}  // namespace fincheck
