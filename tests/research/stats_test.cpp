// Wilson score intervals against published values: Newcombe (1998), "Two-sided
// confidence intervals for the single proportion", Statistics in Medicine
// 17:857-872, Table II, method 3 (score interval without continuity
// correction).
#include <gtest/gtest.h>

#include "research/stats.hpp"

namespace fincheck::research {
namespace {

TEST(Wilson, MatchesNewcombesTable) {
  struct Row {
    std::uint64_t k, n;
    double low, high;
  };
  for (const Row r : {Row{81, 263, 0.2553, 0.3662}, Row{15, 148, 0.0624, 0.1605},
                      Row{0, 20, 0.0000, 0.1611}, Row{1, 29, 0.0061, 0.1718}}) {
    const Interval i = wilson(r.k, r.n);
    EXPECT_NEAR(i.low, r.low, 5e-5) << r.k << "/" << r.n;
    EXPECT_NEAR(i.high, r.high, 5e-5) << r.k << "/" << r.n;
    EXPECT_DOUBLE_EQ(i.estimate, static_cast<double>(r.k) / r.n);
  }
}

TEST(Wilson, StaysInsideZeroOne) {
  const Interval all = wilson(50, 50);
  EXPECT_LE(all.high, 1.0);
  EXPECT_GT(all.low, 0.9);
  const Interval none = wilson(0, 0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
}

}  // namespace
}  // namespace fincheck::research
