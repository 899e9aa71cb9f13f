#include "research/stats.hpp"

#include <algorithm>
#include <cmath>

namespace fincheck::research {

Interval wilson(std::uint64_t successes, std::uint64_t trials, double z) {
  if (trials == 0) return {0, 0, 1};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  // At the ends the bound is exact: no rounding residue like 4e-22.
  const double low = successes == 0 ? 0.0 : std::max(0.0, center - half);
  const double high = successes == trials ? 1.0 : std::min(1.0, center + half);
  return {p, low, high};
}

}  // namespace fincheck::research
