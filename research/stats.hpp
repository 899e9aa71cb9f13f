#pragma once
// Proportions with Wilson score intervals (Wilson 1927; Agresti & Coull 1998
// recommend it over the normal approximation for small or extreme p).
#include <cstdint>

namespace fincheck::research {

struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

// 95 % (z = 1.959964) unless told otherwise.
Interval wilson(std::uint64_t successes, std::uint64_t trials, double z = 1.959963984540054);

}  // namespace fincheck::research
