#pragma once
// Integer-only randomness (xoshiro256**, seeded through splitmix64): the
// same draws on every machine, with no floating point anywhere on the way
// (TigerBeetle's stdx/prng.zig keeps floats out of its API for the same
// reason). Probabilities are integer ratios.
#include <cstdint>
#include <initializer_list>

namespace fincheck {

class Draw {
 public:
  explicit Draw(std::uint64_t seed);
  // Independent streams for (seed, a, b): a teardown's randomness derives
  // from its seed, sweep point and index, and nothing else.
  Draw(std::uint64_t seed, std::uint64_t a, std::uint64_t b);

  std::uint64_t next();
  // In [lo, hi], both ends included.
  std::int64_t range(std::int64_t lo, std::int64_t hi);
  // Index i with weight weights[i].
  std::size_t weighted(std::initializer_list<std::uint32_t> weights);
  // A duration in whole milliseconds in [lo_ms, hi_ms], as microseconds.
  std::int64_t ms(std::int64_t lo_ms, std::int64_t hi_ms);
  // True with probability ppm / 1,000,000.
  bool chance_ppm(std::uint32_t ppm);
  // Exponentially distributed with the given mean, in integer arithmetic:
  // mean * -ln(U) through a fixed-point binary logarithm.
  std::int64_t exponential(std::int64_t mean);

 private:
  std::uint64_t s_[4];
};

}  // namespace fincheck
